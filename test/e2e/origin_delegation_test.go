package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// TestOriginDelegation drives a real imgcdn with internal/origin's Fetcher the way an edge
// does: a bucket whose policy admits only an origin access identity and, under oac/, only
// CloudFront fetching for one distribution. The edge key (imgcdn keys create --edge) gets the
// objects as the OAI or for the right distribution, and nothing else gets them: anonymous
// readers, a user key naming the OAI, a fetch for another distribution or another OAI.
func TestOriginDelegation(t *testing.T) {
	srv := startServer(t, t.TempDir())
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "origin")
	const (
		oai       = "E3EDGEORIGINOAI"
		distARN   = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5"
		otherDist = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
	)
	img := randBytes(7, 200<<10)
	mustPut(t, c, bucket, "img/a b.jpg", img)
	mustPut(t, c, bucket, "oac/b.jpg", []byte("oac object"))
	policy := `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"AWS":"` + auth.OAIARN(oai) + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/img/*"},
{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/oac/*",
 "Condition":{"StringEquals":{"AWS:SourceArn":"` + distARN + `"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy: %v", err)
	}

	edgeAK, edgeSK := createKey(t, srv, "--edge")
	f, err := origin.New(origin.Config{
		EdgeKey: auth.Key{AccessKeyID: edgeAK, SecretAccessKey: edgeSK}, Region: testRegion,
		LocalS3: &url.URL{Scheme: "http", Host: srv.api},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s3Origin := func(oaiID, oacID string) distrib.Origin {
		o := distrib.Origin{ID: "o", DomainName: bucket + ".s3.us-east-1.amazonaws.com", S3: &distrib.S3Origin{}, OriginAccessControlID: oacID}
		if oaiID != "" {
			o.S3.OriginAccessIdentity = distrib.OAIPathPrefix + oaiID
		}
		return o
	}
	fetch := func(what string, o distrib.Origin, arn string, oac *distrib.OAC, path string) (int, []byte) {
		t.Helper()
		tg, err := origin.TargetFor(o, arn, oac)
		if err != nil {
			t.Fatalf("%s: TargetFor: %v", what, err)
		}
		resp, err := f.Fetch(ctx, tg, http.MethodGet, path, "", http.Header{"X-Amz-Cf-Id": {"e2e-cf-id"}}, nil)
		if err != nil {
			t.Fatalf("%s: Fetch: %v", what, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s: reading: %v", what, err)
		}
		return resp.StatusCode, b
	}

	status, body := fetch("as the OAI", s3Origin(oai, ""), distARN, nil, "/img/a b.jpg")
	if status != http.StatusOK || !bytes.Equal(body, img) {
		t.Errorf("Fetch as the OAI: %d, %d bytes; want 200 and the %d bytes stored", status, len(body), len(img))
	}
	if status, body = fetch("as another OAI", s3Origin("E9OTHEROAI", ""), distARN, nil, "/img/a b.jpg"); status != http.StatusForbidden {
		t.Errorf("Fetch as another OAI: %d %s, want 403", status, truncate(body))
	}
	if status, body = fetch("bare edge key", s3Origin("", ""), distARN, nil, "/img/a b.jpg"); status != http.StatusForbidden {
		t.Errorf("Fetch without OAI or OAC: %d %s, want 403", status, truncate(body))
	}
	oac := &distrib.OAC{ID: "E1OAC", Config: distrib.OACConfig{Name: "oac", SigningBehavior: "always", SigningProtocol: "sigv4", OriginType: "s3"}}
	if status, body = fetch("OAC for the distribution", s3Origin("", oac.ID), distARN, oac, "/oac/b.jpg"); status != http.StatusOK || string(body) != "oac object" {
		t.Errorf("Fetch with OAC for the distribution: %d %s, want 200", status, truncate(body))
	}
	if status, body = fetch("OAC for another distribution", s3Origin("", oac.ID), otherDist, oac, "/oac/b.jpg"); status != http.StatusForbidden {
		t.Errorf("Fetch with OAC for another distribution: %d %s, want 403", status, truncate(body))
	}
	if status, body = fetch("OAC is not the OAI", s3Origin("", oac.ID), distARN, oac, "/img/a b.jpg"); status != http.StatusForbidden {
		t.Errorf("Fetch with OAC under img/: %d %s, want 403", status, truncate(body))
	}

	// A direct anonymous read of the origin is refused.
	objURL := srv.endpoint() + "/" + bucket + "/img/a%20b.jpg"
	resp, body := do(t, http.DefaultClient, mustRequest(t, objURL))
	wantXMLError(t, "anonymous GET", resp, body, http.StatusForbidden, "AccessDenied")

	// A user key (or an OAI key) that names the OAI in a signed header is refused: only edge
	// keys delegate.
	bobAK, bobSK := createKey(t, srv, "--name", "bob")
	oaiAK, oaiSK := createKey(t, srv, "--oai", oai)
	for _, k := range []struct{ who, ak, sk string }{{"user", bobAK, bobSK}, {"OAI key", oaiAK, oaiSK}} {
		req := mustRequest(t, objURL)
		req.Header.Set(auth.HeaderEdgeOAI, oai)
		signV4(t, req, k.ak, k.sk)
		resp, body := do(t, http.DefaultClient, req)
		e := wantXMLError(t, k.who+" with x-imgcdn-oai", resp, body, http.StatusForbidden, "AccessDenied")
		if !strings.Contains(e.Message, "edge key") {
			t.Errorf("%s with x-imgcdn-oai: message %q does not say only edge keys delegate", k.who, e.Message)
		}
	}
	// The OAI key itself, without the header, reads as the OAI.
	req := mustRequest(t, objURL)
	signV4(t, req, oaiAK, oaiSK)
	if resp, body := do(t, http.DefaultClient, req); resp.StatusCode != http.StatusOK || !bytes.Equal(body, img) {
		t.Errorf("OAI key GET: %s, %d bytes", resp.Status, len(body))
	}

	// A viewer cannot choose the identity: an x-imgcdn-oai it sends is dropped by the
	// fetcher, so a bare target stays unprivileged.
	tg, _ := origin.TargetFor(s3Origin("", ""), distARN, nil)
	r, err := f.Fetch(ctx, tg, http.MethodGet, "/img/a b.jpg", "", http.Header{auth.HeaderEdgeOAI: {oai}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer-sent x-imgcdn-oai: %s, want 403", r.Status)
	}
	if _, err := origin.TargetFor(s3Origin(oai, oac.ID), distARN, oac); !errors.Is(err, origin.ErrInvalidTarget) {
		t.Errorf("OAI and OAC on one origin: %v, want ErrInvalidTarget", err)
	}
}

func mustRequest(t testing.TB, rawURL string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// signV4 signs req for S3 with an empty payload; the SDK signer signs every header set.
func signV4(t testing.TB, req *http.Request, access, secret string) {
	t.Helper()
	hash := sha256Hex(nil)
	req.Header.Set("X-Amz-Content-Sha256", hash)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), aws.Credentials{AccessKeyID: access, SecretAccessKey: secret}, req, hash, "s3", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
}
