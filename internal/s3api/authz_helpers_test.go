package s3api

import (
	"net/http"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore/disk"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// seedOAI is the origin access identity of the seed recipe (step 6.1).
const seedOAI = "ERTF9F3HTHDQ"

// keyPair is one access key pair of the test installation.
type keyPair struct{ accessKey, secret string }

// authzEnv is a testEnv whose keys come from a real auth.Keyring: the root pair, a user
// "bob" of the account, the seed's OAI, the CloudFront service principal and an edge key.
type authzEnv struct {
	*testEnv
	root, bob, oai, cloudfront, edge keyPair
}

// testMasterKey is an SSE-S3 master key for stores that encrypt.
func testMasterKey(t testing.TB) *crypt.MasterKey {
	t.Helper()
	key, err := crypt.MasterKeyFromBase64("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func newAuthzEnv(t testing.TB, mutate ...func(*Config)) *authzEnv {
	t.Helper()
	kf := auth.OpenKeyFile(t.TempDir())
	create := func(tmpl auth.Key) keyPair {
		k, err := kf.Create(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		return keyPair{k.AccessKeyID, k.SecretAccessKey}
	}
	env := &authzEnv{
		root:       keyPair{testAccessKey, testSecret},
		bob:        create(auth.Key{User: "bob"}),
		oai:        create(auth.Key{OAI: seedOAI}),
		cloudfront: create(auth.Key{Service: "cloudfront.amazonaws.com"}),
		edge:       create(auth.Key{Edge: true}),
	}
	account := auth.Account{ID: testOwner.AccountID, CanonicalID: testOwner.CanonicalID, DisplayName: testOwner.DisplayName}
	kr := auth.NewKeyring(account, auth.Key{AccessKeyID: testAccessKey, SecretAccessKey: testSecret}, kf, nil)
	mutate = append([]func(*Config){func(c *Config) {
		c.Verifier = &sigv4.Verifier{Secret: kr.Secret}
		c.Principals = kr
	}}, mutate...)
	env.testEnv = newTestEnvStore(t, func(c *disk.Config) { c.MasterKey = testMasterKey(t) }, mutate...)
	return env
}

// as sends a request signed by id.
func (e *authzEnv) as(id keyPair, method, path string, body []byte, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	r := e.req(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return e.send(e.signAs(r, body, id.accessKey, id.secret))
}

// anon sends an unsigned request.
func (e *testEnv) anon(method, path string, body []byte, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	r := e.req(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return e.send(r)
}

// putPolicy sets a bucket policy as root and fails the test unless it is accepted.
func (e *testEnv) putPolicy(bucket, doc string) {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, "/"+bucket+"?policy", []byte(doc))
	mustStatus(e.t, resp, body, http.StatusNoContent)
}

// putConfig sends a PUT of a bucket sub-resource document as root and wants 200.
func (e *testEnv) putConfig(bucket, sub, doc string) {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, "/"+bucket+"?"+sub, []byte(doc))
	mustStatus(e.t, resp, body, http.StatusOK)
}

const allBlocked = `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>
<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>
</PublicAccessBlockConfiguration>`
