package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
)

// runKeys manages the partners' signing keys this instance trusts for course packages and
// offline copies, as the admin page's "Signing keys of partner instances" does.
func runKeys(args []string, env Env) error {
	if len(args) == 0 {
		return usageError("keys needs an action: list, trust FILE.pub --label L, or untrust ID")
	}
	action, args := args[0], args[1:]
	var label string
	cfg, fs, err := loadConfig("keys "+action, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&label, "label", "", "the partner's name, shown beside its key (trust)")
	})
	if err != nil {
		return err
	}
	pos, err := parseInterleaved(fs, fs.Args())
	if err != nil {
		return err
	}
	switch {
	case action == "list" && len(pos) == 0:
		return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
			keys, err := st.TrustedKeys(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tLABEL\tADDED\tKEY")
			for _, k := range keys {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, printable(k.Label), k.AddedAt.UTC().Format("2006-01-02"), k.Key)
			}
			return tw.Flush()
		})
	case action == "trust" && len(pos) == 1:
		return trustKey(env, cfg, pos[0], label)
	case action == "untrust" && len(pos) == 1:
		id := pos[0]
		return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
			err := st.RemoveTrustedKey(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no trusted key has the id %q; `cairn keys list` shows them", printable(id))
			}
			if err != nil {
				return err
			}
			audit(ctx, st, env, store.AuditSettingTrustedKeys, store.NoTarget, store.AuditDetail("removed", id))
			fmt.Fprintf(env.Stdout, "key %s is no longer trusted; packages it signed are refused from now on\n", id)
			return nil
		})
	}
	return usageError("keys needs an action: list, trust FILE.pub --label L, or untrust ID")
}

// trustKey checks a partner's public key file and label as the admin page does and trusts it.
func trustKey(env Env, cfg config.Config, path, rawLabel string) error {
	label, ok := adminsetting.CleanKeyLabel(rawLabel)
	if !ok {
		return usageError("--label names the partner: one line of 1 to %d characters", adminsetting.MaxTrustedKeyLabel)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	text, err := io.ReadAll(io.LimitReader(f, 4<<10))
	f.Close()
	if err != nil {
		return err
	}
	key, err := signing.ParsePublicKey(string(text))
	if err != nil {
		return fmt.Errorf("%s: refused, nothing stored: not a minisign public key (%v)", path, err)
	}
	pub := signing.PublicKey{Label: label, Key: key}
	if own, err := signing.LoadKey(cfg.DataDir); err == nil && own.Public.ID() == pub.ID() {
		return fmt.Errorf("%s: refused, nothing stored: this is this instance's own key, trusted already", path)
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		err := st.AddTrustedKey(ctx, store.TrustedKey{ID: pub.ID(), Label: label, Key: pub.String()})
		if errors.Is(err, store.ErrTrustedKeyExists) {
			return fmt.Errorf("%s: refused, nothing stored: key %s is already trusted", path, pub.ID())
		}
		if err != nil {
			return err
		}
		audit(ctx, st, env, store.AuditSettingTrustedKeys, store.NoTarget, store.AuditDetail("added", pub.ID()))
		fmt.Fprintf(env.Stdout, "trusted key %s of %s; packages and offline copies it signs are accepted\n", pub.ID(), printable(label))
		return nil
	})
}
