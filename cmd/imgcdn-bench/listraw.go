package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// rawLister walks a bucket with hand-made, SigV4-signed ListObjectsV2 GETs whose bodies are
// read whole but not decoded as XML: it only counts <Key> elements and picks out
// NextContinuationToken. aws-sdk-go-v2 spends several times the server's CPU decoding a page of
// 1,000 keys, so the SDK walk measures mostly the client; this walk shows what the server
// itself sustains. Both figures are reported, each labelled.
type rawLister struct {
	http     *http.Client
	endpoint string // scheme://host[:port], no trailing slash
	creds    aws.Credentials
	signer   *v4.Signer
	buf      bytes.Buffer
}

// emptySHA256 is the hex SHA-256 of an empty body, the x-amz-content-sha256 of a GET.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func newRawLister(c Config, maxConns int) *rawLister {
	tr := &http.Transport{
		MaxIdleConns: maxConns, MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout: 90 * time.Second, DisableCompression: true,
	}
	return &rawLister{
		http:     &http.Client{Transport: tr},
		endpoint: strings.TrimRight(c.Endpoint, "/"),
		creds:    aws.Credentials{AccessKeyID: c.AccessKey, SecretAccessKey: c.SecretKey},
		signer:   v4.NewSigner(),
	}
}

// rawPage is what a raw walk needs from one page.
type rawPage struct {
	keys      int
	truncated bool
	next      string
}

// page fetches one page of up to 1,000 keys after the continuation token.
func (l *rawLister) page(ctx context.Context, bucket, token string) (rawPage, error) {
	q := url.Values{"list-type": {"2"}, "max-keys": {"1000"}}
	if token != "" {
		q.Set("continuation-token", token)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.endpoint+"/"+url.PathEscape(bucket)+"?"+q.Encode(), nil)
	if err != nil {
		return rawPage{}, err
	}
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	if err := l.signer.SignHTTP(ctx, l.creds, req, emptySHA256, "s3", "us-east-1", time.Now()); err != nil {
		return rawPage{}, err
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return rawPage{}, err
	}
	defer resp.Body.Close()
	l.buf.Reset()
	if _, err := l.buf.ReadFrom(resp.Body); err != nil {
		return rawPage{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return rawPage{}, fmt.Errorf("status %d: %.200s", resp.StatusCode, l.buf.Bytes())
	}
	return parseRawPage(l.buf.Bytes())
}

// parseRawPage scans a ListBucketResult without an XML decoder. It relies on what S3 (and
// every server this bench targets) sends: no attributes on these elements, and XML-escaped text.
func parseRawPage(body []byte) (rawPage, error) {
	p := rawPage{keys: bytes.Count(body, []byte("<Key>"))}
	if !bytes.Contains(body, []byte("<ListBucketResult")) {
		return p, fmt.Errorf("not a ListBucketResult: %.200s", body)
	}
	p.truncated = bytes.Contains(body, []byte("<IsTruncated>true</IsTruncated>"))
	if !p.truncated {
		return p, nil
	}
	const open, end = "<NextContinuationToken>", "</NextContinuationToken>"
	i := bytes.Index(body, []byte(open))
	j := bytes.Index(body, []byte(end))
	if i < 0 || j < i {
		return p, errors.New("truncated page without NextContinuationToken")
	}
	p.next = html.UnescapeString(string(body[i+len(open) : j]))
	return p, nil
}

// walk lists the whole bucket once, recording each page's latency, and returns the keys seen.
func (l *rawLister) walk(ctx context.Context, bucket string, pages *histogram, w *ListWalk) (int, error) {
	n, token := 0, ""
	for {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		t0 := time.Now()
		p, err := l.page(rctx, bucket, token)
		cancel()
		if err != nil {
			return n, fmt.Errorf("raw ListObjectsV2 after %d keys: %w", n, err)
		}
		pages.Record(time.Since(t0))
		w.Pages++
		w.KeysListed += p.keys
		n += p.keys
		if !p.truncated {
			return n, nil
		}
		if p.next == "" {
			return n, fmt.Errorf("truncated page without NextContinuationToken after %d keys", n)
		}
		token = p.next
	}
}
