package storetest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// SSE-S3: "Using server-side encryption with Amazon S3 managed keys (SSE-S3)",
// AmazonS3/latest/userguide/UsingServerSideEncryption.html. ETag and Size describe the
// plaintext; the body is never at rest in the clear.

// chunk is the encryption chunk size of imgcdn's stores (internal/crypt); boundaries around
// its multiples are where a random-access decryptor goes wrong.
const chunk = 64 << 10

func (e *env) putEnc(b, key string, body []byte) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: key, Body: bytes.NewReader(body), Size: int64(len(body)), Encryption: objstore.EncryptionAES256})
	if err != nil {
		e.t.Fatalf("PutObject(%q, %d bytes, AES256): %v", key, len(body), err)
	}
	if info.ETag != md5hex(body) || info.Size != int64(len(body)) || info.Encryption != objstore.EncryptionAES256 {
		e.t.Fatalf("PutObject(%q, AES256) = %+v, want ETag %s size %d", key, info, md5hex(body), len(body))
	}
	return info
}

// chunkBoundaries returns the multiples of the chunk size inside an n-byte body.
func chunkBoundaries(n int64) []int64 {
	var out []int64
	for b := int64(chunk); b < n; b += chunk {
		out = append(out, b)
	}
	return out
}

func testEncryptionSettings(e *env) {
	b := e.bucket("bkt")
	body := []byte("secret")
	for _, alg := range []string{"aws:kms", "aes256", "AES128", "aws:kms:dsse"} {
		_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "k", Body: bytes.NewReader(body), Size: 6, Encryption: alg})
		e.wantErr(fmt.Sprintf("PutObject with encryption %q", alg), err, objstore.ErrInvalidEncryption)
		_, err = e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "k", Encryption: alg})
		e.wantErr(fmt.Sprintf("CreateMultipartUpload with encryption %q", alg), err, objstore.ErrInvalidEncryption)
	}
	_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "k", Body: bytes.NewReader(body), Size: 6, Encryption: objstore.EncryptionAES256})
	_, errMP := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "k", Encryption: objstore.EncryptionAES256})
	if !e.opts.Encrypted {
		e.wantErr("PutObject AES256 without a master key", err, objstore.ErrEncryptionNotConfigured)
		e.wantErr("CreateMultipartUpload AES256 without a master key", errMP, objstore.ErrEncryptionNotConfigured)
		_, err = e.s.HeadObject(e.ctx, b, "k", "")
		e.wantErr("HeadObject after a refused write", err, objstore.ErrNoSuchKey)
		return
	}
	if err != nil || errMP != nil {
		e.t.Fatalf("AES256 with a master key: PutObject %v, CreateMultipartUpload %v", err, errMP)
	}
	// Plain objects say so.
	if info := e.put(b, "plain", body); info.Encryption != "" {
		e.t.Fatalf("a plain object reports encryption %q", info.Encryption)
	}
}

func testEncryptedRoundTrip(e *env) {
	if !e.opts.Encrypted {
		return
	}
	b := e.bucket("bkt")
	meta := objstore.Metadata{ContentType: "image/avif", User: map[string]string{"k": "v"}}
	for i, n := range []int{0, 1, 100, chunk - 1, chunk, chunk + 1, 2 * chunk, 2*chunk + 1, 300<<10 + 5, 1<<20 + 3} {
		key := fmt.Sprint("enc/", i)
		body := payload(uint64(i)+40, n)
		info, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: key, Meta: meta, Body: bytes.NewReader(body), Size: -1, Encryption: objstore.EncryptionAES256})
		if err != nil || info.ETag != md5hex(body) || info.Size != int64(n) || info.Encryption != objstore.EncryptionAES256 {
			e.t.Fatalf("PutObject(%d bytes, AES256, unsized) = %+v, %v", n, info, err)
		}
		if h := e.head(b, key); h.Encryption != objstore.EncryptionAES256 || h.ETag != info.ETag || h.Size != int64(n) || h.Meta.User["k"] != "v" {
			e.t.Fatalf("HeadObject of an encrypted object = %+v", h)
		}
		e.wantBody(b, key, body)
		o, err := e.s.OpenObject(e.ctx, b, key, "")
		if err != nil {
			e.t.Fatal(err)
		}
		if o.Info().Encryption != objstore.EncryptionAES256 {
			e.t.Fatalf("Object.Info() = %+v", o.Info())
		}
		e.checkRanges(o, body, chunkBoundaries(int64(n))...)
		o.Close()
	}
	// Encrypted and plain versions of one key replace each other both ways.
	for i, enc := range []bool{false, true, false} {
		body := payload(uint64(i)+60, 90<<10)
		if enc {
			e.putEnc(b, "flip", body)
		} else {
			e.put(b, "flip", body)
		}
		e.wantBody(b, "flip", body)
	}
	res, err := e.s.ListObjects(e.ctx, b, objstore.ListInput{MaxKeys: 100, Prefix: "enc/"})
	if err != nil || len(res.Objects) != 10 {
		e.t.Fatalf("ListObjects = %+v, %v", res, err)
	}
}

