package originsapi

import (
	"strings"
	"testing"
)

// FuzzDecodeEndpoint: any PUT body is either refused or decoded to an endpoint of the path's
// domain, and decoding never panics.
func FuzzDecodeEndpoint(f *testing.F) {
	f.Add(`{"endpoint":"http://127.0.0.1:9000","bucket":"photos","pathStyle":true,"accessKeyId":"a","secretAccessKey":"s"}`, "photos.minio.local")
	f.Add(`{"domain":"PHOTOS.minio.local."}`, "photos.minio.local")
	f.Add(`{"domain":"other"}`, "photos")
	f.Add(`[]`, "x")
	f.Fuzz(func(t *testing.T, body, domain string) {
		e, err := decodeEndpoint(strings.NewReader(body), domain)
		if err == nil && e.Domain != domain {
			t.Fatalf("decoded domain %q for path domain %q", e.Domain, domain)
		}
	})
}
