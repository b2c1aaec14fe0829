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

// TestCleanUsername is the username corpus: names people write in the languages Cairn
// serves are accepted, and every way found to make one name pass for another is refused.
func TestCleanUsername(t *testing.T) {
	cases := []struct {
		in, display, key, problem string
	}{
		{"Alice", "Alice", "alice", ""},
		{"  ALICE  ", "ALICE", "alice", ""},
		{"Ａｌｉｃｅ", "Alice", "alice", ""}, // full-width folds to ASCII under NFKC
		{"ali_ce", "ali_ce", "ali_ce", ""},
		{"maria.jose", "maria.jose", "maria.jose", ""},
		{"María.José", "María.José", "maría.josé", ""},
		{"Straße", "Straße", "strasse", ""},
		{"ΣΊΣΥΦΟΣ", "ΣΊΣΥΦΟΣ", "σίσυφοσ", ""},
		{"ελένη", "ελένη", "ελένη", ""},
		{"иван", "иван", "иван", ""},
		{"Иван_2", "Иван_2", "иван_2", ""}, // Cyrillic with ASCII digits (Common)
		{"محمد", "محمد", "محمد", ""},
		{"مدافع_حقوق", "مدافع_حقوق", "مدافع_حقوق", ""},
		{"محمد١٢", "محمد١٢", "محمد١٢", ""},       // Arabic-Indic digits
		{"محمد12", "محمد12", "محمد12", ""},       // or ASCII ones
		{"مُحَمَّد", "مُحَمَّد", "مُحَمَّد", ""}, // with harakat (Inherited marks)
		{"שרה", "שרה", "שרה", ""},
		{"山田太郎", "山田太郎", "山田太郎", ""},
		{"なまえ", "なまえ", "なまえ", ""},
		{"田中さん", "田中さん", "田中さん", ""},             // Han + Hiragana
		{"tanaka田中", "tanaka田中", "tanaka田中", ""}, // Latin + Han (Japanese mix)
		{"김민준", "김민준", "김민준", ""},
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
		{"adrnin", "", "", "error_username_reserved"}, // rn looks like m
		{"r00t", "", "", "error_username_reserved"},   // 0 looks like o
		{"nul1", "", "", "error_username_reserved"},
		{"\u0430lice", "", "", "error_username_mixed_scripts"}, // Cyrillic а
		{"\u0430dmin", "", "", "error_username_mixed_scripts"}, // Cyrillic а, looks reserved
		{"p\u0430yp\u0430l", "", "", "error_username_mixed_scripts"},
		{"alice\u03BF", "", "", "error_username_mixed_scripts"}, // Greek ο
		{"aliceمحمد", "", "", "error_username_mixed_scripts"},
		{"иван名前", "", "", "error_username_mixed_scripts"},
		{"김tanaka名前なまえ", "", "", "error_username_mixed_scripts"}, // Hangul with kana
		{"user1\u0662", "", "", "error_username_mixed_scripts"},  // Arabic-Indic digit is Arabic
		{"محمد1\u0662", "", "", "error_username_mixed_digits"},
		{"محمد\u06F1\u0662", "", "", "error_username_mixed_digits"}, // extended and plain Arabic-Indic
		{"al\u034Fice", "", "", "error_username_invisible"},         // combining grapheme joiner
		{"alice\uFE0F", "", "", "error_username_invisible"},         // variation selector 16
		{"ali\u200Dce", "", "", "error_username_invisible"},         // zero-width joiner
		{"ali\u200Bce", "", "", "error_username_invisible"},         // zero-width space
		{"ali\u00ADce", "", "", "error_username_invisible"},         // soft hyphen
		{"\u202Enimda", "", "", "error_username_invisible"},         // right-to-left override
		{"ali\u2067ce", "", "", "error_username_invisible"},         // right-to-left isolate
		{"محمد\u200F", "", "", "error_username_invisible"},          // right-to-left mark
		{"\u3164alice", "", "", "error_username_invisible"},         // Hangul filler, a letter
	}
	for _, tc := range cases {
		u, err := auth.CleanUsername(tc.in)
		if got := problemID(err); got != tc.problem {
			t.Errorf("CleanUsername(%+q): problem %q, want %q", tc.in, got, tc.problem)
			continue
		}
		if tc.problem == "" && (u.Display != tc.display || u.Key != tc.key) {
			t.Errorf("CleanUsername(%+q) = %q, %q; want %q, %q", tc.in, u.Display, u.Key, tc.display, tc.key)
		}
		if tc.problem == "" && u.Skeleton != auth.UsernameSkeleton(tc.in) {
			t.Errorf("CleanUsername(%+q): skeleton %+q differs from UsernameSkeleton's %+q", tc.in, u.Skeleton, auth.UsernameSkeleton(tc.in))
		}
	}
}

func TestUsernameSkeletonMatchesLookAlikesOnly(t *testing.T) {
	same := [][2]string{
		{"paypal", "paypa1"},
		{"paypal", "PAYPAL"},
		{"papa", "\u0440\u0430\u0440\u0430"}, // whole-script Cyrillic рара
		{"alice", "\u0430lice"},
		{"modem", "rnodern"},
		{"scope", "ѕсоре"},
	}
	for _, p := range same {
		if a, b := auth.UsernameSkeleton(p[0]), auth.UsernameSkeleton(p[1]); a != b {
			t.Errorf("skeletons of %+q and %+q differ (%+q, %+q): they look alike", p[0], p[1], a, b)
		}
	}
	differ := [][2]string{{"alice", "alicia"}, {"محمد", "احمد"}, {"иван", "ivan"}, {"user1", "user2"}}
	for _, p := range differ {
		if auth.UsernameSkeleton(p[0]) == auth.UsernameSkeleton(p[1]) {
			t.Errorf("%+q and %+q share a skeleton but do not look alike", p[0], p[1])
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
		// On a Persian or Arabic keyboard the digits come out as ۰–۹ or ٠–٩.
		persian := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '۰' + (r - '0')
			}
			return r
		}, c)
		arabic := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '٠' + (r - '0')
			}
			return r
		}, c)
		if auth.HashCode(persian) != hashes[i] || auth.HashCode(arabic) != hashes[i] {
			t.Fatalf("%q typed with Persian (%q) or Arabic-Indic (%q) digits does not match its hash", c, persian, arabic)
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
	persian := strings.Map(func(r rune) rune { return '۰' + (r - '0') }, code)
	if _, ok := auth.MatchTOTP(secret, persian, now); !ok {
		t.Fatalf("the code typed in Persian digits (%s) should match", persian)
	}
	arabic := strings.Map(func(r rune) rune { return '٠' + (r - '0') }, code)
	if _, ok := auth.MatchTOTP(secret, arabic, now); !ok {
		t.Fatalf("the code typed in Arabic-Indic digits (%s) should match", arabic)
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
