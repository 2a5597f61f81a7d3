package s3api

import (
	"context"
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/objstore/disk"
)

// TestVersionedBucketAnswers covers what the API answers for a bucket versioned directly in
// the store (PutBucketVersioning has its own tests): versions and delete markers in
// ListObjectVersions, delete-marker errors with their headers, GetBucketVersioning's Status.
func TestVersionedBucketAnswers(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	if err := e.store.SetBucketVersioning(context.Background(), "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	resp, body := e.do(http.MethodGet, "/bkt?versioning", nil)
	mustStatus(t, resp, body, 200)
	var vc struct{ Status string }
	if err := xml.Unmarshal(body, &vc); err != nil || vc.Status != "Enabled" {
		t.Fatalf("GetBucketVersioning %s", body)
	}
	put := e.put("bkt", "k", []byte("v1"))
	v1 := put.Header.Get("X-Amz-Version-Id")
	if v1 == "" || v1 == "null" {
		t.Fatalf("PUT in a versioned bucket: version id %q", v1)
	}
	resp, body = e.do(http.MethodDelete, "/bkt/k", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	marker := resp.Header.Get("X-Amz-Version-Id")
	if resp.Header.Get("X-Amz-Delete-Marker") != "true" || marker == "" {
		t.Fatalf("DELETE answer %v", resp.Header)
	}

	resp, body = e.do(http.MethodGet, "/bkt/k", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	if resp.Header.Get("X-Amz-Delete-Marker") != "true" || resp.Header.Get("X-Amz-Version-Id") != marker {
		t.Errorf("GET behind a delete marker: %v", resp.Header)
	}
	resp, body = e.do(http.MethodHead, "/bkt/k?versionId="+marker, nil)
	mustError(t, resp, body, http.StatusMethodNotAllowed, "MethodNotAllowed")
	if resp.Header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("HEAD of a delete marker: %v", resp.Header)
	}
	resp, body = e.do(http.MethodGet, "/bkt/k?versionId="+v1, nil)
	mustStatus(t, resp, body, 200)
	if string(body) != "v1" || resp.Header.Get("X-Amz-Version-Id") != v1 {
		t.Errorf("GET of the old version: %q %v", body, resp.Header)
	}
	resp, body = e.do(http.MethodGet, "/bkt/k?versionId=not-a-version", nil)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")

	resp, body = e.do(http.MethodGet, "/bkt?versions", nil)
	mustStatus(t, resp, body, 200)
	var lv struct {
		Version []struct {
			Key, VersionId string
			IsLatest       bool
		}
		DeleteMarker []struct {
			Key, VersionId string
			IsLatest       bool
		}
	}
	if err := xml.Unmarshal(body, &lv); err != nil {
		t.Fatal(err)
	}
	if len(lv.Version) != 1 || lv.Version[0].VersionId != v1 || lv.Version[0].IsLatest ||
		len(lv.DeleteMarker) != 1 || lv.DeleteMarker[0].VersionId != marker || !lv.DeleteMarker[0].IsLatest {
		t.Errorf("ListObjectVersions %s", body)
	}
}

// TestServerSideEncryptionHeader checks x-amz-server-side-encryption: AES256 is passed to the
// store and echoed, and refused when the store has no master key rather than ignored.
func TestServerSideEncryptionHeader(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodPut, "/bkt/k", []byte("secret"), "X-Amz-Server-Side-Encryption", "AES256")
	mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")
	resp, body = e.do(http.MethodPut, "/bkt/k", []byte("secret"), "X-Amz-Server-Side-Encryption", "aws:kms")
	mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")

	key, err := crypt.MasterKeyFromBase64("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=")
	if err != nil {
		t.Fatal(err)
	}
	e = newTestEnvStore(t, func(c *disk.Config) { c.MasterKey = key })
	e.createBucket("bkt")
	resp = e.put("bkt", "k", []byte("secret"), "X-Amz-Server-Side-Encryption", "AES256")
	if resp.Header.Get("X-Amz-Server-Side-Encryption") != "AES256" {
		t.Errorf("PUT answer %v", resp.Header)
	}
	resp, body = e.do(http.MethodGet, "/bkt/k", nil)
	mustStatus(t, resp, body, 200)
	if string(body) != "secret" || resp.Header.Get("X-Amz-Server-Side-Encryption") != "AES256" {
		t.Errorf("GET %q %v", body, resp.Header)
	}
	e.put("bkt", "plain", []byte("x"))
	resp, _ = e.do(http.MethodHead, "/bkt/plain", nil)
	if resp.Header.Get("X-Amz-Server-Side-Encryption") != "" {
		t.Errorf("unencrypted object reported as encrypted")
	}
}
