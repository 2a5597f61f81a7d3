package imaging

import (
	"errors"
	"testing"
)

// FuzzParse: Parse never panics, refuses only with an OptionError, and its canonical form is a
// fixed point (parsing it gives back the same canonical string), which is what makes it a safe
// cache key.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"width=300,format=auto", "w=1,h=2,fit=cover,g=0.5x0.3,dpr=2.5", "background=rgba(1,2,3,0.5),q=high",
		"trim=1;2;3;4,rotate=90,blur=3,sharpen=1,metadata=keep,anim=false,onerror=redirect", "q=,", "(((,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := Parse(s)
		if err != nil {
			var oe *OptionError
			if !errors.As(err, &oe) {
				t.Fatalf("Parse(%q) error %v is not an OptionError", s, err)
			}
			return
		}
		c := o.Canonical()
		again, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", c, s, err)
		}
		if c2 := again.Canonical(); c2 != c {
			t.Fatalf("canonical not stable: %q -> %q -> %q", s, c, c2)
		}
	})
}
