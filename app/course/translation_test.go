package course_test

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

func TestRevisionIsTwelveHexDigitsOfSHA256WithCRLFReadAsLF(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		same bool
	}{
		{"CRLF and LF are one revision", "---\r\ntitle: A\r\n---\r\nText.\r\n", "---\ntitle: A\n---\nText.\n", true},
		{"a changed word is another revision", "---\ntitle: A\n---\nText.\n", "---\ntitle: A\n---\nTexts.\n", false},
		{"a lone CR is content", "a\rb", "a\nb", false},
		{"a trailing newline counts", "a\n", "a", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ra, rb := course.Revision([]byte(tc.a)), course.Revision([]byte(tc.b))
			if (ra == rb) != tc.same {
				t.Fatalf("Revision(%q) = %s, Revision(%q) = %s; same = %v, want %v", tc.a, ra, tc.b, rb, ra == rb, tc.same)
			}
		})
	}
	// SHA-256 of the empty input starts e3b0c44298fc1c14…
	if got := course.Revision(nil); got != "e3b0c44298fc" {
		t.Fatalf("Revision(empty) = %s", got)
	}
}

const enLesson = "---\ntitle: L\n---\nThe English text.\n"

// translatedCourse is a one-lesson course in English with a Spanish lesson whose front
// matter has the given extra lines, and a quiz whose Spanish texts start with quizHead.
func translatedCourse(esExtra, quizHead string) fstest.MapFS {
	fsys := quizCourse("")
	fsys["c/course.yaml"].Data = []byte(strings.NewReplacer("title: {en: C}", "title: {en: C, es: C es}", "title: {en: M}", "title: {en: M, es: M es}").
		Replace(string(fsys["c/course.yaml"].Data)))
	fsys["c/m/l/en.md"].Data = []byte(enLesson)
	fsys["c/m/l/es.md"] = &fstest.MapFile{Data: []byte("---\ntitle: L es\n" + esExtra + "---\nEl texto.\n")}
	fsys["c/m/quiz.es.yaml"] = &fstest.MapFile{Data: []byte(quizHead + "q:\n  stem: ¿P?\n  options: {\"yes\": Sí, \"no\": Nop}\n")}
	return fsys
}

