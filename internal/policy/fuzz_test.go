package policy

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary documents to Parse. It must never panic; a document it accepts
// must keep its bytes, and evaluate every probe request the same way twice (Evaluate is a pure
// function of the policy and the request).
func FuzzParse(f *testing.F) {
	for _, ex := range docExamples {
		f.Add([]byte(ex.policy))
	}
	f.Add([]byte(stmt(okRest)))
	f.Add([]byte(`{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::doc-example-bucket/*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["${aws:username}*"]}}}}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"NotAction":"s3:Get*","NotResource":"arn:aws:s3:::doc-example-bucket/?/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030"},"IpAddress":{"aws:SourceIp":"::ffff:10.0.0.0/104"},"ArnLike":{"aws:SourceArn":"*"}}}]}`))
	f.Add([]byte(`{`))
	f.Add([]byte(`[]`))

	probes := []Request{
		{Principal: anon, Action: "s3:GetObject", Resource: obj("a/b")},
		{Principal: bob, Action: "s3:PutObject", Resource: obj("home/bob/x"), Context: ctx("aws:sourceip", "10.1.2.3", "aws:securetransport", "false", "s3:x-amz-server-side-encryption", "AES256")},
		{Principal: owner, Action: "s3:ListBucket", Resource: bucketARN, Context: ctx("s3:prefix", "home/", "aws:currenttime", "2026-01-01T00:00:00Z")},
		{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("i"), Context: ctx("aws:sourcearn", "arn:aws:cloudfront::111122223333:distribution/E1", "aws:tagkeys", "a")},
		{Principal: oai, Action: "S3:GETOBJECT", Resource: obj("")},
		{Principal: outsider, Action: "s3:SomethingNew", Resource: "arn:aws:s3:::other/x"},
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse(doc, testBucket)
		if err != nil {
			if _, ok := err.(*MalformedError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !bytes.Equal(p.JSON(), doc) {
			t.Fatalf("JSON() differs from the document")
		}
		public := p.IsPublic()
		for i := range probes {
			a, b := p.Evaluate(&probes[i]), p.Evaluate(&probes[i])
			if a != b || a < NoMatch || a > Deny {
				t.Fatalf("probe %d: %v then %v", i, a, b)
			}
		}
		if q, err := Parse(doc, testBucket); err != nil || q.IsPublic() != public {
			t.Fatalf("re-parse: %v, public %v vs %v", err, q != nil && q.IsPublic(), public)
		}
	})
}
