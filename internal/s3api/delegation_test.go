package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/auth"
)

const (
	testDistARN  = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5"
	otherDistARN = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
	foreignARN   = "arn:aws:cloudfront::210987654321:distribution/EDFDVBD632BHDS5"
)

// delegationPolicy grants reads of oai/ to the seed's OAI, of oac/ to CloudFront for one
// distribution (AWS's recommended OAC policy), of acct/ to CloudFront for any distribution of
// the account, and of svc/ to CloudFront without a condition.
const delegationPolicy = `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ` + seedOAI + `"},
 "Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/oai/*"},
{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/oac/*",
 "Condition":{"StringEquals":{"AWS:SourceArn":"` + testDistARN + `"}}},
{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/acct/*",
 "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},
{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/svc/*"}]}`

// TestEdgeDelegation: an edge key acts as an OAI or, for origin access control, as
// CloudFront for a distribution, only when it signs the delegation header; every other use
// of the headers is AccessDenied with a message saying why.
func TestEdgeDelegation(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	for _, k := range []string{"oai/a", "oac/a", "acct/a", "svc/a"} {
		e.put("bkt", k, []byte(k))
	}
	e.putPolicy("bkt", delegationPolicy)

	const oaiH, arnH = auth.HeaderEdgeOAI, auth.HeaderSourceARN
	cases := []struct {
		name     string
		key      *keyPair // nil: anonymous
		path     string
		signed   []string // headers set before signing
		unsigned []string // headers added after signing
		want     int
		msg      string // in the error message
	}{
		{"edge as the OAI", &e.edge, "/bkt/oai/a", []string{oaiH, seedOAI}, nil, 200, ""},
		{"edge as another OAI", &e.edge, "/bkt/oai/a", []string{oaiH, "E2QWRUHAPOMQZL"}, nil, 403, ""},
		{"an OAI is not the service", &e.edge, "/bkt/svc/a", []string{oaiH, seedOAI}, nil, 403, ""},
		{"edge for the distribution", &e.edge, "/bkt/oac/a", []string{arnH, testDistARN}, nil, 200, ""},
		{"edge for another distribution", &e.edge, "/bkt/oac/a", []string{arnH, otherDistARN}, nil, 403, ""},
		{"aws:SourceAccount from the ARN", &e.edge, "/bkt/acct/a", []string{arnH, otherDistARN}, nil, 200, ""},
		{"aws:SourceAccount of another account", &e.edge, "/bkt/acct/a", []string{arnH, foreignARN}, nil, 403, ""},
		{"OAC fetch is still the service", &e.edge, "/bkt/svc/a", []string{arnH, testDistARN}, nil, 200, ""},
		{"OAC fetch is not the OAI", &e.edge, "/bkt/oai/a", []string{arnH, testDistARN}, nil, 403, ""},
		{"bare edge is the service", &e.edge, "/bkt/svc/a", nil, nil, 200, ""},
		{"bare edge has no SourceArn", &e.edge, "/bkt/oac/a", nil, nil, 403, ""},
		{"bare edge is no OAI", &e.edge, "/bkt/oai/a", nil, nil, 403, ""},
		{"OAI header on an OAI key", &e.oai, "/bkt/oai/a", []string{oaiH, seedOAI}, nil, 403, "edge key"},
		{"OAI header on a user key", &e.bob, "/bkt/oai/a", []string{oaiH, seedOAI}, nil, 403, "edge key"},
		{"OAI header on the root key", &e.root, "/bkt/oai/a", []string{oaiH, seedOAI}, nil, 403, "edge key"},
		{"source ARN on the service key", &e.cloudfront, "/bkt/oac/a", []string{arnH, testDistARN}, nil, 403, "edge key"},
		{"OAI header unsigned", nil, "/bkt/oai/a", nil, []string{oaiH, seedOAI}, 403, "edge key"},
		{"source ARN unsigned", nil, "/bkt/oac/a", nil, []string{arnH, testDistARN}, 403, "edge key"},
		{"OAI header outside SignedHeaders", &e.edge, "/bkt/oai/a", nil, []string{oaiH, seedOAI}, 403, "SignedHeaders"},
		{"source ARN outside SignedHeaders", &e.edge, "/bkt/oac/a", nil, []string{arnH, testDistARN}, 403, "not signed"},
		{"both headers", &e.edge, "/bkt/oai/a", []string{oaiH, seedOAI, arnH, testDistARN}, nil, 403, "not both"},
		{"malformed OAI id", &e.edge, "/bkt/oai/a", []string{oaiH, strings.ToLower(seedOAI)}, nil, 403, "origin access identity id"},
		{"empty OAI id", &e.edge, "/bkt/oai/a", []string{oaiH, ""}, nil, 403, "origin access identity id"},
		{"two OAI ids", &e.edge, "/bkt/oai/a", []string{oaiH, seedOAI, oaiH, seedOAI}, nil, 403, "origin access identity id"},
		{"malformed ARN", &e.edge, "/bkt/oac/a", []string{arnH, "arn:aws:s3:::bkt"}, nil, 403, "distribution ARN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.req(http.MethodGet, tc.path, nil)
			for i := 0; i+1 < len(tc.signed); i += 2 {
				r.Header.Add(tc.signed[i], tc.signed[i+1])
			}
			if tc.key != nil {
				r = e.signAs(r, nil, tc.key.accessKey, tc.key.secret)
			}
			for i := 0; i+1 < len(tc.unsigned); i += 2 {
				r.Header.Set(tc.unsigned[i], tc.unsigned[i+1])
			}
			resp, body := e.send(r)
			if resp.StatusCode != tc.want {
				t.Fatalf("GET %s: %d, want %d: %s", tc.path, resp.StatusCode, tc.want, body)
			}
			if tc.want == 200 && string(body) != strings.TrimPrefix(tc.path, "/bkt/") {
				t.Fatalf("body %q", body)
			}
			if tc.want == 403 {
				d := mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
				if !strings.Contains(d.Message, tc.msg) {
					t.Fatalf("message %q does not say %q", d.Message, tc.msg)
				}
			}
		})
	}
}

