package browser_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/offline"
	"github.com/cairn-lms/cairn/assets"
	"github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

// unzipBundle builds the offline copy of a shipped course in langs and unzips it into a
// temporary folder, as a learner does on a phone or from a USB stick; it returns the copy's
// top folder.
func unzipBundle(t *testing.T, courseID string, langs []string) (string, *course.Course) {
	t.Helper()
	b, err := offline.NewBuilder(assets.FS, locales(t))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	c := cat.Course(courseID)
	var buf bytes.Buffer
	if err := b.Write(&buf, c, langs, time.Now()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, strings.TrimSuffix(offline.FileName(c, langs), ".zip")), c
}

func locales(t *testing.T) *locale.Bundle {
	t.Helper()
	l, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func visible(t *testing.T, ctx context.Context, selector string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+"`"+selector+"`"+`); return !!e && e.checkVisibility(); })()`))
	if err != nil {
		t.Fatalf("%s: %v", selector, err)
	}
	return ok
}

func TestOfflineCopyFromFilesWithoutJavaScriptShowsLessonsAndAnswers(t *testing.T) {
	top, c := unzipBundle(t, "account-security", []string{"en", "ar"})
	ctx := newBrowser(t)
	phone(t, ctx)
	m := c.Quizzes()[0]
	lesson := c.Lessons[0]
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			v, _ := lesson.Version(lang)
			// The way in: the top index, then the language, then the first lesson, by links.
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(top, "index.html"))); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Click(`a[hreflang="`+lang+`"]`, chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if !until(t, ctx, `location.pathname.endsWith("/`+lang+`/index.html")`, 10*time.Second) {
				t.Fatal("the language link did not lead to the course page")
			}
			if err := chromedp.Do(ctx, chromedp.Click(`a.button`, chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if !until(t, ctx, `location.pathname.endsWith("/lesson-`+lesson.ID+`.html")`, 10*time.Second) {
				t.Fatal("Start did not lead to the first lesson")
			}
			if h1 := text(t, ctx, "article.lesson h1"); h1 != v.Title {
				t.Errorf("lesson title %q, want %q", h1, v.Title)
			}
			dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`))
			if err != nil || dir != locale.Dir(lang) {
				t.Errorf("page direction %q, want %q", dir, locale.Dir(lang))
			}
			// The stylesheet came from the copy: the lesson is laid out, not raw HTML.
			if font, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".skip-link")).position`)); font != "absolute" {
				t.Errorf("the copy's stylesheet did not load (skip link position %q)", font)
			}
			noWiderThanPhone(t, ctx, lang+" lesson")

			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(top, lang, "quiz-"+m.ID+".html"))); err != nil {
				t.Fatal(err)
			}
			if visible(t, ctx, "#quiz-check") {
				t.Error("without JavaScript the quiz shows a button that would do nothing")
			}
			if visible(t, ctx, "#q1 details p") {
				t.Error("the first answer shows before it is asked for")
			}
			if err := chromedp.Do(ctx, chromedp.Click(`#q1 details summary`, chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if !visible(t, ctx, "#q1 details p") {
				t.Fatal("opening “Show the answer” showed nothing")
			}
			answer := text(t, ctx, "#q1 details")
			if loc, _ := locales(t).Lookup(lang); !strings.Contains(answer, loc.T("quiz_right_answer")) {
				t.Errorf("the answer part does not give the right answer:\n%s", answer)
			}
			noWiderThanPhone(t, ctx, lang+" quiz")
		})
	}
}

