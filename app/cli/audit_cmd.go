package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// auditChunk is how many entries are read at a time, whatever the log's length.
const auditChunk = 500

// runAudit prints the audit log, newest first, filtered as on /admin/audit; --csv writes
// the same columns as /admin/audit.csv, in the configured default language.
func runAudit(args []string, env Env) error {
	var action, actor, from, to string
	var asCSV bool
	cfg, fs, err := loadConfig("audit", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&action, "action", "", "only this action, by its code (user.create, setting.registration…)")
		fs.StringVar(&actor, "actor", "", "only what this account did, by username")
		fs.StringVar(&from, "from", "", "from this UTC day (2026-03-01), included")
		fs.StringVar(&to, "to", "", "to this UTC day, included")
		fs.BoolVar(&asCSV, "csv", false, "write CSV, as /admin/audit.csv does")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("audit takes no argument, only flags")
	}
	var f store.AuditFilter
	if action != "" {
		known := false
		for _, a := range store.AuditActions {
			known = known || a == action
		}
		if !known {
			return usageError("unknown action %q; the actions are %s", action, strings.Join(store.AuditActions, ", "))
		}
		f.Action = action
	}
	for _, d := range []struct {
		text string
		to   *time.Time
	}{{from, &f.From}, {to, &f.To}} {
		if d.text == "" {
			continue
		}
		day, err := time.Parse(time.DateOnly, d.text)
		if err != nil {
			return usageError("%q is not a day written 2026-03-31", d.text)
		}
		*d.to = day
	}
	if !f.To.IsZero() {
		if !f.From.IsZero() && f.To.Before(f.From) {
			return usageError("--to is before --from")
		}
		f.To = f.To.AddDate(0, 0, 1) // the last day is included
	}
	locales, err := locale.Load(i18n.Files, cfg.DefaultLocale)
	if err != nil {
		return err
	}
	loc := locales.Default()
	names := store.AuditNames{CLI: loc.T("audit_by_cli"), Server: loc.T("audit_by_server"), Deleted: loc.T("audit_deleted_user")}
	labels := map[string]string{}
	for _, a := range store.AuditActions {
		labels[a] = loc.T(store.AuditLabelID(a))
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		if actor != "" {
			u, err := st.UserByUsernameKey(ctx, auth.UsernameKey(actor))
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no account is named %q", printable(actor))
			}
			if err != nil {
				return err
			}
			f.ActorID = &u.ID
		}
		if asCSV {
			out := csv.NewWriter(env.Stdout)
			// The same file as /admin/audit.csv, byte order mark included (app/web).
			if _, err := fmt.Fprint(env.Stdout, "\ufeff"); err != nil {
				return err
			}
			if err := out.Write(store.AuditCSVHeader([]string{loc.T("audit_col_when"), loc.T("audit_col_actor"), loc.T("audit_col_code"),
				loc.T("audit_col_action"), loc.T("audit_col_target_kind"), loc.T("audit_col_target_id"), loc.T("audit_col_target"),
				loc.T("audit_col_detail")})); err != nil {
				return err
			}
			err := st.EachAuditEntry(ctx, f, auditChunk, func(es []model.AuditEntry) error {
				for i := range es {
					if err := out.Write(store.AuditCSVRow(&es[i], names, labels[es[i].Action])); err != nil {
						return err
					}
				}
				out.Flush()
				return out.Error()
			})
			if err != nil {
				return err
			}
			out.Flush()
			return out.Error()
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "WHEN (UTC)\tACTOR\tACTION\tTARGET\tDETAIL")
		err := st.EachAuditEntry(ctx, f, auditChunk, func(es []model.AuditEntry) error {
			for i := range es {
				e := &es[i]
				target := store.AuditTargetName(e, names)
				if e.TargetKind != model.TargetNone && e.TargetID != nil {
					target = fmt.Sprintf("%s %d %s", e.TargetKind, *e.TargetID, target)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.CreatedAt.UTC().Format("2006-01-02 15:04:05"),
					printable(store.AuditActorName(e, names)), e.Action, printable(strings.TrimSpace(target)), printable(e.Detail))
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tw.Flush()
	})
}
