package httpserver

// byteClass is a read-only lookup table of the bytes in one class.
type byteClass [256]bool

func newByteClass(in func(c byte) bool) *byteClass {
	var t byteClass
	for c := 0; c < 256; c++ {
		t[c] = in(byte(c))
	}
	return &t
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }

func contains(set string, c byte) bool { return indexByte(set, c) >= 0 }

// Byte classes, written once at package initialization and only read afterwards.
var (
	// tokenBytes is tchar (RFC 9110 §5.6.2): methods and header names.
	tokenBytes = newByteClass(func(c byte) bool { return alnum(c) || contains("!#$%&'*+-.^_`|~", c) })
	// valueBytes is field-vchar, SP and HTAB (RFC 9110 §5.5): no CR, LF, NUL or DEL.
	valueBytes = newByteClass(func(c byte) bool { return c == '\t' || c >= 0x20 && c != 0x7f })
	// hostBytes are the Host characters net/http accepts
	// (golang.org/x/net/http/httpguts.ValidHostHeader).
	hostBytes = newByteClass(func(c byte) bool { return alnum(c) || contains("!$%&()*+,-.:;=[']_~", c) })
	// pathBytes are the path bytes net/url keeps verbatim (no RawPath, nothing to
	// unescape): unreserved, and the reserved characters it does not escape in a path.
	pathBytes = newByteClass(func(c byte) bool { return alnum(c) || contains("-._~$&+,/:;=@", c) })
)

func isTokenByte(c byte) bool { return tokenBytes[c] }

func isValueByte(c byte) bool { return valueBytes[c] }

func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		if !hostBytes[h[i]] {
			return false
		}
	}
	return true
}
