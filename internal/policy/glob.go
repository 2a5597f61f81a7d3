package policy

import (
	"strings"
	"unicode/utf8"
)

// tokKind is one element of a compiled pattern.
type tokKind uint8

const (
	tokLit  tokKind = iota // literal text (may contain '*' or '?' taken literally)
	tokStar                // '*': any run of characters, including none
	tokOne                 // '?': exactly one character
	tokVar                 // ${key} or ${key, 'default'}: a policy variable, resolved per request
)

type token struct {
	kind   tokKind
	s      string // literal text, or the lower-cased context key of a variable
	def    string // a variable's default value
	hasDef bool
}

// pattern is a string from a policy compiled once at Parse time. IAM wildcards are '*' (any run
// of characters) and '?' (one character) in Action, Resource and the ...Like condition
// operators; policy variables exist only in documents of Version 2012-10-17
// (reference_policies_variables.html: "Earlier versions ... treat variables as literal strings").
type pattern struct {
	raw     string
	lit     string // the whole text when the pattern has no wildcard and no variable
	toks    []token
	hasVars bool
	fold    bool // compare literals ignoring ASCII case (action names)
}

// compilePattern splits s into tokens. wild says whether '*' and '?' are wildcards; vars whether
// ${...} is a policy variable.
func compilePattern(s string, wild, vars bool) pattern {
	p := pattern{raw: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.toks = append(p.toks, token{kind: tokLit, s: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case wild && c == '*':
			flush()
			// Consecutive stars are one star; collapsing them keeps matching linear-ish.
			if n := len(p.toks); n == 0 || p.toks[n-1].kind != tokStar {
				p.toks = append(p.toks, token{kind: tokStar})
			}
			i++
			continue
		case wild && c == '?':
			flush()
			p.toks = append(p.toks, token{kind: tokOne})
			i++
			continue
		case vars && c == '$' && strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				break
			}
			body := s[i+2 : i+end]
			i += end + 1
			// ${*}, ${?} and ${$} stand for the literal characters, so that a policy can
			// name them in a field where they would otherwise be wildcards.
			if body == "*" || body == "?" || body == "$" {
				lit.WriteString(body)
				continue
			}
			flush()
			p.toks = append(p.toks, parseVar(body))
			p.hasVars = true
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	if !p.hasWildcard() {
		for _, t := range p.toks {
			p.lit += t.s
		}
	}
	return p
}

// parseVar parses the inside of ${...}: a key, optionally followed by a default value in single
// quotes ("${aws:username, 'anonymous'}"), reference_policies_variables.html#policy-vars-default-values.
func parseVar(body string) token {
	t := token{kind: tokVar}
	key, def, ok := strings.Cut(body, ",")
	t.s = strings.ToLower(strings.TrimSpace(key))
	if ok {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			t.def, t.hasDef = def[1:len(def)-1], true
		}
	}
	return t
}

// hasWildcard reports whether the pattern has a wildcard or a variable, i.e. is not one fixed
// value (the test Block Public Access applies to condition values).
func (p *pattern) hasWildcard() bool {
	for _, t := range p.toks {
		if t.kind != tokLit {
			return true
		}
	}
	return false
}

// matchTokens reports whether toks matches all of s. It is the classic iterative wildcard
// algorithm with one backtrack point: on a mismatch after a star, the star absorbs one more
// character and matching resumes, so it runs in O(len(s) * len(toks)) without recursion.
func matchTokens(toks []token, s string, fold bool) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for {
		if ti < len(toks) {
			t := &toks[ti]
			switch t.kind {
			case tokStar:
				if ti == len(toks)-1 {
					return true
				}
				starT, starS = ti, si
				ti++
				continue
			case tokOne:
				if si < len(s) {
					_, n := utf8.DecodeRuneInString(s[si:])
					si += n
					ti++
					continue
				}
			case tokLit:
				if hasPrefix(s[si:], t.s, fold) {
					si += len(t.s)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starT < 0 || starS >= len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		ti, si = starT+1, starS
	}
}

func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if fold {
		return strings.EqualFold(s[:len(prefix)], prefix)
	}
	return s[:len(prefix)] == prefix
}

// widened returns the tokens with every variable replaced by a star: the set of strings the
// pattern can match for some request. Parse uses it to validate resources.
func widened(toks []token) []token {
	out := make([]token, 0, len(toks))
	for _, t := range toks {
		if t.kind == tokVar {
			t = token{kind: tokStar}
		}
		out = append(out, t)
	}
	return out
}

// canMatchWithPrefix reports whether some string that starts with prefix matches toks (with no
// variables). It runs the pattern as an NFA over prefix, one state per pattern position; any
// state alive at the end can be completed, since every remaining token accepts some text.
func canMatchWithPrefix(toks []token, prefix string) bool {
	// Flatten into single-character steps: a literal byte, '?' or '*'.
	type step struct {
		kind tokKind
		c    byte
	}
	var steps []step
	for _, t := range toks {
		if t.kind == tokLit {
			for i := 0; i < len(t.s); i++ {
				steps = append(steps, step{kind: tokLit, c: t.s[i]})
			}
			continue
		}
		steps = append(steps, step{kind: t.kind})
	}
	cur := make([]bool, len(steps)+1)
	next := make([]bool, len(steps)+1)
	closeStars := func(set []bool) {
		for i := 0; i < len(steps); i++ {
			if set[i] && steps[i].kind == tokStar {
				set[i+1] = true
			}
		}
	}
	cur[0] = true
	closeStars(cur)
	for i := 0; i < len(prefix); i++ {
		clear(next)
		alive := false
		for j, st := range steps {
			if !cur[j] {
				continue
			}
			switch st.kind {
			case tokStar:
				next[j] = true
				alive = true
			case tokOne:
				next[j+1] = true
				alive = true
			case tokLit:
				if st.c == prefix[i] {
					next[j+1] = true
					alive = true
				}
			}
		}
		if !alive {
			return false
		}
		closeStars(next)
		cur, next = next, cur
	}
	for _, on := range cur {
		if on {
			return true
		}
	}
	return false
}
