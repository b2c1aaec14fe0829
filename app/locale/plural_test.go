package locale_test

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/i18n"
)

// pluralClasses are the CLDR plural categories of each shipped language, each with a
// number that falls in it: Arabic has six; Spanish and French have "many" for round
// millions ("1 000 000 de minutes"); French "one" covers 0 and 1.
var pluralClasses = map[string][]struct {
	class string
	n     int
}{
	"en": {{"one", 1}, {"other", 0}, {"other", 2}, {"other", 11}},
	"es": {{"one", 1}, {"other", 0}, {"other", 2}, {"other", 11}, {"many", 1000000}},
	"fr": {{"one", 0}, {"one", 1}, {"other", 2}, {"other", 11}, {"many", 1000000}},
	"ar": {{"zero", 0}, {"one", 1}, {"two", 2}, {"few", 3}, {"few", 10}, {"many", 11}, {"many", 99}, {"other", 100}, {"other", 102}},
	"fa": {{"one", 0}, {"one", 1}, {"other", 2}, {"other", 11}, {"other", 100}},
}

// pluralWords is every message that puts a number before a noun, with the word each plural
// class must show in each language ("" when the language's wording does not change with
// the number, a label such as "عدد الأحرف: 10"; then only the number is checked).
var pluralWords = []struct {
	id   string
	data []any // template data besides Count
	// words[lang][class]
	words map[string]map[string]string
}{
	{"minutes_count", nil, map[string]map[string]string{
		"en": {"one": "minute", "other": "minutes"},
		"es": {"one": "minuto", "other": "minutos", "many": "minutos"},
		"fr": {"one": "minute", "other": "minutes", "many": "minutes"},
		"ar": {"zero": "دقيقة", "one": "دقيقة واحدة", "two": "دقيقتان", "few": "دقائق", "many": "دقيقة", "other": "دقيقة"},
		"fa": {"one": "دقیقه", "other": "دقیقه"},
	}},
	{"lesson_reading_time", nil, map[string]map[string]string{
		"en": {"one": "minute", "other": "minutes"},
		"es": {"one": "minuto", "other": "minutos", "many": "de minutos"},
		"fr": {"one": "minute", "other": "minutes", "many": "de minutes"},
		"ar": {"zero": "دقيقة", "one": "دقيقة واحدة", "two": "دقيقتان", "few": "دقائق", "many": "دقيقة", "other": "دقيقة"},
		"fa": {"one": "مطالعه", "other": "مطالعه"},
	}},
	{"live_frame_hint", nil, map[string]map[string]string{
		"en": {"one": "every second", "other": "seconds"},
		"es": {"one": "cada segundo", "other": "segundos", "many": "segundos"},
		"fr": {"one": "seconde", "other": "secondes", "many": "secondes"},
		"ar": {"zero": "باستمرار", "one": "كل ثانية", "two": "ثانيتين", "few": "ثوانٍ", "many": "ثانية", "other": "ثانية"},
		"fa": {"one": "به\u200cروز", "other": "به\u200cروز"},
	}},
	{"live_paused_for_poll", nil, map[string]map[string]string{
		"en": {"one": "every second", "other": "seconds"},
		"es": {"one": "cada segundo", "other": "segundos", "many": "segundos"},
		"fr": {"one": "seconde", "other": "secondes", "many": "secondes"},
		"ar": {"zero": "لا يتحدّث", "one": "كل ثانية", "two": "ثانيتين", "few": "ثوانٍ", "many": "ثانية", "other": "ثانية"},
		"fa": {"one": "نظرسنجی", "other": "نظرسنجی"},
	}},
	{"catalog_count", nil, map[string]map[string]string{
		"en": {"one": "course", "other": "courses"},
		"es": {"one": "curso", "other": "cursos", "many": "cursos"},
		"fr": {"one": "cours", "other": "cours", "many": "cours"},
		"ar": {"zero": "الدورات", "one": "دورة واحدة", "two": "دورتان", "few": "دورات", "many": "دورة", "other": "دورة"},
		"fa": {"one": "دوره", "other": "دوره"},
	}},
	{"plan_steps_count", nil, map[string]map[string]string{
		"en": {"one": "step", "other": "steps"},
		"es": {"one": "paso", "other": "pasos", "many": "pasos"},
		"fr": {"one": "étape", "other": "étapes", "many": "étapes"},
		"ar": {"zero": "خطوة", "one": "خطوة واحدة", "two": "خطوتان", "few": "خطوات", "many": "خطوة", "other": "خطوة"},
		"fa": {"one": "گام", "other": "گام"},
	}},
	{"recovery_codes_left", nil, map[string]map[string]string{
		"en": {"one": "code left", "other": "codes left"},
		"es": {"one": "código", "other": "códigos", "many": "códigos"},
		"fr": {"one": "code de", "other": "codes de", "many": "codes de"},
		"ar": {"zero": "رموز", "one": "رمز استرداد واحد", "two": "رمزان", "few": "رموز", "many": "رمزًا", "other": "رمز"},
		"fa": {"one": "بازیابی", "other": "بازیابی"},
	}},
	{"error_quiz_missing", nil, map[string]map[string]string{
		"en": {"one": "question has", "other": "questions have"},
		"es": {"one": "pregunta", "other": "preguntas", "many": "preguntas"},
		"fr": {"one": "question n'a", "other": "questions n'ont", "many": "questions n'ont"},
		"ar": {"zero": "الأسئلة", "one": "سؤال واحد", "two": "سؤالان", "few": "أسئلة", "many": "سؤالًا", "other": "سؤال"},
		"fa": {"one": "بفرستید", "other": "بفرستید"},
	}},
	{"cohort_learner_count", nil, map[string]map[string]string{
		"en": {"one": "learner", "other": "learners"},
		"es": {"one": "participante", "other": "participantes", "many": "participantes"},
		"fr": {"one": "personne en formation", "other": "personnes en formation", "many": "personnes en formation"},
		"ar": {"zero": "عدد الأشخاص", "one": "شخص واحد", "two": "شخصان", "few": "أشخاص", "many": "شخصًا", "other": "شخص"},
		"fa": {"one": "یادگیرنده", "other": "یادگیرنده"},
	}},
	{"cohort_quiet_days", nil, map[string]map[string]string{
		"en": {"one": "day", "other": "days"},
		"es": {"one": "día", "other": "días", "many": "de días"},
		"fr": {"one": "jour", "other": "jours", "many": "de jours"},
		"ar": {"zero": "يوم", "one": "يوم واحد", "two": "يومين", "few": "أيام", "many": "يومًا", "other": "يوم"},
		"fa": {"one": "روز", "other": "روز"},
	}},
	{"cohort_inactive_count", []any{"Days", "7 days"}, map[string]map[string]string{
		"en": {"one": "learner has", "other": "learners have"},
		"es": {"one": "participante lleva", "other": "participantes llevan", "many": "participantes llevan"},
		"fr": {"one": "personne est", "other": "personnes sont", "many": "personnes sont"},
		"ar": {"zero": "عدد الأشخاص", "one": "شخص واحد", "two": "شخصان", "few": "أشخاص", "many": "شخصًا", "other": "شخص"},
		"fa": {"one": "یادگیرنده", "other": "یادگیرنده"},
	}},
	{"cohort_quiz_learners", nil, map[string]map[string]string{
		"en": {"one": "learner has", "other": "learners have"},
		"es": {"one": "participante respondió", "other": "participantes respondieron", "many": "participantes respondieron"},
		"fr": {"one": "personne a", "other": "personnes ont", "many": "personnes ont"},
		"ar": {"zero": "عدد الأشخاص", "one": "شخص واحد", "two": "شخصان", "few": "أشخاص", "many": "شخصًا", "other": "شخص"},
		"fa": {"one": "یادگیرنده", "other": "یادگیرنده"},
	}},
	{"cohort_complete_count", nil, map[string]map[string]string{
		"en": {"one": "learner has", "other": "learners have"},
		"es": {"one": "participante ha", "other": "participantes han", "many": "participantes han"},
		"fr": {"one": "personne a", "other": "personnes ont", "many": "personnes ont"},
		"ar": {"zero": "لم يُكمل أحد", "one": "شخص واحد", "two": "شخصان", "few": "أشخاص", "many": "شخصًا", "other": "شخص"},
		"fa": {"one": "یادگیرنده", "other": "یادگیرنده"},
	}},
	{"progress_lessons", []any{"Done", 1}, map[string]map[string]string{
		"en": {"one": "lesson", "other": "lessons"},
		"es": {"one": "lección", "other": "lecciones", "many": "de lecciones"},
		"fr": {"one": "leçons lues", "other": "leçons lues", "many": "leçons lues"},
		"ar": {"zero": "الدروس", "one": "الدروس", "two": "الدروس", "few": "الدروس", "many": "الدروس", "other": "الدروس"},
		"fa": {"one": "درس", "other": "درس"},
	}},
	{"progress_quizzes", []any{"Done", 1}, map[string]map[string]string{
		"en": {"one": "quiz passed", "other": "quizzes passed"},
		"es": {"one": "cuestionario aprobado", "other": "cuestionarios aprobados", "many": "de cuestionarios"},
		"fr": {"one": "quiz réussis", "other": "quiz réussis", "many": "quiz réussis"},
		"ar": {"zero": "الاختبارات", "one": "الاختبارات", "two": "الاختبارات", "few": "الاختبارات", "many": "الاختبارات", "other": "الاختبارات"},
		"fa": {"one": "قبول\u200cشده", "other": "قبول\u200cشده"},
	}},
	{"quiz_result_passed", []any{"Score", 1, "Percent", 100}, map[string]map[string]string{
		"en": {"one": "right", "other": "right"},
		"es": {"one": "respuesta correcta", "other": "respuestas correctas", "many": "de respuestas"},
		"fr": {"one": "sur", "other": "sur", "many": "sur"},
		"ar": {"zero": "الإجابات الصحيحة", "one": "الإجابات الصحيحة", "two": "الإجابات الصحيحة", "few": "الإجابات الصحيحة", "many": "الإجابات الصحيحة", "other": "الإجابات الصحيحة"},
		"fa": {"one": "قبول", "other": "قبول"},
	}},
	{"field_password_hint", nil, map[string]map[string]string{
		"en": {"one": "character.", "other": "characters."},
		"es": {"one": "carácter.", "other": "caracteres.", "many": "de caracteres."},
		"fr": {"one": "caractère.", "other": "caractères.", "many": "de caractères."},
		"ar": {"zero": "عدد أحرفها", "one": "عدد أحرفها", "two": "عدد أحرفها", "few": "عدد أحرفها", "many": "عدد أحرفها", "other": "عدد أحرفها"},
		"fa": {"one": "به\u200cخاطر", "other": "به\u200cخاطر"},
	}},
	{"field_username_hint", []any{"Min", 1}, map[string]map[string]string{
		"en": {"one": "letter or digit", "other": "letters or digits"},
		"es": {"one": "letra o dígito", "other": "letras o dígitos", "many": "de letras"},
		"fr": {"one": "lettre ou chiffre", "other": "lettres ou chiffres", "many": "de lettres"},
		"ar": {"zero": "الحروف", "one": "الحروف", "two": "الحروف", "few": "الحروف", "many": "الحروف", "other": "الحروف"},
		"fa": {"one": "می\u200cتوانید", "other": "می\u200cتوانید"},
	}},
	{"error_password_too_short", nil, map[string]map[string]string{
		"en": {"one": "character.", "other": "characters."},
		"es": {"one": "carácter.", "other": "caracteres.", "many": "de caracteres."},
		"fr": {"one": "caractère.", "other": "caractères.", "many": "de caractères."},
		"ar": {"zero": "أحرف", "one": "أحرف", "two": "أحرف", "few": "أحرف", "many": "أحرف", "other": "أحرف"},
		"fa": {"one": "دست\u200cکم", "other": "دست\u200cکم"},
	}},
	{"live_poll_anonymous", nil, map[string]map[string]string{
		"en": {"one": "person has", "other": "people have"},
		"es": {"one": "persona", "other": "personas", "many": "de personas"},
		"fr": {"one": "personne a", "other": "personnes ont", "many": "de personnes ont"},
		"ar": {"zero": "عدد من أجاب", "one": "عدد من أجاب", "two": "عدد من أجاب", "few": "عدد من أجاب", "many": "عدد من أجاب", "other": "عدد من أجاب"},
		"fa": {"one": "نمی\u200cبیند", "other": "نمی\u200cبیند"},
	}},
	{"console_min_group", []any{"N", 0}, map[string]map[string]string{
		"en": {"one": "person has", "other": "people have"},
		"es": {"one": "responda", "other": "respondan", "many": "de personas"},
		"fr": {"one": "personne ait", "other": "personnes aient", "many": "de personnes aient"},
		"ar": {"zero": "عدد من أجاب", "one": "عدد من أجاب", "two": "عدد من أجاب", "few": "عدد من أجاب", "many": "عدد من أجاب", "other": "عدد من أجاب"},
		"fa": {"one": "نتیجه\u200cهای", "other": "نتیجه\u200cهای"},
	}},
	{"live_text_hint", nil, map[string]map[string]string{
		"en": {"one": "character.", "other": "characters."},
		"es": {"one": "carácter.", "other": "caracteres.", "many": "de caracteres."},
		"fr": {"one": "caractère au", "other": "caractères au", "many": "de caractères au"},
		"ar": {"zero": "حرف.", "one": "حرفًا واحدًا.", "two": "حرفين.", "few": "أحرف.", "many": "حرفًا.", "other": "حرف."},
		"fa": {"one": "پاسخ\u200cهای", "other": "پاسخ\u200cهای"},
	}},
	{"first_aid_contacts_lines", nil, map[string]map[string]string{
		"en": {"one": "line", "other": "lines"},
		"es": {"one": "línea", "other": "líneas", "many": "de líneas"},
		"fr": {"one": "ligne", "other": "lignes", "many": "de lignes"},
		"ar": {"zero": "سطر", "one": "سطر واحد", "two": "سطرين", "few": "أسطر", "many": "سطرًا", "other": "سطر"},
		"fa": {"one": "خط", "other": "خط"},
	}},
	{"error_first_aid_contacts_length", []any{"Lines", "12 lines"}, map[string]map[string]string{
		"en": {"one": "character and", "other": "characters and"},
		"es": {"one": "carácter y", "other": "caracteres y", "many": "de caracteres y"},
		"fr": {"one": "caractère et", "other": "caractères et", "many": "de caractères et"},
		"ar": {"zero": "حرف و", "one": "حرف واحد و", "two": "حرفين و", "few": "أحرف و", "many": "حرفًا و", "other": "حرف و"},
		"fa": {"one": "تماس\u200cهای", "other": "تماس\u200cهای"},
	}},
}

