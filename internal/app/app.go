package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/certstore"
	"github.com/imgcdn/imgcdn/internal/cfapi"
	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/imagesapi"
	"github.com/imgcdn/imgcdn/internal/localca"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/objstore/disk"
	"github.com/imgcdn/imgcdn/internal/origin"
	"github.com/imgcdn/imgcdn/internal/originsapi"
	"github.com/imgcdn/imgcdn/internal/s3api"
	"github.com/imgcdn/imgcdn/internal/sigv4"
	"github.com/imgcdn/imgcdn/internal/syncapi"
)

// App is one running imgcdn process: the origin store, the API listener and the edge listeners.
type App struct {
	cfg         Config
	log         *slog.Logger
	account     auth.Account
	rootKey     auth.Key
	rootCreated bool
	edgeKey     auth.Key
	store       *disk.Store
	control     *distrib.Service
	ca          *localca.CA
	edge        *edgeNode
	metrics     *metrics.Registry
	servers     []*server
	closeOnce   sync.Once
	closeErr    error
}

// New builds every component and binds every listener, so that a port conflict or a damaged
// data directory is reported before anything is served. Close releases what New acquired, and
// is safe after a partial start.
func New(cfg Config) (_ *App, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: cfg.logger(), metrics: metrics.New()}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if a.account, err = auth.LoadOrCreateAccount(cfg.DataDir); err != nil {
		return nil, err
	}
	if a.rootKey, a.rootCreated, err = auth.LoadOrCreateRootKey(cfg.DataDir, cfg.RootAccessKey, cfg.RootSecretKey); err != nil {
		return nil, err
	}
	keyring := auth.NewKeyring(a.account, a.rootKey, auth.OpenKeyFile(cfg.DataDir), a.log)

	storeCfg := disk.NewDefaultConfig()
	storeCfg.Dir = filepath.Join(cfg.DataDir, "store")
	if storeCfg.MasterKey, err = loadMasterKey(cfg); err != nil {
		return nil, err
	}
	if a.store, err = disk.Open(storeCfg); err != nil {
		return nil, fmt.Errorf("object store: %w", err)
	}
	if a.ca, err = localca.LoadOrCreate(filepath.Join(cfg.DataDir, "ca")); err != nil {
		return nil, err
	}

	s3, err := s3api.New(s3api.Config{
		Store:               a.store,
		Verifier:            &sigv4.Verifier{Secret: keyring.Secret},
		Owner:               s3api.Owner{AccountID: a.account.ID, CanonicalID: a.account.CanonicalID, DisplayName: a.account.DisplayName},
		Region:              cfg.Region,
		VirtualHostSuffixes: []string{"s3.localhost", "s3." + cfg.Region + ".localhost"},
		Principals:          keyring,
		Logger:              a.log,
	})
	if err != nil {
		return nil, err
	}
	controlCfg := distrib.NewDefaultConfig()
	controlCfg.Dir, controlCfg.Logger, controlCfg.AccountID = filepath.Join(cfg.DataDir, "control"), a.log, a.account.ID
	controlCfg.SecretKey = storeCfg.MasterKey // seals origin endpoints' secrets (imgcdn origins)
	if a.control, err = distrib.Open(controlCfg); err != nil {
		return nil, fmt.Errorf("control store: %w", err)
	}
	cf, err := cfapi.New(cfapi.Config{
		Service:    a.control,
		Verifier:   &sigv4.Verifier{Secret: keyring.Secret, MaxHashedBody: cfapi.MaxBodySize},
		Principals: keyring,
		AccountID:  a.account.ID,
		CDNDomain:  cfg.CDNDomain,
		Logger:     a.log,
	})
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name, addr string
		tls        bool
	}{{"api", cfg.APIAddr, false}, {"http", cfg.HTTPAddr, false}, {"https", cfg.HTTPSAddr, true}} {
		if err := a.listen(s.name, s.addr, s.tls); err != nil {
			return nil, err
		}
	}
	if err := a.newEmbeddedEdge(); err != nil {
		return nil, err
	}
	edgeSync, err := syncapi.New(syncapi.Config{Service: a.control, Principals: keyring, Logger: a.log,
		Verifier: &sigv4.Verifier{Secret: keyring.Secret, MaxHashedBody: syncapi.MaxBodySize}})
	if err != nil {
		return nil, err
	}
	origins, err := originsapi.New(originsapi.Config{Store: a.control, Principals: keyring, Logger: a.log,
		Verifier: &sigv4.Verifier{Secret: keyring.Secret, MaxHashedBody: originsapi.MaxBodySize}})
	if err != nil {
		return nil, err
	}
	images, err := imagesapi.New(imagesapi.Config{Store: a.control, Principals: keyring, Logger: a.log,
		Verifier: &sigv4.Verifier{Secret: keyring.Secret, MaxHashedBody: imagesapi.MaxBodySize}})
	if err != nil {
		return nil, err
	}
	a.setHandler("api", a.metrics.API(apiHandler(s3, cf, edgeSync, origins, images, a.metrics), apiName))
	// Open long polls would hold a graceful shutdown for up to a minute: end them first.
	a.servers[0].srv.RegisterOnShutdown(func() { _ = edgeSync.Close() })
	a.setHandler("http", a.edge.viewer)
	a.setHandler("https", a.edge.viewer)
	return a, nil
}

