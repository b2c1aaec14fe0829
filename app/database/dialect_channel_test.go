package database_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

func TestNotifyChannelsAreSeparatePerSchema(t *testing.T) {
	var names []string
	for range 2 {
		dbtest.Each(t, func(t *testing.T, db *bun.DB) {
			name, err := database.ChannelName(context.Background(), db, "cairn_live")
			if err != nil {
				t.Fatal(err)
			}
			if !database.IsPostgres(db) {
				if name != "cairn_live" {
					t.Fatalf("SQLite channel %q", name)
				}
				return
			}
			if !strings.HasPrefix(name, "cairn_live_") || len(name) > 63 {
				t.Fatalf("channel %q for a test schema", name)
			}
			again, _ := database.ChannelName(context.Background(), db, "cairn_live")
			if again != name {
				t.Fatalf("channel name not stable: %q then %q", name, again)
			}
			names = append(names, name)
		})
	}
	if len(names) == 2 && names[0] == names[1] {
		t.Fatalf("two schemas share the channel %q", names[0])
	}
}
