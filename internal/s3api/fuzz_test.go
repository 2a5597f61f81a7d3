package s3api

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

// FuzzXMLBodies feeds arbitrary bytes to the decoders of every XML request body
// (CompleteMultipartUpload, Delete, CreateBucketConfiguration, and the bucket settings:
// VersioningConfiguration, ServerSideEncryptionConfiguration, PublicAccessBlockConfiguration,
// OwnershipControls, AccessControlPolicy). They must never panic, and whatever they reject
// must be MalformedXML.
func FuzzXMLBodies(f *testing.F) {
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"a"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a</Key><VersionId>v</VersionId></Object></Delete>`))
	f.Add([]byte(`<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Delete><Object><Key>&a;</Key></Object></Delete>`))
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber></Part>`))
	f.Add([]byte("  \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []any{&completeMultipartUpload{}, &deleteRequest{}, &createBucketConfiguration{},
			&versioningRequest{}, &encryptionRequest{}, &publicAccessBlockRequest{}, &ownershipRequest{}, &aclRequest{}} {
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

// FuzzBucketSettings checks the stored form of the bucket settings: an encryption
// configuration that validates, a Block Public Access configuration and an ACL document are
// stored as the document their Get answers, which must parse back to the same setting, and
// validation never panics.
func FuzzBucketSettings(f *testing.F) {
	f.Add([]byte(sseAES256))
	f.Add([]byte(`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>1</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>`))
	f.Add([]byte(allBlocked))
	f.Add([]byte(aclPolicyBody(groupGrant(groupAllUsers, "READ"))))
	f.Add([]byte(ownershipDoc("ObjectWriter")))
	s := &Server{cfg: Config{Owner: testOwner}}
	f.Fuzz(func(t *testing.T, data []byte) {
		var enc encryptionRequest
		if _, err := decodeXML(data, &enc); err == nil && validateEncryption(&enc) == nil {
			roundTrip(t, &encryptionConfiguration{Rules: enc.Rules}, parseEncryption)
		}
		var pab publicAccessBlockRequest
		if _, err := decodeXML(data, &pab); err == nil {
			roundTrip(t, &publicAccessBlock{BlockPublicAcls: pab.BlockPublicAcls, IgnorePublicAcls: pab.IgnorePublicAcls,
				BlockPublicPolicy: pab.BlockPublicPolicy, RestrictPublicBuckets: pab.RestrictPublicBuckets}, parsePublicAccessBlock)
		}
		var own ownershipRequest
		if _, err := decodeXML(data, &own); err == nil && len(own.Rules) == 1 && validOwnership(own.Rules[0].ObjectOwnership) {
			got, err := parseOwnership(encoded(t, &ownershipControls{Rules: own.Rules}), "")
			if err != nil || got != own.Rules[0].ObjectOwnership {
				t.Fatalf("ownership %q stored as %v, %v", own.Rules[0].ObjectOwnership, got, err)
			}
		}
		var acl aclRequest
		if _, err := decodeXML(data, &acl); err == nil {
			if canned, err := s.cannedFromPolicy(&acl); err == nil {
				if _, ok := cannedGrants[canned]; !ok {
					t.Fatalf("cannedFromPolicy gave %q", canned)
				}
			} else if _, ok := err.(*Error); !ok {
				t.Fatalf("cannedFromPolicy: %T", err)
			}
		}
	})
}

func encoded(t *testing.T, doc any) []byte {
	var buf bytes.Buffer
	if err := encodeXML(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// roundTrip checks that doc, encoded as stored, parses back to itself.
func roundTrip(t *testing.T, doc any, parse parseFunc) {
	got, err := parse(encoded(t, doc), "bkt")
	if err != nil {
		t.Fatalf("%T does not parse back: %v\n%s", doc, err, encoded(t, doc))
	}
	if !reflect.DeepEqual(stripNames(got), stripNames(doc)) {
		t.Fatalf("%T changed when stored:\n got %+v\nwant %+v", doc, got, doc)
	}
}

// stripNames clears the XMLName fields decoding fills in and encoding does not need.
func stripNames(v any) any {
	switch d := v.(type) {
	case *encryptionConfiguration:
		c := *d
		c.XMLName = xml.Name{}
		return &c
	case *publicAccessBlock:
		c := *d
		c.XMLName = xml.Name{}
		return &c
	}
	return v
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
