package s3api

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzXMLBodies feeds arbitrary bytes to the decoders of every XML request body
// (CompleteMultipartUpload, Delete, CreateBucketConfiguration). They must never panic, and
// whatever they reject must be MalformedXML.
func FuzzXMLBodies(f *testing.F) {
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"a"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a</Key><VersionId>v</VersionId></Object></Delete>`))
	f.Add([]byte(`<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Delete><Object><Key>&a;</Key></Object></Delete>`))
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber></Part>`))
	f.Add([]byte("  \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []any{&completeMultipartUpload{}, &deleteRequest{}, &createBucketConfiguration{}} {
			_, err := decodeXML(data, v)
			if err == nil {
				continue
			}
			if e, ok := err.(*Error); !ok || e.Code != "MalformedXML" {
				t.Fatalf("%T: %v is not MalformedXML", v, err)
			}
		}
	})
}

// FuzzRequestRouting runs arbitrary copy sources and request targets through
// parseCopySource, parseAddress and Classify: no panic, and every error an S3 *Error.
func FuzzRequestRouting(f *testing.F) {
	f.Add("PUT", "/bucket/key?partNumber=1&uploadId=x", "bucket.s3.localhost", "/src/a%20b?versionId=1")
	f.Add("GET", "/b/%F0%9F%98%80?list-type=2", "127.0.0.1", "")
	f.Add("POST", "//?delete&uploads", "", "arn:aws:s3:::x")
	f.Fuzz(func(t *testing.T, method, target, host, copySource string) {
		if _, err := parseCopySource(copySource); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("parseCopySource(%q): %T", copySource, err)
			}
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		r := &http.Request{Method: method, URL: u, Host: host, Header: http.Header{}}
		a, err := parseAddress(r, []string{"s3.localhost"})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("parseAddress(%q): %T", target, err)
			}
			return
		}
		if copySource != "" {
			r.Header.Set("X-Amz-Copy-Source", copySource)
		}
		op, err := Classify(method, a.bucket, a.key, u.Query(), r.Header)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Classify: %T", err)
			}
			return
		}
		if op == OpUnknown || op >= numOps {
			t.Fatalf("Classify(%s %s) = %d without an error", method, target, op)
		}
	})
}
