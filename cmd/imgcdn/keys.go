package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/auth"
)

// newKeysCmd manages extra access keys. It edits <data>/keys.json directly, which a running
// server re-reads within a second, so it works with or without a server.
func newKeysCmd() *cobra.Command {
	dataDir := app.NewDefaultConfig().DataDir
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, list and delete access keys for users, origin access identities and edges",
		Long: "Extra access keys act as arn:aws:iam::<account>:user/NAME (or as a CloudFront origin\n" +
			"access identity) and have no rights until a bucket policy grants them. Edge keys\n" +
			"(--edge) let an `imgcdn edge` node follow the control plane and fetch from this\n" +
			"installation's buckets on behalf of a distribution's OAI or OAC. Changes take\n" +
			"effect in a running server within a second.",
	}
	cmd.PersistentFlags().StringVar(&dataDir, "data", dataDir, "imgcdn's data directory")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd.Flags()) }

	var tmpl auth.Key
	create := &cobra.Command{
		Use:   "create",
		Short: "Issue a key pair and print it (the secret is shown only here)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := auth.OpenKeyFile(dataDir).Create(tmpl)
			if err != nil {
				return err
			}
			acct, err := auth.LoadOrCreateAccount(dataDir)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "# %s\nexport AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n",
				principalName(acct, key), key.AccessKeyID, key.SecretAccessKey)
			if key.Edge {
				fmt.Fprintf(out, "# start an edge node with it (the secret in the environment, not in ps):\n#   IMGCDN_SECRET=$(imgcdn keys secret --data %s %s) imgcdn edge --control http://<API address> --key %s --node <name> ...\n",
					dataDir, key.AccessKeyID, key.AccessKeyID)
			}
			return nil
		},
	}
	create.Flags().StringVar(&tmpl.User, "name", "", "user name: the key acts as arn:aws:iam::<account>:user/NAME")
	create.Flags().StringVar(&tmpl.OAI, "oai", "", "origin access identity id: the key acts as that CloudFront OAI")
	create.Flags().BoolVar(&tmpl.Edge, "edge", false, "an edge node's key (one per edge fleet): follows the control plane and fetches origins as a distribution's OAI or OAC")

	list := &cobra.Command{
		Use:   "list",
		Short: "List access keys (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			keys, err := auth.OpenKeyFile(dataDir).List()
			if err != nil {
				return err
			}
			acct, err := auth.LoadOrCreateAccount(dataDir)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ACCESS KEY\tPRINCIPAL\tCREATED")
			for _, k := range keys {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", k.AccessKeyID, principalName(acct, k), k.Created)
			}
			return tw.Flush()
		},
	}

	del := &cobra.Command{
		Use:   "delete ACCESS_KEY_ID",
		Short: "Delete an access key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := auth.OpenKeyFile(dataDir).Delete(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted %s\n", args[0])
			return nil
		},
	}
	secret := &cobra.Command{
		Use:   "secret ACCESS_KEY_ID",
		Short: "Print the secret of a key (for scripts: IMGCDN_SECRET=$(imgcdn keys secret AKID))",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			keys, err := auth.OpenKeyFile(dataDir).List()
			if err != nil {
				return err
			}
			for _, k := range keys {
				if k.AccessKeyID == args[0] {
					fmt.Fprintln(cmd.OutOrStdout(), k.SecretAccessKey)
					return nil
				}
			}
			return fmt.Errorf("no key %s in %s", args[0], auth.OpenKeyFile(dataDir).Path())
		},
	}
	cmd.AddCommand(create, list, del, secret)
	return cmd
}

func principalName(acct auth.Account, k auth.Key) string {
	switch {
	case k.Edge:
		return "edge (service " + auth.EdgeService + ")"
	case k.OAI != "":
		return auth.OAIARN(k.OAI)
	case k.Service != "":
		return "service " + k.Service
	default:
		return "arn:aws:iam::" + acct.ID + ":user/" + k.User
	}
}