// newEmbeddedEdge builds the edge of `imgcdn serve`: it follows the control plane in
// process and fetches this installation's buckets over the API listener, signed with the
// edge key, like any separate edge node.
func (a *App) newEmbeddedEdge() error {
	key, err := auth.LoadOrCreateEdgeKey(a.cfg.DataDir)
	if err != nil {
		return err
	}
	a.edgeKey = key
	local, err := loopbackURL(a.Addr("api"))
	if err != nil {
		return err
	}
	ec := a.cfg.Edge
	src, err := follow.NewLocal(a.control, ec.Node)
	if err != nil {
		return err
	}
	fetch := origin.NewDefaultConfig()
	fetch.EdgeKey, fetch.Region, fetch.LocalS3, fetch.Logger = key, a.cfg.Region, local, a.log
	if a.edge, err = newEdgeNode(edgeParams{cfg: ec, dataDir: a.cfg.DataDir, cdnDomain: a.cfg.CDNDomain,
		httpsAddr: a.Addr("https"), fetch: fetch, src: src, account: a.account.ID, log: a.log, metrics: a.metrics}); err != nil {
		return err
	}
	edgeTLS(a.ca, a.edge.handler)
	return nil
}

func (a *App) setHandler(name string, h http.Handler) {
	for _, s := range a.servers {
		if s.name == name {
			s.setHandler(h)
		}
	}
}

func (a *App) listen(name, addr string, useTLS bool) error {
	kind := a.cfg.Edge.Server
	if name == "api" {
		kind = EdgeServerStdlib // the API stays on net/http
	}
	s, err := bindServer(name, addr, useTLS, kind, viewerCertificates(certstore.New(filepath.Join(a.cfg.DataDir, "certs")), a.ca), a.log)
	if err != nil {
		return err
	}
	a.servers = append(a.servers, s)
	return nil
}

// loadMasterKey returns the SSE-S3 master key from IMGCDN_MASTER_KEY, --master-key-file or
// the data directory, in that order.
func loadMasterKey(cfg Config) (*crypt.MasterKey, error) {
	if cfg.MasterKey != "" {
		k, err := crypt.MasterKeyFromBase64(cfg.MasterKey)
		if err != nil {
			return nil, fmt.Errorf("IMGCDN_MASTER_KEY: %w", err)
		}
		return k, nil
	}
	path := cfg.MasterKeyFile
	if path == "" {
		path = filepath.Join(cfg.DataDir, "master.key")
	}
	k, err := crypt.LoadOrCreateMasterKey(path)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return k, nil
}

// Addr returns the bound address of a listener ("api", "http" or "https"); useful with port 0.
func (a *App) Addr(name string) string {
	for _, s := range a.servers {
		if s.name == name {
			return s.ln.Addr().String()
		}
	}
	return ""
}

// Run serves until ctx is cancelled or a listener fails, then drains in-flight requests (up to
// ShutdownTimeout) and closes the store.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, len(a.servers))
	for _, s := range a.servers {
		go func() {
			if err := s.serve(); err != nil {
				errc <- fmt.Errorf("%s listener: %w", s.name, err)
			}
		}()
	}
	followCtx, stopFollowing := context.WithCancel(context.Background())
	followDone := make(chan struct{})
	go func() {
		defer close(followDone)
		a.edge.run(followCtx)
	}()
	a.printBanner()
	var runErr error
	select {
	case <-ctx.Done():
		a.log.Info("shutting down: draining in-flight requests", "timeout", a.cfg.ShutdownTimeout)
	case runErr = <-errc:
		a.log.Error("listener failed; shutting down", "err", runErr)
	}
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, s := range a.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.shutdown(sctx); err != nil {
				a.log.Warn("listener did not drain in time", "listener", s.name, "err", err)
			}
		}()
	}
	wg.Wait()
	stopFollowing()
	<-followDone
	return errors.Join(runErr, a.Close())
}

// Close releases the store and listeners. It is safe to call more than once and after a
// partial New.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		var errs []error
		for _, s := range a.servers {
			s.close()
		}
		if a.edge != nil {
			errs = append(errs, a.edge.close())
		}
		if a.store != nil {
			errs = append(errs, a.store.Close())
		}
		if a.control != nil {
			errs = append(errs, a.control.Close())
		}
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}
