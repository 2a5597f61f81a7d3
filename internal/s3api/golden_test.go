package s3api

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/name.golden (or rewrites it with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n got: %s\nwant: %s", name, path, got, want)
	}
}

var (
	goldenTime  = time.Date(2009, 10, 12, 17, 50, 30, 0, time.UTC)
	goldenOwner = &xmlOwner{ID: testOwner.CanonicalID, DisplayName: testOwner.DisplayName}
)

// TestXMLGolden pins the exact documents clients parse, one per answer type. The shapes
// follow botocore's service model (element names, flattened lists) and the examples of the
// Amazon S3 API Reference.
func TestXMLGolden(t *testing.T) {
	docs := map[string]any{
		"list_buckets": &listAllMyBucketsResult{
			Buckets: xmlBuckets{Bucket: []xmlBucket{
				{Name: "amzn-s3-demo-bucket", CreationDate: isoTime(goldenTime), BucketRegion: "us-east-1"},
				{Name: "photos", CreationDate: isoTime(goldenTime), BucketRegion: "eu-west-1"},
			}},
			Owner:             goldenOwner,
			ContinuationToken: "cGhvdG9z",
		},
		"list_buckets_empty":      &listAllMyBucketsResult{Owner: goldenOwner},
		"get_bucket_location":     &locationConstraint{Region: "eu-west-1"},
		"get_bucket_location_us1": &locationConstraint{},
		"get_bucket_versioning":   &versioningConfiguration{},
		"list_objects_v2": &listBucketResultV2{
			Name: "bucket", Prefix: "photos/", MaxKeys: 2, Delimiter: "/", IsTruncated: true,
			NextContinuationToken: "cGhvdG9zLzIwMDYv",
			listPage: listPage{
				objects: []objstore.ObjectInfo{{
					Key: "photos/a.jpg", LastModified: goldenTime, ETag: "599bab3ed2c697f1d26842727561fd94", Size: 857,
					Checksum: &objstore.Checksum{Algorithm: "CRC32", Value: "AAAAAA==", Type: "FULL_OBJECT"},
				}},
				prefixes: []string{"photos/2006/"}, encode: identity, owner: goldenOwner,
			},
		},
		"list_objects_v2_encoded": &listBucketResultV2{
			Name: "bucket", Prefix: "a b/", StartAfter: "a b/+", MaxKeys: 1000, EncodingType: "url",
			listPage: listPage{
				objects: []objstore.ObjectInfo{{
					Key: "a b/c+d\x01", LastModified: goldenTime, ETag: "d41d8cd98f00b204e9800998ecf8427e",
					Meta: objstore.Metadata{StorageClass: "GLACIER"},
				}},
				encode: s3URLEncode,
			},
		},
		"list_objects_v1": &listBucketResultV1{
			Name: "bucket", NextMarker: "photos/", MaxKeys: 1, Delimiter: "/", IsTruncated: true,
			listPage: listPage{prefixes: []string{"photos/"}, encode: identity, owner: goldenOwner},
		},
		"list_object_versions": &listVersionsResult{
			Name: "bucket", KeyMarker: "a", VersionIDMarker: "null", MaxKeys: 1, IsTruncated: true,
			NextKeyMarker: "b", NextVersionIDMarker: "null",
			listPage: listPage{
				objects: []objstore.ObjectInfo{
					{Key: "b", VersionID: "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY", IsLatest: true, DeleteMarker: true, LastModified: goldenTime},
					{Key: "b", VersionID: "null", LastModified: goldenTime, ETag: "599bab3ed2c697f1d26842727561fd94", Size: 3},
				},
				encode: identity, owner: goldenOwner,
			},
		},
		"initiate_multipart_upload": &initiateMultipartUploadResult{
			Bucket: "example-bucket", Key: "example-object", UploadID: "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
		},
		"list_parts": &listPartsResult{
			Bucket: "example-bucket", Key: "example-object", UploadID: "XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA",
			Initiator: goldenOwner, Owner: goldenOwner, StorageClass: "STANDARD", PartNumberMarker: 1, NextPartNumberMarker: 3,
			MaxParts: 2, IsTruncated: true, ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE",
			Parts: []xmlPart{
				{PartNumber: 2, LastModified: isoTime(goldenTime), ETag: `"7778aef83f66abc1fa1e8477f296d394"`, Size: 10485760,
					xmlChecksums: xmlChecksums{ChecksumCRC32: "AAAAAA=="}},
				{PartNumber: 3, LastModified: isoTime(goldenTime), ETag: `"aaaa18db4cc2f85cedef654fccc4a4x8"`, Size: 10485760,
					xmlChecksums: xmlChecksums{ChecksumCRC32: "AAAAAQ=="}},
			},
		},
		"list_multipart_uploads": &listMultipartUploadsResult{
			Bucket: "bucket", NextKeyMarker: "my-movie.m2ts", NextUploadIDMarker: "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ",
			MaxUploads: 3, IsTruncated: true,
			Uploads: []xmlUpload{{
				Key: "my-divisor", UploadID: "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw", Initiator: goldenOwner, Owner: goldenOwner,
				StorageClass: "STANDARD", Initiated: isoTime(goldenTime),
			}},
		},
		"copy_object_result": &copyObjectResult{
			ETag: `"9b2cf535f27731c974343645a3985328"`, LastModified: isoTime(goldenTime),
			xmlChecksums: xmlChecksums{ChecksumCRC32: "AAAAAA=="},
		},
		"copy_part_result": &copyPartResult{ETag: `"b20b0f2f0b0e8c4a44fb8a4e6b0b0e2d"`, LastModified: isoTime(goldenTime)},
		"complete_multipart_upload": &completeMultipartUploadResult{
			Location: "http://127.0.0.1:9000/example-bucket/example-object", Bucket: "example-bucket", Key: "example-object",
			ETag: `"3858f62230ac3c915f300c664312c11f-9"`, ChecksumType: "COMPOSITE",
			xmlChecksums: xmlChecksums{ChecksumCRC32: "AAAAAA==-9"},
		},
		"delete_result": &deleteResult{
			Deleted: []xmlDeleted{{Key: "sample1.txt"}},
			Errors:  []xmlDeleteError{{Key: "sample2.txt", Code: "AccessDenied", Message: "Access Denied"}},
		},
		"access_control_policy":                    newAccessControlPolicy(goldenOwner, aclPrivate),
		"access_control_policy_public_read":        newAccessControlPolicy(goldenOwner, aclPublicRead),
		"access_control_policy_public_read_write":  newAccessControlPolicy(goldenOwner, aclPublicReadWrite),
		"access_control_policy_authenticated_read": newAccessControlPolicy(goldenOwner, aclAuthenticatedRead),
		"get_bucket_versioning_enabled":            &versioningConfiguration{Status: "Enabled"},
		"get_bucket_versioning_suspended":          &versioningConfiguration{Status: "Suspended"},
		"get_bucket_encryption": &encryptionConfiguration{Rules: []encryptionRule{{
			Default: &encryptionByDefault{SSEAlgorithm: "AES256"}, BucketKeyEnabled: true,
			Blocked: &blockedEncryptionTypes{EncryptionType: []string{"SSE-C"}},
		}}},
		"get_bucket_encryption_plain": &encryptionConfiguration{Rules: []encryptionRule{{Default: &encryptionByDefault{SSEAlgorithm: "AES256"}}}},
		"get_public_access_block": &publicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true,
			RestrictPublicBuckets: true},
		"get_bucket_policy_status":      &policyStatus{IsPublic: true},
		"get_bucket_ownership_controls": &ownershipControls{Rules: []ownershipRule{{ownershipEnforced}}},
		"delete_result_versions": &deleteResult{Deleted: []xmlDeleted{
			{Key: "a", VersionID: "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"},
			{Key: "b", DeleteMarker: true, DeleteMarkerVersionID: "null"},
			{Key: "c", VersionID: "UIORUnfndfhnw89493jJFJ", DeleteMarker: true, DeleteMarkerVersionID: "UIORUnfndfhnw89493jJFJ"},
		}},
	}
	for name, v := range docs {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := encodeXML(&buf, v); err != nil {
				t.Fatal(err)
			}
			golden(t, name, buf.Bytes())
		})
	}
}

