package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// crashBody builds a body that proves its own integrity: a header line naming the write and
// the key, filler, and the SHA-256 of everything before it in the last 32 bytes. A torn,
// truncated or mixed body fails the check.
func crashBody(id, key string, size int, pool []byte, rnd *rand.Rand) []byte {
	hdr := fmt.Sprintf("imgcdn-crash id=%s key=%q\n", id, key)
	n := max(size, len(hdr)+sha256.Size)
	fill := n - len(hdr) - sha256.Size
	off := rnd.IntN(len(pool) - fill)
	b := make([]byte, 0, n)
	b = append(b, hdr...)
	b = append(b, pool[off:off+fill]...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// parseCrashBody checks a body built by crashBody and returns the write id and key it names.
func parseCrashBody(b []byte) (id, key string, err error) {
	if len(b) < sha256.Size {
		return "", "", fmt.Errorf("%d bytes: shorter than its checksum", len(b))
	}
	sum := sha256.Sum256(b[:len(b)-sha256.Size])
	if !bytes.Equal(sum[:], b[len(b)-sha256.Size:]) {
		return "", "", errors.New("embedded SHA-256 does not match: torn or mixed body")
	}
	line, _, ok := bytes.Cut(b, []byte("\n"))
	rest, found := strings.CutPrefix(string(line), "imgcdn-crash id=")
	if !ok || !found {
		return "", "", fmt.Errorf("no header line: %q", truncate(line))
	}
	id, q, _ := strings.Cut(rest, " key=")
	key, err = strconv.Unquote(q)
	return id, key, err
}

// attempt is one write the crash test started: a PUT or a whole multipart upload.
type attempt struct {
	id, key string
	etag    string // the quoted ETag the body must have
	round   int
	acked   bool // the server answered 200 to the PUT or CompleteMultipartUpload
	// start is when the request was sent, end when its 200 arrived (acknowledged only).
	start, end time.Time
}

// crashLog records every attempt, per key in start order, and every error response received
// while the server was up (those are bugs: no request should fail before the kill).
type crashLog struct {
	mu       sync.Mutex
	byKey    map[string][]*attempt
	byID     map[string]*attempt
	problems []string
}

func newCrashLog() *crashLog {
	return &crashLog{byKey: map[string][]*attempt{}, byID: map[string]*attempt{}}
}

func (l *crashLog) begin(a *attempt) {
	a.start = time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byKey[a.key] = append(l.byKey[a.key], a)
	l.byID[a.id] = a
}

// end records the outcome. An HTTP error response is a problem to report; a transport error
// (the server was killed) just leaves the attempt unacknowledged.
func (l *crashLog) end(a *attempt, gotETag string, err error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var re *awshttp.ResponseError
	switch {
	case err == nil && gotETag != a.etag:
		l.problems = append(l.problems, fmt.Sprintf("%s %q: acknowledged with ETag %s, want %s", a.id, a.key, gotETag, a.etag))
		a.acked, a.end = true, now
	case err == nil:
		a.acked, a.end = true, now
	case errors.As(err, &re) && re.HTTPStatusCode() != 0: // the SDK reports transport errors as status 0
		l.problems = append(l.problems, fmt.Sprintf("%s %q: error response while the server was up: %v", a.id, a.key, err))
	}
}

// allowed is the set of write ids key may hold after the crash that ended round. A write X
// of the round qualifies unless some acknowledged write started after X was acknowledged (then
// X was overwritten for good); an unacknowledged X may or may not have committed, so it always
// qualifies. What the key held before the round ("" for absent) qualifies only if no write of
// the round was acknowledged.
func (l *crashLog) allowed(key string, round int, before string) map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	var this []*attempt
	anyAcked := false
	for _, a := range l.byKey[key] {
		if a.round == round {
			this = append(this, a)
			anyAcked = anyAcked || a.acked
		}
	}
	ok := map[string]bool{}
	if !anyAcked {
		ok[before] = true
	}
	for _, x := range this {
		superseded := false
		for _, y := range this {
			if x.acked && y.acked && y.start.After(x.end) {
				superseded = true
				break
			}
		}
		if !superseded {
			ok[x.id] = true
		}
	}
	return ok
}

// writeOne PUTs body at key.
func writeOne(c *sdkClient, bucket, key string, body []byte) (string, error) {
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ETag), nil
}

// writeMultipart uploads body as a 5 MiB part and the rest.
func writeMultipart(c *sdkClient, bucket, key string, body []byte) (string, error) {
	ctx := context.Background()
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	var parts []types.CompletedPart
	for i, p := range [][]byte{body[:5*mib], body[5*mib:]} {
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			return "", err
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag})
	}
	out, err := complete(c, bucket, key, aws.ToString(cr.UploadId), parts)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ETag), nil
}
