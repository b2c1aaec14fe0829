package course_test

import (
	"os"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
)

func TestChecklistStandingCountsOnlyTheLessonsCurrentItems(t *testing.T) {
	cat, _ := course.Load(os.DirFS("testdata/valid"), "valid", course.Options{})
	co := cat.Course("sample")
	if co == nil {
		t.Fatal("the sample course did not load")
	}
	ticks := map[string]map[string]bool{
		"first-steps": {"store-apart": true, "an-item-since-removed": true},
		"drill":       {"not-a-checklist-lesson": true},
	}
	for _, lang := range []string{"en", "ar", "fr"} {
		s := co.ChecklistOf(lang, func(id string) map[string]bool { return ticks[id] })
		if s.Done != 1 || s.Total != 2 || len(s.Lessons) != 1 {
			t.Fatalf("%s: %d of %d in %d lessons, want 1 of 2 in 1", lang, s.Done, s.Total, len(s.Lessons))
		}
		l := s.Lessons[0]
		v, _ := co.Lesson("first-steps").Version(lang)
		if l.Lesson.ID != "first-steps" || l.Title != v.Title || len(l.Open) != 1 || l.Open[0].ID != "print-codes" || l.Open[0].Text != v.Checklist[0].Text {
			t.Fatalf("%s: lesson standing %+v", lang, l)
		}
	}
	if s := co.ChecklistOf("en", func(string) map[string]bool { return nil }); s.Done != 0 || s.Total != 2 || len(s.Lessons[0].Open) != 2 {
		t.Fatalf("nothing ticked: %+v", s)
	}
}
