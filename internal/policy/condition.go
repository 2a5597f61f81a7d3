package policy

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// opKind is a condition operator family with its positive meaning; negated operators
// (StringNotEquals, NotIpAddress, ...) are the same kind with condition.negate set.
type opKind uint8

const (
	opStringEquals opKind = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike // ArnEquals and ArnLike "behave identically"
	opNull
)

type opDef struct {
	kind   opKind
	negate bool
}

// operators lists every condition operator of reference_policies_elements_condition_operators.html,
// keyed by lower-cased name (without ForAnyValue:/ForAllValues: and IfExists).
var operators = map[string]opDef{
	"stringequals":              {opStringEquals, false},
	"stringnotequals":           {opStringEquals, true},
	"stringequalsignorecase":    {opStringEqualsIgnoreCase, false},
	"stringnotequalsignorecase": {opStringEqualsIgnoreCase, true},
	"stringlike":                {opStringLike, false},
	"stringnotlike":             {opStringLike, true},
	"numericequals":             {opNumericEquals, false},
	"numericnotequals":          {opNumericEquals, true},
	"numericlessthan":           {opNumericLessThan, false},
	"numericlessthanequals":     {opNumericLessThanEquals, false},
	"numericgreaterthan":        {opNumericGreaterThan, false},
	"numericgreaterthanequals":  {opNumericGreaterThanEquals, false},
	"dateequals":                {opDateEquals, false},
	"datenotequals":             {opDateEquals, true},
	"datelessthan":              {opDateLessThan, false},
	"datelessthanequals":        {opDateLessThanEquals, false},
	"dategreaterthan":           {opDateGreaterThan, false},
	"dategreaterthanequals":     {opDateGreaterThanEquals, false},
	"bool":                      {opBool, false},
	"binaryequals":              {opBinaryEquals, false},
	"ipaddress":                 {opIPAddress, false},
	"notipaddress":              {opIPAddress, true},
	"arnequals":                 {opArnLike, false},
	"arnlike":                   {opArnLike, false},
	"arnnotequals":              {opArnLike, true},
	"arnnotlike":                {opArnLike, true},
	"null":                      {opNull, false},
}

// qualifier is a set operator prefix.
type qualifier uint8

const (
	qualNone qualifier = iota
	qualAnyValue
	qualAllValues
)

// condition is one (operator, key) pair of a Condition block with its values compiled.
type condition struct {
	op       opKind
	negate   bool
	ifExists bool
	qual     qualifier
	key      string // lower-cased: condition keys are case-insensitive

	strs  []pattern      // String*, BinaryEquals (decoded into lit)
	arns  []arnPattern   // Arn*
	nums  []float64      // Numeric*
	dates []time.Time    // Date*
	nets  []netip.Prefix // IpAddress, NotIpAddress
	bools []bool         // Bool, Null
}

