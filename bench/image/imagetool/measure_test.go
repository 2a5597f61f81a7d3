package main

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		in      []time.Duration
		p       int
		want    time.Duration
		comment string
	}{
		{ms(5), 50, 5 * time.Millisecond, "one sample is every percentile"},
		{ms(5), 99, 5 * time.Millisecond, ""},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond, "nearest rank: ceil(0.5*4) = 2"},
		{ms(1, 2, 3, 4), 99, 4 * time.Millisecond, ""},
		{ms(hundred...), 99, 99 * time.Millisecond, ""},
		{ms(hundred...), 50, 50 * time.Millisecond, ""},
	} {
		if got := percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("p%d of %v = %v, want %v %s", tc.p, tc.in, got, tc.want, tc.comment)
		}
	}
}

func TestSummarise(t *testing.T) {
	bad := errors.New("wrong width")
	all := []attempt{
		{latency: 30 * time.Millisecond, outBytes: 100},
		{err: bad},
		{latency: 10 * time.Millisecond, outBytes: 120},
		{latency: 20 * time.Millisecond, outBytes: 110},
	}
	var r record
	err := summarise(&r, all, 2*time.Second)
	if !errors.Is(err, bad) {
		t.Errorf("summarise returned %v, want the first failure", err)
	}
	if r.n != 3 || r.errors != 1 || r.p50 != 20000 || r.p99 != 30000 || r.durUS != 2e6 || r.outBytes != 110 {
		t.Errorf("record = %+v", r)
	}
	if got := r.tps(); got != 1.5 {
		t.Errorf("tps = %v, want 1.5", got)
	}
	var none record
	if err := summarise(&none, []attempt{{err: bad}}, time.Second); err == nil || none.n != 0 {
		t.Errorf("no good transform: err %v, n %d", err, none.n)
	}
}

func TestLoopRunsPastTheDurationUntilMin(t *testing.T) {
	calls := 0
	all, wall := loop(1, 0, 7, func(int, int64) attempt {
		calls++
		return attempt{latency: time.Millisecond}
	})
	if len(all) != 7 || calls != 7 {
		t.Fatalf("%d attempts in %d calls, want 7: a zero duration still runs min transforms, and no more with one client", len(all), calls)
	}
	if wall <= 0 {
		t.Errorf("wall time %v", wall)
	}
}

func TestLoopNumbersRequestsUniquely(t *testing.T) {
	seen := make(chan int64, 1000)
	clients := make(chan int, 1000)
	all, _ := loop(3, 0, 30, func(client int, seq int64) attempt {
		seen <- seq
		clients <- client
		return attempt{}
	})
	close(seen)
	close(clients)
	var seqs []int64
	for s := range seen {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if s != int64(i) {
			t.Fatalf("sequence numbers %v: want 0..%d each once", seqs, len(all)-1)
		}
	}
	for c := range clients {
		if c < 0 || c > 2 {
			t.Fatalf("client index %d out of 0..2", c)
		}
	}
}
