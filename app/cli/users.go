package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
)

func runUsers(args []string, env Env) error {
	if len(args) == 0 {
		return usageError("users needs an action: create, set-role, reset, disable-2fa or list")
	}
	action, args := args[0], args[1:]
	var username, role, displayName string
	var passwordStdin, allEncrypted bool
	cfg, fs, err := loadConfig("users "+action, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "the account's username")
		fs.StringVar(&role, "role", "", "learner, trainer or admin")
		fs.StringVar(&displayName, "display-name", "", "optional display name (create)")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (create)")
		fs.BoolVar(&allEncrypted, "all-encrypted", false, "every account whose two-factor secret is encrypted (disable-2fa, when CAIRN_SECRET_KEY is lost)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	ctx, stop := signalContext()
	defer stop()
	log := newLogger(cfg, env.Stderr)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	st := store.New(db, nil)

	findUser := func() (*model.User, error) {
		if username == "" {
			return nil, usageError("--username is required")
		}
		u, err := st.UserByUsernameKey(ctx, auth.UsernameKey(username))
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("no account named %q", username)
		}
		return u, err
	}
	switch action {
	case "create":
		if model.RoleRank(role) == 0 {
			return usageError("--role must be learner, trainer or admin")
		}
		if !passwordStdin {
			return usageError("--password-stdin is required: the password is read from standard input, never from the command line")
		}
		name, err := auth.CleanUsername(username)
		if err != nil {
			return fmt.Errorf("username: %s", problemText(err))
		}
		dn, err := auth.CleanDisplayName(displayName)
		if err != nil {
			return fmt.Errorf("display name: %s", problemText(err))
		}
		// The first line is the password, so typing it and pressing Enter is enough.
		line, err := bufio.NewReader(io.LimitReader(env.Stdin, auth.PasswordMaxBytes+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password := strings.TrimRight(line, "\r\n")
		if err := auth.CheckPassword(password, name.Key); err != nil {
			return fmt.Errorf("password: %s", problemText(err))
		}
		hasher, err := auth.NewHasher(cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads, 1)
		if err != nil {
			return err
		}
		hash, err := hasher.Hash(ctx, password)
		if err != nil {
			return err
		}
		codes, hashes := auth.NewRecoveryCodes()
		u := &model.User{Username: name.Display, UsernameKey: name.Key, UsernameSkeleton: name.Skeleton,
			DisplayName: dn, PasswordHash: hash, Role: role, Locale: cfg.DefaultLocale}
		if err := st.CreateAccount(ctx, store.NewAccount{User: u, RecoveryHashes: hashes}); err != nil {
			switch {
			case errors.Is(err, store.ErrUsernameTaken):
				return fmt.Errorf("the username %q is taken", name.Display)
			case errors.Is(err, store.ErrUsernameConfusable):
				return fmt.Errorf("the username %q looks like another account's name; choose another", name.Display)
			}
			return err
		}
		fmt.Fprintf(env.Stdout, "created %s %q (id %d)\nrecovery codes (each works once; hand them over safely):\n", role, name.Display, u.ID)
		for _, c := range codes {
			fmt.Fprintln(env.Stdout, "  "+c)
		}
	case "set-role":
		if model.RoleRank(role) == 0 {
			return usageError("--role must be learner, trainer or admin")
		}
		u, err := findUser()
		if err != nil {
			return err
		}
		if err := st.SetRole(ctx, u.ID, role); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%q is now %s; their sessions were signed out\n", u.Username, role)
	case "reset":
		u, err := findUser()
		if err != nil {
			return err
		}
		token, hash := auth.NewToken()
		if err := st.CreatePasswordReset(ctx, u.ID, hash, web.ResetLinkTTL); err != nil {
			return err
		}
		// The listen address is rarely the address people reach: without the public URL the
		// path alone is printed, as on the admin page.
		fmt.Fprintf(env.Stdout, "one-time reset link for %q, valid for %s:\n%s/reset?token=%s\n", u.Username, web.ResetLinkTTL, strings.TrimRight(cfg.BaseURL, "/"), url.QueryEscape(token))
		if cfg.BaseURL == "" {
			fmt.Fprintln(env.Stdout, "(only the path: set CAIRN_BASE_URL to the instance's public address to print a full link)")
		}
	case "disable-2fa":
		// For a person who lost both their phone and their recovery codes (check who they are
		// first), or for everyone at once when the key encrypting the secrets is lost.
		var ids []int64
		if allEncrypted {
			users, err := st.TOTPSecrets(ctx)
			if err != nil {
				return err
			}
			for _, u := range users {
				if auth.IsSealed(u.TOTPSecret) || auth.IsSealed(u.TOTPPendingSecret) {
					ids = append(ids, u.ID)
				}
			}
		} else {
			u, err := findUser()
			if err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		for _, id := range ids {
			if err := st.DisableTOTP(ctx, id); err != nil {
				return err
			}
		}
		fmt.Fprintf(env.Stdout, "two-step verification is off for %d account(s); they sign in with their password and can set it up again\n", len(ids))
	case "list":
		users, err := st.ListUsers(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			twoFactor := ""
			if u.TOTPEnabled() {
				twoFactor = " 2fa"
			}
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s%s\t%s\n", u.ID, u.Username, u.Role, twoFactor, u.CreatedAt.Format("2006-01-02"))
		}
	default:
		return usageError("unknown action %q (want create, set-role, reset, disable-2fa or list)", action)
	}
	return nil
}
