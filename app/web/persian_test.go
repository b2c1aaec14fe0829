package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// visibleDigitsRE finds ASCII digits in what a page shows as text: tags (with their
// attributes, where form values, links and ids are), scripts and <code> (codes to copy) are
// taken out first.
var (
	hiddenPartsRE   = regexp.MustCompile(`(?s)<(script|style|code)\b.*?</(?:script|style|code)>`)
	tagRE           = regexp.MustCompile(`(?s)<[^>]*>`)
	asciiDigitRunRE = regexp.MustCompile(`[0-9]+`)
)

// asciiDigitsShown returns the runs of ASCII digits a page shows as text, apart from the
// strings in allowed (a username, a course's own text).
func asciiDigitsShown(body string, allowed ...string) []string {
	text := tagRE.ReplaceAllString(hiddenPartsRE.ReplaceAllString(body, " "), " ")
	for _, a := range allowed {
		text = strings.ReplaceAll(text, a, " ")
	}
	var out []string
	for _, loc := range asciiDigitRunRE.FindAllStringIndex(text, -1) {
		from, to := max(0, loc[0]-40), min(len(text), loc[1]+40)
		out = append(out, strings.Join(strings.Fields(text[from:to]), " "))
	}
	return out
}

func mustShowNoASCIIDigits(t *testing.T, p page, allowed ...string) {
	t.Helper()
	if runs := asciiDigitsShown(p.Body, allowed...); len(runs) > 0 {
		t.Errorf("%s shows Latin digits in a Persian page: %q", p.URL, runs)
	}
}

// In Persian the interface writes the numbers it shows (counts, minutes, dates, scores,
// positions) in Persian digits, and leaves alone what is read by a machine or copied by a
// person: form values, links, recovery and join codes, usernames, the CSV export.
func TestPersianPagesShowPersianDigitsAndKeepCodesAndFormValuesInASCII(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.header.Set("Accept-Language", "fa-IR,fa;q=0.9")

		// The recovery codes shown after signing up are copied by hand: ASCII, as in English.
		codes := b.signUp("reza2026")
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes in ASCII on the Persian sign-up page, want 10", len(codes))
		}

		p := b.get("/")
		mustContain(t, p, `<html lang="fa" dir="rtl" data-digits="۰۱۲۳۴۵۶۷۸۹">`, `hreflang="fa" aria-current="true">فارسی</a>`)
		mustShowNoASCIIDigits(t, p, "reza2026")

		p = b.get("/courses")
		mustContain(t, p, "۱ دوره")
		mustShowNoASCIIDigits(t, p, "reza2026")

		p = b.get("/courses/sample")
		mustContain(t, p, "مقدماتی · ۲۰ دقیقه ·", "بخش ۱: ", "بخش ۲: ")

		// The quiz's positions: "۱" to read, value="1" to send.
		p = b.get("/courses/sample/quizzes/basics")
		mustContain(t, p, `<option value="1">۱</option>`, `<option value="3">۳</option>`, "با ۶۰٪ یا بیشتر قبول می\u200cشوید", "پرسش ۵")
		answers := rightAnswers(t, p.Body) // by the course's text, in English here…
		answers.Set("q.is-it", "false")    // …but true and false are the interface's words
		p = b.post("/courses/sample/quizzes/basics", answers)
		mustContain(t, p, "قبول شدید: ۵ پاسخ درست از ۵ (۱۰۰٪).")
		p = b.get("/courses/sample/quizzes/basics")
		mustContain(t, p, "<td>۵ / ۵ (۱۰۰٪)</td>", "۲۳ نوامبر ۲۰۲۶، ۱۲:۰۰ UTC</time></a>")

		// Dates: Persian month names and digits; the machine-readable date stays ASCII.
		p = b.get("/account")
		mustContain(t, p, `<time datetime="2026-11-23">۲۳ نوامبر ۲۰۲۶، ۱۲:۰۰ UTC</time>`, "<bdi>reza2026</bdi>")
		mustShowNoASCIIDigits(t, p, "reza2026")
		p = b.get("/account/sessions")
		mustContain(t, p, "<td>۲۳ نوامبر ۲۰۲۶، ۱۲:۰۰ UTC", "۲۳ دسامبر ۲۰۲۶، ۱۲:۰۰ UTC")
		mustShowNoASCIIDigits(t, p, "reza2026")
		p = b.get("/account/recovery-codes")
		mustContain(t, p, "۱۰ کد بازیابی باقی مانده است")
		mustShowNoASCIIDigits(t, p, "reza2026")

		// A trainer's dashboard: counts and dates in Persian digits; the join code, the
		// form's values and the links in ASCII; the CSV export as it is in every language.
		tr := ts.trainer(t, "coach")
		tr.header.Set("Accept-Language", "fa")
		p = tr.post("/cohorts", url.Values{"course": {"sample"}, "name": {"Group 7"}, "lang": {"fa"}, "seats": {"30"}, "starts_on": {"2026-12-01"}})
		m := cohortURLRE.FindStringSubmatch(p.URL)
		if m == nil {
			t.Fatalf("creating a cohort led to %s (%d)\n%s", p.URL, p.Status, p.Body)
		}
		code := joinCodeRE.FindStringSubmatch(p.Body)
		if code == nil {
			t.Fatalf("no join code in ASCII on the Persian dashboard:\n%s", p.Body)
		}
		mustContain(t, p, "۱ دسامبر ۲۰۲۶ · ۰ یادگیرنده / ۳۰", `name="days" type="number" min="1" max="365" value="7"`, "<h1>Group 7</h1>")
		b.post("/join", url.Values{"code": {code[1]}})
		p = tr.get(p.URL)
		mustContain(t, p, "<caption id=\"learners-caption\">۱ یادگیرنده", `<td data-label="آخرین فعالیت" class="day">۲۳ نوامبر ۲۰۲۶</td>`, `<progress max="100" value="25" aria-hidden="true">۲۵٪</progress> ۲۵٪`, "· ۱۰۰٪</span>")
		mustShowNoASCIIDigits(t, p, "reza2026", "coach", "Group 7", code[1])
		csv := tr.get(m[0] + "/export.csv")
		mustStatus(t, csv, http.StatusOK)
		if !strings.Contains(csv.Body, "reza2026,0,") || strings.ContainsAny(csv.Body, "۰۱۲۳۴۵۶۷۸۹") {
			t.Errorf("the CSV export changed with the reader's language:\n%s", csv.Body)
		}

		// The same pages in English are as they were.
		b.header.Set("Accept-Language", "en")
		p = b.get("/account")
		mustContain(t, p, `<html lang="en" dir="ltr">`, `<time datetime="2026-11-23">23 November 2026, 12:00 UTC</time>`)
		if strings.Contains(p.Body, "data-digits") {
			t.Error("an English page names digits for its scripts")
		}
		p = b.get("/courses/sample/quizzes/basics")
		mustContain(t, p, `<option value="1">1</option>`, "<td>5 / 5 (100%)</td>")
	})
}

