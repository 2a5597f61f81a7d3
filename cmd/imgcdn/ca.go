package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/localca"
)

// newCACmd prints where the local certificate authority's certificate is and how to trust it.
// The CA is created if missing, so the command works before the first `imgcdn serve`.
func newCACmd() *cobra.Command {
	dataDir := app.NewDefaultConfig().DataDir
	cmd := &cobra.Command{
		Use:   "ca",
		Short: "Print the local CA certificate path and how to trust it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			ca, err := localca.LoadOrCreate(filepath.Join(dataDir, "ca"))
			if err != nil {
				return err
			}
			p, err := filepath.Abs(ca.CertPath())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), `%s

The edge's HTTPS certificates are issued on the fly by this local CA (its key stays next to
it, mode 0600). To trust it:
  curl:            curl --cacert %s https://<distribution domain>:8443/...
  aws CLI / SDKs:  export AWS_CA_BUNDLE=%s
  Debian system:   sudo cp %s /usr/local/share/ca-certificates/imgcdn-local-ca.crt && sudo update-ca-certificates
  Firefox/Chrome:  import it as an authority in the browser's certificate settings
                   (Chrome on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n imgcdn -i %s)
`, p, p, p, p, p)
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "data", dataDir, "data directory of imgcdn serve")
	return cmd
}
