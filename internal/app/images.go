package app

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/imgcdn/imgcdn/internal/edge"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/imaging/vips"
)

// libvips is process-wide (vips.Start / vips.Shutdown, once each per process), while an App or
// EdgeNode is not: tests run several side by side or one after another. The edge nodes of a
// process share it through this count, the one piece of package state here: it is started with
// the first node and shut down when the last one closes, never under a node still serving.
var libvips struct {
	sync.Mutex
	users int
}

// startImages starts libvips (once per process) and an engine under limits for one edge node.
// A process whose libvips was already shut down (an earlier App closed; govips cannot restart
// it) serves without image optimization and says so: /cdn-cgi/image/ URLs are then ordinary
// paths. The returned release must be called once, when the node closes.
func startImages(limits imaging.Config, log *slog.Logger) (edge.ImageConfig, func(), error) {
	if err := limits.Validate(); err != nil {
		return edge.ImageConfig{}, nil, fmt.Errorf("image limits: %w", err)
	}
	libvips.Lock()
	defer libvips.Unlock()
	if err := vips.Start(vips.StartConfig{}); err != nil {
		log.Warn("image optimization is off in this process", "err", err)
		return edge.ImageConfig{}, func() {}, nil
	}
	eng, err := vips.New(limits)
	if err != nil {
		return edge.ImageConfig{}, nil, err
	}
	libvips.users++
	var once sync.Once
	release := func() {
		once.Do(func() {
			libvips.Lock()
			defer libvips.Unlock()
			if libvips.users--; libvips.users == 0 {
				vips.Shutdown()
			}
		})
	}
	return edge.ImageConfig{Engine: eng, Limits: limits}, release, nil
}
