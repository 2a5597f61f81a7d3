package disk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func TestInlineClass(t *testing.T) {
	for _, tc := range []struct{ n, class, capacity int }{
		{1, 0, 4 << 10},
		{4 << 10, 0, 4 << 10},
		{4<<10 + 1, 1, 8 << 10},
		{32 << 10, 3, 32 << 10},
		{32<<10 + 1, 4, 64 << 10},
		{MaxInlineMax, maxInlineClass - minInlineClass, MaxInlineMax},
	} {
		var p inlineBufs
		if got := inlineClass(tc.n); got != tc.class {
			t.Errorf("inlineClass(%d) = %d, want %d", tc.n, got, tc.class)
		}
		b := p.get(tc.n)
		if len(*b) != 0 || cap(*b) != tc.capacity {
			t.Errorf("get(%d): len %d cap %d, want 0 and %d", tc.n, len(*b), cap(*b), tc.capacity)
		}
	}
}

// TestInlineBufsWipe: a buffer that held decrypted plaintext goes back zeroed, up to its
// capacity; a plain one is returned as is.
func TestInlineBufsWipe(t *testing.T) {
	for _, wipe := range []bool{true, false} {
		var p inlineBufs
		b := p.get(100)
		*b = append(*b, bytes.Repeat([]byte{0xAB}, 100)...)
		p.put(b, wipe)
		if len(*b) != 0 {
			t.Fatalf("put left length %d", len(*b))
		}
		full := (*b)[:cap(*b)]
		if got := bytes.Count(full[:100], []byte{0xAB}); (got == 0) != wipe {
			t.Errorf("wipe=%v: %d bytes of plaintext left", wipe, got)
		}
	}
}

// inlineCases are the inline bodies the buffer tests read: plain and encrypted, a size at a
// class boundary and one just past it.
var inlineCases = []struct {
	name string
	size int
	enc  string
}{
	{"plain-32K", 32 << 10, ""},
	{"plain-5000", 5000, ""},
	{"encrypted-32K", 32 << 10, objstore.EncryptionAES256},
	{"encrypted-1", 1, objstore.EncryptionAES256},
}

func openInline(t *testing.T, s *Store, key string) objstore.Object {
	t.Helper()
	o, err := s.OpenObject(context.Background(), "bkt", key, "")
	if err != nil {
		t.Fatalf("OpenObject(%q): %v", key, err)
	}
	return o
}

// TestInlineReaderOutlivesObject: a reader made before Object.Close keeps reading its own
// bytes even though the Object's buffer could go back to the pool, and later GETs (which
// take buffers from that pool) never show through it. Closing the last holder frees the
// buffer; NewReader after Close and Read after the reader's Close fail.
func TestInlineReaderOutlivesObject(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.MasterKey = testKey(t, 3) })
	mustBucket(t, s, "bkt")
	for _, tc := range inlineCases {
		t.Run(tc.name, func(t *testing.T) {
			want := payload(uint64(tc.size), tc.size)
			other := payload(uint64(tc.size)+1, tc.size)
			for key, body := range map[string][]byte{"a": want, "b": other} {
				_, err := s.PutObject(context.Background(), objstore.PutInput{Bucket: "bkt", Key: tc.name + key,
					Body: bytes.NewReader(body), Size: int64(len(body)), Encryption: tc.enc})
				if err != nil {
					t.Fatal(err)
				}
			}
			o := openInline(t, s, tc.name+"a")
			rc, err := o.NewReader(0, -1)
			if err != nil {
				t.Fatal(err)
			}
			half := make([]byte, tc.size/2)
			if _, err := io.ReadFull(rc, half); err != nil {
				t.Fatal(err)
			}
			if err := o.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := o.NewReader(0, -1); !errors.Is(err, os.ErrClosed) {
				t.Errorf("NewReader after Close: %v, want os.ErrClosed", err)
			}
			// Several GETs of another body, each of which could reuse a freed buffer.
			for range 4 {
				if got := readAll(t, s, "bkt", tc.name+"b"); !bytes.Equal(got, other) {
					t.Fatal("second object read wrong bytes")
				}
			}
			rest, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if got := append(half, rest...); !bytes.Equal(got, want) {
				t.Fatal("a reader made before Object.Close saw its bytes change")
			}
			if err := rc.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := rc.Read(make([]byte, 1)); err == nil {
				t.Error("Read after the reader's Close succeeded")
			}
			if err := rc.Close(); err != nil { // idempotent
				t.Fatal(err)
			}
			if o.(*object).inline.refs.Load() != 0 {
				t.Errorf("%d references left after every holder closed", o.(*object).inline.refs.Load())
			}
		})
	}
}

// TestInlineConcurrentReaders: readers of one Object, of different ranges, each see their
// own bytes while the Object closes under them (run with -race).
func TestInlineConcurrentReaders(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	body := payload(9, 20000)
	mustPut(t, s, "bkt", "k", body)
	o := openInline(t, s, "k")
	type span struct{ off, n int64 }
	spans := []span{{0, 20000}, {1, 100}, {19999, 1}, {5000, 10000}}
	readers := make([]io.ReadCloser, len(spans))
	for i, sp := range spans {
		rc, err := o.NewReader(sp.off, sp.n)
		if err != nil {
			t.Fatal(err)
		}
		readers[i] = rc
	}
	o.Close()
	errs := make(chan error, len(spans))
	for i, sp := range spans {
		go func() {
			defer readers[i].Close()
			var got bytes.Buffer
			if _, err := io.Copy(&got, readers[i]); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got.Bytes(), body[sp.off:sp.off+sp.n]) {
				errs <- errors.New("wrong bytes")
				return
			}
			errs <- nil
		}()
	}
	for range spans {
		if err := <-errs; err != nil {
			t.Errorf("reader: %v", err)
		}
	}
}
