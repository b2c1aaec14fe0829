package locale_test

import (
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/courses"
)

// TestEveryShippedCourseTagIsNamedInEveryLanguage: the catalogue's topic filter names each
// tag in the reader's language (tag_<tag>); a course from elsewhere may bring tags the
// interface has no name for, which are then shown as they are, but a shipped course's tags
// are all named.
func TestEveryShippedCourseTagIsNamedInEveryLanguage(t *testing.T) {
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	if len(cat.Tags()) == 0 {
		t.Fatal("no tags in the shipped courses")
	}
	for _, lang := range shipped {
		m := messages(t, lang)
		for _, tag := range cat.Tags() {
			if name, ok := m["tag_"+tag].(string); !ok || name == "" {
				t.Errorf("active.%s.toml: no name for the tag %q (tag_%s)", lang, tag, tag)
			}
		}
	}
}
