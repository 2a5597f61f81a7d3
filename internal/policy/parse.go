package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

const (
	// MaxSize is the largest policy S3 accepts: "Bucket policies are limited to 20 KB in size"
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/add-bucket-policy.html). AWS
	// measures the document after normalizing it, so the limit applies to the document with
	// insignificant white space removed; a pretty-printed policy is not penalized for its
	// indentation.
	MaxSize = 20 * 1024
	// MaxStatements bounds the number of statements. A 20 KB document cannot hold many more
	// than this, and the bound keeps the cost of evaluating any policy small and predictable.
	MaxStatements = 256
	// MaxBodySize bounds the document Parse accepts at all, white space included. The S3 layer
	// can stop reading a PutBucketPolicy body past it.
	MaxBodySize = 4 * MaxSize
)

// Version strings of the IAM policy language (reference_policies_elements_version.html).
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Parse parses and validates the bucket policy document doc for bucket. A document S3 would
// refuse gives a *MalformedError whose Msg says what is wrong. The returned Policy keeps a copy
// of doc for JSON.
func Parse(doc []byte, bucket string) (*Policy, error) {
	if len(doc) > MaxBodySize {
		return nil, malformed("Policy exceeds the maximum allowed document size.")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, doc); err != nil {
		if t := bytes.TrimLeft(doc, " \t\r\n"); len(t) == 0 || t[0] != '{' {
			return nil, malformed("Policies must be valid JSON and the first byte must be '{'")
		}
		msg := "Policy is not valid JSON: " + err.Error()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			msg += fmt.Sprintf(" (at byte %d)", se.Offset)
		}
		return nil, malformed(msg)
	}
	if compact.Len() > MaxSize {
		return nil, malformed("Policy exceeds the maximum allowed document size.")
	}
	if !isObject(doc) {
		return nil, malformed("Policies must be valid JSON and the first byte must be '{'")
	}
	top, err := readObject(doc, "Policy")
	if err != nil {
		return nil, err
	}
	p := &Policy{raw: bytes.Clone(doc), version: Version2008}
	var stmtRaw json.RawMessage
	for _, m := range top {
		switch m.name {
		case "Version":
			if err := json.Unmarshal(m.val, &p.version); err != nil ||
				(p.version != Version2012 && p.version != Version2008) {
				return nil, malformed(fmt.Sprintf("Policy has an invalid Version: %s (use %q)", m.val, Version2012))
			}
		case "Id":
			if err := json.Unmarshal(m.val, &p.id); err != nil {
				return nil, malformed("Id must be a string")
			}
		case "Statement":
			stmtRaw = m.val
		default:
			return nil, malformed("Unknown field " + m.name)
		}
	}
	if stmtRaw == nil {
		return nil, malformed("Missing required field Statement")
	}
	var raws []json.RawMessage
	switch {
	case isObject(stmtRaw):
		raws = []json.RawMessage{stmtRaw}
	case isArray(stmtRaw):
		if err := json.Unmarshal(stmtRaw, &raws); err != nil || len(raws) == 0 {
			return nil, malformed("Statement must be a statement object or a non-empty list of them")
		}
	default:
		return nil, malformed("Statement must be a statement object or a non-empty list of them")
	}
	if len(raws) > MaxStatements {
		return nil, malformed(fmt.Sprintf("Policy has %d statements; at most %d are allowed", len(raws), MaxStatements))
	}
	vars := p.version == Version2012
	sids := map[string]bool{}
	for _, raw := range raws {
		s, err := parseStatement(raw, bucket, vars)
		if err != nil {
			return nil, err
		}
		if s.sid != "" {
			if sids[s.sid] {
				return nil, malformed(fmt.Sprintf("Statement IDs (SID) in a single policy must be unique: %q", s.sid))
			}
			sids[s.sid] = true
		}
		p.stmts = append(p.stmts, s)
		p.public = p.public || s.isPublic()
	}
	return p, nil
}
