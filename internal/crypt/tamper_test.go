package crypt

import (
	"bytes"
	"errors"
	"testing"
)

// checkRefused asserts that ct, a modified stream, opens to an ErrAuthentication error through
// every API, and that the range reader released nothing but a correct prefix of the genuine
// plaintext before failing (bytes of chunks that authenticated, at their true offsets).
func checkRefused(t *testing.T, key DataKey, ct, genuine []byte, what string) {
	t.Helper()
	if got, err := Open([]byte("dst"), key, ct); !errors.Is(err, ErrAuthentication) || string(got) != "dst" {
		t.Fatalf("%s: Open = %q, %v; want dst unchanged and ErrAuthentication", what, got, err)
	}
	for _, viaRead := range []bool{true, false} {
		got, err := readRange(t, key, ct, 0, int64(len(genuine)), viaRead)
		if !errors.Is(err, ErrAuthentication) {
			// A stream cut or extended by whole chunks has another plaintext size, so the
			// genuine range is out of bounds (ErrRange); read it with the size it claims.
			full, err2 := readFullSize(key, ct)
			if !errors.Is(err2, ErrAuthentication) {
				t.Fatalf("%s: read = %v / %v, want ErrAuthentication (got %d bytes)", what, err, err2, len(full))
			}
		}
		if !bytes.HasPrefix(genuine, got) {
			t.Fatalf("%s: reader returned bytes that are not the genuine plaintext: %x", what, got)
		}
	}
}

// readFullSize reads the whole plaintext of ct taking the size from ct itself.
func readFullSize(key DataKey, ct []byte) ([]byte, error) {
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	_, err = rd.NewRangeReader(0, rd.PlaintextSize()).WriteTo(&out)
	return out.Bytes(), err
}

func TestEveryFlippedBitIsDetected(t *testing.T) {
	key := testKey(t)
	for _, size := range []int{0, 5, 16, 40} {
		pt := pattern(size)
		ct := encrypt(t, key, minChunkShift, pt, 0)
		for bit := range len(ct) * 8 {
			bad := bytes.Clone(ct)
			bad[bit/8] ^= 1 << (bit % 8)
			checkRefused(t, key, bad, pt, "size "+itoa(size)+" bit "+itoa(bit))
			// Every sub-range that includes the damaged chunk fails too, and none returns
			// a wrong byte.
			if bit/8 >= HeaderSize {
				chunk := int64(bit/8-HeaderSize) / (16 + Overhead)
				rd, err := NewReaderAt(bytes.NewReader(bad), int64(len(bad)), key)
				if err != nil {
					t.Fatal(err)
				}
				off := chunk * 16
				n := min(int64(size)-off, 16)
				if _, err := rd.NewRangeReader(off, n).Read(make([]byte, 16)); n > 0 && !errors.Is(err, ErrAuthentication) {
					t.Fatalf("size %d bit %d: range over the damaged chunk: %v", size, bit, err)
				}
			}
		}
	}
}

func TestStructuralTampering(t *testing.T) {
	const chunk = 1 << minChunkShift
	const ctChunk = chunk + Overhead
	key := testKey(t)
	pt := pattern(3*chunk + 5) // chunks 0, 1, 2 full, 3 final with 5 bytes
	ct := encrypt(t, key, minChunkShift, pt, 0)
	body := func(i int) []byte { return ct[HeaderSize+i*ctChunk : min(HeaderSize+(i+1)*ctChunk, len(ct))] }
	other := encrypt(t, key, minChunkShift, pt, 0) // same key and plaintext, other prefix
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	hdr := ct[:HeaderSize]

	tests := []struct {
		name string
		ct   []byte
	}{
		{"drop the final chunk", cat(hdr, body(0), body(1), body(2))},
		{"drop the final two chunks", cat(hdr, body(0), body(1))},
		{"drop a middle chunk", cat(hdr, body(0), body(2), body(3))},
		{"swap two chunks", cat(hdr, body(1), body(0), body(2), body(3))},
		{"duplicate a chunk", cat(hdr, body(0), body(0), body(1), body(2), body(3))},
		{"append a full chunk", cat(ct, body(1))},
		{"append the final chunk again", cat(ct, body(3))},
		{"append a byte", cat(ct, []byte{0})},
		{"cut one byte", ct[:len(ct)-1]},
		{"cut the final tag", ct[:len(ct)-Overhead]},
		{"header only", hdr},
		{"empty", nil},
		{"chunk from another stream", cat(hdr, body(0), other[HeaderSize+ctChunk:HeaderSize+2*ctChunk], body(2), body(3))},
		{"header from another stream", cat(other[:HeaderSize], ct[HeaderSize:])},
		{"chunk size claimed 32", cat(hdr[:5], []byte{5}, hdr[6:], ct[HeaderSize:])},
		{"plain text", pattern(len(ct))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRefused(t, key, tt.ct, pt, tt.name) })
	}

	// A file truncated behind the store's back, read with the size from metadata.
	trunc := ct[:HeaderSize+2*ctChunk]
	rd, err := NewReaderAt(bytes.NewReader(trunc), int64(len(ct)), key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAllRange(rd, 0, int64(len(pt)))
	if !errors.Is(err, ErrAuthentication) || !bytes.Equal(got, pt[:2*chunk]) {
		t.Fatalf("truncated file: got %d bytes, %v", len(got), err)
	}
}

func TestWrongDataKey(t *testing.T) {
	pt := pattern(100)
	ct := encrypt(t, testKey(t), minChunkShift, pt, 0)
	checkRefused(t, testKey(t), ct, pt, "wrong key")
}

func TestWrongMasterKeyOrContextEndToEnd(t *testing.T) {
	m := testMasterKey(t, 7)
	ctx := []byte("object-a")
	dk, wk, err := m.NewDataKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(nil, dk, []byte("inline body"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testMasterKey(t, 8).Unwrap(wk, ctx); !errors.Is(err, ErrWrongMasterKey) {
		t.Fatalf("wrong master key: %v", err)
	}
	if _, err := m.Unwrap(wk, []byte("object-b")); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("wrong context: %v", err)
	}
	k, err := m.Unwrap(wk, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Open(nil, k, sealed); err != nil || string(got) != "inline body" {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func readAllRange(rd *Reader, off, n int64) ([]byte, error) {
	var out bytes.Buffer
	_, err := rd.NewRangeReader(off, n).WriteTo(&out)
	return out.Bytes(), err
}

func itoa(i int) string {
	return string(appendInt(nil, i))
}

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}