// parseConditionBlock compiles a statement's Condition element: an object of operators, each an
// object of keys, each a value or a list of values.
func parseConditionBlock(raw json.RawMessage, vars bool) ([]condition, error) {
	ops, err := readObject(raw, "Condition")
	if err != nil {
		return nil, err
	}
	var out []condition
	for _, o := range ops {
		keys, err := readObject(o.val, "Condition operator "+o.name)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return nil, malformed(fmt.Sprintf("Condition operator %s has no condition keys", o.name))
		}
		for _, k := range keys {
			c, err := parseCondition(o.name, k.name, k.val, vars)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func parseCondition(opName, key string, raw json.RawMessage, vars bool) (condition, error) {
	var c condition
	name := strings.ToLower(opName)
	if rest, ok := strings.CutPrefix(name, "foranyvalue:"); ok {
		c.qual, name = qualAnyValue, rest
	} else if rest, ok := strings.CutPrefix(name, "forallvalues:"); ok {
		c.qual, name = qualAllValues, rest
	}
	if rest, ok := strings.CutSuffix(name, "ifexists"); ok {
		c.ifExists, name = true, rest
	}
	def, ok := operators[name]
	// IfExists can be added to "any condition operator name except the Null condition", and a
	// set qualifier makes no sense on a presence test either.
	if !ok || (def.kind == opNull && (c.ifExists || c.qual != qualNone)) {
		return c, malformed(fmt.Sprintf("Policy has an invalid condition operator: %s", opName))
	}
	c.op, c.negate = def.kind, def.negate
	c.key = strings.ToLower(key)
	if !validKey(c.key) {
		return c, malformed(fmt.Sprintf("Policy has an invalid condition key: %s", key))
	}
	vals, ok := scalarList(raw)
	if !ok {
		return c, malformed(fmt.Sprintf("Invalid value for condition key %s of %s: expected a string, number, boolean or a non-empty list of them", key, opName))
	}
	if err := c.compileValues(vals, vars); err != nil {
		return c, malformed(fmt.Sprintf("Invalid value for condition key %s of %s: %v", key, opName, err))
	}
	return c, nil
}

// compileValues parses the policy's values for the operator. Policy variables are allowed only
// with the string and ARN operators (reference_policies_variables.html#policy-vars-conditionelement).
func (c *condition) compileValues(vals []string, vars bool) error {
	for _, v := range vals {
		switch c.op {
		case opStringEquals, opStringEqualsIgnoreCase:
			c.strs = append(c.strs, compilePattern(v, false, vars))
		case opStringLike:
			c.strs = append(c.strs, compilePattern(v, true, vars))
		case opArnLike:
			c.arns = append(c.arns, compileARN(v, vars))
		case opBinaryEquals:
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return fmt.Errorf("%q is not base64", v)
			}
			c.strs = append(c.strs, pattern{raw: v, lit: string(b)})
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("%q is not a number", v)
			}
			c.nums = append(c.nums, n)
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			t, ok := parseDate(v)
			if !ok {
				return fmt.Errorf("%q is not an ISO 8601 date or epoch time", v)
			}
			c.dates = append(c.dates, t)
		case opIPAddress:
			p, ok := parseCIDR(v)
			if !ok {
				return fmt.Errorf("%q is not an IP address or CIDR block", v)
			}
			c.nets = append(c.nets, p)
		case opBool, opNull:
			switch strings.ToLower(v) {
			case "true":
				c.bools = append(c.bools, true)
			case "false":
				c.bools = append(c.bools, false)
			default:
				return fmt.Errorf("%q is neither true nor false", v)
			}
		}
	}
	return nil
}

// compileARN splits an ARN pattern into its six colon-separated components; the last holds
// everything after the fifth colon. "Each of the six colon-delimited components of the ARN is
// checked separately and each can include ... wildcards" (Conditions_ARN). A pattern with fewer
// components (such as "*") is left empty and matched as a whole string instead.
func compileARN(v string, vars bool) arnPattern {
	out := arnPattern{whole: compilePattern(v, true, vars)}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 {
		return out
	}
	out.split = true
	for i, p := range parts {
		out.parts[i] = compilePattern(p, true, vars)
	}
	return out
}

// arnPattern is an Arn* condition value.
type arnPattern struct {
	whole pattern
	parts [6]pattern
	split bool // the value has six components; else whole is matched against the full ARN
}

// parseCIDR accepts a CIDR block or a bare address, which "IAM uses the default prefix value of
// /32" for (and /128 for IPv6). Host bits are cleared and IPv4-mapped IPv6 forms become IPv4.
func parseCIDR(v string) (netip.Prefix, bool) {
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return netip.Prefix{}, false
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseDate accepts the W3C profiles of ISO 8601 (http://www.w3.org/TR/NOTE-datetime) and epoch
// seconds, the two forms the Date operators take (Conditions_Date). A time without a zone is UTC.
func parseDate(v string) (time.Time, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var dateLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}
