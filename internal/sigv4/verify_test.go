package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var signTime = time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)

// sdkSigned returns a server-side request signed by aws-sdk-go-v2; prepare runs before signing.
func sdkSigned(t *testing.T, prepare func(r *http.Request)) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPut, "http://bucket.s3.localhost:9000/key?partNumber=1&uploadId=u", strings.NewReader("hello"))
	r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	r.Header.Set("X-Amz-Meta-A", "b")
	if prepare != nil {
		prepare(r)
	}
	err := awsv4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret},
		r, r.Header.Get("X-Amz-Content-Sha256"), "s3", rtRegion, signTime, func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sdkPresigned returns a server-side request for a URL presigned by aws-sdk-go-v2.
func sdkPresigned(t *testing.T, expires string, prepare func(r *http.Request)) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://localhost:9000/bucket/a%20b?X-Amz-Expires="+expires, nil)
	if prepare != nil {
		prepare(r)
	}
	payload := unsignedPayload
	if v := r.URL.Query().Get(qContentSHA256); v != "" {
		payload = v // S3 takes a presigned URL's payload hash from X-Amz-Content-Sha256
	}
	uri, _, err := awsv4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret},
		r, payload, "s3", rtRegion, signTime, func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewRequest(http.MethodGet, uri, nil)
}

func setAuth(f func(string) string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", f(r.Header.Get("Authorization"))) }
}

func setQuery(k, v string) func(*http.Request) {
	return func(r *http.Request) {
		q := r.URL.Query()
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		r.URL.RawQuery = q.Encode()
		r.RequestURI = r.URL.RequestURI()
	}
}

