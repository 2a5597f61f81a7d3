package policy

import "testing"

// benchPolicy is a realistic imgcdn bucket policy of five statements: TLS only, unencrypted
// uploads refused, CloudFront OAC and OAI reads, and an uploader restricted to an office range.
const benchPolicy = `{
  "Version": "2012-10-17",
  "Id": "imgcdn-images",
  "Statement": [
    {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "EncryptedUploadsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
     "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}},
    {"Sid": "OAC", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
     "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}},
    {"Sid": "OAI", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity EH1HDMB1FH2TC"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"},
    {"Sid": "Uploader", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"},
     "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/uploads/*"],
     "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}
  ]
}`

func benchRequests() []Request {
	return []Request{
		{Principal: cfSvc, Action: "s3:GetObject", Resource: obj("photos/2024/cat.jpg"), Context: map[string][]string{
			"aws:securetransport": {"true"},
			"aws:sourcearn":       {"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"},
			"aws:sourceip":        {"198.51.100.7"},
		}},
		{Principal: bob, Action: "s3:PutObject", Resource: obj("uploads/new.png"), Context: map[string][]string{
			"aws:securetransport":             {"true"},
			"aws:sourceip":                    {"203.0.113.20"},
			"s3:x-amz-server-side-encryption": {"AES256"},
		}},
		{Principal: anon, Action: "s3:GetObject", Resource: obj("photos/2024/cat.jpg"), Context: map[string][]string{
			"aws:securetransport": {"false"},
			"aws:sourceip":        {"192.0.2.1"},
		}},
	}
}

func TestBenchPolicyDecisions(t *testing.T) {
	p := mustParse(t, benchPolicy)
	reqs := benchRequests()
	for i, want := range []Decision{Allow, Allow, Deny} {
		if got := p.Evaluate(&reqs[i]); got != want {
			t.Errorf("request %d: %v, want %v", i, got, want)
		}
	}
	if p.IsPublic() {
		t.Error("bench policy must not be public")
	}
	if n := testing.AllocsPerRun(100, func() {
		for i := range reqs {
			p.Evaluate(&reqs[i])
		}
	}); n != 0 {
		t.Errorf("Evaluate allocates %.1f times per run, want 0", n)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	p := mustParse(b, benchPolicy)
	reqs := benchRequests()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Evaluate(&reqs[i%len(reqs)])
	}
}

func BenchmarkParse(b *testing.B) {
	doc := []byte(benchPolicy)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc, "DOC-EXAMPLE-BUCKET"); err != nil {
			b.Fatal(err)
		}
	}
}
