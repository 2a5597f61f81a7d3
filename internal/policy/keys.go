package policy

import "strings"

// knownKeys are the condition keys a bucket policy may use, lower-cased: the global keys of
// "AWS global condition context keys" (reference_policies_condition-keys.html) and the keys of
// the s3 prefix (list_amazons3.html#amazons3-policy-keys). S3 refuses any other key with
// "Policy has an invalid condition key".
var knownKeys = func() map[string]bool {
	keys := []string{
		// Global keys.
		"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime",
		"aws:EpochTime", "aws:FederatedProvider", "aws:MultiFactorAuthAge",
		"aws:MultiFactorAuthPresent", "aws:PrincipalAccount", "aws:PrincipalArn",
		"aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
		"aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
		"aws:Referer", "aws:RequestedRegion", "aws:ResourceAccount", "aws:ResourceOrgID",
		"aws:ResourceOrgPaths", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn",
		"aws:SourceIdentity", "aws:SourceIp", "aws:SourceOrgID", "aws:SourceOrgPaths",
		"aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:TagKeys",
		"aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username",
		"aws:ViaAWSService", "aws:VpcSourceIp", "aws:Ec2InstanceSourceVpc",
		"aws:Ec2InstanceSourcePrivateIPv4",
		// S3 keys.
		"s3:AccessGrantsInstanceArn", "s3:AccessPointNetworkOrigin", "s3:authType",
		"s3:DataAccessPointAccount", "s3:DataAccessPointArn", "s3:delimiter",
		"s3:if-match", "s3:if-none-match", "s3:LocationConstraint", "s3:max-keys",
		"s3:object-lock-legal-hold", "s3:object-lock-mode", "s3:object-lock-remaining-retention-days",
		"s3:object-lock-retain-until-date", "s3:ObjectCreationOperation", "s3:prefix",
		"s3:RequestObjectTagKeys", "s3:ResourceAccount", "s3:signatureAge", "s3:signatureversion",
		"s3:TlsVersion", "s3:VersionId", "s3:x-amz-acl", "s3:x-amz-content-sha256",
		"s3:x-amz-copy-source", "s3:x-amz-grant-full-control", "s3:x-amz-grant-read",
		"s3:x-amz-grant-read-acp", "s3:x-amz-grant-write", "s3:x-amz-grant-write-acp",
		"s3:x-amz-metadata-directive", "s3:x-amz-object-ownership",
		"s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
		"s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-storage-class",
		"s3:x-amz-website-redirect-location",
	}
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[strings.ToLower(k)] = true
	}
	return m
}()

// taggedKeyPrefixes are keys followed by a tag key of the user's choosing.
var taggedKeyPrefixes = []string{
	"aws:principaltag/", "aws:requesttag/", "aws:resourcetag/",
	"s3:existingobjecttag/", "s3:requestobjecttag/", "s3:buckettag/",
}

// validKey reports whether the lower-cased key is a condition key S3 knows.
func validKey(key string) bool {
	if knownKeys[key] {
		return true
	}
	for _, p := range taggedKeyPrefixes {
		if len(key) > len(p) && strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
