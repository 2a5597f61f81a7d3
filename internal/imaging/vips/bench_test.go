package vips

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

var (
	bigOnce sync.Once
	bigJPEG []byte
)

// BenchmarkTransform24MP resizes a 6000 x 4000 JPEG (24 MP) to 300 and 1200 px wide, one
// transform at a time on this machine's libvips: the per-transform cost behind the edge's
// throughput (imgproxy's reference figures are per second with 2 to 4 clients).
func BenchmarkTransform24MP(b *testing.B) {
	bigOnce.Do(func() { bigJPEG = encodeJPEG(b, photo(6000, 4000)) })
	e := newEngine(b, nil)
	for _, width := range []int{300, 1200} {
		for _, f := range []imaging.Format{imaging.FormatJPEG, imaging.FormatWebP, imaging.FormatAVIF} {
			b.Run(fmt.Sprintf("%dpx-%s", width, f), func(b *testing.B) {
				opts := imaging.Options{Width: width}
				var size int
				for b.Loop() {
					out, _, err := e.Transform(context.Background(), bigJPEG, opts, f)
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(size), "out-bytes")
			})
		}
	}
}