// TestNumbersBeforeNounsTakeTheirLanguagesPluralForms renders every message that counts
// something for a number of every plural class of every language and checks the word:
// "7 دقائق", not "7 دقيقة"; "كل 10 ثوانٍ", not "كل 10 ثانية".
func TestNumbersBeforeNounsTakeTheirLanguagesPluralForms(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pluralWords {
		for _, lang := range shipped {
			l, _ := b.Lookup(lang)
			if pluralClasses[lang] == nil || m.words[lang] == nil {
				t.Errorf("%s %s: no plural classes or expected words for this language", m.id, lang)
				continue
			}
			for _, c := range pluralClasses[lang] {
				word, ok := m.words[lang][c.class]
				if !ok {
					t.Fatalf("%s: no expected %s word for class %s", m.id, lang, c.class)
				}
				kv := append(append([]any{}, m.data...), "K", c.n, "N", c.n, "Min", c.n, "Max", c.n)
				if m.id == "console_min_group" {
					kv = append(append([]any{}, m.data...), "K", c.n)
				}
				got := l.N(m.id, c.n, kv...)
				if got == m.id || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("%s %s %d: %q", lang, m.id, c.n, got)
					continue
				}
				if !strings.Contains(got, word) {
					t.Errorf("%s %s for %d (%s): %q lacks %q", lang, m.id, c.n, c.class, got, word)
				}
				// The number is shown, unless the form spells it out (واحد، دقيقتان).
				if num := l.Digits(itoa(c.n)); !strings.Contains(got, num) && c.n > 2 {
					t.Errorf("%s %s for %d: %q does not show the number", lang, m.id, c.n, got)
				}
			}
		}
	}
	// The check can fail: Arabic "few" is not the singular of "other".
	ar, _ := b.Lookup("ar")
	if got := ar.N("minutes_count", 7); !strings.Contains(got, "دقائق") || strings.Contains(got, "دقيقة") {
		t.Fatalf("7 minutes in Arabic: %q", got)
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

// TestPluralMessagesHaveEveryFormOfTheirLanguage: a message a language gives plural forms
// must give all of them, or go-i18n silently uses "other" for the missing ones — the
// singular "دقيقة" after 3 to 10. (A language may keep one plain string when its wording
// does not change with the number.)
func TestPluralMessagesHaveEveryFormOfTheirLanguage(t *testing.T) {
	for _, lang := range shipped {
		if pluralClasses[lang] == nil {
			t.Errorf("%s: its CLDR plural classes are not in pluralClasses (Persian: one covers 0 and 1, other)", lang)
			continue
		}
		var want []string
		for _, c := range pluralClasses[lang] {
			if !slices.Contains(want, c.class) {
				want = append(want, c.class)
			}
		}
		sort.Strings(want)
		for id, v := range messages(t, lang) {
			forms, ok := v.(map[string]any)
			if !ok {
				continue
			}
			var got []string
			for f := range forms {
				if f != "description" {
					got = append(got, f)
				}
			}
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %q has the forms %v, want %v", lang, id, got, want)
			}
		}
	}
}

