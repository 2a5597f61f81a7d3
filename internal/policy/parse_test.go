package policy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// stmt wraps statement members in a 2012-10-17 document.
func stmt(members string) string {
	return `{"Version":"2012-10-17","Statement":[{` + members + `}]}`
}

const okRest = `"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		msg  string // a substring of MalformedError.Msg
	}{
		{"empty", ``, "Policies must be valid JSON and the first byte must be '{'"},
		{"not an object", `["Statement"]`, "Policies must be valid JSON and the first byte must be '{'"},
		{"broken JSON", `{"Version":"2012-10-17",`, "Policy is not valid JSON"},
		{"trailing data", `{"Statement":[]} {}`, "not valid JSON"},
		{"duplicate top-level field", `{"Version":"2012-10-17","Version":"2008-10-17","Statement":[{` + okRest + `}]}`, "Duplicate field Version in Policy"},
		{"unknown top-level field", `{"Version":"2012-10-17","Foo":1,"Statement":[{` + okRest + `}]}`, "Unknown field Foo"},
		{"bad version", `{"Version":"2020-01-01","Statement":[{` + okRest + `}]}`, "Policy has an invalid Version"},
		{"missing statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, "non-empty list"},
		{"statement is a string", `{"Version":"2012-10-17","Statement":"x"}`, "Statement must be"},
		{"duplicate field", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}`, "Duplicate field Effect"},
		{"unknown statement field", stmt(okRest + `,"Foo":"bar"`), "Unknown field Foo"},
		{"lower-case field name", stmt(`"effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Unknown field effect"},
		{"missing effect", stmt(`"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Missing required field Effect"},
		{"bad effect", stmt(`"Effect":"allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid effect"},
		{"missing principal", stmt(`"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Missing required field Principal"},
		{"principal and notprincipal", stmt(okRest + `,"NotPrincipal":{"AWS":"111122223333"}`), "both Principal and NotPrincipal"},
		{"missing action", stmt(`"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Missing required field Action"},
		{"missing resource", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject"`), "Missing required field Resource"},
		{"duplicate sid", `{"Version":"2012-10-17","Statement":[{"Sid":"a",` + okRest + `},{"Sid":"a",` + okRest + `}]}`, "must be unique"},

		{"principal string", stmt(`"Effect":"Allow","Principal":"111122223333","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal empty object", stmt(`"Effect":"Allow","Principal":{},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal wildcard ARN", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal bad account", stmt(`"Effect":"Allow","Principal":{"AWS":"12345"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal bad ARN", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:s3:::bucket"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal unknown type", stmt(`"Effect":"Allow","Principal":{"Group":"x"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal short canonical id", stmt(`"Effect":"Allow","Principal":{"CanonicalUser":"abc"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal wildcard service", stmt(`"Effect":"Allow","Principal":{"Service":"*.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},
		{"principal number", stmt(`"Effect":"Allow","Principal":{"AWS":123456789012},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Invalid principal in policy"},

		{"unknown s3 action", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:Foo","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},
		{"wildcard matching nothing", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:Foo*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},
		{"other service action", stmt(`"Effect":"Allow","Principal":"*","Action":"iam:GetUser","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},
		{"object lambda action", stmt(`"Effect":"Allow","Principal":"*","Action":"s3-object-lambda:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},
		{"empty action list", stmt(`"Effect":"Allow","Principal":"*","Action":[],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},
		{"HeadObject is not an IAM action", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:HeadObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid action"},

		{"other bucket", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"`), "Policy has invalid resource"},
		{"bucket name prefix only", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::doc-example-bucket2/*"`), "Policy has invalid resource"},
		{"other service resource", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:sqs:us-east-1:111122223333:q"`), "Policy has invalid resource"},
		{"not an ARN", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"doc-example-bucket/*"`), "Policy has invalid resource"},
		{"object action on the bucket", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"`), "Action does not apply to any resource(s) in statement"},
		{"bucket action on objects", stmt(`"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`), "Action does not apply to any resource(s) in statement"},
		{"account action", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"`), "Action does not apply to any resource(s) in statement"},
		{"resource star", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"`), "Policy has invalid resource"},
		{"resource with wildcard partition", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:*:s3:::DOC-EXAMPLE-BUCKET/*"`), "Policy has invalid resource"},
		{"wildcard of object actions on the bucket", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"`), "Action does not apply to any resource(s) in statement"},

		{"unknown condition key", stmt(okRest + `,"Condition":{"StringEquals":{"foo:bar":"x"}}`), "Policy has an invalid condition key"},
		{"unknown aws key", stmt(okRest + `,"Condition":{"StringEquals":{"aws:Nope":"x"}}`), "Policy has an invalid condition key"},
		{"unknown operator", stmt(okRest + `,"Condition":{"StringSortOf":{"aws:Referer":"x"}}`), "invalid condition operator"},
		{"Null with IfExists", stmt(okRest + `,"Condition":{"NullIfExists":{"aws:Referer":"true"}}`), "invalid condition operator"},
		{"empty operator block", stmt(okRest + `,"Condition":{"StringEquals":{}}`), "has no condition keys"},
		{"condition not an object", stmt(okRest + `,"Condition":"x"`), "Condition must be a JSON object"},
		{"bad CIDR", stmt(okRest + `,"Condition":{"IpAddress":{"aws:SourceIp":"300.1.2.3/8"}}`), "not an IP address"},
		{"bad number", stmt(okRest + `,"Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}`), "not a number"},
		{"bad date", stmt(okRest + `,"Condition":{"DateLessThan":{"aws:CurrentTime":"next week"}}`), "not an ISO 8601 date"},
		{"bad bool", stmt(okRest + `,"Condition":{"Bool":{"aws:SecureTransport":"yes"}}`), "neither true nor false"},
		{"bad base64", stmt(okRest + `,"Condition":{"BinaryEquals":{"aws:UserAgent":"***"}}`), "not base64"},
		{"empty value list", stmt(okRest + `,"Condition":{"StringEquals":{"aws:Referer":[]}}`), "Invalid value for condition key"},
		{"object value", stmt(okRest + `,"Condition":{"StringEquals":{"aws:Referer":{"a":1}}}`), "Invalid value for condition key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.ReplaceAll(tt.doc, "DOC-EXAMPLE-BUCKET", testBucket)
			p, err := Parse([]byte(doc), testBucket)
			var me *MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("Parse(%s) = %v, %v; want a *MalformedError", doc, p, err)
			}
			if !strings.Contains(me.Msg, tt.msg) {
				t.Errorf("Msg = %q, want it to contain %q", me.Msg, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "malformed policy: ") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"statement object, no version", `{"Statement":{` + okRest + `}}`},
		{"2008 version", `{"Version":"2008-10-17","Statement":[{` + okRest + `}]}`},
		{"AWS star", stmt(`"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`)},
		{"principal forms", stmt(`"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root",
			"arn:aws:iam::111122223333:user/path/bob","arn:aws:iam::111122223333:role/r","arn:aws:sts::111122223333:assumed-role/r/s",
			"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"],"Service":["cloudfront.amazonaws.com"],
			"Federated":"cognito-identity.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`)},
		{"action star", stmt(`"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"`)},
		{"any bucket", stmt(`"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::*"`)},
		{"bucket wildcard resource", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::doc-example-*"`)},
		{"action wildcard fits objects", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`)},
		{"NotAction skips the fit check", stmt(`"Effect":"Deny","Principal":"*","NotAction":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"`)},
		{"NotResource", stmt(`"Effect":"Deny","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/public/*"`)},
		{"variable in resource", stmt(`"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/${aws:username}/*"`)},
		{"tag condition keys", stmt(okRest + `,"Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"a","aws:PrincipalTag/dept":"b"}}`)},
		{"qualifiers", stmt(okRest + `,"Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]},"ForAllValues:StringEqualsIfExists":{"s3:RequestObjectTagKeys":"x"}}`)},
		{"pretty printed", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      " + okRest + "\n    }\n  ]\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(strings.ReplaceAll(tt.doc, "DOC-EXAMPLE-BUCKET", testBucket))
			p, err := Parse(doc, testBucket)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !bytes.Equal(p.JSON(), doc) {
				t.Errorf("JSON() = %s, want the document as given", p.JSON())
			}
		})
	}
}

func TestParseVersionAndID(t *testing.T) {
	p := mustParse(t, `{"Id":"P1","Statement":{`+okRest+`}}`)
	if p.Version() != Version2008 || p.ID() != "P1" {
		t.Errorf("Version, ID = %q, %q", p.Version(), p.ID())
	}
	p = mustParse(t, stmt(okRest))
	if p.Version() != Version2012 || p.ID() != "" {
		t.Errorf("Version, ID = %q, %q", p.Version(), p.ID())
	}
}

// The JSON is a copy: changing the caller's buffer afterwards does not change the policy.
func TestParseCopiesDocument(t *testing.T) {
	doc := []byte(strings.ReplaceAll(stmt(okRest), "DOC-EXAMPLE-BUCKET", testBucket))
	p, err := Parse(doc, testBucket)
	if err != nil {
		t.Fatal(err)
	}
	want := string(doc)
	doc[0] = 'X'
	if string(p.JSON()) != want {
		t.Errorf("JSON changed with the caller's buffer: %s", p.JSON())
	}
}

func TestParseLimits(t *testing.T) {
	// The smallest statement there is, on a short bucket name, so that the statement limit
	// binds before the size limit.
	const short = "abc"
	one := `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::` + short + `"}`
	many := func(n int) []byte {
		return []byte(`{"Version":"2012-10-17","Statement":[` + strings.TrimSuffix(strings.Repeat(one+",", n), ",") + `]}`)
	}
	if _, err := Parse(many(MaxStatements), short); err != nil {
		t.Errorf("%d statements: %v", MaxStatements, err)
	}
	var me *MalformedError
	if _, err := Parse(many(MaxStatements+1), short); !errors.As(err, &me) || !strings.Contains(me.Msg, "statements") {
		t.Errorf("%d statements: %v, want too many statements", MaxStatements+1, err)
	}

	// A condition value list sized so that the compact document lands exactly on MaxSize.
	build := func(size int) []byte {
		head := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
			testBucket + `/*","Condition":{"StringEquals":{"aws:Referer":"`
		tail := `"}}}]}`
		return []byte(head + strings.Repeat("a", size-len(head)-len(tail)) + tail)
	}
	if _, err := Parse(build(MaxSize), testBucket); err != nil {
		t.Errorf("document of exactly %d bytes: %v", MaxSize, err)
	}
	if _, err := Parse(build(MaxSize+1), testBucket); !errors.As(err, &me) || !strings.Contains(me.Msg, "maximum allowed document size") {
		t.Errorf("document of %d bytes: %v, want too large", MaxSize+1, err)
	}
	// Indentation does not count towards the limit.
	padded := bytes.ReplaceAll(build(MaxSize), []byte(`","`), []byte("\",\n        \""))
	if _, err := Parse(padded, testBucket); err != nil {
		t.Errorf("indented document of %d bytes (%d compact): %v", len(padded), MaxSize, err)
	}
	if _, err := Parse(bytes.Repeat([]byte(" "), MaxBodySize+1), testBucket); !errors.As(err, &me) {
		t.Errorf("huge white space: %v", err)
	}
}

func ExampleParse() {
	doc := `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Sid": "AllowCloudFrontServicePrincipalReadOnly",
	    "Effect": "Allow",
	    "Principal": {"Service": "cloudfront.amazonaws.com"},
	    "Action": "s3:GetObject",
	    "Resource": "arn:aws:s3:::images/*",
	    "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}
	  }]
	}`
	p, err := Parse([]byte(doc), "images")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := p.Evaluate(&Request{
		Principal: ServicePrincipal("cloudfront.amazonaws.com"),
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::images/cat.jpg",
		Context:   map[string][]string{"aws:sourcearn": {"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}},
	})
	fmt.Println(d, p.IsPublic())
	_, err = Parse([]byte(strings.Replace(doc, "s3:GetObject", "s3:GetObjekt", 1)), "images")
	fmt.Println(err.(*MalformedError).Msg)
	// Output:
	// Allow false
	// Policy has invalid action: "s3:GetObjekt"
}
