package policy

import (
	"fmt"
	"strings"
)

// actionBits is a set of s3Actions indexes.
type actionBits [(len(s3Actions) + 63) / 64]uint64

func (b *actionBits) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b *actionBits) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

// lowerActions holds "s3:getobject" for each entry of s3Actions, the form action patterns are
// matched against at Parse time.
var lowerActions = func() (out [len(s3Actions)]string) {
	for i, a := range s3Actions {
		out[i] = "s3:" + strings.ToLower(a.name)
	}
	return out
}()

// actionIndex maps lower-cased "s3:getobject" to the action's index in s3Actions. It is built
// once and never written afterwards.
var actionIndex = func() map[string]int {
	m := make(map[string]int, len(s3Actions))
	for i, name := range lowerActions {
		m[name] = i
	}
	return m
}()

// canonicalIndex maps the exact AWS spelling "s3:GetObject" to its index, so that the S3
// layer's canonical names are found without lower-casing them.
var canonicalIndex = func() map[string]int {
	m := make(map[string]int, len(s3Actions))
	for i, a := range s3Actions {
		m["s3:"+a.name] = i
	}
	return m
}()

// lookupAction returns the index of a request's action, or -1 when it is not an s3 action.
// Action names are case-insensitive in IAM (reference_policies_elements_action.html).
func lookupAction(name string) int {
	if i, ok := canonicalIndex[name]; ok {
		return i
	}
	var buf [64]byte
	if len(name) > len(buf) {
		return -1
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if i, ok := actionIndex[string(buf[:len(name)])]; ok {
		return i
	}
	return -1
}

// actionSet is a compiled Action or NotAction element.
type actionSet struct {
	bits     actionBits // the known actions the patterns match
	patterns []pattern  // the patterns themselves, for actions missing from the table
	// kinds[i] says which resource kinds the actions matched by patterns[i] apply to.
	kinds []kindSet
}

type kindSet struct{ bucket, object bool }

// matches reports whether the element names the request's action. idx is lookupAction(name).
func (s *actionSet) matches(idx int, name string) bool {
	if idx >= 0 {
		return s.bits.has(idx)
	}
	for i := range s.patterns {
		if matchTokens(s.patterns[i].toks, name, true) {
			return true
		}
	}
	return false
}

// parseActions compiles an Action or NotAction element. Each entry is "*" or "s3:" followed by
// an action name that may hold the wildcards '*' and '?' (case-insensitive); an entry that
// names no S3 action, or another service's action, is refused as S3 does: "Policy has invalid
// action". Policy variables are not allowed in actions, so '$' is literal.
func parseActions(list []string) (actionSet, error) {
	var s actionSet
	for _, a := range list {
		if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
			return s, malformed(fmt.Sprintf("Policy has invalid action: %q", a))
		}
		p := compilePattern(strings.ToLower(a), true, false)
		p.raw, p.fold = a, true
		hit := false
		var k kindSet
		for i, name := range lowerActions {
			if matchTokens(p.toks, name, false) {
				s.bits.set(i)
				hit = true
				k.bucket = k.bucket || s3Actions[i].kind == onBucket
				k.object = k.object || s3Actions[i].kind == onObject
			}
		}
		if !hit {
			return s, malformed(fmt.Sprintf("Policy has invalid action: %q", a))
		}
		s.patterns = append(s.patterns, p)
		s.kinds = append(s.kinds, k)
	}
	return s, nil
}
