package policy

// MalformedError reports a policy document that Parse refuses. Msg is written for the user and
// matches the wording of S3's MalformedPolicy messages where AWS has one ("Policy has invalid
// action", "Invalid principal in policy", ...), so the S3 layer can return it verbatim as the
// MalformedPolicy error's message.
type MalformedError struct {
	Msg string
}

func (e *MalformedError) Error() string { return "malformed policy: " + e.Msg }

func malformed(msg string) error { return &MalformedError{Msg: msg} }
