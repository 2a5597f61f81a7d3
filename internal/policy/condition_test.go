package policy

import (
	"fmt"
	"testing"
)

// condPolicy is an Allow-everyone GetObject statement guarded by one condition block.
func condPolicy(t *testing.T, block string) *Policy {
	t.Helper()
	return mustParse(t, fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*","Condition":%s}]}`, block))
}

// Each case is a condition block and the request contexts under which it holds or not, after
// reference_policies_elements_condition_operators.html and
// reference_policies_condition-logic-multiple-context-keys-or-values.html.
func TestConditionOperators(t *testing.T) {
	absent := map[string][]string{}
	tests := []struct {
		name  string
		block string
		ctx   map[string][]string
		want  bool
	}{
		// Strings.
		{"StringEquals hit", `{"StringEquals":{"aws:UserAgent":"curl/8"}}`, ctx("aws:useragent", "curl/8"), true},
		{"StringEquals is case-sensitive", `{"StringEquals":{"aws:UserAgent":"curl/8"}}`, ctx("aws:useragent", "CURL/8"), false},
		{"StringEquals takes * literally", `{"StringEquals":{"aws:UserAgent":"curl*"}}`, ctx("aws:useragent", "curl/8"), false},
		{"StringEquals absent", `{"StringEquals":{"aws:UserAgent":"curl/8"}}`, absent, false},
		{"StringEquals values are ORed", `{"StringEquals":{"aws:UserAgent":["a","b","c"]}}`, ctx("aws:useragent", "b"), true},
		{"StringNotEquals hit", `{"StringNotEquals":{"aws:UserAgent":"curl/8"}}`, ctx("aws:useragent", "wget"), true},
		{"StringNotEquals miss", `{"StringNotEquals":{"aws:UserAgent":"curl/8"}}`, ctx("aws:useragent", "curl/8"), false},
		{"StringNotEquals absent holds", `{"StringNotEquals":{"aws:UserAgent":"curl/8"}}`, absent, true},
		{"StringNotEquals values are NORed", `{"StringNotEquals":{"aws:UserAgent":["a","b"]}}`, ctx("aws:useragent", "b"), false},
		{"StringNotEquals none of the values", `{"StringNotEquals":{"aws:UserAgent":["a","b"]}}`, ctx("aws:useragent", "c"), true},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:UserAgent":"Curl/8"}}`, ctx("aws:useragent", "cURL/8"), true},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:UserAgent":"Curl/8"}}`, ctx("aws:useragent", "cURL/8"), false},
		{"StringLike star", `{"StringLike":{"s3:prefix":"photos/*"}}`, ctx("s3:prefix", "photos/2024/"), true},
		{"StringLike question mark", `{"StringLike":{"s3:prefix":"v?/"}}`, ctx("s3:prefix", "v2/"), true},
		{"StringLike question mark is one character", `{"StringLike":{"s3:prefix":"v?/"}}`, ctx("s3:prefix", "v22/"), false},
		{"StringLike empty value", `{"StringLike":{"s3:prefix":""}}`, ctx("s3:prefix", ""), true},
		{"StringNotLike", `{"StringNotLike":{"s3:prefix":"private/*"}}`, ctx("s3:prefix", "public/"), true},
		{"StringNotLike miss", `{"StringNotLike":{"s3:prefix":"private/*"}}`, ctx("s3:prefix", "private/x"), false},
		{"escaped star is literal", `{"StringLike":{"s3:prefix":"a${*}"}}`, ctx("s3:prefix", "a*"), true},
		{"escaped star does not wildcard", `{"StringLike":{"s3:prefix":"a${*}"}}`, ctx("s3:prefix", "abc"), false},
		{"keys are case-insensitive", `{"StringEquals":{"AWS:USERAGENT":"x"}}`, ctx("aws:useragent", "x"), true},
		{"operators are ANDed", `{"StringEquals":{"aws:UserAgent":"x"},"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:useragent", "x"), false},
		{"keys are ANDed", `{"StringEquals":{"aws:UserAgent":"x","aws:Referer":"r"}}`, ctx("aws:useragent", "x", "aws:referer", "r"), true},

		// IfExists and Null.
		{"IfExists absent", `{"StringEqualsIfExists":{"aws:UserAgent":"x"}}`, absent, true},
		{"IfExists present mismatch", `{"StringEqualsIfExists":{"aws:UserAgent":"x"}}`, ctx("aws:useragent", "y"), false},
		{"negated IfExists absent", `{"StringNotEqualsIfExists":{"aws:UserAgent":"x"}}`, absent, true},
		{"Null true absent", `{"Null":{"aws:UserAgent":"true"}}`, absent, true},
		{"Null true present", `{"Null":{"aws:UserAgent":"true"}}`, ctx("aws:useragent", "x"), false},
		{"Null false present", `{"Null":{"aws:UserAgent":false}}`, ctx("aws:useragent", "x"), true},
		{"Null false absent", `{"Null":{"aws:UserAgent":false}}`, absent, false},

		// Set qualifiers.
		{"ForAnyValue one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx("aws:tagkeys", "z", "aws:tagkeys", "b"), true},
		{"ForAnyValue none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx("aws:tagkeys", "z"), false},
		{"ForAnyValue absent", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, absent, false},
		{"ForAllValues all match", `{"ForAllValues:StringLike":{"aws:TagKeys":["a*","b"]}}`, ctx("aws:tagkeys", "ax", "aws:tagkeys", "b"), true},
		{"ForAllValues one does not", `{"ForAllValues:StringLike":{"aws:TagKeys":["a*","b"]}}`, ctx("aws:tagkeys", "ax", "aws:tagkeys", "c"), false},
		{"ForAllValues absent holds", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, absent, true},
		{"ForAnyValue negated: some value is none of the list", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}}`, ctx("aws:tagkeys", "Dept", "aws:tagkeys", "DataClass"), true},
		{"ForAnyValue negated: every value listed", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}}`, ctx("aws:tagkeys", "Owner", "aws:tagkeys", "DataClass"), false},
		{"ForAnyValue negated: absent", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass"]}}`, absent, false},
		{"ForAllValues negated: no value listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a"]}}`, ctx("aws:tagkeys", "b", "aws:tagkeys", "c"), true},
		{"ForAllValues negated: one listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a"]}}`, ctx("aws:tagkeys", "b", "aws:tagkeys", "a"), false},
		{"no qualifier, multi-valued key, negated", `{"StringNotEquals":{"aws:TagKeys":"a"}}`, ctx("aws:tagkeys", "b", "aws:tagkeys", "a"), false},

		// Numbers.
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10"), true},
		{"NumericLessThanEquals over", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, ctx("s3:max-keys", "11"), false},
		{"NumericLessThan", `{"NumericLessThan":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "9.5"), true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10"), false},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10"), true},
		{"NumericEquals decimal", `{"NumericEquals":{"s3:max-keys":"1.50"}}`, ctx("s3:max-keys", "1.5"), true},
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":"3"}}`, ctx("s3:max-keys", "4"), true},
		{"Numeric non-number request value", `{"NumericEquals":{"s3:max-keys":"3"}}`, ctx("s3:max-keys", "three"), false},

		// Dates.
		{"DateLessThan ISO", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx("aws:currenttime", "2029-12-31T23:59:59Z"), true},
		{"DateLessThan after", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx("aws:currenttime", "2030-01-01T00:00:00Z"), false},
		{"DateLessThanEquals same instant other zone", `{"DateLessThanEquals":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx("aws:currenttime", "2030-01-01T01:00:00+01:00"), true},
		{"DateGreaterThan date only", `{"DateGreaterThan":{"aws:CurrentTime":"2024-06-01"}}`, ctx("aws:currenttime", "2024-06-01T00:00:01Z"), true},
		{"DateGreaterThanEquals epoch policy value", `{"DateGreaterThanEquals":{"aws:EpochTime":"1700000000"}}`, ctx("aws:epochtime", "1700000000"), true},
		{"DateEquals epoch vs ISO", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, ctx("aws:currenttime", "1700000000"), true},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, ctx("aws:currenttime", "2023-11-14T22:13:21Z"), true},
		{"Date unparsable request value", `{"DateEquals":{"aws:CurrentTime":"2023-11-14"}}`, ctx("aws:currenttime", "yesterday"), false},

		// Bool, binary.
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:securetransport", "true"), true},
		{"Bool JSON boolean", `{"Bool":{"aws:SecureTransport":true}}`, ctx("aws:securetransport", "TRUE"), true},
		{"Bool false", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx("aws:securetransport", "true"), false},
		{"Bool absent", `{"Bool":{"aws:SecureTransport":"false"}}`, absent, false},
		{"BinaryEquals", `{"BinaryEquals":{"aws:UserAgent":"aGVsbG8="}}`, ctx("aws:useragent", "hello"), true},

		// Addresses.
		{"IpAddress bare address is /32", `{"IpAddress":{"aws:SourceIp":"203.0.113.9"}}`, ctx("aws:sourceip", "203.0.113.9"), true},
		{"IpAddress bare address neighbour", `{"IpAddress":{"aws:SourceIp":"203.0.113.9"}}`, ctx("aws:sourceip", "203.0.113.10"), false},
		{"IpAddress host bits cleared", `{"IpAddress":{"aws:SourceIp":"203.0.113.77/24"}}`, ctx("aws:sourceip", "203.0.113.1"), true},
		{"IpAddress v6", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx("aws:sourceip", "2001:db8:ffff::1"), true},
		{"IpAddress family mismatch", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, ctx("aws:sourceip", "203.0.113.1"), false},
		{"IpAddress garbage request value", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx("aws:sourceip", "not-an-ip"), false},
		{"NotIpAddress garbage request value", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx("aws:sourceip", "not-an-ip"), true},

		// ARNs.
		{"ArnLike", `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/*"}}`, ctx("aws:sourcearn", "arn:aws:cloudfront::111122223333:distribution/E1"), true},
		{"ArnEquals behaves like ArnLike", `{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::*:distribution/E1"}}`, ctx("aws:sourcearn", "arn:aws:cloudfront::111122223333:distribution/E1"), true},
		{"ArnLike star stays within a component", `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`,
			ctx("aws:sourcearn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), false},
		{"StringLike star spans components", `{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`,
			ctx("aws:sourcearn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true},
		{"ArnNotLike", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:*"}}`, ctx("aws:sourcearn", "arn:aws:cloudfront::999988887777:distribution/E1"), true},
		{"ArnLike lone star", `{"ArnLike":{"aws:SourceArn":"*"}}`, ctx("aws:sourcearn", "arn:aws:cloudfront::1:distribution/E1"), true},
		{"ArnLike not an ARN", `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::*:*"}}`, ctx("aws:sourcearn", "nonsense"), false},

		// Keys derived from the principal (the request is anonymous here).
		{"aws:PrincipalType of an anonymous caller", `{"StringEquals":{"aws:PrincipalType":"Anonymous"}}`, absent, true},
		{"aws:userid of an anonymous caller", `{"StringEquals":{"aws:userid":"anonymous"}}`, absent, true},
		{"aws:PrincipalArn absent for anonymous", `{"Null":{"aws:PrincipalArn":"true"}}`, absent, true},
		{"context overrides derived keys", `{"StringEquals":{"aws:PrincipalType":"User"}}`, ctx("aws:principaltype", "User"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := condPolicy(t, tt.block)
			want := NoMatch
			if tt.want {
				want = Allow
			}
			r := Request{Principal: anon, Action: "s3:GetObject", Resource: obj("k"), Context: tt.ctx}
			if got := p.Evaluate(&r); got != want {
				t.Errorf("condition %s with context %v: got %v, want %v", tt.block, tt.ctx, got, want)
			}
		})
	}
}

func TestDerivedPrincipalKeys(t *testing.T) {
	tests := []struct {
		p    Principal
		key  string
		want string
		ok   bool
	}{
		{bob, "aws:principalarn", "arn:aws:iam::111122223333:user/bob", true},
		{bob, "aws:principalaccount", "111122223333", true},
		{bob, "aws:username", "bob", true},
		{bob, "aws:principaltype", "User", true},
		{bob, "aws:userid", "", false},
		{UserPrincipal("111122223333", "team/carol"), "aws:username", "carol", true},
		{owner, "aws:principaltype", "Account", true},
		{owner, "aws:userid", "111122223333", true},
		{owner, "aws:username", "", false},
		{cfSvc, "aws:principalservicename", "cloudfront.amazonaws.com", true},
		{cfSvc, "aws:principalisawsservice", "true", true},
		{bob, "aws:principalisawsservice", "false", true},
		{cfSvc, "aws:principalaccount", "", false},
		{anon, "aws:principalarn", "", false},
		{anon, "aws:principaltype", "Anonymous", true},
		{oai, "aws:principalarn", "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity EH1HDMB1FH2TC", true},
		{bob, "aws:sourceip", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.p.derived(tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v derived(%s) = %q, %v; want %q, %v", tt.p, tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

// An unresolvable policy variable makes its statement invalid, even a Deny whose negated
// condition would otherwise hold (reference_policies_variables.html#principaltable).
func TestUnresolvedVariableVoidsStatement(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET",
		 "Condition":{"StringNotLike":{"s3:prefix":"home/${aws:username}/*"}}},
		{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}`)
	list := func(pr Principal, prefix string) Decision {
		return p.Evaluate(&Request{Principal: pr, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("s3:prefix", prefix)})
	}
	if got := list(bob, "home/bob/x"); got != Allow {
		t.Errorf("bob in his home: %v, want Allow", got)
	}
	if got := list(bob, "home/alice/"); got != Deny {
		t.Errorf("bob elsewhere: %v, want Deny", got)
	}
	if got := list(owner, "anything"); got != Allow {
		t.Errorf("root (no aws:username): %v, want Allow (the Deny is void)", got)
	}
	// The outcome does not depend on the order of the values: a value that needs the missing
	// variable voids the statement even when another value would match.
	for _, values := range []string{`["","home/${aws:username}/*"]`, `["home/${aws:username}/*",""]`} {
		v := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket",
			"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET","Condition":{"StringLike":{"s3:prefix":`+values+`}}}]}`)
		req := Request{Principal: anon, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("s3:prefix", "")}
		if got := v.Evaluate(&req); got != NoMatch {
			t.Errorf("values %s, anonymous: %v, want NoMatch", values, got)
		}
		req.Principal = bob
		if got := v.Evaluate(&req); got != Allow {
			t.Errorf("values %s, bob: %v, want Allow", values, got)
		}
	}
	// A default value resolves the variable.
	q := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/${aws:username, 'shared'}/*"}]}`)
	if got := q.Evaluate(&Request{Principal: owner, Action: "s3:GetObject", Resource: obj("shared/a")}); got != Allow {
		t.Errorf("default value: %v, want Allow", got)
	}
	// Version 2008-10-17 has no variables: the text is literal.
	r := mustParse(t, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/${aws:username}/*"}]}`)
	if got := r.Evaluate(&Request{Principal: bob, Action: "s3:GetObject", Resource: obj("bob/a")}); got != NoMatch {
		t.Errorf("2008 variable substituted: %v", got)
	}
	if got := r.Evaluate(&Request{Principal: bob, Action: "s3:GetObject", Resource: obj("${aws:username}/a")}); got != Allow {
		t.Errorf("2008 literal text: %v, want Allow", got)
	}
}
