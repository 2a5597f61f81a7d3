package policy

import "testing"

// The cases follow "The meaning of public" (access-control-block-public-access.html), including
// its two example public policies and the fixed-value version that makes one of them non-public.
func TestIsPublic(t *testing.T) {
	const res = `"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"`
	allow := func(principal, cond string) string {
		s := `"Effect":"Allow","Principal":` + principal + `,"Action":"s3:PutObject",` + res
		if cond != "" {
			s += `,"Condition":` + cond
		}
		return stmt(s)
	}
	tests := []struct {
		name   string
		policy string
		want   bool
	}{
		{"AWS example: Principal * without condition", allow(`"*"`, ""), true},
		{"AWS example: wildcard SourceVpc", allow(`"*"`, `{"StringLike":{"aws:SourceVpc":"vpc-*"}}`), true},
		{"AWS example: fixed SourceVpc", allow(`"*"`, `{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}`), false},
		{"AWS star", allow(`{"AWS":"*"}`, ""), true},
		{"fixed account", allow(`{"AWS":"111122223333"}`, ""), false},
		{"fixed user and account root", allow(`{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::444455556666:root"]}`, ""), false},
		{"OAI", allow(`{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}`, ""), false},
		{"canonical user", allow(`{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, ""), false},
		{"service principal", allow(`{"Service":"cloudfront.amazonaws.com"}`, ""), false},
		{"service principal with SourceArn", allow(`{"Service":"cloudfront.amazonaws.com"}`, `{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}}`), false},
		{"AWS example: federated provider", allow(`{"Federated":"graph.facebook.com"}`, ""), true},
		{"fixed principal mixed with star", allow(`{"AWS":["111122223333","*"]}`, ""), true},
		{"deny only", stmt(`"Effect":"Deny","Principal":"*","Action":"s3:*",` + res), false},
		{"NotPrincipal allow", stmt(`"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject",` + res), true},
		{"NotPrincipal deny", stmt(`"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject",` + res), false},

		{"SourceIp /24", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), false},
		{"SourceIp /8", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), false},
		{"SourceIp /7 is too broad", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/7"}}`), true},
		{"SourceIp 0.0.0.0/1", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}`), true},
		{"SourceIp one broad among narrow", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","0.0.0.0/0"]}}`), true},
		{"SourceIp IPv6 /32", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`), false},
		{"SourceIp IPv6 /31", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"2001:db8::/31"}}`), true},
		{"NotIpAddress does not restrict", allow(`"*"`, `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), true},
		{"IfExists does not restrict", allow(`"*"`, `{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}`), true},

		{"fixed SourceArn", allow(`"*"`, `{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}}`), false},
		{"wildcard SourceArn", allow(`"*"`, `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/*"}}`), true},
		{"fixed SourceAccount", allow(`"*"`, `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`), false},
		{"fixed SourceOwner", allow(`"*"`, `{"StringEquals":{"aws:SourceOwner":"111122223333"}}`), false},
		{"fixed SourceVpce", allow(`"*"`, `{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`), false},
		{"fixed PrincipalOrgID", allow(`"*"`, `{"StringEquals":{"aws:PrincipalOrgID":"o-xxxxxxxxxx"}}`), false},
		{"fixed PrincipalAccount", allow(`"*"`, `{"StringEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}`), false},
		{"fixed PrincipalArn", allow(`"*"`, `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/bob"}}`), false},
		{"policy variable is not fixed", allow(`"*"`, `{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}`), true},
		{"negated fixed value", allow(`"*"`, `{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}`), true},
		{"ForAllValues does not restrict", allow(`"*"`, `{"ForAllValues:StringEquals":{"aws:SourceAccount":"111122223333"}}`), true},
		{"ForAnyValue restricts", allow(`"*"`, `{"ForAnyValue:StringEquals":{"aws:SourceAccount":"111122223333"}}`), false},
		{"fixed userid", allow(`"*"`, `{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}`), false},
		{"userid AROLEID:*", allow(`"*"`, `{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}`), true},
		{"access point ARN with fixed account", allow(`"*"`, `{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}`), false},
		{"access point ARN with wildcard account", allow(`"*"`, `{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}}`), true},
		{"fixed access point account", allow(`"*"`, `{"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}}`), false},
		{"referer does not restrict", allow(`"*"`, `{"StringEquals":{"aws:Referer":"https://example.com/"}}`), true},
		{"secure transport does not restrict", allow(`"*"`, `{"Bool":{"aws:SecureTransport":"true"}}`), true},
		{"Null does not restrict", allow(`"*"`, `{"Null":{"aws:SourceAccount":"false"}}`), true},
		{"one restricting condition among others", allow(`"*"`, `{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceAccount":"111122223333"}}`), false},
		{"AWS mixed example: one public statement makes the policy public", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",` + res + `},
			{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject",` + res + `},
			{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, tt.policy).IsPublic(); got != tt.want {
				t.Errorf("IsPublic() = %v, want %v for\n%s", got, tt.want, tt.policy)
			}
		})
	}
}
