package disk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// BenchmarkServeGet compares plain and SSE-S3 GETs of whole objects served over loopback HTTP,
// the way s3api writes a body (io.Copy from the store's reader to the ResponseWriter): plain
// bodies go out with sendfile, encrypted ones are read, authenticated, decrypted and written.
// Client and server share the process, so cpu-us/op is the cost of both ends; the difference
// between the two cases is what encryption adds to a GET. Run the cases in one invocation to
// compare them on the same minutes of a shared machine:
//
//	go test -run '^$' -bench ServeGet -count 5 ./internal/objstore/disk
func BenchmarkServeGet(b *testing.B) {
	for _, size := range []int{32 << 10, 1 << 20} {
		for _, enc := range []string{"", objstore.EncryptionAES256} {
			name := fmt.Sprintf("%dKiB/plain", size>>10)
			if enc != "" {
				name = fmt.Sprintf("%dKiB/sse-s3", size>>10)
			}
			b.Run(name, func(b *testing.B) { benchServeGet(b, size, enc) })
		}
	}
}

func benchServeGet(b *testing.B, size int, encryption string) {
	s := benchStore(b, withKey(b))
	const keys = 64
	for i := 0; i < keys; i++ {
		body := payload(uint64(i), size)
		_, err := s.PutObject(context.Background(), objstore.PutInput{Bucket: "bench", Key: fmt.Sprintf("obj/%04d", i), Body: bytes.NewReader(body), Size: int64(size), Encryption: encryption})
		if err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := s.OpenObject(r.Context(), "bench", r.URL.Path[1:], "")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer o.Close()
		rc, err := o.NewReader(0, -1)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Length", strconv.FormatInt(o.Info().Size, 10))
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := io.Copy(w, rc); err != nil {
			panic(http.ErrAbortHandler)
		}
	}))
	b.Cleanup(srv.Close)
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	var n atomic.Int64
	b.SetBytes(int64(size))
	b.SetParallelism(8)
	cpu := startCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 32<<10)
		for pb.Next() {
			resp, err := client.Get(fmt.Sprintf("%s/obj/%04d", srv.URL, n.Add(1)%keys))
			if err != nil {
				b.Error(err)
				return
			}
			got, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{resp.Body}, buf)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || got != int64(size) {
				b.Errorf("status %d, %d of %d bytes, err %v", resp.StatusCode, got, size, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
	cpu.report(b)
}
