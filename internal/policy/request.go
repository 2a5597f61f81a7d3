package policy

import "strings"

// Request is one authorization question: may Principal perform Action on Resource, given the
// request context? The S3 layer builds it for every request.
type Request struct {
	// Principal is who signed the request (or Anonymous).
	Principal Principal
	// Action is the IAM action, "s3:GetObject". Matching is case-insensitive, as IAM's is.
	Action string
	// Resource is the ARN the action applies to: "arn:aws:s3:::bucket" for bucket operations,
	// "arn:aws:s3:::bucket/key" for object operations. Matching is case-sensitive.
	Resource string
	// Context holds the request's condition keys with lower-cased names ("aws:sourceip",
	// "aws:securetransport", "aws:currenttime", "aws:sourcearn", "aws:referer",
	// "aws:useragent", "s3:prefix", "s3:x-amz-server-side-encryption", ...). A key that is not
	// in the map is absent from the request, which is what ...IfExists, Null and the negated
	// operators distinguish.
	//
	// Keys that describe the principal are derived from Principal when the map does not hold
	// them: aws:principalarn, aws:principalaccount, aws:principaltype, aws:principalservicename,
	// aws:principalisawsservice, aws:username and aws:userid (see Principal).
	Context map[string][]string
}

// BucketARN is the resource ARN of bucket-level operations, "arn:aws:s3:::bucket".
func BucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// ObjectARN is the resource ARN of object-level operations, "arn:aws:s3:::bucket/key". The key
// is used as is: S3 policies match the decoded key, not its URL encoding.
func ObjectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// values is a request's values for one key without allocating: either a slice from Context
// or a single derived string.
type values struct {
	list   []string
	one    string
	single bool
}

func (v values) len() int {
	if v.single {
		return 1
	}
	return len(v.list)
}

func (v values) at(i int) string {
	if v.single {
		return v.one
	}
	return v.list[i]
}

// evaluator carries one Evaluate call's state.
type evaluator struct {
	r *Request
}

func (ev *evaluator) lookup(key string) values {
	if vs, ok := ev.r.Context[key]; ok {
		return values{list: vs}
	}
	if s, ok := ev.r.Principal.derived(key); ok {
		return values{one: s, single: true}
	}
	return values{}
}

// resolve returns the tokens of p for this request: p's own tokens when it has no variables,
// else a copy with each variable replaced by its value taken literally, or nil when a variable
// has no value (statement.applies has already skipped such statements).
func (ev *evaluator) resolve(p *pattern) []token {
	if !p.hasVars {
		return p.toks
	}
	out := make([]token, 0, len(p.toks))
	for _, t := range p.toks {
		if t.kind != tokVar {
			out = append(out, t)
			continue
		}
		v := ev.lookup(t.s)
		switch {
		case v.len() > 0:
			out = append(out, token{kind: tokLit, s: v.at(0)})
		case t.hasDef:
			out = append(out, token{kind: tokLit, s: t.def})
		default:
			return nil
		}
	}
	return out
}

// match reports whether pattern p matches s for this request.
func (ev *evaluator) match(p *pattern, s string) bool {
	toks := ev.resolve(p)
	if toks == nil && p.hasVars {
		return false
	}
	return matchTokens(toks, s, p.fold)
}

// equal reports whether the (literal) pattern p equals s, ignoring case when fold is set.
func (ev *evaluator) equal(p *pattern, s string, fold bool) bool {
	if !p.hasVars {
		if fold {
			return strings.EqualFold(p.lit, s)
		}
		return p.lit == s
	}
	toks := ev.resolve(p)
	if toks == nil {
		return false
	}
	return matchTokens(toks, s, fold)
}
