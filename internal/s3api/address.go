package s3api

import (
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// address is where a request points: a bucket (possibly empty, for ListBuckets) and a key
// (empty for bucket operations).
type address struct {
	bucket, key string
	// virtualHost is true when the bucket came from the Host header.
	virtualHost bool
}

// parseAddress takes the bucket and key from a request, per "Virtual hosting of buckets"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html): when Host is
// "<bucket>.<suffix>" for one of suffixes the bucket is in the host and the whole path is
// the key; otherwise the first path segment is the bucket and the rest is the key.
//
// The key is taken from r.URL.Path, which net/http has percent-decoded exactly once from the
// request target: "%2F" becomes "/", "%25" becomes "%", "+" stays "+". Nothing here decodes
// again or cleans the path, so "a//b", "../x" and a trailing "/" are keys like any other.
// Keys are checked to be UTF-8 and at most 1,024 bytes (S3's "Creating object key names").
func parseAddress(r *http.Request, suffixes []string) (address, error) {
	var a address
	path := r.URL.Path
	if b, ok := bucketFromHost(r.Host, suffixes); ok {
		a.bucket, a.virtualHost = b, true
		a.key = strings.TrimPrefix(path, "/")
	} else {
		rest := strings.TrimPrefix(path, "/")
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			a.bucket, a.key = rest[:i], rest[i+1:]
		} else {
			a.bucket = rest
		}
	}
	if !utf8.ValidString(a.bucket) || !utf8.ValidString(a.key) {
		return a, newError(codeInvalidURI).withMessage("Object keys and bucket names must be valid UTF-8.")
	}
	if len(a.key) > objstore.MaxKeyLength {
		return a, newError(codeKeyTooLongError).
			with("MaxSizeAllowed", itoa(objstore.MaxKeyLength)).
			with("Size", itoa(len(a.key)))
	}
	return a, nil
}

// bucketFromHost returns the bucket of a virtual-hosted-style Host, if it is one.
func bucketFromHost(host string, suffixes []string) (string, bool) {
	if len(suffixes) == 0 || host == "" {
		return "", false
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".") // a fully qualified "bucket.s3.localhost."
	for _, s := range suffixes {
		if len(host) > len(s)+1 && host[len(host)-len(s)-1] == '.' && strings.EqualFold(host[len(host)-len(s):], s) {
			return strings.ToLower(host[:len(host)-len(s)-1]), true
		}
	}
	return "", false
}