// TestEdgeDelegationPresigned: a presigned URL carries its SignedHeaders in the query; the
// OAI header counts as signed only when that list names it.
func TestEdgeDelegationPresigned(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "oai/a", []byte("x"))
	e.putPolicy("bkt", delegationPolicy)
	presign := func(withHeader bool) *http.Request {
		r := e.req(http.MethodGet, "/bkt/oai/a?X-Amz-Expires=300", nil)
		if withHeader {
			r.Header.Set(auth.HeaderEdgeOAI, seedOAI)
		}
		creds := aws.Credentials{AccessKeyID: e.edge.accessKey, SecretAccessKey: e.edge.secret}
		signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		u, _, err := signer.PresignHTTP(context.Background(), creds, r, "UNSIGNED-PAYLOAD", "s3", e.region, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		out := e.req(http.MethodGet, strings.TrimPrefix(u, e.ts.URL), nil)
		out.Header.Set(auth.HeaderEdgeOAI, seedOAI)
		return out
	}
	resp, body := e.send(presign(true))
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.send(presign(false))
	d := mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	if !strings.Contains(d.Message, "SignedHeaders") {
		t.Fatalf("message %q", d.Message)
	}
}

func TestAuthorizationParam(t *testing.T) {
	h := "AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date;x-imgcdn-oai,Signature=abc"
	for key, want := range map[string]string{
		"Credential": "AKID/20130524/us-east-1/s3/aws4_request", "SignedHeaders": "host;x-amz-date;x-imgcdn-oai",
		"Signature": "abc", "Missing": "",
	} {
		if got := authorizationParam(h, key); got != want {
			t.Errorf("authorizationParam(%s) = %q, want %q", key, got, want)
		}
	}
	if got := authorizationParam("garbage", "SignedHeaders"); got != "" {
		t.Errorf("no scheme: %q", got)
	}
}
