package s3api

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// parseCopySource decodes x-amz-copy-source: "[/]bucket/key[?versionId=id]", URL-encoded
// (CopyObject reference, "x-amz-copy-source"). The path part is percent-decoded exactly once;
// "+" is a literal plus, as in any URL path. Access point ARNs are not supported.
func parseCopySource(v string) (*CopySource, error) {
	bad := func(msg string) error { return invalidArgument(msg, "x-amz-copy-source", v) }
	if v == "" {
		return nil, bad("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	path, rawQuery, hasQuery := strings.Cut(v, "?")
	var version string
	if hasQuery {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return nil, bad("Invalid copy source encoding")
		}
		version = q.Get("versionId")
		if _, ok := q["versionId"]; !ok || version == "" {
			return nil, bad("Invalid copy source version id")
		}
	}
	decoded, err := url.PathUnescape(path)
	if err != nil || !utf8.ValidString(decoded) {
		return nil, bad("Invalid copy source encoding")
	}
	decoded = strings.TrimPrefix(decoded, "/")
	if strings.HasPrefix(decoded, "arn:") {
		return nil, notImplemented("Copying from an access point")
	}
	bucket, key, ok := strings.Cut(decoded, "/")
	if !ok || bucket == "" || key == "" {
		return nil, bad("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	if len(key) > objstore.MaxKeyLength {
		return nil, newError(codeKeyTooLongError).with("MaxSizeAllowed", itoa(objstore.MaxKeyLength)).with("Size", itoa(len(key)))
	}
	return &CopySource{Bucket: bucket, Key: key, VersionID: version}, nil
}
