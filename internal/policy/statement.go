package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// parseStatement compiles one Statement object (reference_policies_elements.html). A bucket
// policy statement needs Effect, one of Principal/NotPrincipal, one of Action/NotAction and one
// of Resource/NotResource; Sid and Condition are optional and nothing else is allowed.
func parseStatement(raw json.RawMessage, bucket string, vars bool) (statement, error) {
	var s statement
	members, err := readObject(raw, "Statement")
	if err != nil {
		return s, err
	}
	fields := map[string]json.RawMessage{}
	for _, m := range members {
		switch m.name {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
			"Resource", "NotResource", "Condition":
			fields[m.name] = m.val
		default:
			return s, malformed("Unknown field " + m.name)
		}
	}
	if v, ok := fields["Sid"]; ok {
		if err := json.Unmarshal(v, &s.sid); err != nil {
			return s, malformed("Sid must be a string")
		}
	}
	v, ok := fields["Effect"]
	if !ok {
		return s, malformed("Missing required field Effect")
	}
	var effect string
	if err := json.Unmarshal(v, &effect); err != nil || (effect != "Allow" && effect != "Deny") {
		return s, malformed(fmt.Sprintf("Invalid effect: %s (use \"Allow\" or \"Deny\")", v))
	}
	s.deny = effect == "Deny"

	prin, notPrin, err := either(fields, "Principal", "NotPrincipal")
	if err != nil {
		return s, err
	}
	s.notPrincipal = notPrin
	if s.principals, err = parsePrincipals(prin); err != nil {
		return s, err
	}

	act, notAct, err := either(fields, "Action", "NotAction")
	if err != nil {
		return s, err
	}
	s.notAction = notAct
	list, err := stringList(act, "Policy has invalid action")
	if err != nil {
		return s, err
	}
	if s.actions, err = parseActions(list); err != nil {
		return s, err
	}

	res, notRes, err := either(fields, "Resource", "NotResource")
	if err != nil {
		return s, err
	}
	s.notResource = notRes
	if list, err = stringList(res, "Policy has invalid resource"); err != nil {
		return s, err
	}
	if s.resources, err = parseResources(list, bucket, vars); err != nil {
		return s, err
	}
	if !s.notAction && !s.notResource {
		if err := checkFit(&s.actions, &s.resources); err != nil {
			return s, err
		}
	}

	if v, ok := fields["Condition"]; ok {
		if s.conds, err = parseConditionBlock(v, vars); err != nil {
			return s, err
		}
	}
	s.collectVars()
	return s, nil
}

// collectVars records the keys of the statement's variables that have no default value.
func (s *statement) collectVars() {
	add := func(p *pattern) {
		for _, t := range p.toks {
			if t.kind == tokVar && !t.hasDef && !slices.Contains(s.vars, t.s) {
				s.vars = append(s.vars, t.s)
			}
		}
	}
	for i := range s.resources.patterns {
		add(&s.resources.patterns[i])
	}
	for i := range s.conds {
		c := &s.conds[i]
		for j := range c.strs {
			add(&c.strs[j])
		}
		for j := range c.arns {
			add(&c.arns[j].whole)
		}
	}
}

// either returns the value of exactly one of the fields a and notA, and whether it was notA.
func either(fields map[string]json.RawMessage, a, notA string) (json.RawMessage, bool, error) {
	v, okA := fields[a]
	nv, okN := fields[notA]
	switch {
	case okA && okN:
		return nil, false, malformed(fmt.Sprintf("Statement cannot have both %s and %s", a, notA))
	case okN:
		return nv, true, nil
	case okA:
		return v, false, nil
	}
	return nil, false, malformed("Missing required field " + a)
}

// parsePrincipals compiles a Principal or NotPrincipal element: "*" or an object whose keys are
// AWS, CanonicalUser, Service or Federated, each with a value or a list of values
// (reference_policies_elements_principal.html). AWS refuses anything else, and wildcards other
// than a lone "*", with "Invalid principal in policy".
func parsePrincipals(raw json.RawMessage) (principalSet, error) {
	var s principalSet
	var star string
	if err := json.Unmarshal(raw, &star); err == nil {
		if star != "*" {
			return s, malformed(fmt.Sprintf("Invalid principal in policy: %q (use \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:user/name\"})", star))
		}
		s.any = true
		return s, nil
	}
	members, err := readObject(raw, "Principal")
	if err != nil {
		return s, malformed("Invalid principal in policy")
	}
	if len(members) == 0 {
		return s, malformed("Invalid principal in policy: empty principal")
	}
	for _, m := range members {
		list, err := stringList(m.val, "Invalid principal in policy: "+m.name+" must be a string or a list of strings")
		if err != nil {
			return s, err
		}
		for _, v := range list {
			if err := s.add(m.name, v); err != nil {
				return s, err
			}
		}
	}
	return s, nil
}

func (s *principalSet) add(kind, v string) error {
	bad := func() error { return malformed(fmt.Sprintf("Invalid principal in policy: %s %q", kind, v)) }
	switch kind {
	case "AWS":
		if v == "*" {
			s.any = true
			return nil
		}
		if isAccountID(v) {
			s.accounts = append(s.accounts, v)
			return nil
		}
		acct, isRoot, ok := parsePrincipalARN(v)
		if !ok {
			return bad()
		}
		if isRoot {
			s.accounts = append(s.accounts, acct)
		} else {
			s.arns = append(s.arns, v)
		}
	case "CanonicalUser":
		if len(v) != 64 || strings.Trim(strings.ToLower(v), "0123456789abcdef") != "" {
			return bad()
		}
		s.canonical = append(s.canonical, v)
	case "Service":
		if v == "" || strings.ContainsAny(v, "*? /:") || !strings.Contains(v, ".") {
			return bad()
		}
		s.services = append(s.services, v)
	case "Federated":
		if v == "" || strings.ContainsAny(v, "*?") {
			return bad()
		}
		s.federated = append(s.federated, v)
	default:
		return malformed(fmt.Sprintf("Invalid principal in policy: unknown principal type %q (use AWS, CanonicalUser, Service or Federated)", kind))
	}
	return nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parsePrincipalARN validates an AWS principal ARN: an account root, an IAM user or role, an STS
// session, or a CloudFront origin access identity. "You cannot use a wildcard to match part of
// a principal name or ARN" (reference_policies_elements_principal.html).
func parsePrincipalARN(v string) (account string, root, ok bool) {
	if strings.ContainsAny(v, "*?") {
		return "", false, false
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[3] != "" {
		return "", false, false
	}
	service, account, res := parts[2], parts[4], parts[5]
	if service == "iam" && account == "cloudfront" {
		id, ok := strings.CutPrefix(v, oaiARNPrefix)
		return "", false, ok && id != "" && !strings.ContainsAny(id, " /")
	}
	if !isAccountID(account) {
		return "", false, false
	}
	kind, name, _ := strings.Cut(res, "/")
	switch {
	case service == "iam" && res == "root":
		return account, true, true
	case service == "iam" && (kind == "user" || kind == "role") && name != "":
		return account, false, true
	case service == "sts" && (kind == "assumed-role" || kind == "federated-user") && name != "":
		return account, false, true
	}
	return "", false, false
}
