package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/certstore"
)

// newCertsCmd installs user-supplied certificates for edge host names (aliases). Running
// edges read them from <data>/certs on the next TLS handshake.
func newCertsCmd() *cobra.Command {
	dataDir := app.NewDefaultConfig().DataDir
	cmd := &cobra.Command{
		Use:   "certs",
		Short: "Install your own TLS certificates for distribution aliases",
		Long: "The edge answers HTTPS for distribution domains and aliases with certificates from the\n" +
			"local CA (imgcdn ca). For an alias whose certificate you already have (from your CA or\n" +
			"Let's Encrypt), install it here: running edges use it from the next handshake on.\n" +
			"For a separate edge node, pass that node's --data.",
	}
	cmd.PersistentFlags().StringVar(&dataDir, "data", dataDir, "data directory of imgcdn serve or imgcdn edge")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd.Flags()) }
	store := func() *certstore.Store { return certstore.New(filepath.Join(dataDir, "certs")) }

	var domain, certFile, keyFile string
	add := &cobra.Command{
		Use:   "add",
		Short: "Install a certificate chain and key (PEM) for a host name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			crt, err := os.ReadFile(certFile)
			if err != nil {
				return err
			}
			key, err := os.ReadFile(keyFile)
			if err != nil {
				return err
			}
			if err := store().Install(domain, crt, key); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "installed the certificate for %s\n", strings.ToLower(domain))
			return nil
		},
	}
	add.Flags().StringVar(&domain, "domain", "", "host name the certificate is for (an alias, or *.example.com)")
	add.Flags().StringVar(&certFile, "cert", "", "certificate chain file, PEM, leaf first")
	add.Flags().StringVar(&keyFile, "key", "", "private key file, PEM")
	for _, f := range []string{"domain", "cert", "key"} {
		_ = add.MarkFlagRequired(f)
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "List installed certificates",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, _ := filepath.Glob(filepath.Join(store().Dir(), "*.crt"))
			sort.Strings(files)
			for _, f := range files {
				fmt.Fprintln(cmd.OutOrStdout(), strings.TrimSuffix(filepath.Base(f), ".crt"))
			}
			return nil
		},
	}
	remove := &cobra.Command{
		Use:   "remove DOMAIN",
		Short: "Remove the certificate of a host name (the local CA serves it again)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return store().Remove(strings.ToLower(args[0]))
		},
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}
