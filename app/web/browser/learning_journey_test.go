package browser_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/courses"
)

var (
	inputRE  = regexp.MustCompile(`<input type="(?:radio|checkbox)" id="([^"]+)" name="q\.([a-z0-9-]+)" value="([^"]+)"[^>]*><label for="[^"]+">(.*?)</label>`)
	selectRE = regexp.MustCompile(`<label for="([^"]+)"[^>]*>(.*?)</label>\s*<select id="[^"]+" name="q\.([a-z0-9-]+)\.\d+"`)
	tagRE    = regexp.MustCompile(`<[^>]+>`)
)

// unescape turns a label's HTML (option texts are inline Markdown) into its text, which is
// the option's plain text.
func unescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(tagRE.ReplaceAllString(s, ""))
}

// plain is a quiz text without the isolates around its code spans (U+2066 … U+2069), as it
// reads on a page where <code> does their work.
func plain(s string) string { return strings.NewReplacer("\u2066", "", "\u2069", "").Replace(s) }

// answerCorrectly fills the quiz on the page with the right answers, read from the course
// definition and matched to the page by option text, as a learner would.
func answerCorrectly(t *testing.T, ctx context.Context, z *quiz.Quiz, defaultLang string) {
	t.Helper()
	form, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(`form.quiz`)))
	if err != nil {
		t.Fatal(err)
	}
	var steps []chromedp.Action[chromedp.Void]
	for _, q := range z.Questions {
		text := q.Texts[defaultLang]
		switch q.Type {
		case quiz.Single, quiz.Multiple:
			want := map[string]bool{}
			for _, o := range q.Options {
				if o.Correct {
					want[plain(text.Options[o.ID])] = true
				}
			}
			for _, m := range inputRE.FindAllStringSubmatch(form, -1) {
				if m[2] == q.ID && want[unescape(m[4])] {
					steps = append(steps, chromedp.Click(chromedp.ID(m[1])))
				}
			}
		case quiz.TrueFalse:
			v := "false"
			if q.Answer {
				v = "true"
			}
			steps = append(steps, chromedp.Click(chromedp.ID("q-"+q.ID+"-"+v)))
		case quiz.Short:
			steps = append(steps, chromedp.SendKeys(chromedp.ID("q-"+q.ID+"-text"), text.Accept[0]))
		case quiz.Ordering:
			rank := map[string]int{}
			for i, o := range q.Options {
				rank[plain(text.Options[o.ID])] = i + 1
			}
			for _, m := range selectRE.FindAllStringSubmatch(form, -1) {
				if m[3] == q.ID {
					steps = append(steps, chromedp.SendKeys(chromedp.ID(m[1]), strconv.Itoa(rank[unescape(m[2])])))
				}
			}
		}
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func progressValue(t *testing.T, ctx context.Context) int {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.progress progress`), "value"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(v.Value)
	if err != nil {
		t.Fatalf("progress value %q", v.Value)
	}
	return n
}

func TestCatalogArabicLessonModuleAndQuizWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	base := startServer(t, dbtest.Open(t, "sqlite"))
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	var co *course.Course
	for _, c := range cat.All() {
		if c.HasLanguage("ar") {
			co = c
			break
		}
	}
	if co == nil {
		t.Fatal("no shipped course is complete in Arabic")
	}
	type css = chromedp.CSS
	lesson := co.Modules[0].Lessons[0]

	// The catalog, then the lesson in Arabic through the language switcher.
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/courses"),
		chromedp.WaitVisible(css(`a[href="/courses/`+co.ID+`"]`)),
		chromedp.Click(css(`footer a[hreflang="ar"]`)),
		chromedp.WaitVisible(css(`html[dir="rtl"]`)),
		chromedp.Click(css(`a[href="/courses/`+co.ID+`"]`)),
		chromedp.WaitVisible(css(`a[href="/courses/`+co.ID+`/lessons/`+lesson.ID+`"]`)),
		chromedp.Click(css(`ol.lessons a[href="/courses/`+co.ID+`/lessons/`+lesson.ID+`"]`)),
		chromedp.WaitVisible(css(`article.lesson[lang="ar"][dir="rtl"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	title := text(t, ctx, `article.lesson h1`)
	if v, _ := lesson.Version("ar"); title != v.Title {
		t.Fatalf("Arabic lesson title %q, want %q", title, v.Title)
	}

	// Back to English, sign up.
	const password = "a module without scripts"
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/signup?lang=en"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "Moduler"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
		chromedp.Navigate(base+"/courses/"+co.ID),
		chromedp.WaitVisible(css(`.progress progress`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	before := progressValue(t, ctx)

	// Read every lesson of the first module and mark it complete; the last one leads to the quiz.
	m := co.Modules[0]
	for _, l := range m.Lessons {
		err = chromedp.Do(ctx,
			chromedp.Navigate(base+"/courses/"+co.ID+"/lessons/"+l.ID),
			chromedp.WaitVisible(css(`form[action$="/complete"] button`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		// The form posts and is redirected to the next page; wait for it before moving on.
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(css(`form[action$="/complete"] button`)))
		if err != nil || resp.Status != 200 {
			t.Fatalf("mark %s complete: %v", l.ID, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`form.quiz`))); err != nil {
		t.Fatal(err)
	}
	answerCorrectly(t, ctx, m.Quiz, co.DefaultLanguage)
	if err := chromedp.Do(ctx, chromedp.Submit(css(`form.quiz`)), chromedp.WaitVisible(css(`ol.results`))); err != nil {
		t.Fatal(err)
	}
	if status := text(t, ctx, `main p.notice`); !strings.HasPrefix(status, "You passed") {
		t.Fatalf("quiz result: %q", status)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses/"+co.ID), chromedp.WaitVisible(css(`.progress progress`))); err != nil {
		t.Fatal(err)
	}
	after := progressValue(t, ctx)
	total := len(co.Lessons) + len(co.Quizzes())
	if want := (len(m.Lessons) + 1) * 100 / total; after != want || after <= before {
		t.Fatalf("progress bar %d%% → %d%%, want %d%%", before, after, want)
	}
}