func TestTranslationProvenanceIsCheckedAndReachesTheModel(t *testing.T) {
	lessonRev := course.Revision([]byte(enLesson))
	quizRev := course.Revision(translatedCourse("", "")["c/m/quiz.en.yaml"].Data)
	current := "translated_from: " + lessonRev + "\n"
	quizCurrent := "_translated_from: " + quizRev + "\n"
	for _, tc := range []struct {
		name             string
		esExtra          string
		quizHead         string
		problems         []string // every problem, in order
		stale, pending   bool     // of the Spanish lesson
		quizStale        bool
		quizPending      bool
		coursePending    []string
		enLessonOverride string
	}{
		{name: "current", esExtra: current, quizHead: quizCurrent},
		{name: "stale lesson", esExtra: "translated_from: 0123456789ab\n", quizHead: quizCurrent, stale: true, problems: []string{
			`c/m/l/es.md:3: warning: translated from revision 0123456789ab of en.md; the English has changed since (now ` + lessonRev + `): check the translation and run "cairn courses stamp"`,
		}},
		{name: "no revision recorded", quizHead: quizCurrent, problems: []string{
			`c/m/l/es.md:1: warning: no translated_from: record the revision of en.md this translation was made from: check it against en.md (now revision ` + lessonRev + `) and run "cairn courses stamp"`,
		}},
		{name: "empty revision", esExtra: "translated_from:\n", quizHead: quizCurrent, problems: []string{
			`c/m/l/es.md:3: warning: no translated_from: record the revision of en.md`,
		}},
		{name: "not a revision", esExtra: "translated_from: yesterday\n", quizHead: quizCurrent, stale: true, problems: []string{
			`c/m/l/es.md:3: warning: translated_from "yesterday" is not a revision (12 hex digits`,
		}},
		{name: "an English file saved with CRLF keeps its revision", esExtra: current, quizHead: quizCurrent,
			enLessonOverride: strings.ReplaceAll(enLesson, "\n", "\r\n")},
		{name: "review pending is a note", esExtra: current + "review: pending\n", quizHead: quizCurrent, pending: true, coursePending: []string{"es"}, problems: []string{
			`c/m/l/es.md:4: note: translation not yet checked by a second reader (review: pending)`,
		}},
		{name: "review with another value is an error", esExtra: current + "review: done\n", quizHead: quizCurrent, problems: []string{
			`c/m/l/es.md:4: error: review "done": the only value is pending; remove the key once a second reader has checked the translation`,
		}},
		{name: "stale quiz texts", esExtra: current, quizHead: "_translated_from: 0123456789ab\n", quizStale: true, problems: []string{
			`c/m/quiz.es.yaml:1: warning: translated from revision 0123456789ab of quiz.en.yaml; the English has changed since (now ` + quizRev + `)`,
		}},
		{name: "quiz texts without a revision", esExtra: current, problems: []string{
			`c/m/quiz.es.yaml:1: warning: no _translated_from: record the revision of quiz.en.yaml`,
		}},
		{name: "quiz texts pending review", esExtra: current, quizHead: quizCurrent + "_review: pending\n", quizPending: true, coursePending: []string{"es"}, problems: []string{
			`c/m/quiz.es.yaml:2: note: translation not yet checked by a second reader (_review: pending)`,
		}},
		{name: "an unknown reserved key in quiz texts", esExtra: current, quizHead: "_reviewed: yes\n", problems: []string{
			`c/m/quiz.es.yaml:1: error: unknown reserved key "_reviewed"`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := translatedCourse(tc.esExtra, tc.quizHead)
			if tc.enLessonOverride != "" {
				fsys["c/m/l/en.md"].Data = []byte(tc.enLessonOverride)
			}
			cat, ps := course.Load(fsys, "", course.Options{})
			got := strings.Split(strings.TrimSpace(problemLines(ps)), "\n")
			if len(ps) == 0 {
				got = nil
			}
			if len(got) != len(tc.problems) {
				t.Fatalf("problems:\n%s\nwant %d: %q", problemLines(ps), len(tc.problems), tc.problems)
			}
			for i, want := range tc.problems {
				if !strings.HasPrefix(got[i], want) {
					t.Fatalf("problem %d:\n%s\nwant prefix\n%s", i, got[i], want)
				}
			}
			c := cat.Course("c")
			if slices.ContainsFunc(ps, func(p course.Problem) bool { return !p.Warning }) {
				if c != nil {
					t.Fatal("published with an error")
				}
				return
			}
			es := c.Lesson("l").Versions["es"]
			if es.Provenance.Stale != tc.stale || es.Provenance.ReviewPending != tc.pending {
				t.Fatalf("es provenance %+v, want stale %v pending %v", es.Provenance, tc.stale, tc.pending)
			}
			if en := c.Lesson("l").Versions["en"]; en.Provenance != (course.Provenance{}) {
				t.Fatalf("the source has provenance %+v", en.Provenance)
			}
			qp := c.Module("m").QuizProvenance["es"]
			if qp.Stale != tc.quizStale || qp.ReviewPending != tc.quizPending {
				t.Fatalf("quiz provenance %+v, want stale %v pending %v", qp, tc.quizStale, tc.quizPending)
			}
			if _, ok := c.Module("m").QuizProvenance["en"]; ok {
				t.Fatal("the source quiz texts have provenance")
			}
			if !slices.Equal(c.ReviewPending, tc.coursePending) {
				t.Fatalf("course review pending %v, want %v", c.ReviewPending, tc.coursePending)
			}
		})
	}
}