func TestVerifyErrors(t *testing.T) {
	cases := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		after   func(r *http.Request) // applied after signing
		now     time.Time
		want    error
		payload PayloadMode
	}{
		{name: "valid header auth", req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) }},
		{name: "signed sha256 payload", payload: PayloadSHA256, req: func(t *testing.T) *http.Request {
			return sdkSigned(t, func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hexSHA256("hello")) })
		}},
		{name: "clock 14 minutes behind", now: signTime.Add(14 * time.Minute), req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) }},
		{name: "clock 16 minutes behind", now: signTime.Add(16 * time.Minute), want: ErrRequestTimeTooSkewed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) }},
		{name: "clock 16 minutes ahead", now: signTime.Add(-16 * time.Minute), want: ErrRequestTimeTooSkewed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) }},
		{name: "both header and query", want: ErrMultipleAuthMechanisms, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setQuery(qAlgorithm, algorithmHMAC)},
		{name: "sigv4a", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, algorithmHMAC, algorithmECDSA, 1) })},
		{name: "sigv2 with a sigv4 date", want: ErrMissingDate, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(string) string { return "AWS " + rtAccessKey + ":c2lnbmF0dXJl" })},
		{name: "missing signature", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return s[:strings.Index(s, ", Signature=")] })},
		{name: "duplicate component", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return s + ", SignedHeaders=host" })},
		{name: "unknown component", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return s + ", Foo=bar" })},
		{name: "short credential", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, "/us-west-2/s3/", "/s3/", 1) })},
		{name: "credential terminal", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, "aws4_request", "aws5_request", 1) })},
		{name: "credential date mismatch", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, "/20240229/", "/20240228/", 1) })},
		{name: "host not signed", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, "host;", "", 1) })},
		{name: "signature not hex", want: ErrAuthorizationHeaderMalformed, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return s[:len(s)-1] + "g" })},
		{name: "no date", want: ErrMissingDate, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Header.Del("X-Amz-Date") }},
		{name: "bad date", want: ErrMissingDate, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2024-02-29T12:00:00Z") }},
		{name: "unknown access key", want: ErrInvalidAccessKeyID, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setAuth(func(s string) string { return strings.Replace(s, rtAccessKey, "AKIDUNKNOWN", 1) })},
		{name: "missing content sha256", want: ErrMissingContentSHA256, req: func(t *testing.T) *http.Request {
			return sdkSigned(t, func(r *http.Request) { r.Header.Del("X-Amz-Content-Sha256") })
		}},
		{name: "invalid content sha256", want: ErrInvalidContentSHA256, req: func(t *testing.T) *http.Request {
			return sdkSigned(t, func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "abc") })
		}},
		{name: "sigv4a streaming payload", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request {
			return sdkSigned(t, func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", streamingECDSA) })
		}},
		{name: "unsigned x-amz header", want: ErrHeadersNotSigned, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }},
		{name: "signed header changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Meta-A", "c") }},
		{name: "path changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.URL.Path, r.RequestURI = "/key2", "/key2?partNumber=1&uploadId=u" }},
		{name: "query changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: setQuery("partNumber", "2")},
		{name: "method changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Method = http.MethodDelete }},
		{name: "host changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Host = "other.s3.localhost:9000" }},
		{name: "payload hash changed", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkSigned(t, nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hexSHA256("hello")) }},

		{name: "valid presigned", payload: PayloadUnsigned, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) }},
		{name: "presigned signed payload", payload: PayloadSHA256, req: func(t *testing.T) *http.Request {
			return sdkPresigned(t, "3600", setQuery(qContentSHA256, hexSHA256("")))
		}},
		{name: "presigned max expiry", now: signTime.Add(7 * 24 * time.Hour), req: func(t *testing.T) *http.Request { return sdkPresigned(t, "604800", nil) }},
		{name: "presigned expired", now: signTime.Add(time.Hour + time.Second), want: ErrRequestExpired, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) }},
		{name: "presigned not yet valid", now: signTime.Add(-16 * time.Minute), want: ErrRequestNotYetValid, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) }},
		{name: "presigned slightly early", now: signTime.Add(-14 * time.Minute), req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) }},
		{name: "presigned expires too long", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "604801", nil) }},
		{name: "presigned expires zero", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "0", nil) }},
		{name: "presigned expires negative", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "-1", nil) }},
		{name: "presigned expires not a number", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "soon", nil) }},
		{name: "presigned expires missing", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qExpires, "")},
		{name: "presigned signature missing", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qSignature, "")},
		{name: "presigned bad date", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qDate, "20240229")},
		{name: "presigned credential date mismatch", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qDate, "20240301T120000Z")},
		{name: "presigned bad algorithm", want: ErrAuthorizationQueryParametersError, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qAlgorithm, "HMAC")},
		{name: "presigned sigv4a", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qAlgorithm, algorithmECDSA)},
		{name: "presigned unknown key", want: ErrInvalidAccessKeyID, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qCredential, "AKIDUNKNOWN/20240229/us-west-2/s3/aws4_request")},
		{name: "presigned extra parameter", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery("response-content-type", "text/html")},
		{name: "presigned longer expiry", want: ErrSignatureDoesNotMatch, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: setQuery(qExpires, "7200")},
		{name: "presigned unsigned x-amz header", want: ErrHeadersNotSigned, req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Evil", "1") }},
		{name: "presigned stray content sha256 header", req: func(t *testing.T) *http.Request { return sdkPresigned(t, "3600", nil) },
			after: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", unsignedPayload) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req(t)
			if c.after != nil {
				c.after(r)
			}
			now := c.now
			if now.IsZero() {
				now = signTime
			}
			a, err := verifierAt(now, rtAccessKey, rtSecret).Verify(r)
			if c.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if a.Anonymous || a.AccessKey != rtAccessKey || a.Region != rtRegion || a.Service != "s3" || a.Payload != c.payload || !a.Time.Equal(signTime) {
					t.Errorf("auth = %+v", a)
				}
				return
			}
			if !errors.Is(err, c.want) || a != nil {
				t.Fatalf("Verify = %v, %v; want %v", a, err, c.want)
			}
		})
	}
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestVerifyErrorDetails(t *testing.T) {
	v := verifierAt(signTime.Add(20*time.Minute), rtAccessKey, rtSecret)
	_, err := v.Verify(sdkSigned(t, nil))
	var skew *TimeSkewError
	if !errors.As(err, &skew) || !skew.RequestTime.Equal(signTime) || skew.MaxSkew != DefaultMaxSkew {
		t.Errorf("skew: %#v", err)
	}

	v = verifierAt(signTime.Add(2*time.Hour), rtAccessKey, rtSecret)
	_, err = v.Verify(sdkPresigned(t, "3600", nil))
	var expired *RequestExpiredError
	if !errors.As(err, &expired) || expired.ExpiresSeconds != 3600 || !expired.Expires.Equal(signTime.Add(time.Hour)) {
		t.Errorf("expired: %#v", err)
	}

	r := sdkSigned(t, nil)
	r.Header.Set("X-Amz-Acl", "x")
	r.Header.Set("X-Amz-Tagging", "y")
	_, err = verifierAt(signTime, rtAccessKey, rtSecret).Verify(r)
	var unsigned *UnsignedHeadersError
	if !errors.As(err, &unsigned) || !reflect.DeepEqual(unsigned.Headers, []string{"x-amz-acl", "x-amz-tagging"}) {
		t.Errorf("unsigned: %#v", err)
	}

	r = sdkSigned(t, nil)
	r.Header.Set("X-Amz-Meta-A", "tampered")
	_, err = verifierAt(signTime, rtAccessKey, rtSecret).Verify(r)
	var mismatch *SignatureMismatchError
	if !errors.As(err, &mismatch) || !strings.Contains(mismatch.CanonicalRequest, "x-amz-meta-a:tampered\n") ||
		!strings.HasPrefix(mismatch.StringToSign, "AWS4-HMAC-SHA256\n20240229T120000Z\n20240229/us-west-2/s3/aws4_request\n") ||
		mismatch.AccessKey != rtAccessKey || len(mismatch.SignatureProvided) != 64 || mismatch.Chunk {
		t.Errorf("mismatch: %#v", err)
	}
}

