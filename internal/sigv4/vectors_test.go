package sigv4

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestAWSTestSuite runs the published aws-sig-v4-test-suite cases (testdata names the source):
// each signed request verifies, and with its signature altered the error reports exactly the
// suite's canonical request and string to sign.
func TestAWSTestSuite(t *testing.T) {
	b, err := os.ReadFile("testdata/aws-sig-v4-test-suite.json")
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Secret, Time string
		Cases        []struct{ Name, Sreq, Creq, Sts string }
	}
	if err := json.Unmarshal(b, &suite); err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(amzDateFormat, suite.Time)
	if err != nil {
		t.Fatal(err)
	}
	if len(suite.Cases) < 15 {
		t.Fatalf("only %d cases loaded", len(suite.Cases))
	}
	v := verifierAt(now, "AKIDEXAMPLE", suite.Secret)
	for _, c := range suite.Cases {
		t.Run(c.Name, func(t *testing.T) {
			r := rawRequest(t, c.Sreq, nil)
			a, err := v.Verify(r)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if a.AccessKey != "AKIDEXAMPLE" || a.Service != "service" || a.Region != "us-east-1" || !a.Time.Equal(now) {
				t.Errorf("auth = %+v", a)
			}
			authz := r.Header.Get("Authorization")
			r.Header.Set("Authorization", authz[:len(authz)-64]+strings.Repeat("0", 64))
			_, err = v.Verify(r)
			var mismatch *SignatureMismatchError
			if !errors.As(err, &mismatch) || !errors.Is(err, ErrSignatureDoesNotMatch) {
				t.Fatalf("tampered signature: %v", err)
			}
			if mismatch.CanonicalRequest != c.Creq {
				t.Errorf("canonical request:\n%s\nwant:\n%s", mismatch.CanonicalRequest, c.Creq)
			}
			if mismatch.StringToSign != c.Sts {
				t.Errorf("string to sign:\n%s\nwant:\n%s", mismatch.StringToSign, c.Sts)
			}
		})
	}
}

// TestS3DocumentationExamples verifies the signed examples of the S3 API reference.
func TestS3DocumentationExamples(t *testing.T) {
	cases := []struct {
		name      string
		presigned bool
		payload   PayloadMode
	}{
		{"get-object", false, PayloadSHA256},
		{"put-object", false, PayloadSHA256},
		{"get-bucket-lifecycle", false, PayloadSHA256},
		{"list-objects", false, PayloadSHA256},
		{"presigned-get-object", true, PayloadUnsigned},
		{"chunked-put", false, PayloadStreamingSigned},
		{"chunked-trailer-put", false, PayloadStreamingSignedTrailer},
	}
	v := verifierAt(docTime, docAccessKey, docSecret)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := exampleRequest(t, c.name, nil)
			a, err := v.Verify(r)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if a.Anonymous || a.AccessKey != docAccessKey || a.Service != "s3" || a.Region != "us-east-1" ||
				a.Presigned != c.presigned || a.Payload != c.payload || !a.Time.Equal(docTime) {
				t.Errorf("auth = %+v", a)
			}
			if got := Service(r); got != "s3" {
				t.Errorf("Service = %q", got)
			}
		})
	}
}

// TestS3DocumentationPutObjectBody checks the PUT example's body against its signed SHA-256,
// and that a different body fails at EOF.
func TestS3DocumentationPutObjectBody(t *testing.T) {
	v := verifierAt(docTime, docAccessKey, docSecret)
	for _, tc := range []struct {
		body    string
		wantErr error
	}{
		{"Welcome to Amazon S3.", nil},
		{"Welcome to Amazon S3!", ErrContentSHA256Mismatch},
		{"Welcome to Amazon S3", ErrContentSHA256Mismatch},
	} {
		r := exampleRequest(t, "put-object", []byte(tc.body))
		a, err := v.Verify(r)
		if err != nil {
			t.Fatal(err)
		}
		b, err := a.Body(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(b)
		if !errors.Is(err, tc.wantErr) && !(tc.wantErr == nil && err == nil) {
			t.Fatalf("body %q: err = %v, want %v", tc.body, err, tc.wantErr)
		}
		if string(got) != tc.body {
			t.Errorf("read %q", got)
		}
		if b.Length() != int64(len(tc.body)) {
			t.Errorf("Length = %d", b.Length())
		}
	}
}
