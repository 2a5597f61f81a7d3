package s3api

import (
	"context"
	"crypto/md5"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/policy"
)

// opRequest is one request of every operation Classify returns, against bucket "bkt" and
// key "k", with a plausible body so that a handler that ran would change something.
type opRequest struct {
	method, target string
	header         []string
	body           string
}

var deleteBody = `<Delete><Object><Key>k</Key></Object></Delete>`

func everyOpRequests() map[Op]opRequest {
	return map[Op]opRequest{
		OpListBuckets:          {"GET", "/", nil, ""},
		OpCreateBucket:         {"PUT", "/new-bucket", nil, ""},
		OpHeadBucket:           {"HEAD", "/bkt", nil, ""},
		OpDeleteBucket:         {"DELETE", "/empty", nil, ""},
		OpGetBucketLocation:    {"GET", "/bkt?location", nil, ""},
		OpListObjects:          {"GET", "/bkt", nil, ""},
		OpListObjectsV2:        {"GET", "/bkt?list-type=2", nil, ""},
		OpListObjectVersions:   {"GET", "/bkt?versions", nil, ""},
		OpListMultipartUploads: {"GET", "/bkt?uploads", nil, ""},
		OpDeleteObjects:        {"POST", "/bkt?delete", []string{"Content-Md5", md5b64(deleteBody)}, deleteBody},
		OpPostObject:           {"POST", "/bkt", nil, ""},
		OpGetBucketVersioning:  {"GET", "/bkt?versioning", nil, ""},
		OpPutBucketVersioning:  {"PUT", "/bkt?versioning", nil, `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`},
		OpGetBucketAcl:         {"GET", "/bkt?acl", nil, ""},
		OpPutBucketAcl:         {"PUT", "/bkt?acl", []string{"X-Amz-Acl", "private"}, ""},
		OpGetBucketPolicy:      {"GET", "/bkt?policy", nil, ""},
		OpPutBucketPolicy: {"PUT", "/bkt?policy", nil, `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",` +
			`"Resource":"arn:aws:s3:::bkt/*"}]}`},
		OpDeleteBucketPolicy:                          {"DELETE", "/bkt?policy", nil, ""},
		OpGetBucketPolicyStatus:                       {"GET", "/bkt?policyStatus", nil, ""},
		OpGetBucketTagging:                            {"GET", "/bkt?tagging", nil, ""},
		OpPutBucketTagging:                            {"PUT", "/bkt?tagging", nil, ""},
		OpDeleteBucketTagging:                         {"DELETE", "/bkt?tagging", nil, ""},
		OpGetBucketEncryption:                         {"GET", "/bkt?encryption", nil, ""},
		OpPutBucketEncryption:                         {"PUT", "/bkt?encryption", nil, sseAES256},
		OpDeleteBucketEncryption:                      {"DELETE", "/bkt?encryption", nil, ""},
		OpGetBucketLifecycleConfiguration:             {"GET", "/bkt?lifecycle", nil, ""},
		OpPutBucketLifecycleConfiguration:             {"PUT", "/bkt?lifecycle", nil, ""},
		OpDeleteBucketLifecycle:                       {"DELETE", "/bkt?lifecycle", nil, ""},
		OpGetBucketCors:                               {"GET", "/bkt?cors", nil, ""},
		OpPutBucketCors:                               {"PUT", "/bkt?cors", nil, ""},
		OpDeleteBucketCors:                            {"DELETE", "/bkt?cors", nil, ""},
		OpGetBucketWebsite:                            {"GET", "/bkt?website", nil, ""},
		OpPutBucketWebsite:                            {"PUT", "/bkt?website", nil, ""},
		OpDeleteBucketWebsite:                         {"DELETE", "/bkt?website", nil, ""},
		OpGetPublicAccessBlock:                        {"GET", "/bkt?publicAccessBlock", nil, ""},
		OpPutPublicAccessBlock:                        {"PUT", "/bkt?publicAccessBlock", nil, allBlocked},
		OpDeletePublicAccessBlock:                     {"DELETE", "/bkt?publicAccessBlock", nil, ""},
		OpGetBucketOwnershipControls:                  {"GET", "/bkt?ownershipControls", nil, ""},
		OpPutBucketOwnershipControls:                  {"PUT", "/bkt?ownershipControls", nil, ownershipDoc("ObjectWriter")},
		OpDeleteBucketOwnershipControls:               {"DELETE", "/bkt?ownershipControls", nil, ""},
		OpGetBucketLogging:                            {"GET", "/bkt?logging", nil, ""},
		OpPutBucketLogging:                            {"PUT", "/bkt?logging", nil, ""},
		OpGetBucketNotificationConfiguration:          {"GET", "/bkt?notification", nil, ""},
		OpPutBucketNotificationConfiguration:          {"PUT", "/bkt?notification", nil, ""},
		OpGetBucketReplication:                        {"GET", "/bkt?replication", nil, ""},
		OpPutBucketReplication:                        {"PUT", "/bkt?replication", nil, ""},
		OpDeleteBucketReplication:                     {"DELETE", "/bkt?replication", nil, ""},
		OpGetObjectLockConfiguration:                  {"GET", "/bkt?object-lock", nil, ""},
		OpPutObjectLockConfiguration:                  {"PUT", "/bkt?object-lock", nil, ""},
		OpGetBucketAccelerateConfiguration:            {"GET", "/bkt?accelerate", nil, ""},
		OpPutBucketAccelerateConfiguration:            {"PUT", "/bkt?accelerate", nil, ""},
		OpGetBucketRequestPayment:                     {"GET", "/bkt?requestPayment", nil, ""},
		OpPutBucketRequestPayment:                     {"PUT", "/bkt?requestPayment", nil, ""},
		OpGetBucketAnalyticsConfiguration:             {"GET", "/bkt?analytics&id=a", nil, ""},
		OpPutBucketAnalyticsConfiguration:             {"PUT", "/bkt?analytics&id=a", nil, ""},
		OpDeleteBucketAnalyticsConfiguration:          {"DELETE", "/bkt?analytics&id=a", nil, ""},
		OpGetBucketInventoryConfiguration:             {"GET", "/bkt?inventory&id=a", nil, ""},
		OpPutBucketInventoryConfiguration:             {"PUT", "/bkt?inventory&id=a", nil, ""},
		OpDeleteBucketInventoryConfiguration:          {"DELETE", "/bkt?inventory&id=a", nil, ""},
		OpGetBucketMetricsConfiguration:               {"GET", "/bkt?metrics&id=a", nil, ""},
		OpPutBucketMetricsConfiguration:               {"PUT", "/bkt?metrics&id=a", nil, ""},
		OpDeleteBucketMetricsConfiguration:            {"DELETE", "/bkt?metrics&id=a", nil, ""},
		OpGetBucketIntelligentTieringConfiguration:    {"GET", "/bkt?intelligent-tiering&id=a", nil, ""},
		OpPutBucketIntelligentTieringConfiguration:    {"PUT", "/bkt?intelligent-tiering&id=a", nil, ""},
		OpDeleteBucketIntelligentTieringConfiguration: {"DELETE", "/bkt?intelligent-tiering&id=a", nil, ""},
		OpGetBucketMetadataConfiguration:              {"GET", "/bkt?metadataConfiguration", nil, ""},
		OpCreateBucketMetadataConfiguration:           {"POST", "/bkt?metadataConfiguration", nil, ""},
		OpDeleteBucketMetadataConfiguration:           {"DELETE", "/bkt?metadataConfiguration", nil, ""},
		OpUpdateBucketMetadataConfiguration:           {"PUT", "/bkt?metadataInventoryTable", nil, ""},
		OpGetBucketAbac:                               {"GET", "/bkt?abac", nil, ""},
		OpPutBucketAbac:                               {"PUT", "/bkt?abac", nil, ""},
		OpCreateSession:                               {"GET", "/bkt?session", nil, ""},
		OpGetObject:                                   {"GET", "/bkt/k", nil, ""},
		OpHeadObject:                                  {"HEAD", "/bkt/k", nil, ""},
		OpPutObject:                                   {"PUT", "/bkt/k", nil, "new data"},
		OpCopyObject:                                  {"PUT", "/bkt/copy", []string{"X-Amz-Copy-Source", "/bkt/k"}, ""},
		OpDeleteObject:                                {"DELETE", "/bkt/k", nil, ""},
		OpGetObjectAcl:                                {"GET", "/bkt/k?acl", nil, ""},
		OpPutObjectAcl:                                {"PUT", "/bkt/k?acl", []string{"X-Amz-Acl", "private"}, ""},
		OpGetObjectTagging:                            {"GET", "/bkt/k?tagging", nil, ""},
		OpPutObjectTagging:                            {"PUT", "/bkt/k?tagging", nil, ""},
		OpDeleteObjectTagging:                         {"DELETE", "/bkt/k?tagging", nil, ""},
		OpGetObjectRetention:                          {"GET", "/bkt/k?retention", nil, ""},
		OpPutObjectRetention:                          {"PUT", "/bkt/k?retention", nil, ""},
		OpGetObjectLegalHold:                          {"GET", "/bkt/k?legal-hold", nil, ""},
		OpPutObjectLegalHold:                          {"PUT", "/bkt/k?legal-hold", nil, ""},
		OpGetObjectAttributes:                         {"GET", "/bkt/k?attributes", nil, ""},
		OpGetObjectTorrent:                            {"GET", "/bkt/k?torrent", nil, ""},
		OpRestoreObject:                               {"POST", "/bkt/k?restore", nil, ""},
		OpSelectObjectContent:                         {"POST", "/bkt/k?select&select-type=2", nil, ""},
		OpRenameObject:                                {"PUT", "/bkt/k2?renameObject", nil, ""},
		OpUpdateObjectEncryption:                      {"PUT", "/bkt/k?encryption", nil, ""},
		OpCreateMultipartUpload:                       {"POST", "/bkt/mp?uploads", nil, ""},
		OpUploadPart:                                  {"PUT", "/bkt/mp?partNumber=1&uploadId=UPLOAD", nil, "part"},
		OpUploadPartCopy:                              {"PUT", "/bkt/mp?partNumber=2&uploadId=UPLOAD", []string{"X-Amz-Copy-Source", "/bkt/k"}, ""},
		OpCompleteMultipartUpload:                     {"POST", "/bkt/mp?uploadId=UPLOAD", nil, "<CompleteMultipartUpload/>"},
		OpAbortMultipartUpload:                        {"DELETE", "/bkt/mp?uploadId=UPLOAD", nil, ""},
		OpListParts:                                   {"GET", "/bkt/mp?uploadId=UPLOAD", nil, ""},
	}
}

