package s3api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// sdkClient is an aws-sdk-go-v2 S3 client for the server at url, path style, with the SDK's
// defaults otherwise (CRC32 request checksums, aws-chunked trailers over TLS).
func sdkClient(url, region, secret string, hc *http.Client) *s3.Client {
	return s3.New(s3.Options{
		Region:       region,
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, secret, ""),
		HTTPClient:   hc,
		// What config.LoadDefaultConfig resolves to: checksums on every upload that
		// supports them, and responses validated when they carry one.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestAWSSDK drives the Server with the real aws-sdk-go-v2 client, over plain HTTP (signed
// SHA-256 payloads) and over TLS (the SDK then streams bodies as aws-chunked with a CRC32
// trailer).
func TestAWSSDK(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := "http"
		if tls {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			url, hc := e.ts.URL, e.ts.Client()
			if tls {
				ts := httptest.NewTLSServer(e.srv)
				t.Cleanup(ts.Close)
				url, hc = ts.URL, ts.Client()
			}
			runSDKScenario(t, sdkClient(url, "us-east-1", testSecret, hc), sdkClient(url, "us-west-2", testSecret, hc), tls)
			_, err := sdkClient(url, "us-east-1", "wrong-secret", hc).ListBuckets(context.Background(), &s3.ListBucketsInput{})
			if apiCode(err) != "SignatureDoesNotMatch" {
				t.Errorf("wrong secret: %v", err)
			}
		})
	}
}

func runSDKScenario(t *testing.T, c, west *s3.Client, tls bool) {
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sdk-bucket")}))
	must(west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sdk-west"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintUsWest2}}))
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("sdk-west")})
	if err != nil || loc.LocationConstraint != types.BucketLocationConstraintUsWest2 {
		t.Fatalf("GetBucketLocation %+v %v", loc, err)
	}
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sdk-bad"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
	if apiCode(err) != "InvalidLocationConstraint" {
		t.Errorf("explicit us-east-1: %v", err)
	}
	_, err = west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sdk-west")})
	if apiCode(err) != "IllegalLocationConstraintException" {
		t.Errorf("no constraint from us-west-2: %v", err)
	}

	// PutObject with metadata; the SDK adds a CRC32 checksum.
	data := bytes.Repeat([]byte("imgcdn "), 1000)
	put, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("sdk-bucket"), Key: aws.String("dir/photo 1+.jpg"), Body: bytes.NewReader(data),
		ContentType: aws.String("image/jpeg"), CacheControl: aws.String("max-age=60"),
		Metadata: map[string]string{"camera": "leica"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if put.ChecksumCRC32 == nil || aws.ToString(put.ETag) == "" {
		t.Errorf("PutObject output %+v", put)
	}
	if tls {
		// An unseekable body: aws-chunked with a trailing checksum.
		must(c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String("sdk-bucket"), Key: aws.String("streamed"), Body: io.MultiReader(bytes.NewReader(data)),
			ContentLength: aws.Int64(int64(len(data))), ContentEncoding: aws.String("gzip"),
		}))
		// aws-chunked is the upload's framing, not the object's encoding.
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("streamed")})
		if err != nil || aws.ToString(h.ContentEncoding) != "gzip" || aws.ToInt64(h.ContentLength) != int64(len(data)) {
			t.Fatalf("streamed object: %+v %v", h, err)
		}
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("dir/photo 1+.jpg"),
		ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(got.Body) // the SDK validates the CRC32 while reading
	got.Body.Close()
	if err != nil || !bytes.Equal(body, data) || aws.ToString(got.ContentType) != "image/jpeg" || got.Metadata["camera"] != "leica" ||
		aws.ToString(got.ETag) != aws.ToString(put.ETag) {
		t.Fatalf("GetObject %v %+v", err, got)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("dir/photo 1+.jpg")})
	if err != nil || aws.ToInt64(head.ContentLength) != int64(len(data)) || aws.ToString(head.CacheControl) != "max-age=60" {
		t.Fatalf("HeadObject %+v %v", head, err)
	}
	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("dir/photo 1+.jpg"), Range: aws.String("bytes=7-13")})
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(rng.Body)
	rng.Body.Close()
	if string(part) != "imgcdn " || aws.ToString(rng.ContentRange) != "bytes 7-13/7000" {
		t.Errorf("range read %q %q", part, aws.ToString(rng.ContentRange))
	}

	// Copy, list with a paginator, delete many.
	must(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("copy"),
		CopySource: aws.String("sdk-bucket/dir/photo 1+.jpg")}))
	for _, k := range []string{"list/a", "list/b", "list/c", "list/d d"} {
		must(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String(k), Body: strings.NewReader(k)}))
	}
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("sdk-bucket"), Prefix: aws.String("list/"), MaxKeys: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	if strings.Join(keys, ",") != "list/a,list/b,list/c,list/d d" {
		t.Errorf("paginated keys %q", keys)
	}
	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("sdk-bucket"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("list/a")}, {Key: aws.String("list/b")}, {Key: aws.String("list/d d")}},
	}})
	if err != nil || len(del.Deleted) != 3 {
		t.Fatalf("DeleteObjects %+v %v", del, err)
	}

	// Multipart with CRC32 part checksums.
	mpu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("mpu"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	chunks := [][]byte{bytes.Repeat([]byte{1}, testMinPart), bytes.Repeat([]byte{2}, 100)}
	var done []types.CompletedPart
	for i, ch := range chunks {
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("mpu"), UploadId: mpu.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(ch), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatal(err)
		}
		done = append(done, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag, ChecksumCRC32: up.ChecksumCRC32})
	}
	parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("mpu"), UploadId: mpu.UploadId})
	if err != nil || len(parts.Parts) != 2 || aws.ToString(parts.Owner.ID) != testOwner.CanonicalID {
		t.Fatalf("ListParts %+v %v", parts, err)
	}
	comp, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("mpu"),
		UploadId: mpu.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
	if err != nil || !strings.HasSuffix(aws.ToString(comp.ETag), `-2"`) || !strings.HasSuffix(aws.ToString(comp.ChecksumCRC32), "-2") {
		t.Fatalf("CompleteMultipartUpload %+v %v", comp, err)
	}

	// Presigned GET, fetched with a plain HTTP client.
	ps, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("copy")},
		s3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(ps.Method, ps.URL, nil)
	resp, err := c.Options().HTTPClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pbody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(pbody, data) {
		t.Errorf("presigned GET: %d, %d bytes", resp.StatusCode, len(pbody))
	}

	// Typed errors.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("missing")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("missing key: %v", err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("missing")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("HEAD missing key: %v", err)
	}
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-bucket")})
	var nsb *types.NoSuchBucket
	if !errors.As(err, &nsb) {
		t.Errorf("missing bucket: %v", err)
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("sdk-bucket")})
	if apiCode(err) != "BucketNotEmpty" {
		t.Errorf("non-empty bucket: %v", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("copy"), Range: aws.String("bytes=99999-")})
	if apiCode(err) != "InvalidRange" {
		t.Errorf("bad range: %v", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("copy"), IfMatch: aws.String(`"nope"`)})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("If-Match: %v", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("copy"), Body: strings.NewReader("x"),
		IfNoneMatch: aws.String("*")})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("If-None-Match on PUT: %v", err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sdk-bucket"), Key: aws.String("mpu"), UploadId: mpu.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	if apiCode(err) != "NoSuchUpload" {
		t.Errorf("completed upload: %v", err)
	}
}
