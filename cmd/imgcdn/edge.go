package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/follow"
)

// newEdgeCmd runs a separate edge node that follows a control plane.
func newEdgeCmd() *cobra.Command {
	cfg := app.NewDefaultEdgeNodeConfig()
	cmd := &cobra.Command{
		Use:   "edge",
		Short: "Run a separate edge node that follows a control plane (imgcdn serve)",
		Long: "Run a separate edge node: it loads distributions and invalidations from the control\n" +
			"plane (long-polling its API), reports what it has applied (a distribution turns\n" +
			"Deployed once every node has loaded it), fetches from the origins and caches on its\n" +
			"own disk. It keeps serving its cache while the control plane is unreachable.\n\n" +
			"`imgcdn serve` prints the command with a ready edge key; more keys come from\n" +
			"`imgcdn keys create --edge`. Every flag can also be set with an IMGCDN_* variable;\n" +
			"--secret is best given as IMGCDN_SECRET.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			keepSysmonAwake()
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			n, err := app.NewEdgeNode(cfg)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return n.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Control, "control", cfg.Control, "API URL of the control plane (imgcdn serve --api)")
	f.StringVar(&cfg.AccessKey, "key", "", "edge access key id (imgcdn keys create --edge)")
	f.StringVar(&cfg.Secret, "secret", "", "edge secret key")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region of the control plane")
	f.StringVar(&cfg.Edge.Node, "node", cfg.Edge.Node, "name of this node, unique per node: distributions turn Deployed once every node has reported them (default <host name>-<HTTPS port>)")
	f.StringVar(&cfg.Edge.POP, "pop", cfg.Edge.POP, "POP code answered in x-amz-cf-pop")
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "directory of the node's cache and local CA")
	f.StringVar(&cfg.Edge.CacheDir, "cache-dir", "", "disk cache directory (default <data>/edge-cache)")
	f.Int64Var(&cfg.Edge.CacheDiskBytes, "cache-disk", cfg.Edge.CacheDiskBytes, "disk cache size in bytes")
	f.Int64Var(&cfg.Edge.CacheMemBytes, "cache-mem", cfg.Edge.CacheMemBytes, "memory cache size in bytes")
	f.StringVar(&cfg.Edge.Server, "edge-server", cfg.Edge.Server, "HTTP server of the listeners: loop (fast, with event loops answering memory hits on plain HTTP), fast (HTTP/1.1 on imgcdn's own server, HTTP/2 on net/http) or stdlib (net/http)")
	f.StringVar(&cfg.CADir, "ca-dir", "", "local CA directory (default <data>/ca; use <serve data>/ca to share one CA)")
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "listen address over HTTP")
	f.StringVar(&cfg.HTTPSAddr, "https", cfg.HTTPSAddr, "listen address over HTTPS")
	f.StringVar(&cfg.CDNDomain, "cdn-domain", cfg.CDNDomain, "parent domain of distribution domain names (as the control plane's)")
	cmd.AddCommand(newEdgeLeaveCmd())
	return cmd
}

// newEdgeLeaveCmd removes a node from the control plane's fleet, for a node retired for good:
// while registered, a node that is down holds new deployments and invalidations InProgress.
func newEdgeLeaveCmd() *cobra.Command {
	cfg := follow.RemoteConfig{URL: "http://127.0.0.1:9000", Region: "us-east-1"}
	cmd := &cobra.Command{
		Use:   "leave",
		Short: "Remove an edge node from the control plane (it no longer holds deployments)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			r, err := follow.NewRemote(cfg)
			if err != nil {
				return err
			}
			if err := r.Leave(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "edge node %s left %s\n", cfg.Node, cfg.URL)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.URL, "control", cfg.URL, "API URL of the control plane")
	f.StringVar(&cfg.AccessKey, "key", "", "edge access key id")
	f.StringVar(&cfg.Secret, "secret", "", "edge secret key")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region of the control plane")
	f.StringVar(&cfg.Node, "node", "", "name of the node that leaves")
	_ = cmd.MarkFlagRequired("node")
	return cmd
}
