package policy

import (
	"sort"
	"strings"
	"testing"
)

func TestMatchTokens(t *testing.T) {
	tests := []struct {
		pat, s string
		fold   bool
		want   bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"*", "anything/at/all", false, true},
		{"abc", "abc", false, true},
		{"abc", "abd", false, false},
		{"abc", "ABC", false, false},
		{"abc", "ABC", true, true},
		{"a*", "a", false, true},
		{"a*c", "abbbc", false, true},
		{"a*c", "abbbd", false, false},
		{"a*b*c", "aXbYc", false, true},
		{"a*b*c", "aXcYb", false, false},
		{"*.jpg", "x.jpg.png", false, false},
		{"*.jpg", "x.png.jpg", false, true},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"a?c", "aéc", false, true}, // '?' is one character, not one byte
		{"??", "é", false, false},
		{"*?", "", false, false},
		{"*a*a*a*a*a*b", strings.Repeat("a", 200), false, false},
		{"s3:get*", "s3:GetObject", true, true},
		{"s3:*object", "s3:PutObject", true, true},
		{"s3:*object", "s3:PutObjectAcl", true, false},
	}
	for _, tt := range tests {
		p := compilePattern(tt.pat, true, false)
		if got := matchTokens(p.toks, tt.s, tt.fold); got != tt.want {
			t.Errorf("match(%q, %q, fold=%v) = %v, want %v", tt.pat, tt.s, tt.fold, got, tt.want)
		}
	}
}

func TestCompilePatternVariables(t *testing.T) {
	p := compilePattern("home/${aws:UserName}/${*}${?}${$}/${s3:prefix, 'def'}x${unterminated", true, true)
	if !p.hasVars {
		t.Fatal("hasVars = false")
	}
	var kinds []string
	for _, tk := range p.toks {
		switch tk.kind {
		case tokLit:
			kinds = append(kinds, "lit:"+tk.s)
		case tokVar:
			v := "var:" + tk.s
			if tk.hasDef {
				v += "=" + tk.def
			}
			kinds = append(kinds, v)
		default:
			kinds = append(kinds, "wild")
		}
	}
	want := "lit:home/|var:aws:username|lit:/*?$/|var:s3:prefix=def|lit:x${unterminated"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("tokens = %s\nwant     %s", got, want)
	}
	if q := compilePattern("${aws:username}", true, false); q.hasVars || q.lit != "${aws:username}" {
		t.Errorf("variables off: %+v", q)
	}
	if q := compilePattern("a*b", false, false); q.hasWildcard() || q.lit != "a*b" {
		t.Errorf("wildcards off: %+v", q)
	}
}

func TestCanMatchWithPrefix(t *testing.T) {
	tests := []struct {
		pat, prefix string
		want        bool
	}{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::b", "arn:aws:s3:::b/", false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::c/*", "arn:aws:s3:::b/", false},
		{"arn:aws:s3:::?/x", "arn:aws:s3:::b/", true},
		{"*", "arn:aws:s3:::b/", true},
		{"arn:*:s3:::b/k", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::b/", "arn:aws:s3:::b/", true},
		{"arn:aws:s3:::bb/*", "arn:aws:s3:::b/", false},
	}
	for _, tt := range tests {
		p := compilePattern(tt.pat, true, false)
		if got := canMatchWithPrefix(p.toks, tt.prefix); got != tt.want {
			t.Errorf("canMatchWithPrefix(%q, %q) = %v, want %v", tt.pat, tt.prefix, got, tt.want)
		}
	}
}

func TestActionTable(t *testing.T) {
	if len(s3Actions) > len(actionBits{})*64 {
		t.Fatalf("%d actions do not fit the %d-bit set", len(s3Actions), len(actionBits{})*64)
	}
	names := make([]string, len(s3Actions))
	for i, a := range s3Actions {
		names[i] = a.name
	}
	if !sort.StringsAreSorted(names) {
		t.Error("s3Actions is not sorted by name")
	}
	// Every action the S3 layer maps an operation to must be known, with the right kind.
	want := map[string]resourceKind{
		"GetObject": onObject, "GetObjectVersion": onObject, "PutObject": onObject, "DeleteObject": onObject,
		"DeleteObjectVersion": onObject, "GetObjectAcl": onObject, "PutObjectAcl": onObject,
		"GetObjectVersionAcl": onObject, "PutObjectVersionAcl": onObject, "AbortMultipartUpload": onObject,
		"ListMultipartUploadParts": onObject, "GetObjectTagging": onObject, "PutObjectTagging": onObject,
		"DeleteObjectTagging": onObject, "GetObjectAttributes": onObject, "RestoreObject": onObject,
		"ListBucket": onBucket, "ListBucketVersions": onBucket, "ListBucketMultipartUploads": onBucket,
		"GetBucketLocation": onBucket, "CreateBucket": onBucket, "DeleteBucket": onBucket,
		"GetBucketPolicy": onBucket, "PutBucketPolicy": onBucket, "DeleteBucketPolicy": onBucket,
		"GetBucketPolicyStatus": onBucket, "GetBucketVersioning": onBucket, "PutBucketVersioning": onBucket,
		"GetEncryptionConfiguration": onBucket, "PutEncryptionConfiguration": onBucket,
		"GetBucketPublicAccessBlock": onBucket, "PutBucketPublicAccessBlock": onBucket,
		"GetBucketAcl": onBucket, "PutBucketAcl": onBucket, "GetBucketOwnershipControls": onBucket,
		"PutBucketOwnershipControls": onBucket, "GetBucketCORS": onBucket, "PutBucketCORS": onBucket,
		"ListAllMyBuckets": onOther,
	}
	for name, kind := range want {
		i := lookupAction("s3:" + name)
		if i < 0 {
			t.Errorf("s3:%s is not in the table", name)
			continue
		}
		if s3Actions[i].kind != kind {
			t.Errorf("s3:%s kind = %d, want %d", name, s3Actions[i].kind, kind)
		}
		if j := lookupAction(strings.ToUpper("s3:" + name)); j != i {
			t.Errorf("upper-case s3:%s -> %d, want %d", name, j, i)
		}
	}
	for _, bad := range []string{"s3:Nope", "", "GetObject", "s3:" + strings.Repeat("x", 100)} {
		if i := lookupAction(bad); i != -1 {
			t.Errorf("lookupAction(%q) = %d, want -1", bad, i)
		}
	}
}
