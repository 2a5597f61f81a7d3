package imaging

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

func TestConfig(t *testing.T) {
	c := NewDefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
	if c.MaxSourceBytes != 50<<20 || c.MaxSourcePixels != 50_000_000 || c.MaxOutputSide != 8192 || c.Workers < 1 || c.QueueLength != 4*c.Workers {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	breakers := []func(*Config){
		func(c *Config) { c.MaxSourceBytes = 0 },
		func(c *Config) { c.MaxSourcePixels = -1 },
		func(c *Config) { c.MaxOutputSide = 0 },
		func(c *Config) { c.MaxOutputSide = MaxDimension + 1 },
		func(c *Config) { c.MaxFrames = 0 },
		func(c *Config) { c.Timeout = 0 },
		func(c *Config) { c.Workers = 0 },
		func(c *Config) { c.QueueLength = -1 },
	}
	for i, br := range breakers {
		bad := NewDefaultConfig()
		br(&bad)
		if bad.Validate() == nil {
			t.Errorf("breaker %d: Validate accepted %+v", i, bad)
		}
	}
}

func TestCheckOptions(t *testing.T) {
	c := NewDefaultConfig()
	ok := []string{"w=8192", "h=4096,dpr=2", "w=2730,dpr=3"}
	for _, s := range ok {
		o, _ := Parse(s)
		if err := c.CheckOptions(o); err != nil {
			t.Errorf("CheckOptions(%s): %v", s, err)
		}
	}
	bad := map[string]string{"w=8193": "width", "h=4097,dpr=2": "height", "w=2731,dpr=3": "width"}
	for s, name := range bad {
		o, _ := Parse(s)
		var oe *OptionError
		if err := c.CheckOptions(o); !errors.As(err, &oe) || oe.Option != name {
			t.Errorf("CheckOptions(%s) = %v, want an OptionError for %s", s, err, name)
		}
	}
}

func TestPoolBoundsRunningAndWaiting(t *testing.T) {
	p := NewPool(1, 1)
	started, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error)
	go func() {
		firstDone <- p.Do(context.Background(), func() error { close(started); <-release; return nil })
	}()
	<-started
	// One running and a free queue place: the second waits; a third finds the queue full.
	secondDone := make(chan error)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { secondDone <- p.Do(ctx, func() error { return errors.New("must not run") }) }()
	for p.Waiting() != 1 {
		// Waiting is set before the goroutine blocks on a slot; spin until it is.
		select {
		case err := <-secondDone:
			t.Fatalf("second Do returned early: %v", err)
		default:
			runtime.Gosched()
		}
	}
	if err := p.Do(context.Background(), func() error { return nil }); !errors.Is(err, ErrBusy) {
		t.Fatalf("third Do = %v, want ErrBusy", err)
	}
	cancel()
	if err := <-secondDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if p.Running() != 0 || p.Waiting() != 0 {
		t.Fatalf("pool not drained: running %d waiting %d", p.Running(), p.Waiting())
	}
	ran := false
	if err := p.Do(context.Background(), func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("Do after drain = %v, ran %v", err, ran)
	}
	expired, stop := context.WithTimeout(context.Background(), 0)
	defer stop()
	if err := p.Do(expired, func() error { return nil }); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Do with an expired deadline = %v, want ErrTimeout", err)
	}
}
