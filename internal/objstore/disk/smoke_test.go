package disk

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func TestSmoke(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Dir = t.TempDir()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.CreateBucket(ctx, objstore.Bucket{Name: "bkt"}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 10, 70 << 10, 1 << 20} {
		body := bytes.Repeat([]byte("x"), size)
		info, err := s.PutObject(ctx, objstore.PutInput{Bucket: "bkt", Key: "a/b" + strings.Repeat("z", size%7), Body: bytes.NewReader(body), Size: int64(size)})
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.OpenObject(ctx, "bkt", info.Key, "")
		if err != nil {
			t.Fatal(err)
		}
		r, _ := o.NewReader(0, -1)
		got, _ := io.ReadAll(r)
		if !bytes.Equal(got, body) {
			t.Fatalf("size %d: got %d bytes", size, len(got))
		}
		o.Close()
	}
	res, err := s.ListObjects(ctx, "bkt", objstore.ListInput{MaxKeys: 10, Delimiter: "/"})
	t.Logf("%+v %v", res, err)
}
