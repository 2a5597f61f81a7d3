package crypt

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the stream readers under a fixed key. They must never
// panic, and must never yield plaintext other than that of a genuine stream: every stream
// ever sealed under fuzzKey encrypts pattern(n), so any successful read must return exactly
// the corresponding bytes of pattern, and anything else must fail with ErrAuthentication.
func FuzzReader(f *testing.F) {
	key, err := DataKeyFromBytes(bytes.Repeat([]byte{0x42}, KeySize))
	if err != nil {
		f.Fatal(err)
	}
	for _, size := range []int{0, 1, 15, 16, 17, 40, 100} {
		for _, shift := range []uint8{minChunkShift, minChunkShift + 1, defaultChunkShift} {
			ct, err := seal(nil, key, pattern(size), shift)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(ct, uint16(0), uint16(size))
			f.Add(ct, uint16(size/2), uint16(size/3+1))
		}
	}
	f.Add([]byte("ICDE\x01\x04\x00\x00prefix!!"), uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, ct []byte, off, n uint16) {
		if got, err := Open(nil, key, ct); err == nil {
			if !bytes.Equal(got, pattern(len(got))) {
				t.Fatalf("Open authenticated a forged stream: %x", got)
			}
		} else if !errors.Is(err, ErrAuthentication) {
			t.Fatalf("Open: unexpected error %v", err)
		}

		rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
		if err != nil {
			if !errors.Is(err, ErrAuthentication) {
				t.Fatalf("NewReaderAt: unexpected error %v", err)
			}
			return
		}
		size := rd.PlaintextSize()
		o := min(int64(off), size)
		l := min(int64(n), size-o)
		got, err := io.ReadAll(rd.NewRangeReader(o, l))
		genuine := pattern(int(size))[o : o+l]
		if !bytes.HasPrefix(genuine, got) {
			t.Fatalf("range [%d,+%d) yielded bytes that are not genuine plaintext: %x", o, l, got)
		}
		if err != nil && !errors.Is(err, ErrAuthentication) {
			t.Fatalf("range read: unexpected error %v", err)
		}
		if err == nil && len(got) != int(l) {
			t.Fatalf("range read returned %d bytes without error, want %d", len(got), l)
		}
	})
}
