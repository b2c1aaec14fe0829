package locale_test

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/i18n"
)

// shipped are the languages the foundation promises complete.
var shipped = []string{"en", "es", "fr", "ar", "fa"}

func messages(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(i18n.Files, "active."+lang+".toml")
	if err != nil {
		t.Fatalf("language %s not shipped: %v", lang, err)
	}
	m := map[string]any{}
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatalf("active.%s.toml: %v", lang, err)
	}
	return m
}

// messageTexts is every text of lang's file by where it is: "id" for a plain message,
// "id.form" for each plural form, so a check can name the form that fails.
func messageTexts(t *testing.T, lang string) map[string]string {
	t.Helper()
	texts := map[string]string{}
	for id, v := range messages(t, lang) {
		switch x := v.(type) {
		case string:
			texts[id] = x
		case map[string]any:
			for form, s := range x {
				texts[id+"."+form], _ = s.(string)
			}
		}
	}
	return texts
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(v any) []string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case map[string]any:
		s, _ = x["other"].(string)
	}
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestEveryEnglishMessageIsTranslatedInEveryShippedLanguage(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range shipped[1:] {
		other := messages(t, lang)
		for id, v := range en {
			tr, ok := other[id]
			if !ok {
				t.Errorf("%s: missing message %q", lang, id)
				continue
			}
			if strings.Join(placeholders(v), ",") != strings.Join(placeholders(tr), ",") {
				t.Errorf("%s: %q uses placeholders %v, English uses %v", lang, id, placeholders(tr), placeholders(v))
			}
		}
		for id := range other {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: message %q does not exist in English", lang, id)
			}
		}
	}
}

func TestNegotiationAndDirection(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ chosen, accept, want, dir string }{
		{"", "", "en", "ltr"},
		{"ar", "fr", "ar", "rtl"},
		{"AR", "", "ar", "rtl"},
		{"", "es-MX,es;q=0.9", "es", "ltr"},
		{"", "fr-BE", "fr", "ltr"},
		{"", "ar-EG,en;q=0.3", "ar", "rtl"},
		{"fa", "ar", "fa", "rtl"},
		{"", "fa-IR,fa;q=0.9,en;q=0.5", "fa", "rtl"},
		{"", "fa-AF", "fa", "rtl"},
		{"", "prs-AF,en;q=0.5", "fa", "rtl"}, // Dari, as Windows in Afghanistan asks for it
		{"zz", "de-DE", "en", "ltr"},
		{"", "not a header;;", "en", "ltr"},
	}
	for _, tc := range cases {
		l := b.Negotiate(tc.chosen, tc.accept)
		if l.Lang.Tag != tc.want || l.Lang.Dir != tc.dir {
			t.Errorf("Negotiate(%q, %q) = %s/%s, want %s/%s", tc.chosen, tc.accept, l.Lang.Tag, l.Lang.Dir, tc.want, tc.dir)
		}
	}
	if got := len(b.Languages()); got < len(shipped) {
		t.Fatalf("%d languages loaded, want at least %d", got, len(shipped))
	}
}

func TestTranslationsFillPlaceholdersAndPlurals(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range shipped {
		l, ok := b.Lookup(tag)
		if !ok {
			t.Fatalf("%s not loaded", tag)
		}
		for _, n := range []int{0, 1, 2, 3, 11, 100} {
			got := l.N("recovery_codes_left", n)
			if got == "recovery_codes_left" || got == "" {
				t.Fatalf("%s: plural for %d missing", tag, n)
			}
			if strings.Contains(got, "{{") {
				t.Fatalf("%s: unfilled template %q", tag, got)
			}
		}
		if got := l.T("error_password_too_short", "Min", 10); !strings.Contains(got, l.Num(10)) {
			t.Fatalf("%s: placeholder not filled: %q", tag, got)
		}
	}
	en, _ := b.Lookup("en")
	if en.T("no_such_message_id") != "no_such_message_id" {
		t.Fatal("a missing id should show as itself")
	}
}

