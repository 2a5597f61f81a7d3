package imaging

import (
	"context"
)

// Pool runs transforms on a fixed number of workers with a bounded queue. A transform is CPU
// bound and holds its decoded pixels, so running more at once than there are cores only adds
// memory and latency; waiting requests are capped too, and past the cap Do fails fast with
// ErrBusy so the edge can answer 503 with Retry-After instead of piling up.
type Pool struct {
	slots chan struct{} // a token per running transform
	queue chan struct{} // a token per transform running or waiting
}

// NewPool makes a pool of workers running slots and queue waiting ones.
func NewPool(workers, queue int) *Pool {
	return &Pool{slots: make(chan struct{}, workers), queue: make(chan struct{}, workers+queue)}
}

// NewPoolFromConfig sizes a pool from c.Workers and c.QueueLength.
func NewPoolFromConfig(c Config) *Pool { return NewPool(c.Workers, c.QueueLength) }

// Do runs fn on a worker once one is free. It returns ErrBusy at once when the queue is full,
// and ctx's error (wrapped in ErrTimeout for a deadline) when ctx ends while waiting.
func (p *Pool) Do(ctx context.Context, fn func() error) error {
	select {
	case p.queue <- struct{}{}:
	default:
		return ErrBusy
	}
	defer func() { <-p.queue }()
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return ctxErr(ctx)
	}
	defer func() { <-p.slots }()
	if err := ctx.Err(); err != nil {
		return ctxErr(ctx)
	}
	return fn()
}

// ctxErr is ctx's error, as ErrTimeout when its deadline passed.
func ctxErr(ctx context.Context) error {
	if ctx.Err() == context.DeadlineExceeded {
		return ErrTimeout
	}
	return ctx.Err()
}

// Running and Waiting report the pool's load, for metrics.
func (p *Pool) Running() int { return len(p.slots) }

// Waiting is the number of transforms queued for a worker.
func (p *Pool) Waiting() int { return len(p.queue) - len(p.slots) }
