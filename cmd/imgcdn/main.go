// Command imgcdn is a self-hosted image CDN: an S3-compatible origin, a CloudFront-compatible
// control API and a caching edge in one binary. This file only parses the command line; the
// wiring lives in internal/app.
package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/sysmon"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "imgcdn:", err)
		os.Exit(1)
	}
}

// keepSysmonAwake re-executes a long-running server with the runtime setting that keeps it
// cheaper under load (internal/sysmon); it returns only if that is not done.
func keepSysmonAwake() {
	if err := sysmon.Reexec(); err != nil {
		fmt.Fprintln(os.Stderr, "imgcdn: running without "+sysmon.Setting+" in GODEBUG:", err)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "imgcdn",
		Short:         "A self-hosted image CDN: S3-compatible origin, CloudFront-compatible API, caching edge",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newEdgeCmd(), newCredentialsCmd(), newKeysCmd(), newOriginsCmd(), newImagesCmd(), newSignURLCmd(), newCACmd(), newCertsCmd())
	return root
}

func newServeCmd() *cobra.Command {
	cfg := app.NewDefaultConfig()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the origin, the API and an embedded edge in one process",
		Long: "Run the origin, the API and an embedded edge in one process.\n\n" +
			"Every flag can also be set with an IMGCDN_* environment variable (--cdn-domain is\n" +
			"IMGCDN_CDN_DOMAIN); a flag on the command line wins. Root credentials come from\n" +
			"IMGCDN_ROOT_ACCESS_KEY and IMGCDN_ROOT_SECRET_KEY, or are generated on first start.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			keepSysmonAwake()
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			cfg.RootAccessKey = os.Getenv("IMGCDN_ROOT_ACCESS_KEY")
			cfg.RootSecretKey = os.Getenv("IMGCDN_ROOT_SECRET_KEY")
			cfg.MasterKey = os.Getenv("IMGCDN_MASTER_KEY")
			a, err := app.New(cfg)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return a.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "directory for objects, metadata, keys and the local CA")
	f.StringVar(&cfg.APIAddr, "api", cfg.APIAddr, "listen address of the S3 and CloudFront API")
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "listen address of the edge over HTTP")
	f.StringVar(&cfg.HTTPSAddr, "https", cfg.HTTPSAddr, "listen address of the edge over HTTPS")
	f.StringVar(&cfg.CDNDomain, "cdn-domain", cfg.CDNDomain, "parent domain of distribution domain names")
	f.StringVar(&cfg.Region, "region", cfg.Region, "default region of the S3 API")
	f.StringVar(&cfg.MasterKeyFile, "master-key-file", cfg.MasterKeyFile, "SSE-S3 master key file (default <data>/master.key)")
	f.StringVar(&cfg.Edge.POP, "pop", cfg.Edge.POP, "POP code the embedded edge answers in x-amz-cf-pop")
	f.StringVar(&cfg.Edge.CacheDir, "cache-dir", "", "embedded edge's disk cache directory (default <data>/edge-cache)")
	f.Int64Var(&cfg.Edge.CacheDiskBytes, "cache-disk", cfg.Edge.CacheDiskBytes, "embedded edge's disk cache size in bytes")
	f.Int64Var(&cfg.Edge.CacheMemBytes, "cache-mem", cfg.Edge.CacheMemBytes, "embedded edge's memory cache size in bytes")
	f.StringVar(&cfg.Edge.Server, "edge-server", cfg.Edge.Server, "HTTP server of the edge listeners: loop (fast, with event loops answering memory hits on plain HTTP), fast (HTTP/1.1 on imgcdn's own server, HTTP/2 on net/http) or stdlib (net/http)")
	return cmd
}

func newCredentialsCmd() *cobra.Command {
	dataDir := app.NewDefaultConfig().DataDir
	cmd := &cobra.Command{
		Use:   "credentials",
		Short: "Print the generated root credentials as shell export lines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			key, err := auth.ReadRootKey(dataDir)
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("no generated credentials in %s: start `imgcdn serve --data %s` once (or set IMGCDN_ROOT_ACCESS_KEY/IMGCDN_ROOT_SECRET_KEY)", dataDir, dataDir)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n", key.AccessKeyID, key.SecretAccessKey)
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "data", dataDir, "imgcdn's data directory")
	return cmd
}

// applyEnv sets every flag not given on the command line from IMGCDN_<FLAG_NAME>.
func applyEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "IMGCDN_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	})
	return err
}