// numberNounRE is an English message putting a number placeholder before a word: a
// candidate for plural forms.
var numberNounRE = regexp.MustCompile(`\{\{\s*\.(Min|Max|K|N|Count|Days|Lines|Minutes|Total|Planned|Done|Score|Seconds)\s*\}\} ([a-z]+)`)

// TestEnglishNumbersBeforeNounsArePluralMessages keeps new messages honest: a number
// placeholder followed by a noun must be a plural message (one/other), not a plain string
// that reads "1 people" in English and worse in Arabic.
func TestEnglishNumbersBeforeNounsArePluralMessages(t *testing.T) {
	// Words after a number that do not inflect in English: an abbreviation, prepositions,
	// adjectives ("3 of 5 right", "2 of 4 done").
	invariant := map[string]bool{"min": true, "of": true, "to": true, "right": true, "done": true}
	for id, v := range messages(t, "en") {
		s, ok := v.(string)
		if !ok {
			continue
		}
		for _, m := range numberNounRE.FindAllStringSubmatch(s, -1) {
			if !invariant[m[2]] {
				t.Errorf("%q puts {{.%s}} before %q but is not a plural message: %q", id, m[1], m[2], s)
			}
		}
	}
}

func TestDatesAreWrittenAsEachLanguageWritesThem(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.May, 1, 15, 4, 0, 0, time.FixedZone("CEST", 2*3600))
	for _, tc := range []struct{ lang, date, day string }{
		{"en", "1 May 2026, 13:04 UTC", "1 May 2026"},
		{"es", "1 de mayo de 2026, 13:04 UTC", "1 de mayo de 2026"},
		{"fr", "1er mai 2026 à 13:04 UTC", "1er mai 2026"},
		{"ar", "1 مايو 2026، الساعة 13:04 (UTC)", "1 مايو 2026"},
	} {
		l, _ := b.Lookup(tc.lang)
		if got := l.Date(at); got != tc.date {
			t.Errorf("%s: Date = %q, want %q", tc.lang, got, tc.date)
		}
		if got := l.DayOf("2026-05-01"); got != tc.day {
			t.Errorf("%s: DayOf = %q, want %q", tc.lang, got, tc.day)
		}
	}
	fr, _ := b.Lookup("fr")
	if got := fr.DayOf("2026-12-24"); got != "24 décembre 2026" {
		t.Errorf("fr: %q", got)
	}
	if got := fr.DayOf("not a date"); got != "not a date" {
		t.Errorf("a field that is not a date is shown as it is: %q", got)
	}
}
