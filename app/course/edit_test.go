package course_test

import (
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
)

func TestSetModuleQuizChangesOnlyThatSetting(t *testing.T) {
	const head = "id: c\ntitle: {en: C}\nmodules:\n"
	tests := []struct {
		name, src, module, want string
		changed                 bool
	}{
		{
			name:   "adds a line at the end of the module's entry",
			src:    head + "  - id: a\n    title: {en: A}\n    lessons: [x]\n\n  # the next one\n  - id: b\n    lessons: [y]\n",
			module: "a", changed: true,
			want: head + "  - id: a\n    title: {en: A}\n    lessons: [x]\n    quiz: true\n\n  # the next one\n  - id: b\n    lessons: [y]\n",
		},
		{
			name:   "the last module, before the next key",
			src:    head + "  - id: a\n    lessons:\n      - x\n      - y\nlicence: x\n",
			module: "a", changed: true,
			want: head + "  - id: a\n    lessons:\n      - x\n      - y\n    quiz: true\nlicence: x\n",
		},
		{
			name:   "the last line of the file without a line end",
			src:    head + "- id: a\n  lessons: [x]",
			module: "a", changed: true,
			want: head + "- id: a\n  lessons: [x]\n  quiz: true\n",
		},
		{
			name:   "quiz: false becomes true in place, comment kept",
			src:    head + "  - id: a\n    quiz: false   # not yet\n    lessons: [x]\n",
			module: "a", changed: true,
			want: head + "  - id: a\n    quiz: true   # not yet\n    lessons: [x]\n",
		},
		{
			name:   "quiz: true already",
			src:    head + "  - id: a\n    quiz: true\n",
			module: "a", changed: false,
			want: head + "  - id: a\n    quiz: true\n",
		},
		{
			name:   "Windows line ends stay",
			src:    strings.ReplaceAll(head+"  - id: a\n    lessons: [x]\n", "\n", "\r\n"),
			module: "a", changed: true,
			want: strings.ReplaceAll(head+"  - id: a\n    lessons: [x]\n    quiz: true\n", "\n", "\r\n"),
		},
		{
			name:   "a block scalar at the end of the entry",
			src:    head + "  - id: a\n    title:\n      en: |\n        Long\n\n        title\n  - id: b\n",
			module: "a", changed: true,
			want: head + "  - id: a\n    title:\n      en: |\n        Long\n\n        title\n    quiz: true\n  - id: b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, changed, err := course.SetModuleQuiz([]byte(tt.src), tt.module)
			if err != nil {
				t.Fatal(err)
			}
			if changed != tt.changed || string(out) != tt.want {
				t.Errorf("changed %v, got:\n%s\nwant:\n%s", changed, out, tt.want)
			}
		})
	}
}

func TestSetModuleQuizRefusesWhatItCannotEditSafely(t *testing.T) {
	for name, tt := range map[string]struct{ src, module, msg string }{
		"unknown module":      {"modules:\n  - id: a\n", "b", `no module "b"`},
		"one-line module":     {"modules:\n  - {id: a, lessons: [x]}\n", "a", "by hand"},
		"quoted quiz value":   {"modules:\n  - id: a\n    quiz: \"no\"\n", "a", "by hand"},
		"not YAML":            {"modules: [", "a", "course.yaml"},
		"modules not a list?": {"modules: 3\n", "a", `no module "a"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := course.SetModuleQuiz([]byte(tt.src), tt.module)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want an error containing %q", err, tt.msg)
			}
		})
	}
}

func TestSetVersionChangesOnlyTheVersionLine(t *testing.T) {
	src := "# a course\nid: demo\nversion: 1.0 # first\ntitle: {en: T}\n"
	out, err := course.SetVersion([]byte(src), "1.1-quiz")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# a course\nid: demo\nversion: \"1.1-quiz\"\ntitle: {en: T}\n"; string(out) != want {
		t.Fatalf("got\n%s", out)
	}
	for _, bad := range []string{"", "1 2", `1"`, "x\ny"} {
		if _, err := course.SetVersion([]byte(src), bad); err == nil {
			t.Fatalf("version %q accepted", bad)
		}
	}
	if _, err := course.SetVersion([]byte("id: demo\n"), "2"); err == nil {
		t.Fatal("a course.yaml without a version was edited")
	}
}
