package policy

import (
	"fmt"
	"strings"
)

// resourceSet is a compiled Resource or NotResource element.
type resourceSet struct {
	patterns []pattern
	// bucket and object say whether some pattern can match the bucket's ARN, respectively the
	// ARN of some object in it; Parse uses them for "Action does not apply to any resource(s)
	// in statement".
	bucket, object bool
}

func (s *resourceSet) matches(ev *evaluator, arn string) bool {
	for i := range s.patterns {
		if ev.match(&s.patterns[i], arn) {
			return true
		}
	}
	return false
}

// parseResources compiles a Resource or NotResource element for bucket. Each entry must be able
// to name the bucket ("arn:aws:s3:::bucket") or objects in it ("arn:aws:s3:::bucket/..."),
// possibly through wildcards ('*', '?') and, in 2012-10-17 documents, policy variables in the
// resource part of the ARN (reference_policies_variables.html#policy-vars-resourceelement). S3
// refuses "*" and a resource of another bucket or service with "Policy has invalid resource".
func parseResources(list []string, bucket string, vars bool) (resourceSet, error) {
	var s resourceSet
	bucketARN := "arn:aws:s3:::" + bucket
	for _, r := range list {
		// S3 refuses even "*" ("Policy has invalid resource"): a bucket policy speaks only of
		// its own bucket, so the ARN prefix must be spelled out.
		if !strings.HasPrefix(r, "arn:aws:s3:::") {
			return s, malformed(fmt.Sprintf("Policy has invalid resource: %q (use %q or %q)", r, bucketARN, bucketARN+"/*"))
		}
		p := compilePattern(r, true, vars)
		w := widened(p.toks)
		onBucket := matchTokens(w, bucketARN, false)
		onObject := canMatchWithPrefix(w, bucketARN+"/")
		if !onBucket && !onObject {
			return s, malformed(fmt.Sprintf("Policy has invalid resource: %q does not name bucket %s or its objects", r, bucket))
		}
		s.bucket = s.bucket || onBucket
		s.object = s.object || onObject
		s.patterns = append(s.patterns, p)
	}
	return s, nil
}

// checkFit refuses a statement in which some Action entry cannot apply to any of the listed
// resources: an object action such as s3:GetObject with only "arn:aws:s3:::bucket", a bucket
// action such as s3:ListBucket with only "arn:aws:s3:::bucket/*", or an account-level action
// such as s3:ListAllMyBuckets at all. S3 answers MalformedPolicy "Action does not apply to any
// resource(s) in statement" for these. NotAction and NotResource cover open-ended sets, so they
// are not checked.
func checkFit(actions *actionSet, res *resourceSet) error {
	for i, k := range actions.kinds {
		if (k.bucket && res.bucket) || (k.object && res.object) {
			continue
		}
		return malformed(fmt.Sprintf("Action does not apply to any resource(s) in statement: %q", actions.patterns[i].raw))
	}
	return nil
}