func TestSourceFilesMayNotClaimProvenance(t *testing.T) {
	fsys := translatedCourse("translated_from: "+course.Revision([]byte(enLesson))+"\n", "")
	fsys["c/m/l/en.md"].Data = []byte("---\ntitle: L\ntranslated_from: 0123456789ab\nreview: pending\n---\nThe English text.\n")
	fsys["c/m/quiz.en.yaml"].Data = append([]byte("_translated_from: 0123456789ab\n"), fsys["c/m/quiz.en.yaml"].Data...)
	_, ps := course.Load(fsys, "", course.Options{})
	got := problemLines(ps)
	for _, want := range []string{
		`c/m/l/en.md:3: warning: translated_from in the default language: this file is the source`,
		`c/m/l/en.md:4: warning: review in the default language: the review marker is for translations`,
		`c/m/quiz.en.yaml:1: warning: _translated_from in the default language`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestTrainerNotesTranslationsRecordTheirSource(t *testing.T) {
	cat, ps := course.Load(os.DirFS("testdata/valid"), "valid", course.Options{})
	if got := problemLines(ps); strings.Contains(got, "translated") {
		t.Fatalf("the valid sample is stamped, yet:\n%s", got)
	}
	basics := cat.Course("sample").Module("basics")
	if ar := basics.TrainerNotes["ar"]; ar.Provenance.From == "" || ar.Provenance.Stale {
		t.Fatalf("ar trainer notes provenance %+v", ar.Provenance)
	}

	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/valid"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("testdata/valid/" + p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys["sample/basics/trainer.en.md"].Data = append(fsys["sample/basics/trainer.en.md"].Data, []byte("\nOne more paragraph.\n")...)
	cat, ps = course.Load(fsys, "v", course.Options{})
	if !strings.Contains(problemLines(ps), "v/sample/basics/trainer.ar.md:7: warning: translated from revision") {
		t.Fatalf("an edited trainer.en.md leaves trainer.ar.md current:\n%s", problemLines(ps))
	}
	if !cat.Course("sample").Module("basics").TrainerNotes["ar"].Provenance.Stale {
		t.Fatal("trainer.ar.md is not stale")
	}
}

func TestStampSetsOnlyTheRevisionAndKeepsEveryOtherByte(t *testing.T) {
	const rev = "0123456789ab"
	for _, tc := range []struct {
		name      string
		quiz      bool
		in, want  string
		old, fail string
	}{
		{name: "adds the key at the end of the front matter",
			in:   "---\ntitle: T\nobjectives:\n  - One\n---\nBody with translated_from: x\n",
			want: "---\ntitle: T\nobjectives:\n  - One\ntranslated_from: " + rev + "\n---\nBody with translated_from: x\n"},
		{name: "keeps CRLF line ends",
			in:   "---\r\ntitle: T\r\n---\r\nBody\r\n",
			want: "---\r\ntitle: T\r\ntranslated_from: " + rev + "\r\n---\r\nBody\r\n"},
		{name: "replaces an old revision, keeping its comment", old: "ba9876543210",
			in:   "---\ntitle: T\ntranslated_from: ba9876543210   # checked by the team\nreview: pending\n---\nB\n",
			want: "---\ntitle: T\ntranslated_from: " + rev + "   # checked by the team\nreview: pending\n---\nB\n"},
		{name: "fills an empty value",
			in:   "---\ntranslated_from:\ntitle: T\n---\nB\n",
			want: "---\ntranslated_from: " + rev + "\ntitle: T\n---\nB\n"},
		{name: "replaces a quoted value", old: "ba9876543210",
			in:   "---\ntitle: T\ntranslated_from: 'ba9876543210'\r\n---\nB\n",
			want: "---\ntitle: T\ntranslated_from: " + rev + "\r\n---\nB\n"},
		{name: "an indented key is not the front matter's", quiz: false,
			in:   "---\ntitle: T\nchecklist:\n  - id: a\n    text: x\n---\nB\n",
			want: "---\ntitle: T\nchecklist:\n  - id: a\n    text: x\ntranslated_from: " + rev + "\n---\nB\n"},
		{name: "a current file comes back unchanged", old: rev,
			in:   "---\ntitle: T\ntranslated_from: " + rev + "\n---\nB\n",
			want: "---\ntitle: T\ntranslated_from: " + rev + "\n---\nB\n"},
		{name: "quiz texts: added before the first question, after comments", quiz: true,
			in:   "# Spanish texts\n\nq1:\n  stem: ¿P?\n",
			want: "# Spanish texts\n\n_translated_from: " + rev + "\nq1:\n  stem: ¿P?\n"},
		{name: "quiz texts: after a document start", quiz: true,
			in:   "---\nq1:\n  stem: ¿P?\n",
			want: "---\n_translated_from: " + rev + "\nq1:\n  stem: ¿P?\n"},
		{name: "quiz texts: replaced where it is", quiz: true, old: "ba9876543210",
			in:   "q1:\n  stem: ¿P?\n_translated_from: ba9876543210\n_review: pending\nq2:\n  stem: x\n",
			want: "q1:\n  stem: ¿P?\n_translated_from: " + rev + "\n_review: pending\nq2:\n  stem: x\n"},
		{name: "no front matter", in: "# Title\n", fail: "no front matter"},
		{name: "the key twice", in: "---\ntranslated_from: a\ntranslated_from: b\n---\n", fail: "given 2 times"},
		{name: "a block value would change the file's meaning", in: "---\ntranslated_from: |\n  abc\ntitle: T\n---\nB\n", fail: "cannot set translated_from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, old, err := course.Stamp([]byte(tc.in), tc.quiz, rev)
			if tc.fail != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fail) {
					t.Fatalf("err %v, want %q", err, tc.fail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want || old != tc.old {
				t.Fatalf("got %q (old %q)\nwant %q (old %q)", out, old, tc.want, tc.old)
			}
			again, old2, err := course.Stamp(out, tc.quiz, rev)
			if err != nil || !bytes.Equal(again, out) || old2 != rev {
				t.Fatalf("stamping twice changed the file: %q (old %q, %v)", again, old2, err)
			}
		})
	}
}

func TestStampedTranslationsLoadCurrent(t *testing.T) {
	fsys := translatedCourse("translated_from: 0123456789ab\n", "")
	files, err := course.Translations(fsys, "c")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path+"<"+f.Source)
		out, _, err := course.Stamp(fsys["c/"+f.Path].Data, f.Quiz, course.Revision(fsys["c/"+f.Source].Data))
		if err != nil {
			t.Fatal(err)
		}
		fsys["c/"+f.Path].Data = out
	}
	if strings.Join(paths, " ") != "m/l/es.md<m/l/en.md m/quiz.es.yaml<m/quiz.en.yaml" {
		t.Fatalf("translations %v", paths)
	}
	if _, ps := course.Load(fsys, "", course.Options{}); len(ps) != 0 {
		t.Fatalf("problems after stamping:\n%s", problemLines(ps))
	}
}