// TestErrorGolden pins the <Error> documents, extra elements included.
func TestErrorGolden(t *testing.T) {
	rq := &request{bucket: "photos", key: "a/b<c>.jpg", query: map[string][]string{"uploadId": {"u1"}}}
	docs := map[string]error{
		"error_no_such_key":    objstore.ErrNoSuchKey,
		"error_no_such_upload": objstore.ErrNoSuchUpload,
		"error_invalid_range": newError(codeInvalidRange).with("RangeRequested", "bytes=10-").
			with("ActualObjectSize", "5"),
		"error_signature": &sigv4.SignatureMismatchError{
			AccessKey: "AKIAIOSFODNN7EXAMPLE", SignatureProvided: "ab12",
			StringToSign:     "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
			CanonicalRequest: "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD",
		},
		"error_internal":                    errors.New("disk on fire"),
		"error_malformed_policy":            newError(codeMalformedPolicy).withMessage(`Policy has invalid action: "s3:GetEverything"`),
		"error_no_such_bucket_policy":       newError(codeNoSuchBucketPolicy).with("BucketName", "photos"),
		"error_no_such_public_access_block": newError(codeNoSuchPublicAccessBlockConfiguration).with("BucketName", "photos"),
		"error_no_such_encryption":          newError(codeServerSideEncryptionConfigurationNotFoundError).with("BucketName", "photos"),
		"error_no_such_ownership":           newError(codeOwnershipControlsNotFoundError).with("BucketName", "photos"),
		"error_delete_marker": &objstore.DeleteMarkerError{Err: objstore.ErrDeleteMarker,
			Marker: objstore.ObjectInfo{Key: "a/b<c>.jpg", VersionID: "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY", DeleteMarker: true, LastModified: goldenTime}},
	}
	for name, err := range docs {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			writeErrorBody(&buf, toAPIError(err, rq), rq.resource(), "4442587FB7D0A2F9", "host-id")
			golden(t, name, buf.Bytes())
		})
	}
}
