package policy

import (
	"strings"
	"testing"
)

const testBucket = "doc-example-bucket"

var (
	anon     = AnonymousPrincipal()
	owner    = RootPrincipal("111122223333")
	bob      = UserPrincipal("111122223333", "bob")
	alice    = UserPrincipal("111122223333", "alice")
	partner  = RootPrincipal("444455556666")
	outsider = UserPrincipal("999988887777", "eve")
	oai      = OAIPrincipal("EH1HDMB1FH2TC", "")
	cfSvc    = ServicePrincipal("cloudfront.amazonaws.com")
)

func mustParse(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(strings.ReplaceAll(doc, "DOC-EXAMPLE-BUCKET", testBucket)), testBucket)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return p
}

func obj(key string) string { return ObjectARN(testBucket, key) }

var bucketARN = BucketARN(testBucket)

func ctx(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

type evalCase struct {
	name string
	req  Request
	want Decision
}

// The policies below are the examples of the S3 user guide's "Bucket policy examples"
// (example-bucket-policies.html), CloudFront's "Restricting access to an Amazon S3 origin"
// (OAI and OAC) and the IAM user guide's NotPrincipal page, with DOC-EXAMPLE-BUCKET standing
// for the bucket.
var docExamples = []struct {
	name   string
	policy string
	cases  []evalCase
}{
	{
		name: "public read",
		policy: `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
			"Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"]}]}`,
		cases: []evalCase{
			{"anonymous get", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a/b.jpg")}, Allow},
			{"action case-insensitive", Request{Principal: anon, Action: "S3:getobject", Resource: obj("a")}, Allow},
			{"get version", Request{Principal: bob, Action: "s3:GetObjectVersion", Resource: obj("a")}, Allow},
			{"put not granted", Request{Principal: anon, Action: "s3:PutObject", Resource: obj("a")}, NoMatch},
			{"list not granted", Request{Principal: anon, Action: "s3:ListBucket", Resource: bucketARN}, NoMatch},
			{"other bucket", Request{Principal: anon, Action: "s3:GetObject", Resource: ObjectARN("other", "a")}, NoMatch},
			{"the bucket itself", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::" + testBucket}, NoMatch},
			{"key with spaces and unicode", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::" + testBucket + "/a b/é.jpg"}, Allow},
			{"resource is case-sensitive", Request{Principal: anon, Action: "s3:GetObject", Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a"}, NoMatch},
		},
	},
	{
		name: "multiple accounts with canned ACL condition",
		policy: `{"Version":"2012-10-17","Statement":[{"Sid":"AddCannedAcl","Effect":"Allow",
			"Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},
			"Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
			"Condition":{"StringEquals":{"s3:x-amz-acl":["public-read"]}}}]}`,
		cases: []evalCase{
			{"partner root with acl", Request{Principal: partner, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-acl", "public-read")}, Allow},
			{"user of a named account", Request{Principal: bob, Action: "s3:PutObjectAcl", Resource: obj("k"), Context: ctx("s3:x-amz-acl", "public-read")}, Allow},
			{"wrong acl", Request{Principal: partner, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-acl", "private")}, NoMatch},
			{"no acl header", Request{Principal: partner, Action: "s3:PutObject", Resource: obj("k")}, NoMatch},
			{"other account", Request{Principal: outsider, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-acl", "public-read")}, NoMatch},
			{"anonymous", Request{Principal: anon, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-acl", "public-read")}, NoMatch},
		},
	},
	{
		name: "deny outside an IP range",
		policy: `{"Version":"2012-10-17","Id":"S3PolicyId1","Statement":[{"Sid":"IPAllow","Effect":"Deny","Principal":"*",
			"Action":"s3:*","Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
			"Condition":{"NotIpAddress":{"aws:SourceIp":"54.240.143.0/24"}}}]}`,
		cases: []evalCase{
			{"inside", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("x"), Context: ctx("aws:sourceip", "54.240.143.7")}, NoMatch},
			{"outside", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("x"), Context: ctx("aws:sourceip", "54.240.144.7")}, Deny},
			{"outside, bucket op", Request{Principal: owner, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("aws:sourceip", "10.0.0.1")}, Deny},
			{"no source ip: negated operator holds", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("x")}, Deny},
		},
	},
	{
		name: "IPv4 and IPv6 mix",
		policy: `{"Id":"PolicyId2","Version":"2012-10-17","Statement":[{"Sid":"AllowIPmix","Effect":"Allow","Principal":"*",
			"Action":"s3:*","Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
			"Condition":{"IpAddress":{"aws:SourceIp":["54.240.143.0/24","2001:DB8:1234:5678::/64"]},
			"NotIpAddress":{"aws:SourceIp":["54.240.143.128/30","2001:DB8:1234:5678:ABCD::/80"]}}}]}`,
		cases: []evalCase{
			{"54.240.143.1", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "54.240.143.1")}, Allow},
			{"2001:DB8:1234:5678::1", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "2001:DB8:1234:5678::1")}, Allow},
			{"54.240.143.129 excluded", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "54.240.143.129")}, NoMatch},
			{"2001:DB8:1234:5678:ABCD::1 excluded", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "2001:DB8:1234:5678:ABCD::1")}, NoMatch},
			{"IPv4-mapped IPv6 client", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "::ffff:54.240.143.1")}, Allow},
			{"elsewhere", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:sourceip", "192.0.2.1")}, NoMatch},
		},
	},
	{
		name: "referer",
		policy: `{"Version":"2012-10-17","Id":"http referer policy example","Statement":[{"Sid":"Allow get requests originating from www.example.com and example.com.",
			"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
			"Condition":{"StringLike":{"aws:Referer":["http://www.example.com/*","http://example.com/*"]}}}]}`,
		cases: []evalCase{
			{"www", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("p.png"), Context: ctx("aws:referer", "http://www.example.com/gallery.html")}, Allow},
			{"apex", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("p.png"), Context: ctx("aws:referer", "http://example.com/")}, Allow},
			{"other site", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("p.png"), Context: ctx("aws:referer", "http://evil.example/")}, NoMatch},
			{"no referer", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("p.png")}, NoMatch},
		},
	},
	{
		name: "CloudFront OAI",
		policy: `{"Version":"2012-10-17","Id":"PolicyForCloudFrontPrivateContent","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity EH1HDMB1FH2TC"},
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"the OAI", Request{Principal: oai, Action: "s3:GetObject", Resource: obj("i.jpg")}, Allow},
			{"another OAI", Request{Principal: OAIPrincipal("E2OTHER", ""), Action: "s3:GetObject", Resource: obj("i.jpg")}, NoMatch},
			{"anonymous", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("i.jpg")}, NoMatch},
			{"the OAI may not list", Request{Principal: oai, Action: "s3:ListBucket", Resource: bucketARN}, NoMatch},
		},
	},
	{
		name: "CloudFront OAI by canonical user",
		policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"matching canonical id", Request{Principal: OAIPrincipal("E1", "79A59DF900B949E55D96A1E698FBACEDFD6E09D98EACF8F8D5218E7CD47EF2BE"), Action: "s3:GetObject", Resource: obj("i")}, Allow},
			{"no canonical id", Request{Principal: OAIPrincipal("E1", ""), Action: "s3:GetObject", Resource: obj("i")}, NoMatch},
		},
	},
	{
		name: "CloudFront OAC",
		policy: `{"Version":"2012-10-17","Statement":{"Sid":"AllowCloudFrontServicePrincipalReadOnly","Effect":"Allow",
			"Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
			"Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}}`,
		cases: []evalCase{
			{"the distribution", Request{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("i"), Context: ctx("aws:sourcearn", "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE")}, Allow},
			{"another distribution", Request{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("i"), Context: ctx("aws:sourcearn", "arn:aws:cloudfront::999988887777:distribution/EOTHER")}, NoMatch},
			{"no source arn", Request{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("i")}, NoMatch},
			{"not the service", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("i"), Context: ctx("aws:sourcearn", "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE")}, NoMatch},
		},
	},
	{
		name: "MFA required under a prefix",
		policy: `{"Version":"2012-10-17","Id":"123","Statement":[{"Sid":"","Effect":"Deny","Principal":"*","Action":"s3:*",
			"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/taxdocuments/*","Condition":{"Null":{"aws:MultiFactorAuthAge":true}}}]}`,
		cases: []evalCase{
			{"without MFA", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("taxdocuments/2024.pdf")}, Deny},
			{"with MFA", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("taxdocuments/2024.pdf"), Context: ctx("aws:multifactorauthage", "30")}, NoMatch},
			{"elsewhere", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("photos/a.jpg")}, NoMatch},
		},
	},
	{
		name: "deny non-TLS requests",
		policy: `{"Version":"2012-10-17","Statement":[{"Sid":"AllowSSLRequestsOnly","Action":"s3:*","Effect":"Deny",
			"Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
			"Condition":{"Bool":{"aws:SecureTransport":"false"}},"Principal":"*"},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"https", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:securetransport", "true")}, Allow},
			{"http", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a"), Context: ctx("aws:securetransport", "false")}, Deny},
			{"http, owner too", Request{Principal: owner, Action: "s3:PutBucketPolicy", Resource: bucketARN, Context: ctx("aws:securetransport", "false")}, Deny},
		},
	},
	{
		name: "deny unencrypted uploads",
		policy: `{"Version":"2012-10-17","Id":"PutObjectPolicy","Statement":[
			{"Sid":"DenyIncorrectEncryptionHeader","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
			 "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}},
			{"Sid":"DenyUnencryptedObjectUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
			 "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}},
			{"Sid":"Uploader","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"AES256", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-server-side-encryption", "AES256")}, Allow},
			{"aws:kms", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-server-side-encryption", "aws:kms")}, Deny},
			{"no header", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("k")}, Deny},
			{"alice is not granted", Request{Principal: alice, Action: "s3:PutObject", Resource: obj("k"), Context: ctx("s3:x-amz-server-side-encryption", "AES256")}, NoMatch},
		},
	},
	{
		name: "NotPrincipal deny",
		policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny",
			"NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:root"]},
			"Action":"s3:*","Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"]},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"bob is exempt", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("a")}, Allow},
			{"the account root is exempt", Request{Principal: owner, Action: "s3:GetObject", Resource: obj("a")}, Allow},
			{"alice is denied", Request{Principal: alice, Action: "s3:GetObject", Resource: obj("a")}, Deny},
			{"anonymous is denied", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a")}, Deny},
			{"services are denied", Request{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("a")}, Deny},
		},
	},
	{
		name: "NotPrincipal without the account ARN",
		policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny",
			"NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},
			"Action":"s3:*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`,
		cases: []evalCase{
			{"bob's account is not exempt, so bob is denied", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("a")}, Deny},
		},
	},
	{
		name: "home directories with policy variables",
		policy: `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET",
			 "Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},
			{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*",
			 "Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET/home/${aws:username}","arn:aws:s3:::DOC-EXAMPLE-BUCKET/home/${aws:username}/*"]}]}`,
		cases: []evalCase{
			{"own home", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("home/bob/notes.txt")}, Allow},
			{"someone else's home", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("home/alice/notes.txt")}, NoMatch},
			{"list own prefix", Request{Principal: alice, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("s3:prefix", "home/alice/docs/")}, Allow},
			{"list another prefix", Request{Principal: alice, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("s3:prefix", "home/bob/")}, NoMatch},
			{"root has no username: statement is invalid", Request{Principal: owner, Action: "s3:GetObject", Resource: obj("home/${aws:username}/x")}, NoMatch},
		},
	},
	{
		name: "NotAction and NotResource",
		policy: `{"Version":"2012-10-17","Statement":[
			{"Effect":"Deny","Principal":"*","NotAction":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"]},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/private/*"}]}`,
		cases: []evalCase{
			{"get public", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("pub/a")}, Allow},
			{"get private", Request{Principal: anon, Action: "s3:GetObject", Resource: obj("private/a")}, NoMatch},
			{"put anything denied", Request{Principal: owner, Action: "s3:PutObject", Resource: obj("pub/a")}, Deny},
			{"list not denied", Request{Principal: owner, Action: "s3:ListBucket", Resource: bucketARN}, NoMatch},
		},
	},
	{
		name: "wildcard actions and resources",
		policy: `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":["s3:Get*","s3:List*"],
			 "Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/images/*.jp?g"]}]}`,
		cases: []evalCase{
			{"get jpeg", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("images/a/b.jpeg")}, Allow},
			{"get png", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("images/a/b.png")}, NoMatch},
			{"jpg has no fifth character", Request{Principal: bob, Action: "s3:GetObject", Resource: obj("images/b.jpg")}, NoMatch},
			{"list versions", Request{Principal: bob, Action: "s3:ListBucketVersions", Resource: bucketARN}, Allow},
			{"get bucket policy", Request{Principal: bob, Action: "s3:GetBucketPolicy", Resource: bucketARN}, Allow},
			{"put", Request{Principal: bob, Action: "s3:PutObject", Resource: obj("images/b.jpeg")}, NoMatch},
			{"unknown action still matches the pattern", Request{Principal: bob, Action: "s3:GetSomethingNew", Resource: bucketARN}, Allow},
		},
	},
}

