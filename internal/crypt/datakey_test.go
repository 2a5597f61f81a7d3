package crypt

import (
	"bytes"
	"errors"
	"testing"
)

func testMasterKey(t *testing.T, fill byte) *MasterKey {
	t.Helper()
	m, err := MasterKeyFromBytes(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWrapUnwrapRoundTrip(t *testing.T) {
	m := testMasterKey(t, 1)
	ctx := []byte("bucket/object-internal-id-0001")
	dk, wk, err := m.NewDataKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := wk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != WrappedKeySize || WrappedKeySize != 69 {
		t.Fatalf("record is %d bytes (WrappedKeySize %d), want 69", len(rec), WrappedKeySize)
	}
	if bytes.Contains(rec, dk.k[:8]) {
		t.Fatal("the record contains data key bytes in the clear")
	}
	var back WrappedKey
	if err := back.UnmarshalBinary(rec); err != nil {
		t.Fatal(err)
	}
	if back != wk {
		t.Fatal("UnmarshalBinary(MarshalBinary(w)) != w")
	}
	if back.MasterKeyID() != m.ID() {
		t.Errorf("MasterKeyID() = %s, want %s", back.MasterKeyID(), m.ID())
	}
	got, err := m.Unwrap(back, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != dk {
		t.Fatal("unwrapped key differs")
	}
	// Two data keys are different, and so are two wraps of one key (random nonce).
	dk2, wk2, _ := m.NewDataKey(ctx)
	if dk2 == dk || wk2 == wk {
		t.Fatal("NewDataKey repeated a key or a wrapping")
	}
	re, _ := m.Wrap(dk, ctx)
	if re == wk {
		t.Fatal("Wrap repeated its nonce")
	}
	if got, err := m.Unwrap(re, ctx); err != nil || got != dk {
		t.Fatalf("Unwrap(Wrap(dk)) = %v", err)
	}
	app, err := wk.AppendBinary([]byte("prefix"))
	if err != nil || !bytes.Equal(app, append([]byte("prefix"), rec...)) {
		t.Fatalf("AppendBinary = %q, %v", app, err)
	}
}

func TestUnwrapRefusals(t *testing.T) {
	m := testMasterKey(t, 1)
	other := testMasterKey(t, 2)
	ctx := []byte("object-1")
	_, wk, err := m.NewDataKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Unwrap(wk, ctx); !errors.Is(err, ErrWrongMasterKey) {
		t.Errorf("wrong master key: err = %v, want ErrWrongMasterKey", err)
	} else if !bytes.Contains([]byte(err.Error()), []byte(m.ID())) || !bytes.Contains([]byte(err.Error()), []byte(other.ID())) {
		t.Errorf("wrong master key message %q should name both key ids", err)
	}
	for _, c := range [][]byte{[]byte("object-2"), []byte("object-1\x00"), []byte("object-"), nil} {
		if _, err := m.Unwrap(wk, c); !errors.Is(err, ErrAuthentication) {
			t.Errorf("context %q: err = %v, want ErrAuthentication", c, err)
		}
	}
	// Every flipped bit of the record is refused by UnmarshalBinary or Unwrap.
	rec, _ := wk.MarshalBinary()
	for i := range len(rec) * 8 {
		bad := bytes.Clone(rec)
		bad[i/8] ^= 1 << (i % 8)
		var w WrappedKey
		if err := w.UnmarshalBinary(bad); err != nil {
			if !errors.Is(err, ErrInvalidWrappedKey) {
				t.Fatalf("bit %d: UnmarshalBinary err = %v", i, err)
			}
			continue
		}
		_, err := m.Unwrap(w, ctx)
		if !errors.Is(err, ErrAuthentication) && !errors.Is(err, ErrWrongMasterKey) {
			t.Fatalf("bit %d: Unwrap err = %v, want an authentication failure", i, err)
		}
	}
}

func TestWrappedKeyFraming(t *testing.T) {
	var w WrappedKey
	for _, b := range [][]byte{nil, make([]byte, WrappedKeySize-1), make([]byte, WrappedKeySize+1), make([]byte, WrappedKeySize)} {
		if err := w.UnmarshalBinary(b); !errors.Is(err, ErrInvalidWrappedKey) {
			t.Errorf("UnmarshalBinary(%d bytes, version %v) err = %v, want ErrInvalidWrappedKey", len(b), b, err)
		}
	}
	if _, err := (WrappedKey{}).MarshalBinary(); !errors.Is(err, ErrInvalidWrappedKey) {
		t.Errorf("zero WrappedKey MarshalBinary err = %v", err)
	}
}

func TestZeroDataKeyRefused(t *testing.T) {
	var zero DataKey
	m := testMasterKey(t, 1)
	if _, err := m.Wrap(zero, nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Wrap(zero) err = %v", err)
	}
	if _, err := Seal(nil, zero, []byte("x")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Seal(zero) err = %v", err)
	}
	if _, err := Open(nil, zero, make([]byte, 64)); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Open(zero) err = %v", err)
	}
	if _, err := NewReaderAt(bytes.NewReader(make([]byte, 64)), 64, zero); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("NewReaderAt(zero) err = %v", err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, zero)
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Writer.Write(zero key) err = %v", err)
	}
	if err := w.Close(); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Writer.Close(zero key) err = %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a writer with a zero key wrote %d bytes", buf.Len())
	}
}
