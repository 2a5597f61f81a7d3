package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/originsapi"
)

// newOriginsCmd registers S3-compatible origins with their own credentials. It talks to the
// running control plane's API (internal/originsapi explains why not a file), as its root.
func newOriginsCmd() *cobra.Command {
	defaults := app.NewDefaultConfig()
	api, dataDir, region := "http://"+defaults.APIAddr, defaults.DataDir, defaults.Region
	cmd := &cobra.Command{
		Use:   "origins",
		Short: "Register S3-compatible origins (another imgcdn, MinIO, AWS...) and the credentials the edge signs with",
		Long: "A distribution's S3 origin whose DomainName is a registered --domain is fetched from that\n" +
			"endpoint and bucket, SigV4-signed with the registered key pair; an OAI or OAC on the origin\n" +
			"still names itself (another imgcdn then authorizes the fetch as the OAI, or as CloudFront\n" +
			"for the distribution). The secret is kept in the control plane, sealed with the master\n" +
			"key, never in a distribution config, and is never printed back.\n\n" +
			"Requests go to the running `imgcdn serve` (--api) signed with the account root's key:\n" +
			"IMGCDN_ROOT_ACCESS_KEY/IMGCDN_ROOT_SECRET_KEY, else the key generated in --data, else\n" +
			"AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&api, "api", api, "API URL of the control plane (imgcdn serve --api)")
	pf.StringVar(&dataDir, "data", dataDir, "the control plane's data directory, for its generated root key")
	pf.StringVar(&region, "region", region, "region of the control plane (imgcdn serve --region)")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd.Flags()) }
	client := func() (*originsapi.Client, error) {
		ak, sk, err := rootCredentials(dataDir)
		if err != nil {
			return nil, err
		}
		return originsapi.NewClient(originsapi.ClientConfig{URL: api, AccessKey: ak, Secret: sk, Region: region})
	}

	var e distrib.OriginEndpoint
	add := &cobra.Command{
		Use:   "add",
		Short: "Register (or replace) the endpoint and credentials of an S3 origin domain",
		Example: "  IMGCDN_ORIGIN_SECRET_KEY=... imgcdn origins add --domain photos.minio.local \\\n" +
			"    --endpoint http://127.0.0.1:9000 --bucket photos --path-style --access-key AKIA...",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if e.SecretAccessKey == "" {
				e.SecretAccessKey = os.Getenv("IMGCDN_ORIGIN_SECRET_KEY")
			}
			if e.SecretAccessKey == "" {
				return errors.New("give the secret as IMGCDN_ORIGIN_SECRET_KEY (or --secret-key, which other users can see in ps)")
			}
			c, err := client()
			if err != nil {
				return err
			}
			got, err := c.Put(cmd.Context(), e)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "registered %s: %s, bucket %s (%s), region %s, key %s\n",
				got.Domain, got.Endpoint, got.Bucket, style(got), got.Region, got.AccessKeyID)
			return nil
		},
	}
	f := add.Flags()
	f.StringVar(&e.Domain, "domain", "", "the S3 origin DomainName distributions use for this endpoint")
	f.StringVar(&e.Endpoint, "endpoint", "", "the S3 API's URL, http(s)://host[:port]")
	f.StringVar(&e.Bucket, "bucket", "", "the bucket fetched from")
	f.BoolVar(&e.PathStyle, "path-style", false, "address the bucket in the path (needed for endpoints on an IP address)")
	f.StringVar(&e.Region, "origin-region", distrib.DefaultOriginRegion, "the signing region of the endpoint")
	f.StringVar(&e.AccessKeyID, "access-key", "", "access key id the edge signs with")
	f.StringVar(&e.SecretAccessKey, "secret-key", "", "secret key (prefer IMGCDN_ORIGIN_SECRET_KEY)")
	for _, name := range []string{"domain", "endpoint", "bucket", "access-key"} {
		_ = add.MarkFlagRequired(name)
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "List registered endpoints (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := client()
			if err != nil {
				return err
			}
			l, err := c.List(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DOMAIN\tENDPOINT\tBUCKET\tSTYLE\tREGION\tACCESS KEY\tMODIFIED")
			for _, x := range l {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Domain, x.Endpoint, x.Bucket, style(x), x.Region,
					x.AccessKeyID, x.LastModifiedTime.Format(time.RFC3339))
			}
			return tw.Flush()
		},
	}

	var delDomain string
	del := &cobra.Command{
		Use:   "delete",
		Short: "Remove an endpoint no distribution uses any more",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := client()
			if err != nil {
				return err
			}
			if err := c.Delete(cmd.Context(), delDomain); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted %s\n", delDomain)
			return nil
		},
	}
	del.Flags().StringVar(&delDomain, "domain", "", "the registered domain")
	_ = del.MarkFlagRequired("domain")
	cmd.AddCommand(add, list, del)
	return cmd
}

func style(e distrib.OriginEndpoint) string {
	if e.PathStyle {
		return "path-style"
	}
	return "virtual-hosted"
}

// rootCredentials finds the account root's key pair: the environment `imgcdn serve` reads,
// the pair it generated in dataDir, or the AWS environment (`imgcdn credentials` prints it).
func rootCredentials(dataDir string) (string, string, error) {
	if ak, sk := os.Getenv("IMGCDN_ROOT_ACCESS_KEY"), os.Getenv("IMGCDN_ROOT_SECRET_KEY"); ak != "" && sk != "" {
		return ak, sk, nil
	}
	k, err := auth.ReadRootKey(dataDir)
	if err == nil {
		return k.AccessKeyID, k.SecretAccessKey, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", "", err
	}
	if ak, sk := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"); ak != "" && sk != "" {
		return ak, sk, nil
	}
	return "", "", fmt.Errorf("no root credentials: set IMGCDN_ROOT_ACCESS_KEY and IMGCDN_ROOT_SECRET_KEY, or give --data of the server")
}
