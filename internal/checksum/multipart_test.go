package checksum

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func sumOf(t *testing.T, alg string, b []byte) string {
	t.Helper()
	h, err := New(alg)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(b)
	return Encode(h.Sum(nil))
}

// TestFullObjectSum combines part CRCs and compares with the CRC of the concatenation.
func TestFullObjectSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	layouts := [][]int{
		{0},
		{1},
		{11},
		{5 << 20, 5 << 20, 1},
		{0, 0, 7, 0},
		{1, 1, 1, 1, 1, 1, 1, 1, 1},
		{65536, 1024},
		{3, 1 << 20, 17, 255, 256, 257},
	}
	for i := 0; i < 20; i++ {
		var l []int
		for j := rng.IntN(8) + 1; j > 0; j-- {
			l = append(l, rng.IntN(70000))
		}
		layouts = append(layouts, l)
	}
	for _, alg := range []string{"CRC32", "CRC32C", "CRC64NVME"} {
		for _, layout := range layouts {
			var whole []byte
			var parts []Part
			for _, n := range layout {
				b := make([]byte, n)
				for k := range b {
					b[k] = byte(rng.Uint32())
				}
				whole = append(whole, b...)
				parts = append(parts, Part{Checksum: sumOf(t, alg, b), Size: int64(n)})
			}
			got, err := FullObjectSum(alg, parts)
			if err != nil {
				t.Fatal(err)
			}
			if want := sumOf(t, alg, whole); got != want {
				t.Errorf("%s %v: combined %s, direct %s", alg, layout, got, want)
			}
		}
	}
}

// TestCombineLargeLengths checks associativity at lengths far beyond what the test can hash
// (5 GiB parts, 5 TiB objects): combining (A,B) then C must equal A then (B,C).
func TestCombineLargeLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range []crcSpec{specCRC32, specCRC32C, specCRC64NVME} {
		mask := uint64(1)<<s.width - 1
		if s.width == 64 {
			mask = ^uint64(0)
		}
		for i := 0; i < 50; i++ {
			a, b, c := rng.Uint64()&mask, rng.Uint64()&mask, rng.Uint64()&mask
			lb, lc := rng.Int64N(5<<40), rng.Int64N(5<<30)
			left := s.combine(s.combine(a, b, lb), c, lc)
			right := s.combine(a, s.combine(b, c, lc), lb+lc)
			if left != right {
				t.Fatalf("width %d: combine not associative at lengths %d, %d", s.width, lb, lc)
			}
		}
	}
}

// TestCompositeSum checks the composite value against an independent computation: CRC32 of
// the concatenated raw part CRC32s, "-N".
func TestCompositeSum(t *testing.T) {
	parts := [][]byte{bytes.Repeat([]byte("a"), 5<<20), []byte("hello"), {}}
	var raw []byte
	var in []Part
	for _, p := range parts {
		raw = append(raw, crc32Of(p)...)
		in = append(in, Part{Checksum: Encode(crc32Of(p))})
	}
	got, err := CompositeSum("crc32", in)
	if err != nil {
		t.Fatal(err)
	}
	if want := Encode(crc32Of(raw)) + "-3"; got != want {
		t.Errorf("CompositeSum = %s, want %s", got, want)
	}
	got, err = CompositeSum("SHA256", []Part{{Checksum: sumOf(t, "SHA256", []byte("x"))}})
	if err != nil || len(got) != 44+2 || got[44:] != "-1" {
		t.Errorf("SHA256 composite = %q, %v", got, err)
	}
}

func TestMultipartErrors(t *testing.T) {
	good := Part{Checksum: "DUoRhQ==", Size: 11}
	for _, tc := range []struct {
		name string
		fn   func() (string, error)
		want error
	}{
		{"composite crc64nvme", func() (string, error) { return CompositeSum("CRC64NVME", nil) }, ErrInvalidType},
		{"full object sha256", func() (string, error) { return FullObjectSum("SHA256", nil) }, ErrInvalidType},
		{"composite unknown", func() (string, error) { return CompositeSum("XXHASH3", nil) }, ErrUnsupportedAlgorithm},
		{"full object bad part", func() (string, error) { return FullObjectSum("CRC32", []Part{good, {Checksum: "x"}}) }, ErrInvalidValue},
		{"composite bad part", func() (string, error) { return CompositeSum("CRC32", []Part{{Checksum: "jSnVw/bqjr4="}}) }, ErrInvalidValue},
		{"negative size", func() (string, error) { return FullObjectSum("CRC32", []Part{{Checksum: "DUoRhQ==", Size: -1}}) }, ErrInvalidValue},
	} {
		if _, err := tc.fn(); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestParseType(t *testing.T) {
	for _, tc := range []struct {
		v    string
		alg  Algorithm
		want Type
		err  error
	}{
		{"", CRC32, Composite, nil},
		{"", CRC64NVME, FullObject, nil},
		{"", SHA256, Composite, nil},
		{"FULL_OBJECT", CRC32, FullObject, nil},
		{"FULL_OBJECT", CRC32C, FullObject, nil},
		{"COMPOSITE", CRC32C, Composite, nil},
		{"COMPOSITE", CRC64NVME, "", ErrInvalidType},
		{"FULL_OBJECT", SHA1, "", ErrInvalidType},
		{"FULL_OBJECT", MD5, "", ErrInvalidType},
		{"full_object", CRC32, "", ErrInvalidType},
		{"BOTH", CRC32, "", ErrInvalidType},
	} {
		got, err := ParseType(tc.v, tc.alg)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Errorf("ParseType(%q, %s) = %q, %v; want %q, %v", tc.v, tc.alg, got, err, tc.want, tc.err)
		}
	}
}
