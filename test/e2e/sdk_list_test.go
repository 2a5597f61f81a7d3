package e2e

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var listKeys = []string{
	"alpha.txt", "beta/one.txt", "beta/two.txt", "beta/sub/three.txt", "beta/sub/four.txt",
	"delta", "delta/", "delta/five.txt", "echo/six.txt", "echo/seven.txt",
	"foxtrot one.txt", "golf+plus.txt", "hotel/ü😀.txt", "india/j/k/l.txt", "zulu.txt",
}

// listing is a flattened result: keys and common prefixes in the order S3 returned them.
type listing struct{ keys, prefixes []string }

// expectListing is the reference: S3's ListObjects semantics over a sorted key set.
func expectListing(keys []string, prefix, delim, after string) listing {
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	var l listing
	seen := map[string]bool{}
	for _, k := range sorted {
		if !strings.HasPrefix(k, prefix) || k <= after {
			continue
		}
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				if !seen[cp] {
					seen[cp] = true
					l.prefixes = append(l.prefixes, cp)
				}
				continue
			}
		}
		l.keys = append(l.keys, k)
	}
	return l
}

func (l listing) String() string {
	return "keys " + strings.Join(quoteAll(l.keys), ",") + " prefixes " + strings.Join(quoteAll(l.prefixes), ",")
}

func quoteAll(s []string) []string {
	var q []string
	for _, v := range s {
		q = append(q, `"`+v+`"`)
	}
	return q
}