// Persian (CLDR) has two plural forms: "one" for 0 and 1 (i = 0 or n = 1), "other" for the
// rest. error_quiz_missing tells them apart (the verb and pronoun agree with the count).
func TestPersianPluralFormsFollowCLDRForEveryNumberClass(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	fa, ok := b.Lookup("fa")
	if !ok {
		t.Fatal("fa not loaded")
	}
	cases := []struct {
		n    int
		form string // what the message says in that form
	}{
		{0, "به آن پاسخ دهید"}, {1, "به آن پاسخ دهید"},
		{2, "به آن\u200cها پاسخ دهید"}, {3, "به آن\u200cها پاسخ دهید"}, {11, "به آن\u200cها پاسخ دهید"},
		{21, "به آن\u200cها پاسخ دهید"}, {100, "به آن\u200cها پاسخ دهید"}, {1000, "به آن\u200cها پاسخ دهید"},
	}
	for _, tc := range cases {
		got := fa.N("error_quiz_missing", tc.n)
		if !strings.Contains(got, tc.form) {
			t.Errorf("fa, %d: %q is not the form with %q", tc.n, got, tc.form)
		}
		if want := fa.Num(tc.n); !strings.HasPrefix(got, want+" ") {
			t.Errorf("fa, %d: %q does not start with the count in Persian digits %q", tc.n, got, want)
		}
	}
	// Every plural message has exactly Persian's two forms, each with its count (a noun
	// after a number stays singular, and "one" also says 0).
	for id, v := range messages(t, "fa") {
		forms, ok := v.(map[string]any)
		if !ok {
			continue
		}
		if len(forms) != 2 || forms["one"] == nil || forms["other"] == nil {
			t.Errorf("fa: %s has the forms %v, want one and other", id, forms)
		}
		for form, text := range forms {
			// The number counted is {{.Count}} or the message's own ({{.Min}}, {{.K}} …).
			if s, _ := text.(string); !strings.Contains(s, "{{.") {
				t.Errorf("fa: %s.%s does not say the count: %q", id, form, s)
			}
		}
		for _, n := range []int{0, 1, 2, 5, 11, 100} {
			if got := fa.N(id, n, "N", n, "K", n, "Min", n, "Max", n, "Done", n); strings.ContainsAny(got, "0123456789") || !strings.Contains(got, fa.Num(n)) {
				t.Errorf("fa: %s for %d is %q, want the count in Persian digits", id, n, got)
			}
		}
	}
}

// The Persian file keeps to Persian orthography: Persian ی and ک (not the Arabic letters),
// Persian punctuation and «» quotes, Persian digits (the two ids listed show a format to
// type, in the digits the form takes).
func TestPersianMessagesUsePersianLettersDigitsAndPunctuation(t *testing.T) {
	latinDigitsOnPurpose := map[string]bool{"error_username_mixed_digits": true, "error_cohort_date": true, "tag_2fa": true}
	for id, v := range messages(t, "fa") {
		texts := map[string]string{"": ""}
		switch x := v.(type) {
		case string:
			texts[""] = x
		case map[string]any:
			delete(texts, "")
			for form, s := range x {
				texts[form], _ = s.(string)
			}
		}
		for form, s := range texts {
			s = placeholderRE.ReplaceAllString(s, "")
			where := id
			if form != "" {
				where += "." + form
			}
			if strings.ContainsAny(s, "يك") {
				t.Errorf("fa: %s uses the Arabic letters ي or ك: %q", where, s)
			}
			if strings.ContainsAny(s, ",;?\"“”") {
				t.Errorf("fa: %s uses Latin punctuation or quotes (use ، ؛ ؟ «»): %q", where, s)
			}
			if strings.ContainsAny(s, "0123456789") && !latinDigitsOnPurpose[id] {
				t.Errorf("fa: %s has Latin digits (use ۰–۹): %q", where, s)
			}
		}
	}
}

