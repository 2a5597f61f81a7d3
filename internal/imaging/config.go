package imaging

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Config holds the limits every transform runs under and the size of the worker pool. Each field
// is user documentation for the edge's image settings.
type Config struct {
	// MaxSourceBytes refuses larger sources before they are read past the limit (ErrTooLarge).
	// Default 50 MB.
	MaxSourceBytes int64
	// MaxSourcePixels refuses sources whose header declares more pixels (width x height x
	// frames), before any decoding: a decompression bomb costs a header read. Default 50 MP.
	MaxSourcePixels int64
	// MaxOutputSide caps each side of the output in pixels, after DPR (ErrBadOption naming width
	// or height when a request asks for more; larger sources without a size are shrunk to fit).
	// Default 8192.
	MaxOutputSide int
	// MaxFrames refuses animations with more frames (ErrTooLarge); anim=false reads one frame
	// and is not limited. Default 300.
	MaxFrames int
	// Timeout bounds one transform, queueing excluded (ErrTimeout). Default 10 s.
	Timeout time.Duration
	// Workers is how many transforms run at once. Default: the number of CPUs, since a
	// transform keeps one core busy.
	Workers int
	// QueueLength is how many transforms may wait for a worker; past it callers get ErrBusy at
	// once, which bounds memory under load (each waiting request holds its source). Default
	// 4 x Workers.
	QueueLength int
}

// NewDefaultConfig is the Config with every default filled in.
func NewDefaultConfig() Config {
	workers := runtime.NumCPU()
	return Config{
		MaxSourceBytes:  50 << 20,
		MaxSourcePixels: 50_000_000,
		MaxOutputSide:   8192,
		MaxFrames:       300,
		Timeout:         10 * time.Second,
		Workers:         workers,
		QueueLength:     4 * workers,
	}
}

// Validate reports the first field that cannot work.
func (c Config) Validate() error {
	switch {
	case c.MaxSourceBytes <= 0:
		return errors.New("imaging: MaxSourceBytes must be positive")
	case c.MaxSourcePixels <= 0:
		return errors.New("imaging: MaxSourcePixels must be positive")
	case c.MaxOutputSide <= 0 || c.MaxOutputSide > MaxDimension:
		return fmt.Errorf("imaging: MaxOutputSide must be from 1 to %d", MaxDimension)
	case c.MaxFrames <= 0:
		return errors.New("imaging: MaxFrames must be positive")
	case c.Timeout <= 0:
		return errors.New("imaging: Timeout must be positive")
	case c.Workers <= 0:
		return errors.New("imaging: Workers must be positive")
	case c.QueueLength < 0:
		return errors.New("imaging: QueueLength must not be negative")
	}
	return nil
}

// CheckOptions applies the limits that depend on configuration to parsed options: the requested
// output (width or height times dpr) must fit MaxOutputSide. The error names the option the user
// wrote a value for.
func (c Config) CheckOptions(o Options) error {
	w, h := o.TargetSize()
	if w > c.MaxOutputSide {
		return badOption("width", fmt.Sprint(o.Width), fmt.Sprintf("width x dpr must be at most %d pixels", c.MaxOutputSide))
	}
	if h > c.MaxOutputSide {
		return badOption("height", fmt.Sprint(o.Height), fmt.Sprintf("height x dpr must be at most %d pixels", c.MaxOutputSide))
	}
	return nil
}