func TestEvaluateDocExamples(t *testing.T) {
	for _, ex := range docExamples {
		p := mustParse(t, ex.policy)
		for _, c := range ex.cases {
			t.Run(ex.name+"/"+c.name, func(t *testing.T) {
				if got := p.Evaluate(&c.req); got != c.want {
					t.Errorf("Evaluate(%+v) = %v, want %v", c.req, got, c.want)
				}
			})
		}
	}
}

func TestEvaluateDenyBeatsAllow(t *testing.T) {
	for _, order := range []string{
		`[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"},
		  {"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]`,
		`[{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"},
		  {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]`,
	} {
		p := mustParse(t, `{"Version":"2012-10-17","Statement":`+order+`}`)
		if got := p.Evaluate(&Request{Principal: owner, Action: "s3:DeleteObject", Resource: obj("k")}); got != Deny {
			t.Errorf("owner delete = %v, want Deny", got)
		}
		if got := p.Evaluate(&Request{Principal: outsider, Action: "s3:DeleteObject", Resource: obj("k")}); got != Allow {
			t.Errorf("outsider delete = %v, want Allow", got)
		}
	}
}

func TestEvaluateNil(t *testing.T) {
	var p *Policy
	if got := p.Evaluate(&Request{Principal: anon, Action: "s3:GetObject", Resource: obj("a")}); got != NoMatch {
		t.Errorf("nil policy: %v", got)
	}
	if p.IsPublic() || p.JSON() != nil {
		t.Error("nil policy must be empty and non-public")
	}
	q := mustParse(t, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}}`)
	if got := q.Evaluate(nil); got != NoMatch {
		t.Errorf("nil request: %v", got)
	}
}

func TestDecisionString(t *testing.T) {
	for d, want := range map[Decision]string{NoMatch: "NoMatch", Allow: "Allow", Deny: "Deny", Decision(7): "Decision(?)"} {
		if d.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(d), d.String(), want)
		}
	}
}