func ownershipDoc(v string) string {
	return `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>` + v + `</ObjectOwnership></Rule></OwnershipControls>`
}

const sseAES256 = `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>` +
	`<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`

// storeSnapshot renders everything a request could change in the test store.
func storeSnapshot(t *testing.T, e *testEnv, uploadID string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	buckets, err := e.store.ListBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, bk := range buckets {
		fmt.Fprintf(&b, "bucket %s %s\n", bk.Name, bk.Versioning)
		for _, name := range configNames {
			v, _ := e.store.GetBucketConfig(ctx, bk.Name, name)
			fmt.Fprintf(&b, "  %s=%q\n", name, v)
		}
		vs, err := e.store.ListObjectVersions(ctx, bk.Name, objstore.ListVersionsInput{MaxKeys: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs.Versions {
			fmt.Fprintf(&b, "  %s %s %s %v %s %q\n", v.Key, v.VersionID, v.ETag, v.DeleteMarker, v.Encryption, v.ACL)
		}
		ups, err := e.store.ListMultipartUploads(ctx, bk.Name, objstore.ListUploadsInput{MaxUploads: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range ups.Uploads {
			fmt.Fprintf(&b, "  upload %s %s\n", u.Key, u.UploadID)
		}
	}
	parts, _, err := e.store.ListParts(ctx, "bkt", "mp", uploadID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "parts %d\n", len(parts))
	return b.String()
}

// walkFixture creates bucket bkt with object k and an upload of mp, and the empty bucket
// "empty"; it returns the upload id.
func walkFixture(t *testing.T, e *testEnv) string {
	e.createBucket("bkt")
	e.createBucket("empty")
	e.put("bkt", "k", []byte("data"))
	return e.createUpload("bkt", "mp")
}

// TestEveryOpIsAuthorized walks every operation Classify can return and proves that each one
// passes through the Authorizer, with its own Op and IAM action, before its handler runs:
// with an Authorizer that refuses everything, every request is answered 403 AccessDenied and
// the store is exactly as it was.
func TestEveryOpIsAuthorized(t *testing.T) {
	var mu sync.Mutex
	var seen []AuthzRequest
	e := newTestEnv(t, func(c *Config) {
		c.Authorizer = AuthorizerFunc(func(_ context.Context, req AuthzRequest) error {
			mu.Lock()
			seen = append(seen, req)
			mu.Unlock()
			return ErrAccessDenied
		})
	})
	// The fixture is made through the store: the API refuses everything.
	ctx := context.Background()
	for _, b := range []string{"bkt", "empty"} {
		if err := e.store.CreateBucket(ctx, objstore.Bucket{Name: b, Region: "us-east-1"}); err != nil {
			t.Fatal(err)
		}
	}
	e.seed("bkt", "k", []byte("data"), objstore.Metadata{})
	u, err := e.store.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "bkt", Key: "mp"})
	if err != nil {
		t.Fatal(err)
	}
	before := storeSnapshot(t, e, u.UploadID)

	reqs := everyOpRequests()
	for op := OpUnknown + 1; op < numOps; op++ {
		c, ok := reqs[op]
		if !ok {
			t.Errorf("%v: no request in everyOpRequests; add one", op)
			continue
		}
		target := strings.Replace(c.target, "UPLOAD", url.QueryEscape(u.UploadID), 1)
		seen = nil
		resp, body := e.do(c.method, target, []byte(c.body), c.header...)
		mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
		if len(seen) != 1 || seen[0].Op != op || seen[0].Action != op.Action() {
			t.Errorf("%v (%s %s): the Authorizer saw %+v", op, c.method, target, seen)
		}
	}
	if after := storeSnapshot(t, e, u.UploadID); after != before {
		t.Errorf("refused requests changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestNoRightsNoAccess walks every operation as a user of the account that no policy or ACL
// grants anything: every one is refused with AccessDenied before its handler, except
// DeleteObjects, which S3 authorizes key by key and answers 200 with a per-key AccessDenied.
// The store is unchanged.
func TestNoRightsNoAccess(t *testing.T) {
	e := newAuthzEnv(t)
	uploadID := walkFixture(t, e.testEnv)
	before := storeSnapshot(t, e.testEnv, uploadID)
	for op, c := range everyOpRequests() {
		target := strings.Replace(c.target, "UPLOAD", url.QueryEscape(uploadID), 1)
		resp, body := e.as(e.bob, c.method, target, []byte(c.body), c.header...)
		if op == OpDeleteObjects {
			mustStatus(t, resp, body, http.StatusOK)
			var d struct {
				Error []struct{ Key, Code string }
			}
			if err := xml.Unmarshal(body, &d); err != nil || len(d.Error) != 1 || d.Error[0].Code != "AccessDenied" {
				t.Errorf("DeleteObjects as bob: %s", body)
			}
			continue
		}
		mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	}
	if after := storeSnapshot(t, e.testEnv, uploadID); after != before {
		t.Errorf("refused requests changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestActionNames pins the IAM action of every operation to a name the policy language
// knows (a policy naming it parses), and the version-specific actions S3 checks when a
// request names a versionId.
func TestActionNames(t *testing.T) {
	for op := OpUnknown + 1; op < numOps; op++ {
		for _, a := range []string{ActionFor(op, ""), ActionFor(op, "v1")} {
			if strings.HasPrefix(a, "s3express:") {
				continue // directory-bucket actions; no general-purpose bucket policy names them
			}
			doc := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"` + a + `","NotResource":"arn:aws:s3:::bkt/none"}]}`
			if _, err := policy.Parse([]byte(doc), "bkt"); err != nil {
				t.Errorf("%v: action %q is not an S3 action: %v", op, a, err)
			}
		}
	}
	for _, tc := range []struct {
		op   Op
		want string
	}{
		{OpGetObject, "s3:GetObjectVersion"},
		{OpHeadObject, "s3:GetObjectVersion"},
		{OpDeleteObject, "s3:DeleteObjectVersion"},
		{OpDeleteObjects, "s3:DeleteObjectVersion"},
		{OpGetObjectAcl, "s3:GetObjectVersionAcl"},
		{OpPutObjectAcl, "s3:PutObjectVersionAcl"},
		{OpGetObjectTagging, "s3:GetObjectVersionTagging"},
		{OpPutObjectTagging, "s3:PutObjectVersionTagging"},
		{OpDeleteObjectTagging, "s3:DeleteObjectVersionTagging"},
		{OpGetObjectAttributes, "s3:GetObjectVersionAttributes"},
		{OpGetObjectTorrent, "s3:GetObjectVersionTorrent"},
		{OpPutObject, "s3:PutObject"},
		{OpRestoreObject, "s3:RestoreObject"},
	} {
		if got := ActionFor(tc.op, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"); got != tc.want {
			t.Errorf("ActionFor(%v, version) = %q, want %q", tc.op, got, tc.want)
		}
	}
}

func md5b64(s string) string {
	sum := md5.Sum([]byte(s))
	return b64(sum[:])
}
