package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// filterFormRE is the dashboard's GET form over the learner table, up to its button.
var filterFormRE = regexp.MustCompile(`(?s)<form method="get" action="/cohorts/\d+"[^>]*>.*?<button[^>]*>([^<]*)</button>`)

func TestTheQuietFilterButtonSaysWhatItDoesInEveryLanguage(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "label-trainer")
		path, _ := newCohort(t, tr, "0")
		want := map[string]string{"en": "Show learners", "es": "Mostrar participantes", "fr": "Afficher les apprenants", "ar": "عرض المتعلّمين"}
		for lang, label := range want {
			p := tr.get(path + "?lang=" + lang)
			mustStatus(t, p, http.StatusOK)
			m := filterFormRE.FindStringSubmatch(p.Body)
			if m == nil {
				t.Fatalf("%s: no filter form on the dashboard:\n%s", lang, p.Body)
			}
			if got := strings.TrimSpace(m[1]); got != label {
				t.Errorf("%s: the filter button says %q, want %q", lang, got, label)
			}
		}
	})
}