// frenchRoleNounRE finds the masculine forms French uses as a generic for people in the roles
// Cairn names. courses/README.md ("One policy for address and gender in es, fr and ar") asks
// for wording without gender ("la personne qui anime", "l'équipe d'administration", "le
// groupe") or, where a gendered noun is needed, both forms with the feminine first.
var frenchRoleNounRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(formateurs?|apprenants?|administrateurs?|utilisateurs?|participants?)(?:$|[^\p{L}])`)

// frenchRoleNounsAllowed are the phrases where such a noun is right: "nom d'utilisateur" names
// a form field (as "mot de passe" does), not a person; the paired form names both.
var frenchRoleNounsAllowed = regexp.MustCompile(`(?i)noms? d['’]utilisateur|participantes? et (?:les )?participants?`)

// masculineRoleNouns returns the masculine-generic role nouns s uses.
func masculineRoleNouns(s string) []string {
	s = frenchRoleNounsAllowed.ReplaceAllString(s, " ")
	var out []string
	for _, m := range frenchRoleNounRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Every French message names people in roles as the gender policy asks: no "formateur",
// "apprenant", "administrateur", "utilisateur" (outside "nom d'utilisateur") or unpaired
// "participant".
func TestFrenchMessagesDoNotNameRolesInTheMasculineGeneric(t *testing.T) {
	// The check itself can fail, and lets the allowed phrases through.
	for s, want := range map[string]string{
		"Console du formateur":                  "formateur",
		"Aucun apprenant ne correspond.":        "apprenant",
		"Ajouter un co-formateur":               "formateur",
		"Demandez à un Administrateur.":         "Administrateur",
		"Les participants voient l'étape.":      "participants",
		"Réservé aux utilisateurs connectés":    "utilisateurs",
		"Nom d'utilisateur":                     "",
		"Les noms d’utilisateur des comptes":    "",
		"les participantes et participants":     "",
		"les participantes et les participants": "",
		"les apprenantes, l'équipe d'animation": "",
	} {
		if got := strings.Join(masculineRoleNouns(s), ","); got != want {
			t.Errorf("masculineRoleNouns(%q) = %q, want %q", s, got, want)
		}
	}
	for where, s := range messageTexts(t, "fr") {
		if found := masculineRoleNouns(s); len(found) > 0 {
			t.Errorf("fr: %s names a role in the masculine generic (%s); reword as courses/README.md asks (\"la personne qui anime\", \"l'équipe d'administration\", \"le groupe\"): %q", where, strings.Join(found, ", "), s)
		}
	}
}

func TestNumbersAndDatesAreWrittenInTheReadersDigits(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	fa, _ := b.Lookup("fa")
	en, _ := b.Lookup("en")
	ar, _ := b.Lookup("ar")
	at := time.Date(2026, 1, 5, 9, 7, 0, 0, time.FixedZone("Tehran", 12600)) // 05:37 UTC
	cases := []struct{ name, got, want string }{
		{"fa Num int", fa.Num(1234567890), "۱۲۳۴۵۶۷۸۹۰"},
		{"fa Num int64", fa.Num(int64(-42)), "-۴۲"},
		{"fa Num float", fa.Num(3.5), "۳٫۵"},
		{"fa Num string", fa.Num("120"), "۱۲۰"},
		{"fa Digits", fa.Digits("0:15–1:05"), "۰:۱۵–۱:۰۵"},
		{"fa Date", fa.Date(at), "۵ ژانویهٔ ۲۰۲۶، ۰۵:۳۷ UTC"},
		{"fa Date November", fa.Date(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)), "۲۳ نوامبر ۲۰۲۶، ۱۲:۰۰ UTC"},
		{"fa DayOf", fa.DayOf("2026-03-31"), "۳۱ مارس ۲۰۲۶"},
		{"fa DayOf not a date", fa.DayOf("someday 1"), "someday 1"},
		{"fa DigitSet", fa.DigitSet(), "۰۱۲۳۴۵۶۷۸۹"},
		{"fa message number", fa.T("error_password_too_short", "Min", 12), "رمز عبور باید دست\u200cکم ۱۲ نویسه داشته باشد."},
		{"fa message keeps a name's digits", fa.T("reset_intro", "Username", "reza2026"), "برای reza2026 رمز عبور جدیدی بگذارید. همهٔ دستگاه\u200cهایی که وارد این حساب شده\u200cاند، از حساب خارج می\u200cشوند."},
		{"fa plural", fa.N("catalog_count", 12), "۱۲ دوره"},
		{"fa problem", fa.Message(locale.Problem("error_first_aid_contacts_length", "Max", 2000, "Lines", fa.N("first_aid_contacts_lines", 30))), "تماس\u200cهای محلی را در ۲۰۰۰ نویسه و ۳۰ خط نگه دارید تا صفحه همچنان در یک برگه چاپ شود."},
		{"en Num", en.Num(1234), "1234"},
		{"en Num float", en.Num(3.5), "3.5"},
		{"en Date", en.Date(at), "5 January 2026, 05:37 UTC"},
		{"en DayOf", en.DayOf("2026-03-31"), "31 March 2026"},
		{"en DigitSet", en.DigitSet(), ""},
		{"en message", en.T("error_password_too_short", "Min", 12), "The password must have at least 12 characters."},
		{"ar keeps 0-9", ar.N("catalog_count", 12), "12 دورة"},
		{"ar Date", ar.Date(at), "5 يناير 2026، الساعة 05:37 (UTC)"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	// A Message's data belongs to the caller: writing it for a reader must not change it.
	m := locale.Problem("error_first_aid_contacts_length", "Max", 2000, "Lines", 30)
	_ = fa.Message(m)
	if m.Data["Max"] != 2000 {
		t.Fatalf("Message changed its data: %v", m.Data)
	}
}

// arabicMarksRE matches the short vowels, tanwin, shadda and sukun, which the checks below
// ignore: «المدرّب» and «المدرب» are the same word.
var arabicMarksRE = regexp.MustCompile(`[\x{064B}-\x{0652}\x{0670}]`)

// arabicRoleNounRE finds, once the marks are gone, the masculine forms Arabic would use as a
// generic for people in Cairn's roles: trainer, learner, administrator, participant, user,
// with the clitics and the article in front and the masculine endings (plural, dual,
// construct, accusative) behind. «مشاركة» (sharing) and «مسؤولية» end otherwise and pass.
var arabicRoleNounRE = regexp.MustCompile(`(?:^|[^\p{Arabic}])((?:[وف])?(?:[بلك])?(?:ال|ل)?(?:مدرب|متعلم|مسؤول|مشارك|مستخدم)(?:ون|ين|ان|ا|و|ي)?)(?:$|[^\p{Arabic}])`)

// arabicRoleNounsAllowed are the phrases where such a noun is right: «اسم المستخدم» names a
// form field, not a person; a feminine plural followed by its masculine one names both, as
// courses/README.md asks where a gendered noun cannot be avoided.
var arabicRoleNounsAllowed = regexp.MustCompile(`اسم (?:ال)?مستخدم|(?:ال)?(?:مدربات|متعلمات|مشاركات|مسؤولات) و(?:ال|لل)?(?:مدرب|متعلم|مشارك|مسؤول)(?:ون|ين)`)

// arabicMasculineRoleNouns returns the masculine-generic role nouns s uses.
func arabicMasculineRoleNouns(s string) []string {
	s = arabicMarksRE.ReplaceAllString(s, "")
	s = arabicRoleNounsAllowed.ReplaceAllString(s, " ")
	var out []string
	for _, m := range arabicRoleNounRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Every Arabic message names people in roles as the gender policy asks: «فريق التدريب»،
// «فريق الإدارة»، «الحضور»، «الأشخاص», never a single masculine «المدرّب»، «المتعلّمون»،
// «المسؤول»، «المشاركون» or «مستخدم» (outside «اسم المستخدم»). The reader, addressed as
// «أنت», keeps the masculine generic: that is the other half of the policy.
func TestArabicMessagesDoNotNameRolesInTheMasculineGeneric(t *testing.T) {
	// The check itself can fail, and lets the allowed phrases through.
	for s, want := range map[string]string{
		"لوحة المدرّب":                       "المدرب",
		"اطلب ذلك من مسؤول آخر.":             "مسؤول",
		"يرى المشاركون الخطوة.":              "المشاركون",
		"أكمل {{.Count}} متعلّمًا الدورة.":   "متعلما",
		"للمدرّبين وحدهم":                    "للمدربين",
		"مستخدم محذوف":                       "مستخدم",
		"اسم المستخدم":                       "",
		"المدرّبات والمدرّبون":               "",
		"المشاركات والمشاركين":               "",
		"الاسم والمشاركة":                    "",
		"مشاركتها مع بقية فريق التدريب":      "",
		"حسابات غير مستخدمة":                 "",
		"يعرف أنك صاحب السؤال، ولا حتى فريق": "",
	} {
		if got := strings.Join(arabicMasculineRoleNouns(s), ","); got != want {
			t.Errorf("arabicMasculineRoleNouns(%q) = %q, want %q", s, got, want)
		}
	}
	for where, s := range messageTexts(t, "ar") {
		if found := arabicMasculineRoleNouns(s); len(found) > 0 {
			t.Errorf("ar: %s names a role in the masculine generic (%s); reword as courses/README.md asks («فريق التدريب»، «فريق الإدارة»، «الحضور»، «الأشخاص»): %q", where, strings.Join(found, ", "), s)
		}
	}
}
