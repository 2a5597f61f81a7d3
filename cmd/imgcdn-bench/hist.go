package main

import (
	"math"
	"math/bits"
	"time"
)

// Latencies are recorded in microseconds into log-linear buckets, in the manner of HdrHistogram:
// exact below 64µs, then 32 buckets per power of two, so every recorded value is known to within
// 1/32 (about 3%) and memory is a fixed 15 KiB however long a phase runs.
const (
	histLinear  = 64
	histSubBits = 5
	histSub     = 1 << histSubBits // buckets per power of two above histLinear
	histBuckets = histLinear + (64-histSubBits-1)*histSub
)

// histogram is a fixed-size latency histogram. The zero value is ready to use. It is not safe for
// concurrent use: each worker records into its own and the phase merges them.
type histogram struct {
	counts [histBuckets]uint64
	n      uint64
	max    int64
}

func bucketOf(us int64) int {
	if us < histLinear {
		return int(max(us, 0))
	}
	shift := bits.Len64(uint64(us)) - histSubBits - 1 // us>>shift is in [32, 64)
	return histLinear + (shift-1)*histSub + int(us>>shift) - histSub
}

// bucketRange returns the smallest and largest microsecond values that fall in bucket i.
func bucketRange(i int) (lo, hi int64) {
	if i < histLinear {
		return int64(i), int64(i)
	}
	shift := (i-histLinear)/histSub + 1
	sub := int64((i-histLinear)%histSub + histSub)
	lo = sub << shift
	return lo, lo + (1 << shift) - 1
}

// Record adds one latency.
func (h *histogram) Record(d time.Duration) {
	us := d.Microseconds()
	h.counts[bucketOf(us)]++
	h.n++
	h.max = max(h.max, us)
}

// Merge adds o's samples to h.
func (h *histogram) Merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// Count returns the number of recorded latencies.
func (h *histogram) Count() uint64 { return h.n }

// Quantile returns the latency at quantile q (0 < q <= 1): the midpoint of the bucket holding
// the ceil(q*n)-th smallest sample, capped at the largest sample seen, which is returned exactly
// for q = 1. It returns 0 when empty.
func (h *histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return time.Duration(h.max) * time.Microsecond
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			return time.Duration(min((lo+hi)/2, h.max)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}
