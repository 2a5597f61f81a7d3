package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imagesapi"
)

// controlFlags are the flags every command that talks to the control plane's API takes, and
// the client they make (the same lookup of root credentials as `imgcdn origins`).
type controlFlags struct {
	api, dataDir, region string
}

func (f *controlFlags) register(cmd *cobra.Command) {
	defaults := app.NewDefaultConfig()
	f.api, f.dataDir, f.region = "http://"+defaults.APIAddr, defaults.DataDir, defaults.Region
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.api, "api", f.api, "API URL of the control plane (imgcdn serve --api)")
	pf.StringVar(&f.dataDir, "data", f.dataDir, "the control plane's data directory, for its generated root key")
	pf.StringVar(&f.region, "region", f.region, "region of the control plane (imgcdn serve --region)")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd.Flags()) }
}

func (f *controlFlags) imagesClient() (*imagesapi.Client, error) {
	ak, sk, err := rootCredentials(f.dataDir)
	if err != nil {
		return nil, err
	}
	return imagesapi.NewClient(imagesapi.ClientConfig{URL: f.api, AccessKey: ak, Secret: sk, Region: f.region})
}

const imagesHelp = "Image optimizer settings of a distribution, kept in the control plane (never in the\n" +
	"distribution config) and sent to the edges:\n\n" +
	"  --require-signed   transform URLs (/cdn-cgi/image/<options>/<path>, or option query\n" +
	"                     parameters) must carry ?sig=<signature>; others get 403. Untransformed\n" +
	"                     paths are not affected. `imgcdn sign-url` signs a URL.\n" +
	"  --allowed-widths   only these widths may be asked for (a transform without a width is\n" +
	"                     refused too); empty allows any.\n\n" +
	"The signature is base64url (no padding) of HMAC-SHA256(secret,\n" +
	"\"imgcdn-image-v1\\n\" + <source path> + \"\\n\" + <canonical options>), where the canonical\n" +
	"options list the options with full names in a fixed order without defaults\n" +
	"(width=300,format=auto). The control plane generates the secret on the first `set`;\n" +
	"`images get --show-secret` prints it for applications that sign their own URLs.\n\n" +
	"Requests go to the running `imgcdn serve` (--api) signed with the account root's key:\n" +
	"IMGCDN_ROOT_ACCESS_KEY/IMGCDN_ROOT_SECRET_KEY, else the key generated in --data, else\n" +
	"AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."

// newImagesCmd manages a distribution's image settings.
func newImagesCmd() *cobra.Command {
	var cf controlFlags
	cmd := &cobra.Command{Use: "images", Short: "Require signed transform URLs or limit the widths of a distribution's images", Long: imagesHelp}
	cf.register(cmd)

	var id, widths string
	var requireSigned, rotate bool
	set := &cobra.Command{
		Use:   "set",
		Short: "Replace a distribution's image settings (flags not given are reset)",
		Example: "  imgcdn images set --distribution E2QWRUHAPOMQZL --require-signed --allowed-widths 320,640,1280\n" +
			"  imgcdn images set --distribution E2QWRUHAPOMQZL      # no restriction, secret kept",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := parseWidths(widths)
			if err != nil {
				return err
			}
			c, err := cf.imagesClient()
			if err != nil {
				return err
			}
			got, err := c.Put(cmd.Context(), id, imagesapi.SettingsBody{RequireSigned: requireSigned, AllowedWidths: ws}, rotate)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", got.DistributionID, describeSettings(got))
			return nil
		},
	}
	f := set.Flags()
	f.StringVar(&id, "distribution", "", "the distribution id")
	f.BoolVar(&requireSigned, "require-signed", false, "refuse transform URLs without a valid signature")
	f.StringVar(&widths, "allowed-widths", "", "comma-separated widths transforms may ask for (empty: any)")
	f.BoolVar(&rotate, "rotate-secret", false, "replace the signing secret (every URL signed so far stops working)")
	_ = set.MarkFlagRequired("distribution")

	var getID string
	var showSecret bool
	get := &cobra.Command{
		Use:   "get",
		Short: "Show a distribution's image settings, or every distribution's without --distribution",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := cf.imagesClient()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if getID == "" {
				if showSecret {
					return fmt.Errorf("--show-secret needs --distribution")
				}
				l, err := c.List(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "DISTRIBUTION\tSETTINGS\tMODIFIED")
				for _, s := range l {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", s.DistributionID, describeSettings(s), s.LastModifiedTime.Format(time.RFC3339))
				}
				return tw.Flush()
			}
			s, err := c.Get(cmd.Context(), getID)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s: %s\n", s.DistributionID, describeSettings(s))
			if showSecret {
				secret, err := c.Secret(cmd.Context(), getID)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "signing secret: %s\n", secret)
			}
			return nil
		},
	}
	get.Flags().StringVar(&getID, "distribution", "", "the distribution id")
	get.Flags().BoolVar(&showSecret, "show-secret", false, "also print the signing secret (for applications that sign URLs)")
	cmd.AddCommand(set, get)
	return cmd
}

// newSignURLCmd prints a transform URL signed by the control plane.
func newSignURLCmd() *cobra.Command {
	var cf controlFlags
	var id string
	cmd := &cobra.Command{
		Use:   "sign-url --distribution <id> <url or path>",
		Short: "Print a transform URL signed with a distribution's secret (?sig= added)",
		Long: "Print the URL (absolute, or a path with its query) with its signature as the last query\n" +
			"parameter, sig, replacing any it had. The control plane signs it: the secret never\n" +
			"leaves it. Every spelling of one set of options (w=300 or width=300, any order) has\n" +
			"one signature; query parameters other than options are not signed.\n\n" + imagesHelp,
		Example: "  imgcdn sign-url --distribution E2QWRUHAPOMQZL 'https://d111111abcdef8.cdn.localhost/cdn-cgi/image/width=320,format=auto/images/a.jpg'\n" +
			"  imgcdn sign-url --distribution E2QWRUHAPOMQZL '/images/a.jpg?width=320'",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cf.imagesClient()
			if err != nil {
				return err
			}
			signed, err := c.Sign(cmd.Context(), id, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), signed)
			return nil
		},
	}
	cf.register(cmd)
	cmd.Flags().StringVar(&id, "distribution", "", "the distribution id")
	_ = cmd.MarkFlagRequired("distribution")
	return cmd
}

// parseWidths reads "320,640,1280"; "" is none.
func parseWidths(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		w, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("--allowed-widths: %q is not a width in pixels", p)
		}
		out = append(out, w)
	}
	return out, nil
}

func describeSettings(s distrib.ImageSettings) string {
	signed := "signed URLs not required"
	if s.RequireSigned {
		signed = "signed URLs required"
	}
	widths := "any width"
	if len(s.AllowedWidths) > 0 {
		ws := make([]string, len(s.AllowedWidths))
		for i, w := range s.AllowedWidths {
			ws[i] = strconv.Itoa(w)
		}
		widths = "widths " + strings.Join(ws, ",")
	}
	return signed + ", " + widths
}
