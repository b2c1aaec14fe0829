package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
)

func runUsers(args []string, env Env) error {
	if len(args) == 0 {
		return usageError("users needs an action: create, set-role, reset, disable-2fa, list, disable, enable, export or delete")
	}
	action, args := args[0], args[1:]
	var username, role, displayName string
	var out, search string
	var inactiveDays, activeDays int
	var passwordStdin, allEncrypted, yes, disabled bool
	cfg, fs, err := loadConfig("users "+action, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "the account's username")
		fs.StringVar(&role, "role", "", "learner, trainer or admin")
		fs.StringVar(&displayName, "display-name", "", "optional display name (create)")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (create)")
		fs.BoolVar(&allEncrypted, "all-encrypted", false, "every account whose two-factor secret is encrypted (disable-2fa, when CAIRN_SECRET_KEY is lost)")
		fs.StringVar(&out, "out", "", "write the account's data to this new file, readable by its owner only, instead of standard output (export)")
		fs.BoolVar(&yes, "yes", false, "confirm the deletion, which cannot be undone (delete)")
		fs.StringVar(&search, "search", "", "accounts whose username or display name contains this, in any case and with or without accents (list)")
		fs.IntVar(&inactiveDays, "inactive-days", 0, "accounts not used for more than this many days (list)")
		fs.IntVar(&activeDays, "active-days", 0, "accounts used in the last this many days (list)")
		fs.BoolVar(&disabled, "disabled", false, "disabled accounts only (list)")
	})
	if err != nil {
		return err
	}
	// The account may also be named after the action (cairn users disable NAME), with flags
	// before or after it.
	pos, err := parseInterleaved(fs, fs.Args())
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 1:
		return usageError("unexpected argument %q", pos[1])
	case len(pos) == 1 && username != "" && pos[0] != username:
		return usageError("the account is named twice: %q and --username %q", pos[0], username)
	case len(pos) == 1:
		username = pos[0]
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
		audit(ctx, st, env, store.AuditUserCreate, store.UserTarget(u), store.AuditDetail("role", role))
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
		switch err := st.SetRole(ctx, u.ID, role); {
		case errors.Is(err, store.ErrLastAdmin):
			return fmt.Errorf("%q is the last enabled administrator: make another account an administrator first", u.Username)
		case err != nil:
			return err
		}
		audit(ctx, st, env, store.AuditUserRole, store.UserTarget(u), store.AuditDetail("from", u.Role, "to", role))
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
		audit(ctx, st, env, store.AuditUserResetLink, store.UserTarget(u), "")
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
		var targets []store.AuditTarget
		if allEncrypted {
			users, err := st.TOTPSecrets(ctx)
			if err != nil {
				return err
			}
			for _, u := range users {
				if auth.IsSealed(u.TOTPSecret) || auth.IsSealed(u.TOTPPendingSecret) {
					ids = append(ids, u.ID)
					targets = append(targets, store.UserTarget(&u))
				}
			}
		} else {
			u, err := findUser()
			if err != nil {
				return err
			}
			ids = append(ids, u.ID)
			targets = append(targets, store.UserTarget(u))
		}
		for i, id := range ids {
			if err := st.DisableTOTP(ctx, id); err != nil {
				return err
			}
			audit(ctx, st, env, store.AuditUserDisable2FA, targets[i], "")
		}
		fmt.Fprintf(env.Stdout, "two-step verification is off for %d account(s); they sign in with their password and can set it up again\n", len(ids))
	case "list":
		return listUsers(ctx, st, userListFlags{search: search, role: role, inactiveDays: inactiveDays, activeDays: activeDays, disabled: disabled}, env)
	case "disable":
		u, err := findUser()
		if err != nil {
			return err
		}
		switch err := st.DisableUser(ctx, u.ID); {
		case errors.Is(err, store.ErrLastAdmin):
			return fmt.Errorf("%q is the last enabled administrator: make another account an administrator first", u.Username)
		case err != nil:
			return err
		}
		audit(ctx, st, env, store.AuditUserDisable, store.UserTarget(u), "")
		fmt.Fprintf(env.Stdout, "%q is disabled: it cannot sign in and every sign-in session ended; its data is kept (cairn users enable undoes it). Open live connections end at their next reconnect.\n", u.Username)
	case "enable":
		u, err := findUser()
		if err != nil {
			return err
		}
		if err := st.EnableUser(ctx, u.ID); err != nil {
			return err
		}
		audit(ctx, st, env, store.AuditUserEnable, store.UserTarget(u), "")
		fmt.Fprintf(env.Stdout, "%q is enabled: it can sign in again with its password\n", u.Username)
	case "export":
		u, err := findUser()
		if err != nil {
			return err
		}
		if err := exportUser(ctx, st, u, out, env); err != nil {
			return err
		}
		audit(ctx, st, env, store.AuditUserExport, store.UserTarget(u), "")
	case "delete":
		if !yes {
			return usageError("deleting an account cannot be undone: add --yes to confirm (export its data first with \"cairn users export\" if it is wanted)")
		}
		u, err := findUser()
		if err != nil {
			return err
		}
		return deleteUser(ctx, st, u, env)
	default:
		return usageError("unknown action %q (want create, set-role, reset, disable-2fa, list, disable, enable, export or delete)", action)
	}
	return nil
}

