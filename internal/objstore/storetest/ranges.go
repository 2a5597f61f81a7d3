package storetest

import (
	"bytes"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// rangeCases returns valid (offset, length) pairs at the edges of an n-byte body and of
// the given internal boundaries (for example part ends).
func rangeCases(n int64, boundaries ...int64) [][2]int64 {
	cases := [][2]int64{{0, -1}, {0, n}, {0, 0}, {n, 0}, {n, -1}}
	if n > 0 {
		cases = append(cases, [2]int64{0, 1}, [2]int64{n - 1, 1}, [2]int64{n - 1, -1}, [2]int64{1, n - 1}, [2]int64{n / 2, -1})
	}
	for _, b := range boundaries {
		for _, c := range [][2]int64{{b - 1, 1}, {b - 1, 2}, {b, 1}, {b, -1}, {b - 1, -1}, {0, b}, {0, b + 1}, {b - 1, n - b + 1}} {
			if c[0] >= 0 && c[0] <= n && (c[1] == -1 || c[0]+c[1] <= n) {
				cases = append(cases, c)
			}
		}
	}
	return cases
}

// checkRanges reads every case from o and compares with body, then checks invalid ranges.
func (e *env) checkRanges(o objstore.Object, body []byte, boundaries ...int64) {
	e.t.Helper()
	n := int64(len(body))
	for _, c := range rangeCases(n, boundaries...) {
		end := n
		if c[1] >= 0 {
			end = c[0] + c[1]
		}
		if got := e.readRange(o, c[0], c[1]); !bytes.Equal(got, body[c[0]:end]) {
			e.t.Fatalf("range (%d, %d) of %d bytes: got %d bytes, want %d", c[0], c[1], n, len(got), end-c[0])
		}
	}
	for _, c := range [][2]int64{{-1, 1}, {-1, -1}, {n + 1, 0}, {n + 1, -1}, {0, n + 1}, {n, 1}, {0, -2}} {
		rc, err := o.NewReader(c[0], c[1])
		if err == nil {
			rc.Close()
		}
		e.wantErr(fmt.Sprintf("NewReader(%d, %d) of %d bytes", c[0], c[1], n), err, objstore.ErrInvalidRange)
	}
}

func testRanges(e *env) {
	b := e.bucket("bkt")
	for i, n := range sizes {
		key := fmt.Sprint("r", i)
		body := payload(uint64(i), n)
		e.put(b, key, body)
		o, err := e.s.OpenObject(e.ctx, b, key, "")
		if err != nil {
			e.t.Fatal(err)
		}
		e.checkRanges(o, body, 4096, 32<<10, 64<<10, 256<<10)
		o.Close()
	}
}
