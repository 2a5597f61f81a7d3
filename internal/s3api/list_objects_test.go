package s3api

import (
	"crypto/md5"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

type listDoc struct {
	Name, Prefix, Delimiter, EncodingType, StartAfter string
	Marker, NextMarker                                string
	ContinuationToken, NextContinuationToken          string
	KeyCount, MaxKeys                                 int
	IsTruncated                                       bool
	Contents                                          []struct {
		Key, LastModified, ETag, StorageClass string
		Size                                  int64
		Owner                                 *struct{ ID, DisplayName string }
	}
	CommonPrefixes []struct{ Prefix string }
}

func (e *testEnv) list(query string) listDoc {
	e.t.Helper()
	resp, body := e.do(http.MethodGet, "/bkt"+query, nil)
	mustStatus(e.t, resp, body, 200)
	var d listDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (d listDoc) keys() string {
	var s []string
	for _, c := range d.Contents {
		s = append(s, c.Key)
	}
	for _, p := range d.CommonPrefixes {
		s = append(s, p.Prefix+"(p)")
	}
	return strings.Join(s, ",")
}

func TestListObjectsV2(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	keys := []string{"a", "b/1", "b/2", "b/c/3", "d", "e f+g"}
	for _, k := range keys {
		e.seed("bkt", k, []byte(k), objstore.Metadata{})
	}
	d := e.list("?list-type=2")
	if d.keys() != "a,b/1,b/2,b/c/3,d,e f+g" || d.KeyCount != 6 || d.MaxKeys != 1000 || d.IsTruncated || d.Name != "bkt" {
		t.Fatalf("full listing %+v", d)
	}
	sum := md5.Sum([]byte("a"))
	if c := d.Contents[0]; c.Size != 1 || c.StorageClass != "STANDARD" || c.ETag != `"`+string(hexBytes(sum[:]))+`"` || c.Owner != nil {
		t.Errorf("entry %+v", c)
	}
	d = e.list("?list-type=2&delimiter=/")
	if d.keys() != "a,d,e f+g,b/(p)" || d.KeyCount != 4 {
		t.Errorf("delimiter listing %q", d.keys())
	}
	d = e.list("?list-type=2&delimiter=/&prefix=b/")
	if d.keys() != "b/1,b/2,b/c/(p)" || d.Prefix != "b/" {
		t.Errorf("prefix listing %q", d.keys())
	}
	d = e.list("?list-type=2&start-after=b/2")
	if d.keys() != "b/c/3,d,e f+g" || d.StartAfter != "b/2" {
		t.Errorf("start-after listing %q", d.keys())
	}
	d = e.list("?list-type=2&fetch-owner=true&max-keys=1")
	if len(d.Contents) != 1 || d.Contents[0].Owner == nil || d.Contents[0].Owner.ID != testOwner.CanonicalID {
		t.Errorf("fetch-owner %+v", d.Contents)
	}

	// Paging with continuation tokens visits every key once.
	var seen []string
	token := ""
	for pages := 0; ; pages++ {
		q := "?list-type=2&max-keys=2&delimiter=/"
		if token != "" {
			q += "&continuation-token=" + url.QueryEscape(token)
		}
		d = e.list(q)
		if token != "" && d.ContinuationToken != token {
			t.Errorf("ContinuationToken not echoed: %q", d.ContinuationToken)
		}
		seen = append(seen, d.keys())
		if !d.IsTruncated {
			break
		}
		if d.NextContinuationToken == "" || pages > 5 {
			t.Fatalf("truncated page without a usable token: %+v", d)
		}
		token = d.NextContinuationToken
	}
	if strings.Join(seen, ",") != "a,b/(p),d,e f+g" {
		t.Errorf("pages %q", seen)
	}

	// encoding-type=url encodes keys, prefixes and delimiters.
	d = e.list("?list-type=2&encoding-type=url&prefix=e%20&delimiter=%2B")
	if d.EncodingType != "url" || d.Prefix != "e%20" || d.Delimiter != "%2B" || d.keys() != "e%20f%2B(p)" {
		t.Errorf("encoded listing %+v", d)
	}
	d = e.list("?list-type=2&encoding-type=url")
	if d.Contents[5].Key != "e%20f%2Bg" {
		t.Errorf("encoded key %q", d.Contents[5].Key)
	}

	for _, q := range []string{"?list-type=2&max-keys=-1", "?list-type=2&max-keys=x", "?list-type=2&encoding-type=base64", "?list-type=2&continuation-token=%25%25"} {
		resp, body := e.do(http.MethodGet, "/bkt"+q, nil)
		mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	}
	d = e.list("?list-type=2&max-keys=5000")
	if d.MaxKeys != 1000 {
		t.Errorf("max-keys not clamped: %d", d.MaxKeys)
	}
	resp, body := e.do(http.MethodGet, "/nosuchbucket?list-type=2", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}

func TestListObjectsV1(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	for _, k := range []string{"a", "b/1", "b/2", "c"} {
		e.seed("bkt", k, nil, objstore.Metadata{})
	}
	d := e.list("?max-keys=2")
	if d.keys() != "a,b/1" || !d.IsTruncated || d.NextMarker != "" {
		t.Errorf("page 1 %+v", d)
	}
	if d.Contents[0].Owner == nil || d.Contents[0].Owner.DisplayName != "imgcdn" {
		t.Errorf("ListObjects v1 entries carry the owner: %+v", d.Contents[0])
	}
	d = e.list("?max-keys=2&marker=b/1")
	if d.keys() != "b/2,c" || d.IsTruncated || d.Marker != "b/1" {
		t.Errorf("page 2 %+v", d)
	}
	d = e.list("?max-keys=2&delimiter=/")
	if d.keys() != "a,b/(p)" || !d.IsTruncated || d.NextMarker != "b/" {
		t.Errorf("delimited page %+v", d)
	}
	d = e.list("?delimiter=/&marker=b/")
	if d.keys() != "c" {
		t.Errorf("after the prefix %q", d.keys())
	}
}

func hexBytes(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}

func TestDeleteObjects(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	for _, k := range []string{"a", "b", "c d"} {
		e.seed("bkt", k, []byte(k), objstore.Metadata{})
	}
	body := []byte(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>c d</Key></Object>` +
		`<Object><Key>missing</Key></Object><Object><Key></Key></Object></Delete>`)
	sum := md5.Sum(body)
	resp, out := e.do(http.MethodPost, "/bkt?delete", body, "Content-MD5", b64(sum[:]))
	mustStatus(t, resp, out, 200)
	var res struct {
		Deleted []struct{ Key string }
		Error   []struct{ Key, Code, Message string }
	}
	if err := xml.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 3 || res.Deleted[0].Key != "a" || res.Deleted[1].Key != "c d" || res.Deleted[2].Key != "missing" ||
		len(res.Error) != 1 || res.Error[0].Code != "InvalidArgument" {
		t.Fatalf("DeleteResult %s", out)
	}
	d := e.list("?list-type=2")
	if d.keys() != "b" {
		t.Errorf("left %q", d.keys())
	}

	// Quiet mode reports only failures; a CRC32 header is an accepted integrity check.
	quiet := []byte(`<Delete><Quiet>true</Quiet><Object><Key>b</Key></Object></Delete>`)
	resp, out = e.do(http.MethodPost, "/bkt?delete", quiet, "X-Amz-Checksum-Crc32", crc32b64(quiet))
	mustStatus(t, resp, out, 200)
	if strings.Contains(string(out), "<Deleted>") {
		t.Errorf("quiet answer lists deletions: %s", out)
	}

	// Refusals.
	resp, out = e.do(http.MethodPost, "/bkt?delete", quiet)
	mustError(t, resp, out, http.StatusBadRequest, "InvalidRequest") // no integrity header
	resp, out = e.do(http.MethodPost, "/bkt?delete", quiet, "Content-MD5", b64(sum[:]))
	mustError(t, resp, out, http.StatusBadRequest, "BadDigest")
	resp, out = e.do(http.MethodPost, "/bkt?delete", quiet, "X-Amz-Checksum-Crc32", crc32b64([]byte("x")))
	mustError(t, resp, out, http.StatusBadRequest, "BadDigest")
	bad := []byte(`<Delete><Object><Key>x</Key></Object>`)
	resp, out = e.do(http.MethodPost, "/bkt?delete", bad, "X-Amz-Checksum-Crc32", crc32b64(bad))
	mustError(t, resp, out, http.StatusBadRequest, "MalformedXML")
	none := []byte(`<Delete></Delete>`)
	resp, out = e.do(http.MethodPost, "/bkt?delete", none, "X-Amz-Checksum-Crc32", crc32b64(none))
	mustError(t, resp, out, http.StatusBadRequest, "MalformedXML")
	many := []byte("<Delete>" + strings.Repeat("<Object><Key>k</Key></Object>", 1001) + "</Delete>")
	resp, out = e.do(http.MethodPost, "/bkt?delete", many, "X-Amz-Checksum-Crc32", crc32b64(many))
	mustError(t, resp, out, http.StatusBadRequest, "MalformedXML")
	resp, out = e.do(http.MethodPost, "/nosuchbucket?delete", quiet, "X-Amz-Checksum-Crc32", crc32b64(quiet))
	mustError(t, resp, out, http.StatusNotFound, "NoSuchBucket")
}

func TestListObjectVersions(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	for _, k := range []string{"a", "b", "c/d"} {
		e.seed("bkt", k, []byte(k), objstore.Metadata{})
	}
	type versions struct {
		Version []struct {
			Key, VersionId string
			IsLatest       bool
			Size           int64
		}
		CommonPrefixes                     []struct{ Prefix string }
		IsTruncated                        bool
		NextKeyMarker, NextVersionIdMarker string
	}
	get := func(q string) versions {
		resp, body := e.do(http.MethodGet, "/bkt?versions"+q, nil)
		mustStatus(t, resp, body, 200)
		var v versions
		if err := xml.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	v := get("&max-keys=2")
	if len(v.Version) != 2 || v.Version[0].Key != "a" || v.Version[0].VersionId != "null" || !v.Version[0].IsLatest ||
		!v.IsTruncated || v.NextKeyMarker != "b" || v.NextVersionIdMarker != "null" {
		t.Fatalf("page 1 %+v", v)
	}
	v = get("&key-marker=b&version-id-marker=null&delimiter=/")
	if len(v.Version) != 0 || len(v.CommonPrefixes) != 1 || v.CommonPrefixes[0].Prefix != "c/" || v.IsTruncated {
		t.Errorf("page 2 %+v", v)
	}
	resp, body := e.do(http.MethodGet, "/bkt?versions&version-id-marker=null", nil)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
}

func TestExpectedBucketOwner(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodGet, "/bkt?list-type=2", nil, "X-Amz-Expected-Bucket-Owner", "999999999999")
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.do(http.MethodGet, "/bkt?list-type=2", nil, "X-Amz-Expected-Bucket-Owner", testOwner.AccountID)
	mustStatus(t, resp, body, http.StatusOK)
	e.put("bkt", "src", []byte("x"))
	resp, body = e.do(http.MethodPut, "/bkt/dst", nil, "X-Amz-Copy-Source", "bkt/src", "X-Amz-Source-Expected-Bucket-Owner", "999999999999")
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
}