func testEncryptedMultipart(e *env) {
	if !e.opts.Encrypted {
		return
	}
	b := e.bucket("bkt")
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "mp", Encryption: objstore.EncryptionAES256})
	if err != nil {
		e.t.Fatal(err)
	}
	if got, err := e.s.GetUpload(e.ctx, b, "mp", u.UploadID); err != nil || got.Encryption != objstore.EncryptionAES256 {
		e.t.Fatalf("GetUpload = %+v, %v", got, err)
	}
	// Parts that straddle chunk boundaries, each its own encrypted stream.
	first := max(e.opts.MinPartSize, 2*chunk+3)
	sizes := []int64{first, first + chunk - 1, chunk + 7}
	var bodies [][]byte
	var parts []objstore.PartInfo
	for i, n := range sizes {
		bodies = append(bodies, payload(uint64(i)+70, int(n)))
		parts = append(parts, e.part(u, i+1, bodies[i]))
	}
	info, err := e.complete(u, parts, objstore.WriteConditions{})
	if err != nil {
		e.t.Fatal(err)
	}
	whole := bytes.Join(bodies, nil)
	if info.Encryption != objstore.EncryptionAES256 || info.ETag != multipartETag(bodies...) || info.Size != int64(len(whole)) {
		e.t.Fatalf("completed encrypted upload = %+v", info)
	}
	e.wantBody(b, "mp", whole)
	o, err := e.s.OpenObject(e.ctx, b, "mp", "")
	if err != nil {
		e.t.Fatal(err)
	}
	defer o.Close()
	bounds := chunkBoundaries(int64(len(whole)))
	var off int64
	for _, n := range sizes[:len(sizes)-1] {
		off += n
		bounds = append(bounds, off)
		for _, c := range chunkBoundaries(n) {
			bounds = append(bounds, off-n+c)
		}
	}
	slices.Sort(bounds)
	e.checkRanges(o, whole, slices.Compact(bounds)...)
}

