package storetest

import (
	"bytes"
	"io"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// testSnapshot: an open Object keeps reading the version it opened after the key is
// overwritten or deleted, for inline-sized, large and multipart bodies.
func testSnapshot(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "mp")
	bodies := e.partBodies(70, 3)
	var parts []objstore.PartInfo
	for i, body := range bodies {
		parts = append(parts, e.part(u, i+1, body))
	}
	if _, err := e.complete(u, parts, objstore.WriteConditions{}); err != nil {
		e.t.Fatal(err)
	}
	cases := map[string][]byte{"small": payload(1, 100), "large": payload(2, 700<<10), "mp": bytes.Join(bodies, nil)}
	for key, body := range cases {
		if key != "mp" {
			e.put(b, key, body)
		}
		for _, then := range []string{"overwrite", "delete"} {
			o, err := e.s.OpenObject(e.ctx, b, key, "")
			if err != nil {
				e.t.Fatal(err)
			}
			early, err := o.NewReader(1, -1) // a reader made before the change
			if err != nil {
				e.t.Fatal(err)
			}
			if then == "overwrite" {
				e.put(b, key, []byte("new body"))
			} else if _, err := e.s.DeleteObject(e.ctx, b, key, ""); err != nil {
				e.t.Fatal(err)
			}
			got, err := io.ReadAll(early)
			early.Close()
			if err != nil || !bytes.Equal(got, body[1:]) {
				e.t.Fatalf("%s after %s: early reader got %d bytes, %v", key, then, len(got), err)
			}
			if got := e.readRange(o, 0, -1); !bytes.Equal(got, body) {
				e.t.Fatalf("%s after %s: snapshot read %d bytes, want the old %d", key, then, len(got), len(body))
			}
			if o.Info().Size != int64(len(body)) {
				e.t.Fatalf("%s after %s: Info changed to %+v", key, then, o.Info())
			}
			o.Close()
			e.put(b, key, body) // restore for the next case
		}
	}
}
