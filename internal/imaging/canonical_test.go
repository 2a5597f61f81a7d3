package imaging

import "testing"

func TestCanonicalOneStringPerVariant(t *testing.T) {
	groups := [][]string{
		{"w=300,format=auto", "format=auto,width=300", "f=auto,w=0300", "width=300,format=auto,anim=true,fit=scale-down,dpr=1"},
		{"background=#fff,fit=pad,w=10,h=10", "h=10,w=10,fit=pad,background=white", "fit=pad,background=rgb(255,255,255),height=10,width=10", "fit=pad,background=#FFF,w=10,h=10"},
		{"gravity=center,fit=cover,w=5", "fit=cover,w=5"},
		{"q=high", "quality=high"},
		{"metadata=none", "", "sharpen=0"},
		{"dpr=2.50,w=1", "w=1,dpr=2.5"},
	}
	for _, g := range groups {
		var first string
		for i, s := range g {
			o, err := Parse(s)
			if err != nil {
				t.Fatalf("Parse(%q): %v", s, err)
			}
			c := o.Canonical()
			if i == 0 {
				first = c
				continue
			}
			if c != first {
				t.Errorf("Canonical(%q) = %q, want %q as for %q", s, c, first, g[0])
			}
		}
	}
}

func TestCanonicalFixedOrder(t *testing.T) {
	in := "onerror=redirect,anim=false,metadata=keep,f=webp,q=70,background=#00000080,sharpen=1.5,blur=3,rotate=180,trim=1;2;3;4,g=0.25x0.75,fit=crop,dpr=3,h=20,w=10"
	o, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	want := "width=10,height=20,dpr=3,fit=crop,gravity=0.25x0.75,trim=1;2;3;4,rotate=180,blur=3,sharpen=1.5,background=#00000080,quality=70,format=webp,metadata=keep,anim=false,onerror=redirect"
	if got := o.Canonical(); got != want {
		t.Fatalf("Canonical =\n %s\nwant\n %s", got, want)
	}
	again, err := Parse(want)
	if err != nil || again.Canonical() != want {
		t.Fatalf("canonical form does not parse back to itself: %v %q", err, again.Canonical())
	}
}
