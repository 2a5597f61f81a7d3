package e2e

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCLIBucketLocation runs s3api create-bucket with the LocationConstraint rules of the
// CreateBucket reference, on a server of its own (the bucket names are fixed).
func TestCLIBucketLocation(t *testing.T) {
	t.Parallel() // the CLI is mostly Python start-up time; CLI tests overlap
	srv := startServer(t, filepath.Join(t.TempDir(), "data"))
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	var created map[string]any
	cli.json(t, &created, "s3api", "create-bucket", "--bucket", "image-bucket-2025", "--region", "us-east-1")
	if created["Location"] != "/image-bucket-2025" {
		t.Errorf("create-bucket in us-east-1: %v, want {\"Location\": \"/image-bucket-2025\"}", created)
	}

	created = nil
	cli.json(t, &created, "s3api", "create-bucket", "--bucket", "image-bucket-west-2025", "--region", "us-west-2",
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	// AWS answers http://image-bucket-west-2025.s3.amazonaws.com/; ours names our endpoint.
	loc, _ := created["Location"].(string)
	if !strings.HasPrefix(loc, "http") || !strings.Contains(loc, "image-bucket-west-2025") || !strings.HasSuffix(loc, "/") {
		t.Errorf("create-bucket in us-west-2: Location %q, want the bucket's URL (http...image-bucket-west-2025.../)", loc)
	}

	cli.fails(t, "InvalidLocationConstraint", "s3api", "create-bucket", "--bucket", "image-bucket-east-explicit",
		"--region", "us-east-1", "--create-bucket-configuration", "LocationConstraint=us-east-1")
	cli.fails(t, "BucketAlreadyOwnedByYou", "s3api", "create-bucket", "--bucket", "image-bucket-west-2025", "--region", "us-west-2",
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	cli.fails(t, "NoSuchBucket", "s3api", "get-bucket-location", "--bucket", "image-bucket-east-explicit")

	var east, west map[string]any
	cli.json(t, &east, "s3api", "get-bucket-location", "--bucket", "image-bucket-2025")
	if v, ok := east["LocationConstraint"]; !ok || v != nil {
		t.Errorf("get-bucket-location us-east-1 bucket: %v, want {\"LocationConstraint\": null}", east)
	}
	cli.json(t, &west, "s3api", "get-bucket-location", "--bucket", "image-bucket-west-2025")
	if west["LocationConstraint"] != "us-west-2" {
		t.Errorf("get-bucket-location us-west-2 bucket: %v, want us-west-2", west)
	}

	var buckets struct {
		Buckets []struct{ Name, CreationDate string }
		Owner   struct{ DisplayName, ID string }
	}
	cli.json(t, &buckets, "s3api", "list-buckets")
	var names []string
	for _, b := range buckets.Buckets {
		names = append(names, b.Name)
	}
	if strings.Join(names, ",") != "image-bucket-2025,image-bucket-west-2025" || !canonicalUserID.MatchString(buckets.Owner.ID) {
		t.Errorf("list-buckets: %v owner %+v", names, buckets.Owner)
	}
	cli.ok(t, "s3api", "head-bucket", "--bucket", "image-bucket-2025")
	cli.ok(t, "s3api", "delete-bucket", "--bucket", "image-bucket-west-2025", "--region", "us-west-2")
	cli.ok(t, "s3api", "delete-bucket", "--bucket", "image-bucket-2025")
}

// treeFiles is a nested folder with awkward names for s3 sync: spaces, unicode, emoji,
// characters that need URL escaping, an empty file and one file above the CLI's 8 MiB
// multipart threshold.
var treeFiles = map[string]int{
	"top level with spaces.txt":                     1200,
	"photos/2025/summer vacation/beach 01.jpg":      70_000,
	"photos/2025/summer vacation/ünïcödé naïve.png": 3000,
	"photos/2025/😀 emoji/smile 😀.webp":              5000,
	"photos/2024/a/b/c/d/deep.bin":                  9*mib + 17,
	"docs/odd #hash & amp+plus=eq%pct;semi.txt":     100,
	"docs/empty.txt":                                0,
	"docs/日本語/ファイル.txt":                             256,
}

func writeTree(t *testing.T, dir string) {
	t.Helper()
	i := uint64(0)
	for name, size := range treeFiles {
		i++
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, randBytes(1000+i, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree maps slash-separated relative paths of regular files to their contents' SHA-256.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = sha256Hex(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var lsLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+) (.*)$`)

// TestCLISync: s3 sync a nested folder up, s3 ls it, sync it back down byte-identical, then
// s3 rm --recursive.
func TestCLISync(t *testing.T) {
	t.Parallel() // the CLI is mostly Python start-up time; CLI tests overlap
	srv := sharedServer(t)
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	bucket := newBucketName("cli-sync")
	cli.ok(t, "s3", "mb", "s3://"+bucket)

	src := filepath.Join(t.TempDir(), "src")
	writeTree(t, src)
	// Local files an hour old: the second sync below must then find every object newer than
	// its file (aws s3 sync re-uploads a file whose mtime is after the object's LastModified),
	// however fast the first upload ran.
	hourAgo := time.Now().Add(-time.Hour)
	for name := range treeFiles {
		if err := os.Chtimes(filepath.Join(src, filepath.FromSlash(name)), hourAgo, hourAgo); err != nil {
			t.Fatal(err)
		}
	}
	cli.ok(t, "s3", "sync", src, "s3://"+bucket+"/tree/")

	out := cli.ok(t, "s3", "ls", "--recursive", "s3://"+bucket+"/")
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		m := lsLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("s3 ls --recursive: unexpected line %q", line)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		got[m[2]] = n
	}
	want := map[string]int{}
	for name, size := range treeFiles {
		want["tree/"+name] = size
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("s3 ls --recursive:\n got %v\nwant %v", got, want)
	}

	out = cli.ok(t, "s3", "ls", "s3://"+bucket+"/tree/")
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if m := lsLine.FindStringSubmatch(l); m != nil {
			lines = append(lines, m[2])
		} else {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	sort.Strings(lines)
	if w := "PRE docs/,PRE photos/,top level with spaces.txt"; strings.Join(lines, ",") != w {
		t.Errorf("s3 ls (one level): %q, want %q", lines, w)
	}
	if out := cli.ok(t, "s3", "ls"); !strings.Contains(out, " "+bucket+"\n") {
		t.Errorf("s3 ls (buckets) does not list %s:\n%s", bucket, out)
	}

	dst := filepath.Join(t.TempDir(), "dst")
	cli.ok(t, "s3", "sync", "s3://"+bucket+"/tree/", dst)
	if a, b := readTree(t, src), readTree(t, dst); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("synced back tree differs:\n up   %v\n down %v", a, b)
	}
	// A second sync finds nothing to do: sizes and times listed match what is local.
	if out := cli.ok(t, "s3", "sync", src, "s3://"+bucket+"/tree/"); strings.TrimSpace(out) != "" {
		t.Errorf("second s3 sync uploaded again:\n%s", out)
	}

	cli.ok(t, "s3", "rm", "--recursive", "s3://"+bucket+"/tree/")
	if out := cli.ok(t, "s3", "ls", "--recursive", "s3://"+bucket+"/"); strings.TrimSpace(out) != "" {
		t.Errorf("after s3 rm --recursive, s3 ls lists:\n%s", out)
	}
	cli.ok(t, "s3", "rb", "s3://"+bucket)
}

// TestCLILargeCopy: s3 cp of a 200 MiB file, which the CLI uploads as 25 parts of 8 MiB with
// up to 10 in parallel. The upload goes through the TLS front, so botocore sends every part
// aws-chunked with a trailing CRC32; the download is plain HTTP.
func TestCLILargeCopy(t *testing.T) {
	t.Parallel() // the CLI is mostly Python start-up time; CLI tests overlap
	srv := sharedServer(t)
	front := newTLSFront(t, srv)
	up := newCLI(t, front.url, cliOpts{caFile: front.caFile})
	down := newCLI(t, srv.endpoint(), cliOpts{})
	bucket := newBucketName("cli-big")
	down.ok(t, "s3", "mb", "s3://"+bucket)

	dir := t.TempDir()
	src := filepath.Join(dir, "big.bin")
	const size = 200 * mib
	wantETag, wantSHA := writeBigFile(t, src, size, 8*mib)

	up.ok(t, "s3", "cp", src, "s3://"+bucket+"/media/big file.bin")
	var head struct {
		ContentLength int64
		ETag          string
	}
	down.json(t, &head, "s3api", "head-object", "--bucket", bucket, "--key", "media/big file.bin")
	if head.ContentLength != size || head.ETag != wantETag {
		t.Errorf("head-object: ContentLength %d ETag %s, want %d %s (25 parts of 8 MiB)", head.ContentLength, head.ETag, size, wantETag)
	}
	back := filepath.Join(dir, "back.bin")
	down.ok(t, "s3", "cp", "s3://"+bucket+"/media/big file.bin", back)
	if got := fileSHA256(t, back); got != wantSHA {
		t.Errorf("downloaded file sha256 %s, want %s", got, wantSHA)
	}
	down.ok(t, "s3", "rm", "s3://"+bucket+"/media/big file.bin")
	down.ok(t, "s3", "rb", "s3://"+bucket)
}

// writeBigFile writes size pseudo-random bytes and returns the multipart ETag for parts of
// partSize and the file's SHA-256.
func writeBigFile(t *testing.T, path string, size, partSize int) (string, string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	whole := sha256.New()
	var md5s []byte
	for off, i := 0, 0; off < size; off, i = off+partSize, i+1 {
		n := min(partSize, size-off)
		chunk := randBytes(uint64(7000+i), n)
		sum := md5.Sum(chunk)
		md5s = append(md5s, sum[:]...)
		whole.Write(chunk)
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	parts := (size + partSize - 1) / partSize
	return fmt.Sprintf(`"%s-%d"`, md5Hex(md5s), parts), fmt.Sprintf("%x", whole.Sum(nil))
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestCLIErrors checks that the CLI surfaces the typed S3 errors the issue lists.
func TestCLIErrors(t *testing.T) {
	t.Parallel() // the CLI is mostly Python start-up time; CLI tests overlap
	srv := sharedServer(t)
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	bucket := newBucketName("cli-err")
	cli.ok(t, "s3api", "create-bucket", "--bucket", bucket)
	obj := filepath.Join(t.TempDir(), "obj.txt")
	if err := os.WriteFile(obj, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	var put struct{ ETag string }
	cli.json(t, &put, "s3api", "put-object", "--bucket", bucket, "--key", "obj.txt", "--body", obj)
	if put.ETag != quotedMD5([]byte("0123456789")) {
		t.Errorf("put-object ETag %s, want %s", put.ETag, quotedMD5([]byte("0123456789")))
	}
	out := filepath.Join(t.TempDir(), "out")

	cli.fails(t, "NoSuchBucket", "s3api", "list-objects-v2", "--bucket", "e2e-cli-no-such-bucket")
	cli.fails(t, "NoSuchKey", "s3api", "get-object", "--bucket", bucket, "--key", "missing.txt", out)
	cli.fails(t, "BucketNotEmpty", "s3api", "delete-bucket", "--bucket", bucket)
	cli.fails(t, "InvalidRange", "s3api", "get-object", "--bucket", bucket, "--key", "obj.txt", "--range", "bytes=999999-", out)
	cli.fails(t, "PreconditionFailed", "s3api", "get-object", "--bucket", bucket, "--key", "obj.txt", "--if-match", `"0123456789abcdef0123456789abcdef"`, out)
	wrong := newCLI(t, srv.endpoint(), cliOpts{secret: "wrong" + testSecretKey[5:]})
	wrong.fails(t, "SignatureDoesNotMatch", "s3api", "list-buckets")
	wrong.fails(t, "SignatureDoesNotMatch", "s3api", "put-object", "--bucket", bucket, "--key", "obj.txt", "--body", obj)

	var got struct {
		ContentRange  string
		ContentLength int64
	}
	cli.json(t, &got, "s3api", "get-object", "--bucket", bucket, "--key", "obj.txt", "--range", "bytes=2-5", out)
	if b, _ := os.ReadFile(out); !bytes.Equal(b, []byte("2345")) || got.ContentRange != "bytes 2-5/10" {
		t.Errorf("get-object --range bytes=2-5: %q Content-Range %q", b, got.ContentRange)
	}
	cli.ok(t, "s3api", "delete-object", "--bucket", bucket, "--key", "obj.txt")
	cli.ok(t, "s3api", "delete-bucket", "--bucket", bucket)
}

// TestCLIEmptyThenNonEmptyOnOneConnection uploads empty and non-empty files alternately over a
// single kept-alive connection (one transfer thread), with no retries. botocore sends
// "Expect: 100-continue" on every PutObject. When the final response to an empty body's
// request comes without a 100 Continue first (Go's net/http never sends 100 for
// Content-Length: 0), botocore (awsrequest.py, AWSConnection) keeps that response's status
// line as a preset for the connection; the next Expect request on it that does get a 100
// Continue then has its real status line parsed as a header, finds no Content-Length and
// waits for the read timeout (60 s by default, then a retry on a new connection). Against S3
// this does not happen; the server must not leave the aws CLI in that state (answer 100
// Continue, or close the connection, after such a response).
func TestCLIEmptyThenNonEmptyOnOneConnection(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	cli := newCLI(t, srv.endpoint(), cliOpts{
		config: "[default]\ns3 =\n  max_concurrent_requests = 1\n",
		env:    []string{"AWS_RETRY_MODE=standard", "AWS_MAX_ATTEMPTS=1"},
	})
	bucket := newBucketName("cli-expect")
	cli.ok(t, "s3", "mb", "s3://"+bucket)
	dir := t.TempDir()
	files := map[string][]byte{"a-empty.txt": nil, "b-small.txt": []byte("after the empty one"), "c-empty.txt": nil, "d-small.txt": randBytes(5, 5000)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The read timeout bounds the failure mode; a working server answers in milliseconds.
	out, stderr, err := cli.run(t, "--cli-read-timeout", "10", "s3", "cp", "--recursive", dir, "s3://"+bucket+"/up/")
	if err != nil {
		t.Fatalf("aws s3 cp --recursive (empty file first, one connection, no retries): %v\n%s\n%s", err, out, stderr)
	}
	var listed struct{ Contents []struct{ Key string } }
	cli.json(t, &listed, "s3api", "list-objects-v2", "--bucket", bucket)
	var keys []string
	for _, c := range listed.Contents {
		keys = append(keys, c.Key)
	}
	if strings.Join(keys, ",") != "up/a-empty.txt,up/b-small.txt,up/c-empty.txt,up/d-small.txt" {
		t.Errorf("uploaded keys: %q", keys)
	}
}
