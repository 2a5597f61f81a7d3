package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// member is one "name": value pair of a JSON object, in document order.
type member struct {
	name string
	val  json.RawMessage
}

// readObject splits a JSON object into its members, keeping their order and refusing a name
// that appears twice: encoding/json would silently keep the last one, and a policy whose
// meaning depends on which duplicate wins must not be accepted. what names the object in
// error messages.
func readObject(data []byte, what string) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, malformed(what + " must be a JSON object")
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(what + " is not valid JSON")
		}
		name, ok := tok.(string)
		if !ok {
			return nil, malformed(what + " is not valid JSON")
		}
		for _, m := range out {
			if m.name == name {
				return nil, malformed(fmt.Sprintf("Duplicate field %s in %s", name, what))
			}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, malformed(what + " is not valid JSON")
		}
		out = append(out, member{name: name, val: raw})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, malformed(what + " is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed(what + " is not valid JSON")
	}
	return out, nil
}

// isObject reports whether raw is a JSON object (its first byte, after white space, is '{').
func isObject(raw json.RawMessage) bool {
	t := bytes.TrimLeft(raw, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// isArray reports whether raw is a JSON array.
func isArray(raw json.RawMessage) bool {
	t := bytes.TrimLeft(raw, " \t\r\n")
	return len(t) > 0 && t[0] == '['
}

// stringList decodes a policy element that is a string or an array of strings (Action,
// Resource, the values of a Principal map). An empty array and non-string items are refused
// with msg.
func stringList(raw json.RawMessage, msg string) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, malformed(msg)
	}
	return list, nil
}

// scalarList decodes a condition's values: a string, number or boolean, or an array of them.
// AWS accepts JSON numbers and booleans there ("Bool": {"aws:SecureTransport": false}) and
// compares their text.
func scalarList(raw json.RawMessage) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if list, ok := v.([]any); ok {
		if len(list) == 0 {
			return nil, false
		}
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := scalarText(e)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	s, ok := scalarText(v)
	if !ok {
		return nil, false
	}
	return []string{s}, true
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return "", false
}
