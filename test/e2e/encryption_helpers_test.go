package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// encChunk is the plaintext size of an encrypted chunk on disk (internal/crypt: 64 KiB).
// Range reads that start or end next to a multiple of it cross from one chunk to the next.
const encChunk = 64 << 10

// sealedObject is an object whose plaintext must never reach the disk: a distinctive marker
// repeated through the body (at the start, across the first chunk boundary, in the middle
// and at the end) and a long chunk of its random filler, the two needles scanned for.
type sealedObject struct {
	bucket, key string
	body        []byte
	marker      []byte
	chunk       []byte // a 512-byte run of the random filler
}

// newSealed builds a body of size bytes for key: random filler with its own marker.
func newSealed(bucket, key string, size int, seed uint64) *sealedObject {
	marker := []byte(fmt.Sprintf("IMGCDN-PLAINTEXT-MARKER-%s-%x", key, randBytes(seed+1000, 12)))
	body := randBytes(seed, size)
	for _, off := range []int{0, encChunk - len(marker)/2, size / 2, size - len(marker)} {
		if off >= 0 && off+len(marker) <= size {
			copy(body[off:], marker)
		}
	}
	// The filler run sits away from the markers.
	at := size/4 + 7
	return &sealedObject{bucket: bucket, key: key, body: body, marker: marker, chunk: bytes.Clone(body[at : at+512])}
}

// rawResult is what a client saw of a GET: the status and headers, the bytes it received and
// the error that ended the body, if any (an aborted connection, a short body).
type rawResult struct {
	status  int
	header  http.Header
	body    []byte
	readErr error
}

func (r rawResult) String() string {
	return fmt.Sprintf("status %d, %d bytes received (Content-Length %s), read error %v", r.status, len(r.body), r.header.Get("Content-Length"), r.readErr)
}

// rawGet sends a GET signed by the root (with a Range header when rng is set) and reads the
// body to the end, keeping a read error instead of failing: a server that finds corruption
// mid-stream can only abort the connection.
func rawGet(t testing.TB, srv *server, bucket, key, rng string) rawResult {
	t.Helper()
	u := srv.endpoint() + "/" + bucket + "/" + (&url.URL{Path: key}).EscapedPath()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	req.Header.Set("X-Amz-Content-Sha256", emptySHA)
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptySHA, "s3", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return rawResult{readErr: err, header: http.Header{}}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return rawResult{status: resp.StatusCode, header: resp.Header, body: b, readErr: err}
}

// ok reports a complete 2xx answer: the whole body arrived.
func (r rawResult) ok() bool { return r.status/100 == 2 && r.readErr == nil }

// checkRefused asserts a GET of corrupt or undecryptable data did not succeed and gave away
// no wrong bytes: a 5xx S3 error, or a 2xx whose body broke off; what arrived is a prefix of
// the true plaintext want (authenticated chunks only) and never holds the marker beyond it.
func checkRefused(t *testing.T, what string, r rawResult, want []byte) {
	t.Helper()
	if r.ok() {
		t.Errorf("%s: answered in full (%s), want an error: corrupt or undecryptable data must never be served", what, r)
		return
	}
	if r.status != 0 && r.status/100 != 2 && r.status/100 != 5 {
		t.Errorf("%s: %s, want a 5xx error (InternalError) or an aborted body", what, r)
	}
	if r.status/100 == 2 && !bytes.HasPrefix(want, r.body) {
		t.Errorf("%s: %s, and the bytes received are not a prefix of the stored object: wrong data was served", what, r)
	}
	if r.status/100 == 5 && !strings.Contains(string(r.body), "<Error>") {
		t.Errorf("%s: %s without an S3 <Error> document: %s", what, r, truncate(r.body))
	}
}

// rangeCases are the Range reads that cross the chunk boundaries of an encrypted body of
// size bytes (and, for multipart bodies, the part boundaries in parts).
func rangeCases(size int, parts ...int) [][2]int {
	rs := [][2]int{{0, 0}, {size - 1, size - 1}, {0, size - 1}}
	if size > 2*encChunk+2 {
		rs = append(rs, [2]int{encChunk - 1, encChunk}, [2]int{encChunk, 2*encChunk - 1}, [2]int{2*encChunk - 1, 2*encChunk + 1},
			[2]int{encChunk - 17, 3*encChunk + 17})
	}
	for _, p := range parts {
		rs = append(rs, [2]int{p - 1, p}, [2]int{p - encChunk - 1, p + encChunk + 1})
	}
	return rs
}
