package browser_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// pdfPageRE counts the page objects of a PDF file; Chromium writes them uncompressed.
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// TestFirstAidPrintsOnOneSheetInEveryLanguage holds the promise of the page ("print it as a
// card: it fits on one sheet") on A4 and Letter, in every interface language, with local
// contacts as long as the admin form allows.
func TestFirstAidPrintsOnOneSheetInEveryLanguage(t *testing.T) {
	ctx := newBrowser(t)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	// 12 lines of 50 characters: the most the admin form accepts.
	line := "Lawyers' collective (24 h): +254 20 123 4567, help@example.org"
	contacts := strings.TrimSuffix(strings.Repeat(line[:49]+"\n", 12), "\n")
	if err := store.New(db, nil).SetSetting(context.Background(), store.SettingFirstAidContacts, contacts); err != nil {
		t.Fatal(err)
	}
	papers := map[string]chromedp.PaperSize{"A4": chromedp.PaperA4, "Letter": chromedp.PaperLetter}
	// Every interface language: each has its own page (app/web's first-aid test sees to it).
	bundle, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range bundle.Languages() {
		lang := l.Tag
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/first-aid?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`.local-contacts`))); err != nil {
			t.Fatal(err)
		}
		for name, size := range papers {
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(size)))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(pdfPageRE.FindAll(pdf, -1)); n != 1 {
				t.Errorf("%s on %s prints on %d pages, want 1", lang, name, n)
			}
		}
	}
}