// answerInPage answers every question of the quiz page, right or (for the first question)
// wrong, as a learner would: clicking choices, typing, picking positions.
const answerInPage = `((wrongFirst) => {
  const qs = document.querySelectorAll("fieldset.question");
  qs.forEach((q, i) => {
    const wrong = wrongFirst && i === 0;
    switch (q.dataset.type) {
    case "short": {
      const input = q.querySelector("input");
      // Typed as a person might: capitals, a stray space and mark, Arabic letters where the
      // normal form has their Persian look-alikes; the script folds them as the server does.
      const accepted = JSON.parse(q.dataset.accept)[0];
      input.value = wrong ? "certainly not this" : " " + accepted.toUpperCase().replaceAll("ی", "ي").replaceAll("ک", "ك") + " !";
      break;
    }
    case "ordering": {
      const selects = [...q.querySelectorAll("select")];
      selects.forEach((s) => { s.value = s.dataset.rank; });
      if (wrong) { const a = selects[0].value; selects[0].value = selects[1].value; selects[1].value = a; }
      break;
    }
    default:
      q.querySelectorAll("input").forEach((input) => {
        const right = input.hasAttribute("data-correct");
        if ((right && !wrong) || (!right && wrong && input.type === "radio" && !q.querySelector("input:checked")) || (wrong && input.type === "checkbox" && right)) {
          input.click();
        }
      });
      if (wrong && q.dataset.type === "multiple") {
        q.querySelectorAll("input:not([data-correct])")[0].click();
      }
    }
  });
  return qs.length;
})`

func TestOfflineQuizIsGradedInThePageWithJavaScript(t *testing.T) {
	top, c := unzipBundle(t, "account-security", []string{"en", "ar"})
	ctx := withTimeout(t, startChromium(t))
	phone(t, ctx)
	m := c.Quizzes()[0]
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			loc, _ := locales(t).Lookup(lang)
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(top, lang, "quiz-"+m.ID+".html"))); err != nil {
				t.Fatal(err)
			}
			// The script loaded from the copy (the page's policy allows only the copy's own):
			// it shows its button.
			if !until(t, ctx, `!document.getElementById("quiz-check").hidden`, 10*time.Second) {
				t.Fatal("the quiz script did not run from file://")
			}
			// Nothing answered: the first question is marked, no score yet.
			if err := chromedp.Do(ctx, chromedp.Click("#quiz-check", chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if visible(t, ctx, "#quiz-result") || !strings.Contains(text(t, ctx, "#q1 .offline-verdict"), loc.T("quiz_question_missing")) {
				t.Error("an empty quiz was scored, or its questions not marked as unanswered")
			}
			// One wrong answer: graded in the page, not passed (every quiz has more than one question).
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](answerInPage+`(true)`))
			if err != nil || n < 2 {
				t.Fatalf("answering: %d questions, %v", n, err)
			}
			if err := chromedp.Do(ctx, chromedp.Click("#quiz-check", chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if !until(t, ctx, `document.getElementById("q1").classList.contains("wrong") && document.getElementById("q2").classList.contains("right")`, 5*time.Second) {
				t.Fatalf("the wrong answer was not marked wrong and the right one right")
			}
			if !visible(t, ctx, "#q1 details p") {
				t.Error("a graded question does not show its feedback")
			}
			// Every answer right: passed, with the sentence the server wrote for that score.
			if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			if !until(t, ctx, `!document.getElementById("quiz-check").hidden`, 10*time.Second) {
				t.Fatal("the quiz script did not run after a reload")
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](answerInPage+`(false)`)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Click("#quiz-check", chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			if !until(t, ctx, `(() => { const r = document.getElementById("quiz-result"); return !r.hidden && !r.classList.contains("warning"); })()`, 5*time.Second) {
				t.Fatalf("all answers right did not pass: %q", text(t, ctx, "#quiz-result"))
			}
			max := len(m.Quiz.Questions)
			want := loc.N("quiz_result_passed", max, "Score", max, "Max", max, "Percent", 100)
			if got := text(t, ctx, "#quiz-result"); got != want {
				t.Errorf("result %q, want %q", got, want)
			}
			noWiderThanPhone(t, ctx, lang+" graded quiz")
			if v := axeCheck(t, ctx); len(v) > 0 {
				t.Errorf("graded %s quiz: accessibility violations %+v", lang, v)
			}
			for _, page := range []string{"index.html", lang + "/index.html", lang + "/lesson-" + c.Lessons[0].ID + ".html"} {
				if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(top, page))); err != nil {
					t.Fatal(err)
				}
				if v := axeCheck(t, ctx); len(v) > 0 {
					t.Errorf("%s: accessibility violations %+v", page, v)
				}
			}
		})
	}
}