// exportUser writes everything the instance keeps about an account (store.ExportUser) as
// JSON, to standard output or to a new file only its owner can read: like a backup, it is
// personal data in clear.
func exportUser(ctx context.Context, st *store.Store, u *model.User, out string, env Env) error {
	data, err := st.ExportUser(ctx, u.ID)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return err
	}
	body = append(body, '\n')
	if out == "" {
		_, err := env.Stdout.Write(body)
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write the export: %w (it is never written over an existing file)", err)
	}
	if _, err := f.Write(body); err != nil {
		_ = f.Close()
		return fmt.Errorf("write the export: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote the data of %q to %s (readable by you only; it is not encrypted)\n", u.Username, out)
	return nil
}

// deleteUser deletes an account and every row about the person (store.DeleteUser), or says
// what stops it.
func deleteUser(ctx context.Context, st *store.Store, u *model.User, env Env) error {
	gone, err := st.DeleteUser(ctx, u.ID)
	switch {
	case errors.Is(err, store.ErrLastAdmin):
		return fmt.Errorf("%q is the only administrator: make another account an administrator first (cairn users set-role)", u.Username)
	case errors.Is(err, store.ErrSoleTrainer):
		cohorts, lerr := st.SoleTrainerCohorts(ctx, u.ID)
		if lerr != nil {
			return lerr
		}
		var names []string
		for _, c := range cohorts {
			names = append(names, fmt.Sprintf("%q (/cohorts/%d)", c.Name, c.ID))
		}
		return fmt.Errorf("%q is the only trainer of %s: add another trainer to each on its page first, so its learners are not left without one", u.Username, strings.Join(names, ", "))
	case err != nil:
		return err
	}
	audit(ctx, st, env, store.AuditUserDelete, store.DeletedUserTarget, store.AuditDetail("role", u.Role))
	fmt.Fprintf(env.Stdout, "deleted the account %q and every row about it; its named questions in live sessions now show \"deleted user\"\n", u.Username)
	if len(gone.LiveSessions) > 0 {
		// No server hears of this: the rooms catch up at their next event (a gap).
		if err := st.SkipLiveNumbers(ctx, gone.LiveSessions); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d running live session(s) show the change at their next update; the account's open live connections end when they next reconnect\n", len(gone.LiveSessions))
	}
	return nil
}

type userListFlags struct {
	search, role             string
	inactiveDays, activeDays int
	disabled                 bool
}

// listUsers prints the accounts the flags keep, one a line (id, username, role with "2fa"
// and "disabled" marks, created, last active day), in username order, a chunk at a time.
func listUsers(ctx context.Context, st *store.Store, fl userListFlags, env Env) error {
	f := store.UserFilter{Search: fl.search}
	if fl.role != "" {
		if model.RoleRank(fl.role) == 0 {
			return usageError("--role must be learner, trainer or admin")
		}
		f.Role = fl.role
	}
	if fl.inactiveDays < 0 || fl.activeDays < 0 {
		return usageError("--inactive-days and --active-days count days: 1 or more")
	}
	today := model.ActiveDay(st.Now())
	if fl.inactiveDays > 0 {
		f.InactiveBefore = today.AddDate(0, 0, -fl.inactiveDays)
	}
	if fl.activeDays > 0 {
		f.ActiveSince = today.AddDate(0, 0, 1-fl.activeDays)
	}
	if fl.disabled {
		f.Status = store.UsersDisabled
	}
	return st.EachUser(ctx, f, 500, func(users []model.User) error {
		for _, u := range users {
			marks := ""
			if u.TOTPEnabled() {
				marks += " 2fa"
			}
			if u.Disabled() {
				marks += " disabled"
			}
			active := "-"
			if !u.ActiveOn.IsZero() {
				active = u.ActiveOn.UTC().Format("2006-01-02")
			}
			if _, err := fmt.Fprintf(env.Stdout, "%d\t%s\t%s%s\t%s\t%s\n", u.ID, u.Username, u.Role, marks, u.CreatedAt.Format("2006-01-02"), active); err != nil {
				return err
			}
		}
		return nil
	})
}

// audit records a command's action in the audit log, by "the command line": whoever runs
// cairn on the server has no account to name. A failure is reported, not fatal: the
// action is done.
func audit(ctx context.Context, st *store.Store, env Env, action string, target store.AuditTarget, detail string) {
	if err := st.RecordAudit(ctx, store.CLIActor, action, target, detail); err != nil {
		fmt.Fprintf(env.Stderr, "warning: the audit log did not record this: %v\n", err)
	}
}
