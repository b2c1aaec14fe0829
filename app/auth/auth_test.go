package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/locale"
)

func problemID(err error) string {
	var m *locale.Message
	if errors.As(err, &m) {
		return m.ID
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestCleanUsername(t *testing.T) {
	cases := []struct {
		in, display, key, problem string
	}{
		{"Alice", "Alice", "alice", ""},
		{"  ALICE  ", "ALICE", "alice", ""},
		{"Ａｌｉｃｅ", "Alice", "alice", ""}, // full-width folds to ASCII under NFKC
		{"Straße", "Straße", "strasse", ""},
		{"ΣΊΣΥΦΟΣ", "ΣΊΣΥΦΟΣ", "σίσυφοσ", ""},
		{"مدافع_حقوق", "مدافع_حقوق", "مدافع_حقوق", ""},
		{"दिल्ली", "दिल्ली", "दिल्ली", ""}, // combining marks inside a name are fine
		{"jo.doe-2", "jo.doe-2", "jo.doe-2", ""},
		{"", "", "", "error_username_required"},
		{"ab", "", "", "error_username_too_short"},
		{strings.Repeat("a", 33), "", "", "error_username_too_long"},
		{"has space", "", "", "error_username_chars"},
		{"emoji😀x", "", "", "error_username_chars"},
		{"<script>", "", "", "error_username_chars"},
		{"_edge", "", "", "error_username_edges"},
		{"edge.", "", "", "error_username_edges"},
		{"Admin", "", "", "error_username_reserved"},
		{"ＡＤＭＩＮ", "", "", "error_username_reserved"},
	}
	for _, tc := range cases {
		display, key, err := auth.CleanUsername(tc.in)
		if got := problemID(err); got != tc.problem {
			t.Errorf("CleanUsername(%q): problem %q, want %q", tc.in, got, tc.problem)
			continue
		}
		if tc.problem == "" && (display != tc.display || key != tc.key) {
			t.Errorf("CleanUsername(%q) = %q, %q; want %q, %q", tc.in, display, key, tc.display, tc.key)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		password, usernameKey, problem string
	}{
		{"correct horse battery staple", "alice", ""},
		{"ñandú veloz 2026", "alice", ""},
		{"", "alice", "error_password_required"},
		{"short", "alice", "error_password_too_short"},
		{"123456789", "alice", "error_password_too_short"},
		{"1234567890", "alice", "error_password_common"},
		{"Password123", "alice", "error_password_common"},
		{"QWERTYUIOP", "alice", "error_password_common"},
		{"aaaaaaaaaaaa", "alice", "error_password_common"},
		{"abababababab", "alice", "error_password_common"},
		{"alice-is-great", "alice", "error_password_has_username"},
		{"ALICE-is-great", "alice", "error_password_has_username"},
		{strings.Repeat("x", 1025) + "y", "alice", "error_password_too_long"},
	}
	for _, tc := range cases {
		if got := problemID(auth.CheckPassword(tc.password, tc.usernameKey)); got != tc.problem {
			t.Errorf("CheckPassword(%q): %q, want %q", tc.password, got, tc.problem)
		}
	}
}

func TestHasherVerifiesAndAsksForRehashWhenCostChanges(t *testing.T) {
	ctx := context.Background()
	weak, err := auth.NewHasher(1024, 1, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := weak.Hash(ctx, "a long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("unexpected hash format %q", hash)
	}
	if ok, rehash, err := weak.Verify(ctx, "a long passphrase", hash); !ok || rehash || err != nil {
		t.Fatalf("Verify right password: %v %v %v", ok, rehash, err)
	}
	if ok, _, _ := weak.Verify(ctx, "a long passphrasE", hash); ok {
		t.Fatal("Verify accepted a wrong password")
	}
	if ok, _, err := weak.Verify(ctx, "anything", ""); ok || err != nil {
		t.Fatal("an unknown user (empty hash) must fail without error")
	}
	stronger, err := auth.NewHasher(2048, 1, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if ok, rehash, _ := stronger.Verify(ctx, "a long passphrase", hash); !ok || !rehash {
		t.Fatal("a hash made with a lower cost should be flagged for rehashing")
	}
	if _, _, err := weak.Verify(ctx, "x", "$argon2id$garbage"); err == nil {
		t.Fatal("a malformed stored hash must be an error")
	}
}

func TestCodesAndTokens(t *testing.T) {
	codes, hashes := auth.NewRecoveryCodes()
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes", len(codes))
	}
	for i, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 {
			t.Fatalf("code %q is not four groups of four", c)
		}
		if strings.ContainsAny(c, "01ilo") {
			t.Fatalf("code %q has a confusable character", c)
		}
		if auth.HashCode(" "+strings.ToUpper(strings.ReplaceAll(c, "-", " "))+" ") != hashes[i] {
			t.Fatalf("typed variants of %q do not match its hash", c)
		}
	}
	tok1, hash1 := auth.NewToken()
	tok2, _ := auth.NewToken()
	if len(tok1) != 43 || tok1 == tok2 || auth.HashToken(tok1) != hash1 || hash1 == tok1 {
		t.Fatal("tokens must be 256-bit, random, and hashed")
	}
}

func TestTOTPMatchesWithinOneStepAndReportsTheStep(t *testing.T) {
	secret, err := auth.NewTOTPSecret("Cairn", "alice")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 10, 0, time.UTC)
	code, err := auth.TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	step, ok := auth.MatchTOTP(secret, code, now)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("current code: ok=%v step=%d", ok, step)
	}
	if _, ok := auth.MatchTOTP(secret, code[:3]+" "+code[3:], now.Add(30*time.Second)); !ok {
		t.Fatal("code from the previous step (with a space) should still match")
	}
	if _, ok := auth.MatchTOTP(secret, code, now.Add(90*time.Second)); ok {
		t.Fatal("a code three steps old must not match")
	}
	if _, ok := auth.MatchTOTP(secret, "12345", now); ok {
		t.Fatal("a five-digit code must not match")
	}
	png, err := auth.TOTPQRCode(secret, "Cairn", "alice", 128)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("QR code: %v", err)
	}
	if got := auth.FormatSecret("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Fatalf("FormatSecret = %q", got)
	}
}
