package s3api

import (
	"context"
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func sseDoc(rule string) string {
	return `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + rule + `</ServerSideEncryptionConfiguration>`
}

func TestBucketEncryptionDocument(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodGet, "/bkt?encryption", nil)
	mustError(t, resp, body, http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError")

	for _, c := range []struct {
		doc, code string
		status    int
	}{
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:123456789012:key/x</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>`), "NotImplemented", 501},
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms:dsse</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`), "NotImplemented", 501},
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>`), "InvalidArgument", 400},
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>ROT13</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`), "MalformedXML", 400},
		{sseDoc(``), "MalformedXML", 400},
		{sseDoc(`<Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule>`), "MalformedXML", 400},
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`), "MalformedXML", 400},
		{sseDoc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BlockedEncryptionTypes><EncryptionType>SSE-KMS</EncryptionType></BlockedEncryptionTypes></Rule>`), "MalformedXML", 400},
		{"", "MissingRequestBodyError", 400},
	} {
		resp, body := e.do(http.MethodPut, "/bkt?encryption", []byte(c.doc))
		mustError(t, resp, body, c.status, c.code)
	}
	resp, body = e.do(http.MethodGet, "/bkt?encryption", nil)
	mustError(t, resp, body, http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError")

	// The CLI's document of seed step 3 has no namespace and no BucketKeyEnabled.
	e.putConfig("bkt", "encryption", `<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>`)
	c := e.sdkAs(e.root)
	out, err := c.GetBucketEncryption(context.Background(), &s3.GetBucketEncryptionInput{Bucket: aws.String("bkt")})
	if err != nil {
		t.Fatal(err)
	}
	rules := out.ServerSideEncryptionConfiguration.Rules
	if len(rules) != 1 || rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 ||
		!aws.ToBool(rules[0].BucketKeyEnabled) || rules[0].BlockedEncryptionTypes == nil ||
		len(rules[0].BlockedEncryptionTypes.EncryptionType) != 1 || rules[0].BlockedEncryptionTypes.EncryptionType[0] != types.EncryptionTypeSseC {
		t.Errorf("GetBucketEncryption: %+v", rules)
	}
	resp, body = e.do(http.MethodDelete, "/bkt?encryption", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodGet, "/bkt?encryption", nil)
	mustError(t, resp, body, http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError")
}

// TestDefaultEncryption: a bucket with default encryption encrypts every new object (PUT,
// copy, multipart) and says so in every answer; the request header works without it.
func TestDefaultEncryption(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "before", []byte("plain"))
	e.putConfig("bkt", "encryption", sseAES256)
	sse := func(what string, resp *http.Response, want string) {
		t.Helper()
		if got := resp.Header.Get("X-Amz-Server-Side-Encryption"); got != want {
			t.Errorf("%s: x-amz-server-side-encryption %q, want %q", what, got, want)
		}
	}
	sse("PUT", e.put("bkt", "k", []byte("secret")), "AES256")
	resp, body := e.do(http.MethodGet, "/bkt/k", nil)
	mustStatus(t, resp, body, http.StatusOK)
	sse("GET", resp, "AES256")
	if string(body) != "secret" {
		t.Errorf("GET %q", body)
	}
	resp, _ = e.do(http.MethodHead, "/bkt/k", nil)
	sse("HEAD", resp, "AES256")
	resp, _ = e.do(http.MethodHead, "/bkt/before", nil)
	sse("HEAD of an object from before", resp, "")
	resp, body = e.do(http.MethodPut, "/bkt/copy", nil, "X-Amz-Copy-Source", "/bkt/before")
	mustStatus(t, resp, body, http.StatusOK)
	sse("CopyObject", resp, "AES256")
	resp, _ = e.do(http.MethodHead, "/bkt/copy", nil)
	sse("HEAD of the copy", resp, "AES256")

	resp, body = e.do(http.MethodPost, "/bkt/mp?uploads", nil)
	mustStatus(t, resp, body, http.StatusOK)
	sse("CreateMultipartUpload", resp, "AES256")
	var init struct{ UploadId string }
	if err := xml.Unmarshal(body, &init); err != nil {
		t.Fatal(err)
	}
	resp, body = e.do(http.MethodPut, "/bkt/mp?partNumber=1&uploadId="+init.UploadId, []byte("part"))
	mustStatus(t, resp, body, http.StatusOK)
	sse("UploadPart", resp, "AES256")
	resp, body = e.do(http.MethodPost, "/bkt/mp?uploadId="+init.UploadId, completeBody([]string{resp.Header.Get("Etag")}, nil))
	mustStatus(t, resp, body, http.StatusOK)
	sse("CompleteMultipartUpload", resp, "AES256")
	resp, body = e.do(http.MethodGet, "/bkt/mp", nil)
	sse("GET of the multipart object", resp, "AES256")
	if string(body) != "part" {
		t.Errorf("multipart body %q", body)
	}
	id := e.createUpload("bkt", "mp2")
	resp, body = e.do(http.MethodPut, "/bkt/mp2?partNumber=1&uploadId="+id, nil, "X-Amz-Copy-Source", "/bkt/before")
	mustStatus(t, resp, body, http.StatusOK)
	sse("UploadPartCopy", resp, "AES256")

	resp, body = e.do(http.MethodDelete, "/bkt?encryption", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	sse("PUT after DeleteBucketEncryption", e.put("bkt", "later", []byte("x")), "")
	sse("PUT with the header", e.put("bkt", "asked", []byte("x"), "X-Amz-Server-Side-Encryption", "AES256"), "AES256")
	resp, _ = e.do(http.MethodHead, "/bkt/k", nil)
	sse("HEAD of an encrypted object after DeleteBucketEncryption", resp, "AES256")

	resp, body = e.do(http.MethodPut, "/bkt/c", []byte("x"), "X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256")
	mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")
}

// TestDefaultEncryptionWithoutMasterKey: a store that cannot encrypt refuses the writes a
// bucket's default encryption asks for, rather than storing plaintext.
func TestDefaultEncryptionWithoutMasterKey(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.putConfig("bkt", "encryption", sseAES256)
	resp, body := e.do(http.MethodPut, "/bkt/k", []byte("x"))
	mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")
	resp, body = e.do(http.MethodHead, "/bkt/k", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
}