// TestSDKListObjects checks ListObjectsV2 and ListObjects (v1) against the reference over 15
// keys: prefix, delimiter with CommonPrefixes, start-after, continuation paging at max-keys 2,
// encoding-type=url and fetch-owner.
func TestSDKListObjects(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "list")
	for _, k := range listKeys {
		mustPut(t, c, bucket, k, []byte("v:"+k))
	}

	cases := []struct{ prefix, delim, after string }{
		{"", "", ""},
		{"", "/", ""},
		{"beta/", "/", ""},
		{"beta/sub/", "/", ""},
		{"beta/", "", ""},
		{"", "", "delta"},
		{"", "/", "beta/two.txt"},
		{"delta", "/", ""},
		{"", "e", ""}, // a delimiter that is not "/"
		{"nomatch/", "/", ""},
		{"", "", "zzz"},
	}
	for _, tc := range cases {
		want := expectListing(listKeys, tc.prefix, tc.delim, tc.after)
		for _, maxKeys := range []int32{2, 1000} {
			var got listing
			var token *string
			for page := 0; ; page++ {
				in := &s3.ListObjectsV2Input{
					Bucket: aws.String(bucket), MaxKeys: aws.Int32(maxKeys), ContinuationToken: token,
				}
				if tc.prefix != "" {
					in.Prefix = aws.String(tc.prefix)
				}
				if tc.delim != "" {
					in.Delimiter = aws.String(tc.delim)
				}
				if tc.after != "" {
					in.StartAfter = aws.String(tc.after)
				}
				out, err := c.ListObjectsV2(ctx, in)
				if err != nil {
					t.Fatalf("ListObjectsV2 %+v max %d page %d: %v", tc, maxKeys, page, err)
				}
				n := len(out.Contents) + len(out.CommonPrefixes)
				if int(aws.ToInt32(out.KeyCount)) != n || n > int(maxKeys) {
					t.Errorf("ListObjectsV2 %+v page %d: KeyCount %d, %d entries, max-keys %d", tc, page, aws.ToInt32(out.KeyCount), n, maxKeys)
				}
				if aws.ToString(out.Prefix) != tc.prefix || aws.ToString(out.Delimiter) != tc.delim || aws.ToString(out.StartAfter) != tc.after || aws.ToInt32(out.MaxKeys) != maxKeys {
					t.Errorf("ListObjectsV2 %+v: echoed Prefix %q Delimiter %q StartAfter %q MaxKeys %d", tc, aws.ToString(out.Prefix), aws.ToString(out.Delimiter), aws.ToString(out.StartAfter), aws.ToInt32(out.MaxKeys))
				}
				if aws.ToString(out.ContinuationToken) != aws.ToString(token) {
					t.Errorf("ListObjectsV2 %+v: ContinuationToken echoed as %q, sent %q", tc, aws.ToString(out.ContinuationToken), aws.ToString(token))
				}
				for _, o := range out.Contents {
					got.keys = append(got.keys, aws.ToString(o.Key))
					if o.Owner != nil {
						t.Errorf("ListObjectsV2 without fetch-owner returned Owner %+v for %q", o.Owner, aws.ToString(o.Key))
					}
					if aws.ToString(o.ETag) != quotedMD5([]byte("v:"+aws.ToString(o.Key))) || aws.ToInt64(o.Size) != int64(len("v:"+aws.ToString(o.Key))) {
						t.Errorf("ListObjectsV2 %q: ETag %s Size %d", aws.ToString(o.Key), aws.ToString(o.ETag), aws.ToInt64(o.Size))
					}
					if o.LastModified == nil || o.StorageClass != types.ObjectStorageClassStandard {
						t.Errorf("ListObjectsV2 %q: LastModified %v StorageClass %q, want a time and STANDARD", aws.ToString(o.Key), o.LastModified, o.StorageClass)
					}
				}
				for _, p := range out.CommonPrefixes {
					got.prefixes = append(got.prefixes, aws.ToString(p.Prefix))
				}
				truncated := aws.ToBool(out.IsTruncated)
				if truncated != (out.NextContinuationToken != nil) {
					t.Errorf("ListObjectsV2 %+v page %d: IsTruncated %v with NextContinuationToken %v", tc, page, truncated, out.NextContinuationToken)
				}
				if !truncated {
					break
				}
				if page > 20 {
					t.Fatalf("ListObjectsV2 %+v: more than 20 pages of 2 over 15 keys: paging does not advance", tc)
				}
				token = out.NextContinuationToken
			}
			if got.String() != want.String() {
				t.Errorf("ListObjectsV2 prefix %q delimiter %q start-after %q max-keys %d:\n got %s\nwant %s", tc.prefix, tc.delim, tc.after, maxKeys, got, want)
			}
		}
	}

	t.Run("encoding-type url", func(t *testing.T) {
		for _, delim := range []string{"", "/"} {
			in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), EncodingType: types.EncodingTypeUrl}
			if delim != "" {
				in.Delimiter = aws.String(delim)
			}
			out, err := c.ListObjectsV2(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if out.EncodingType != types.EncodingTypeUrl {
				t.Errorf("EncodingType %q, want url", out.EncodingType)
			}
			decode := func(raw string) string {
				// A space may come back as "+" (botocore decodes with unquote_plus), so a
				// literal '+' must be escaped; decoding below catches a raw one.
				if strings.ContainsFunc(raw, func(r rune) bool { return r == ' ' || r > 127 }) {
					t.Errorf("encoding-type=url value %q still holds a raw space or non-ASCII", raw)
				}
				v, err := url.QueryUnescape(raw)
				if err != nil {
					t.Errorf("%q does not URL-decode: %v", raw, err)
				}
				return v
			}
			var got listing
			for _, o := range out.Contents {
				got.keys = append(got.keys, decode(aws.ToString(o.Key)))
			}
			for _, p := range out.CommonPrefixes {
				got.prefixes = append(got.prefixes, decode(aws.ToString(p.Prefix)))
			}
			if want := expectListing(listKeys, "", delim, ""); got.String() != want.String() {
				t.Errorf("delimiter %q, decoded listing:\n got %s\nwant %s", delim, got, want)
			}
		}
	})

	t.Run("bad continuation token", func(t *testing.T) {
		_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), ContinuationToken: aws.String("not a token we issued")})
		wantAPIError(t, "ListObjectsV2 with a forged continuation-token", err, "InvalidArgument", 400)
	})

	t.Run("fetch-owner", func(t *testing.T) {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), FetchOwner: aws.Bool(true), MaxKeys: aws.Int32(3)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Contents) != 3 {
			t.Fatalf("%d objects, want 3", len(out.Contents))
		}
		for _, o := range out.Contents {
			if o.Owner == nil || !canonicalUserID.MatchString(aws.ToString(o.Owner.ID)) || aws.ToString(o.Owner.DisplayName) == "" {
				t.Errorf("fetch-owner: %q Owner %+v, want a 64-hex ID and a display name", aws.ToString(o.Key), o.Owner)
			}
		}
	})

	t.Run("v1 marker", func(t *testing.T) {
		for _, tc := range []struct{ prefix, delim string }{{"", ""}, {"", "/"}, {"beta/", "/"}} {
			want := expectListing(listKeys, tc.prefix, tc.delim, "")
			var got listing
			marker := ""
			for page := 0; ; page++ {
				in := &s3.ListObjectsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(2), Marker: aws.String(marker)}
				if tc.prefix != "" {
					in.Prefix = aws.String(tc.prefix)
				}
				if tc.delim != "" {
					in.Delimiter = aws.String(tc.delim)
				}
				out, err := c.ListObjects(ctx, in)
				if err != nil {
					t.Fatalf("ListObjects %+v marker %q: %v", tc, marker, err)
				}
				if aws.ToString(out.Marker) != marker {
					t.Errorf("ListObjects: Marker echoed as %q, sent %q", aws.ToString(out.Marker), marker)
				}
				last := ""
				for _, o := range out.Contents {
					got.keys = append(got.keys, aws.ToString(o.Key))
					last = aws.ToString(o.Key)
					// ListObjects (v1) always reports the owner.
					if o.Owner == nil || !canonicalUserID.MatchString(aws.ToString(o.Owner.ID)) {
						t.Errorf("ListObjects v1 %q: Owner %+v, want the canonical user", last, o.Owner)
					}
				}
				for _, p := range out.CommonPrefixes {
					got.prefixes = append(got.prefixes, aws.ToString(p.Prefix))
					if aws.ToString(p.Prefix) > last {
						last = aws.ToString(p.Prefix)
					}
				}
				if !aws.ToBool(out.IsTruncated) {
					break
				}
				// The ListObjects reference: NextMarker is returned when a delimiter is
				// given; otherwise the client continues from the last key.
				if tc.delim != "" {
					if aws.ToString(out.NextMarker) != last {
						t.Errorf("ListObjects %+v: NextMarker %q, want %q", tc, aws.ToString(out.NextMarker), last)
					}
				}
				if page > 20 || last == "" {
					t.Fatalf("ListObjects %+v: paging does not advance", tc)
				}
				marker = last
			}
			if got.String() != want.String() {
				t.Errorf("ListObjects v1 %+v:\n got %s\nwant %s", tc, got, want)
			}
		}
	})
}