// TestVerifyDateHeader covers requests dated by Date alone (no X-Amz-Date), signed by hand
// per create-signed-request.html.
func TestVerifyDateHeader(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://localhost:9000/bucket/key", nil)
	r.Header.Set("Date", signTime.Format(http.TimeFormat))
	r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	creq := "GET\n/bucket/key\n\ndate:" + signTime.Format(http.TimeFormat) + "\nhost:localhost:9000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n\ndate;host;x-amz-content-sha256\nUNSIGNED-PAYLOAD"
	scope := "20240229/us-west-2/s3/aws4_request"
	sts := "AWS4-HMAC-SHA256\n20240229T120000Z\n" + scope + "\n" + hexSHA256(creq)
	key := signingKey(rtSecret, credential{date: "20240229", region: rtRegion, service: "s3"})
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(sts))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+rtAccessKey+"/"+scope+", SignedHeaders=date;host;x-amz-content-sha256, Signature="+hex.EncodeToString(m.Sum(nil)))
	if _, err := verifierAt(signTime, rtAccessKey, rtSecret).Verify(r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "date;host", "host", 1))
	if _, err := verifierAt(signTime, rtAccessKey, rtSecret).Verify(r); !errors.Is(err, ErrAuthorizationHeaderMalformed) {
		t.Fatalf("date not signed: %v", err)
	}
}

func TestVerifyAnonymous(t *testing.T) {
	v := verifierAt(signTime, rtAccessKey, rtSecret)
	for _, tc := range []struct {
		sha256, body string
		payload      PayloadMode
		bodyErr      error
		readErr      error
	}{
		{"", "x", PayloadUnsigned, nil, nil},
		{hexSHA256("x"), "x", PayloadSHA256, nil, nil},
		{hexSHA256("x"), "y", PayloadSHA256, nil, ErrContentSHA256Mismatch},
		{streamingUnsignedTrailer, "1\r\nx\r\n0\r\n\r\n", PayloadStreamingUnsignedTrailer, nil, nil},
		{streamingSigned, "", PayloadUnsigned, ErrMissingSecurityHeader, nil},
		{"nonsense", "", PayloadUnsigned, ErrInvalidContentSHA256, nil},
	} {
		r := httptest.NewRequest(http.MethodPut, "http://localhost/b/k?X-Amz-Signature=ignored", strings.NewReader(tc.body))
		if tc.sha256 != "" {
			r.Header.Set("X-Amz-Content-Sha256", tc.sha256)
		}
		a, err := v.Verify(r)
		if err != nil || !a.Anonymous || a.Payload != tc.payload {
			t.Fatalf("%q: Verify = %+v, %v", tc.sha256, a, err)
		}
		b, err := a.Body(r)
		if !errors.Is(err, tc.bodyErr) {
			t.Fatalf("%q: Body err = %v", tc.sha256, err)
		}
		if err != nil {
			continue
		}
		got, err := io.ReadAll(b)
		if !errors.Is(err, tc.readErr) || (tc.readErr == nil && string(got) != "x") {
			t.Errorf("%q: read %q, %v", tc.sha256, got, err)
		}
	}
}

func TestService(t *testing.T) {
	for _, tc := range []struct {
		auth, query, want string
	}{
		{"", "", ""},
		{"AWS4-HMAC-SHA256 Credential=AK/20240229/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x", "", "s3"},
		{"AWS4-HMAC-SHA256 Credential=AK/20240229/us-east-1/cloudfront/aws4_request,SignedHeaders=host,Signature=x", "", "cloudfront"},
		{"AWS4-HMAC-SHA256 Credential=AK/20240229/s3/aws4_request", "", ""},
		{"AWS AK:sig", "", ""},
		{"", "X-Amz-Credential=" + url.QueryEscape("AK/20240229/us-east-1/s3/aws4_request"), "s3"},
		{"", "X-Amz-Credential=AK%2F20240229%2Fus-east-1%2Fcloudfront%2Faws4_request&X-Amz-Algorithm=AWS4-HMAC-SHA256", "cloudfront"},
		{"", "X-Amz-Credential=garbage", ""},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://localhost/?"+tc.query, nil)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if got := Service(r); got != tc.want {
			t.Errorf("Service(auth %q, query %q) = %q, want %q", tc.auth, tc.query, got, tc.want)
		}
	}
}

func TestVerifierValidate(t *testing.T) {
	if err := (&Verifier{}).Validate(); err == nil {
		t.Error("nil Secret accepted")
	}
	if err := (&Verifier{Secret: func(string) (string, bool) { return "", false }, MaxSkew: -1}).Validate(); err == nil {
		t.Error("negative MaxSkew accepted")
	}
	if err := (&Verifier{Secret: func(string) (string, bool) { return "", false }}).Validate(); err != nil {
		t.Error(err)
	}
	if _, err := (&Verifier{}).Verify(httptest.NewRequest(http.MethodGet, "/", nil)); err == nil {
		t.Error("Verify without Secret succeeded")
	}
}