// testEncryptionAtRest writes encrypted objects full of a marker and checks that no file the
// store keeps contains it, while markers in plain objects are found (so the walk does see
// the stored bytes).
func testEncryptionAtRest(e *env) {
	if !e.opts.Encrypted || e.opts.AtRest == nil {
		return
	}
	b := e.bucket("bkt")
	secret, inlineCtl, blobCtl := marker("secret"), marker("inline-control"), marker("blob-control")
	fill := func(m []byte, n int) []byte { return bytes.Repeat(m, n/len(m)+1)[:n] }
	e.putEnc(b, "small", fill(secret, 1000))
	e.putEnc(b, "large", fill(secret, 300<<10))
	e.setVersioning(b, objstore.VersioningEnabled)
	e.putEnc(b, "large", fill(secret, 100<<10)) // a second version
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "mp", Encryption: objstore.EncryptionAES256})
	if err != nil {
		e.t.Fatal(err)
	}
	p1 := e.part(u, 1, fill(secret, int(e.opts.MinPartSize)))
	p2 := e.part(u, 2, fill(secret, 5000))
	if _, err := e.complete(u, []objstore.PartInfo{p1, p2}, objstore.WriteConditions{}); err != nil {
		e.t.Fatal(err)
	}
	up, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "pending", Encryption: objstore.EncryptionAES256})
	if err != nil {
		e.t.Fatal(err)
	}
	e.part(up, 1, fill(secret, 70<<10)) // a part of an upload still in progress
	e.put(b, "inline-control", fill(inlineCtl, 1000))
	e.put(b, "blob-control", fill(blobCtl, 300<<10))

	dir, err := e.opts.AtRest(e.s)
	if err != nil {
		e.t.Fatalf("AtRest: %v", err)
	}
	found := map[string]bool{}
	files := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		// A fragment of the repeated marker is as telling as the whole.
		if bytes.Contains(data, secret[:24]) {
			e.t.Errorf("%s holds plaintext of an encrypted object", path)
		}
		for name, m := range map[string][]byte{"inline": inlineCtl, "blob": blobCtl} {
			found[name] = found[name] || bytes.Contains(data, m)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if !found["inline"] || !found["blob"] {
		e.t.Fatalf("the walk of %d files under %s did not find the plain control objects (%v): it does not see the stored bytes", files, dir, found)
	}
	e.wantBody(b, "large", fill(secret, 100<<10))
}

// marker returns a random, recognisable byte string.
func marker(name string) []byte {
	r := make([]byte, 12)
	rand.Read(r)
	return []byte("imgcdn-" + name + "-" + hex.EncodeToString(r) + "|")
}

// testEncryptionTamper flips a stored byte of encrypted bodies: reads must fail with
// ErrCorrupt, and whatever was returned before the failure must be the true body's prefix.
func testEncryptionTamper(e *env) {
	if !e.opts.Encrypted || e.opts.Corrupt == nil {
		return
	}
	b := e.bucket("bkt")
	bodies := map[string][]byte{"small": payload(1, 1000), "large": payload(2, 300<<10)}
	for key, body := range bodies {
		e.putEnc(b, key, body)
	}
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "mp", Encryption: objstore.EncryptionAES256})
	if err != nil {
		e.t.Fatal(err)
	}
	mp := [][]byte{payload(3, int(e.opts.MinPartSize)), payload(4, 2*chunk)}
	if _, err := e.complete(u, []objstore.PartInfo{e.part(u, 1, mp[0]), e.part(u, 2, mp[1])}, objstore.WriteConditions{}); err != nil {
		e.t.Fatal(err)
	}
	bodies["mp"] = bytes.Join(mp, nil)
	for key, body := range bodies {
		if err := e.opts.Corrupt(e.s, b, key); err != nil {
			e.t.Fatalf("Corrupt(%q): %v", key, err)
		}
		for _, viaRead := range []bool{false, true} {
			got, err := e.readAllErr(b, key, viaRead)
			e.wantErr(fmt.Sprintf("reading %q after a flipped byte", key), err, objstore.ErrCorrupt)
			if !bytes.HasPrefix(body, got) {
				e.t.Fatalf("%q: %d bytes returned before the failure are not the body's", key, len(got))
			}
		}
		if h := e.head(b, key); h.ETag != md5hex(body) && key != "mp" {
			e.t.Fatalf("%q: metadata changed: %+v", key, h)
		}
	}
}

// readAllErr opens the latest version of key and reads it whole (with io.Copy, or with
// plain Reads), returning what was read and the first error.
func (e *env) readAllErr(b, key string, viaRead bool) ([]byte, error) {
	o, err := e.s.OpenObject(e.ctx, b, key, "")
	if err != nil {
		return nil, err
	}
	defer o.Close()
	rc, err := o.NewReader(0, -1)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if viaRead {
		return io.ReadAll(onlyReader{rc})
	}
	var got bytes.Buffer
	_, err = io.Copy(&got, rc)
	return got.Bytes(), err
}
