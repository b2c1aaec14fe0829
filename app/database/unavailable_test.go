package database_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// refusingPostgres is a server on loopback that answers every connection's start-up
// message with an ErrorResponse carrying code and message, as PostgreSQL does while it
// starts, stops, or runs out of connections.
func refusingPostgres(t *testing.T, code, message string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				var size int32
				if binary.Read(r, binary.BigEndian, &size) != nil || size < 8 {
					return
				}
				if _, err := io.CopyN(io.Discard, r, int64(size-4)); err != nil {
					return
				}
				var body []byte
				for _, f := range []struct {
					k byte
					v string
				}{{'S', "FATAL"}, {'V', "FATAL"}, {'C', code}, {'M', message}} {
					body = append(append(append(body, f.k), f.v...), 0)
				}
				body = append(body, 0)
				msg := append([]byte{'E'}, binary.BigEndian.AppendUint32(nil, uint32(len(body)+4))...)
				_, _ = conn.Write(append(msg, body...))
			}()
		}
	}()
	return fmt.Sprintf("postgres://cairn:cairn@%s/cairn?sslmode=disable", ln.Addr())
}

func TestPostgresUnavailableStatesAreRecognisedByCodeNotWording(t *testing.T) {
	for _, c := range []struct {
		code, message string
		unavailable   bool
	}{
		// The wording is French on purpose: a server with lc_messages=fr_FR says so, and
		// the code is what tells.
		{"57P03", "le système de bases de données se lance", true},
		{"57P01", "arrêt du serveur demandé par l'administrateur", true},
		{"57P02", "arrêt brutal", true},
		{"08006", "échec de la connexion", true},
		{"53300", "trop de clients déjà connectés", true},
		{"53100", "plus d'espace disque", true},
		{"25006", "transaction en lecture seule", true},
		{"28P01", "authentification par mot de passe échouée", false},
		{"3D000", "la base de données n'existe pas", false},
	} {
		t.Run(c.code, func(t *testing.T) {
			url := refusingPostgres(t, c.code, c.message)
			_, err := database.OpenPostgres(context.Background(), url)
			if err == nil {
				t.Fatal("connected to a server that refuses")
			}
			if got := database.IsUnavailable(err); got != c.unavailable {
				t.Fatalf("IsUnavailable(%v) = %v, want %v", err, got, c.unavailable)
			}
		})
	}
}

func TestAConnectionKilledMidTransactionIsUnavailableNotABug(t *testing.T) {
	db := dbtest.Open(t, "postgres")
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	var pid int
	if err := tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	// Another connection of the same pool ends this transaction's backend, as a restart does.
	var ended bool
	if err := db.QueryRowContext(ctx, "SELECT pg_terminate_backend(?)", pid).Scan(&ended); err != nil || !ended {
		t.Fatalf("terminate backend %d: %v %v", pid, ended, err)
	}
	_, err = tx.ExecContext(ctx, "UPDATE readiness SET checked_at = checked_at")
	if err == nil {
		t.Fatal("a statement on a terminated backend succeeded")
	}
	if !database.IsUnavailable(err) {
		t.Fatalf("IsUnavailable(%v) = false", err)
	}
}

func TestAClosedSQLiteDatabaseIsUnavailable(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	_ = db.Close()
	err := database.Ping(context.Background(), db)
	if !database.IsUnavailable(err) || database.IsCorrupt(err) {
		t.Fatalf("closed database: unavailable %v, corrupt %v (%v)", database.IsUnavailable(err), database.IsCorrupt(err), err)
	}
}