// ?lang=fa picks Persian like any other language, and Dari's own code (prs, sent by Windows
// in Afghanistan) gets Persian too.
func TestPersianIsChosenByQueryOrByTheBrowserIncludingDari(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		p := ts.browser(t).get("/signup?lang=fa")
		mustContain(t, p, `<html lang="fa" dir="rtl"`, "<h1>ایجاد حساب</h1>", `href="/signup?lang=ar"`, `hreflang="fa" aria-current="true">فارسی</a>`)
		for _, accept := range []string{"fa", "fa-AF", "prs-AF,en;q=0.5"} {
			b := ts.browser(t)
			b.header.Set("Accept-Language", accept)
			mustContain(t, b.get("/"), `<html lang="fa" dir="rtl"`)
		}
	})
}

// An error page's reference is a Latin code with hyphens: in a right-to-left sentence it is
// isolated, or its parts are reordered around the hyphens (bidi) and an administrator is read
// a different code.
func TestErrorReferenceIsIsolatedInRightToLeftPages(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		for _, lang := range []string{"fa", "ar"} {
			p := ts.browser(t).get("/no-such-page?lang=" + lang)
			mustStatus(t, p, http.StatusNotFound)
			ref := regexp.MustCompile(`: \x{2068}([0-9a-f-]{36})\x{2069}</p>`).FindStringSubmatch(p.Body)
			if ref == nil || !strings.Contains(p.Header.Get("X-Request-ID"), ref[1]) {
				t.Errorf("%s: the 404 page's reference is not the request's id, isolated: %q\n%s", lang, p.Header.Get("X-Request-ID"), p.Body)
			}
		}
	})
}
