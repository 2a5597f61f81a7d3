package policy

import (
	"net/netip"
	"strconv"
	"strings"
)

// holds reports whether the condition is true for the request. The rules, from
// reference_policies_elements_condition_operators.html and
// reference_policies_condition-logic-multiple-context-keys-or-values.html:
//
//   - Null tests presence only: "true" holds when the key is absent, "false" when present.
//   - A key absent from the request makes a positive operator false and a negated operator
//     (StringNotEquals, NotIpAddress, ...) true; ...IfExists makes any operator true.
//     ForAllValues holds and ForAnyValue fails on an absent (or empty) key.
//   - Several values for the key in the policy are ORed for a positive operator and NORed for a
//     negated one: StringNotEquals holds when the request value is none of them.
//   - ForAnyValue holds when some request value satisfies the operator, ForAllValues when every
//     request value does; without a qualifier a multi-valued request key is treated like
//     ForAnyValue for positive operators and its NOR for negated ones.
func (c *condition) holds(ev *evaluator) bool {
	vals := ev.lookup(c.key)
	n := vals.len()
	if c.op == opNull {
		present := n > 0
		for _, want := range c.bools {
			if want != present {
				return true
			}
		}
		return false
	}
	if n == 0 {
		switch {
		case c.ifExists:
			return true
		case c.qual == qualAllValues:
			return true
		case c.qual == qualAnyValue:
			return false
		}
		return c.negate
	}
	switch c.qual {
	case qualAnyValue:
		for i := 0; i < n; i++ {
			if c.matchAny(ev, vals.at(i)) != c.negate {
				return true
			}
		}
		return false
	case qualAllValues:
		for i := 0; i < n; i++ {
			if c.matchAny(ev, vals.at(i)) == c.negate {
				return false
			}
		}
		return true
	}
	hit := false
	for i := 0; i < n && !hit; i++ {
		hit = c.matchAny(ev, vals.at(i))
	}
	return hit != c.negate
}

// matchAny reports whether the request value v matches at least one of the policy's values
// under the operator's positive meaning. A request value of the wrong type (an unparsable
// number, date or address) matches nothing.
func (c *condition) matchAny(ev *evaluator, v string) bool {
	switch c.op {
	case opStringEquals, opStringEqualsIgnoreCase:
		fold := c.op == opStringEqualsIgnoreCase
		for i := range c.strs {
			if ev.equal(&c.strs[i], v, fold) {
				return true
			}
		}
	case opStringLike:
		for i := range c.strs {
			if ev.match(&c.strs[i], v) {
				return true
			}
		}
	case opArnLike:
		for i := range c.arns {
			a := &c.arns[i]
			if (a.split && matchARN(ev, &a.parts, v)) || (!a.split && ev.match(&a.whole, v)) {
				return true
			}
		}
	case opBinaryEquals:
		for i := range c.strs {
			if c.strs[i].lit == v {
				return true
			}
		}
	case opBool:
		var b bool
		switch {
		case strings.EqualFold(v, "true"):
			b = true
		case strings.EqualFold(v, "false"):
		default:
			return false
		}
		for _, want := range c.bools {
			if want == b {
				return true
			}
		}
	case opIPAddress:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range c.nets {
			if p.Contains(a) {
				return true
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		for _, d := range c.dates {
			if compares(c.op-opDateEquals, t.Compare(d)) {
				return true
			}
		}
	default: // Numeric*
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		for _, n := range c.nums {
			cmp := 0
			if f < n {
				cmp = -1
			} else if f > n {
				cmp = 1
			}
			if compares(c.op-opNumericEquals, cmp) {
				return true
			}
		}
	}
	return false
}

// compares applies the ordered comparison at offset rel (Equals, LessThan, LessThanEquals,
// GreaterThan, GreaterThanEquals, in the order of the opKind constants) to cmp, the sign of
// request value minus policy value.
func compares(rel opKind, cmp int) bool {
	switch rel {
	case 0:
		return cmp == 0
	case 1:
		return cmp < 0
	case 2:
		return cmp <= 0
	case 3:
		return cmp > 0
	}
	return cmp >= 0
}

// matchARN matches v component by component against a six-part ARN pattern, so that a '*' in
// one component never spans a colon (the ArnLike example of Conditions_ARN).
func matchARN(ev *evaluator, parts *[6]pattern, v string) bool {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(v, ':')
		if j < 0 {
			return false
		}
		if !ev.match(&parts[i], v[:j]) {
			return false
		}
		v = v[j+1:]
	}
	return ev.match(&parts[5], v)
}
