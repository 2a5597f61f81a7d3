package main

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketOfRange(t *testing.T) {
	// Every value lands in a bucket whose range contains it, buckets are monotonic and the
	// relative width stays within 1/32.
	prev := -1
	for _, us := range []int64{0, 1, 63, 64, 65, 127, 128, 1000, 4095, 4096, 1 << 20, 1<<40 + 12345, 1<<62 - 1} {
		i := bucketOf(us)
		if i < prev {
			t.Errorf("bucketOf(%d) = %d, below bucket of a smaller value (%d)", us, i, prev)
		}
		prev = i
		lo, hi := bucketRange(i)
		if us < lo || us > hi {
			t.Errorf("bucketOf(%d) = %d with range [%d,%d]", us, i, lo, hi)
		}
		if us >= histLinear && float64(hi-lo+1)/float64(lo) > 1.0/32+1e-9 {
			t.Errorf("bucket %d [%d,%d] wider than 1/32", i, lo, hi)
		}
	}
	if i := bucketOf(1<<63 - 1); i >= histBuckets {
		t.Errorf("max value bucket %d out of %d", i, histBuckets)
	}
	if bucketOf(-5) != 0 {
		t.Error("negative latency not clamped to bucket 0")
	}
}

func TestQuantileAgainstSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var h, a, b histogram
	var all []int64
	for i := range 20000 {
		us := int64(rng.ExpFloat64() * 3000)
		all = append(all, us)
		h.Record(time.Duration(us) * time.Microsecond)
		if i%2 == 0 {
			a.Record(time.Duration(us) * time.Microsecond)
		} else {
			b.Record(time.Duration(us) * time.Microsecond)
		}
	}
	a.Merge(&b)
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
		exact := all[int(q*float64(len(all)))-1]
		got := h.Quantile(q).Microseconds()
		if diff := float64(got-exact) / float64(max(exact, 1)); diff > 0.035 || diff < -0.035 {
			t.Errorf("q%.3f = %dµs, exact %dµs", q, got, exact)
		}
		if m := a.Quantile(q); m != h.Quantile(q) {
			t.Errorf("merged q%.3f = %v, direct %v", q, m, h.Quantile(q))
		}
	}
	if h.Count() != 20000 || a.Count() != 20000 {
		t.Errorf("counts %d %d", h.Count(), a.Count())
	}
	if h.Quantile(1).Microseconds() != all[len(all)-1] {
		t.Errorf("q1 = %v, want the maximum %dµs", h.Quantile(1), all[len(all)-1])
	}
}

func TestQuantileSmall(t *testing.T) {
	var h histogram
	if h.Quantile(0.5) != 0 {
		t.Error("empty histogram quantile not 0")
	}
	for _, ms := range []int{1, 2, 3, 4, 100} {
		h.Record(time.Duration(ms) * time.Millisecond)
	}
	if got := h.Quantile(0.5); got < 2900*time.Microsecond || got > 3100*time.Microsecond {
		t.Errorf("median of 1,2,3,4,100 ms = %v", got)
	}
	if got := h.Quantile(0.99); got < 97*time.Millisecond || got > 100*time.Millisecond {
		t.Errorf("p99 = %v", got)
	}
}
