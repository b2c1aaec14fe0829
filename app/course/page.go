package course

import "html/template"

// RenderPage renders a page of the site that is not a lesson (the digital first-aid page, the device-traces page)
// through the lessons' Markdown renderer and sanitiser, so it gets the same callouts,
// heading anchors and HTML policy. It may link to other sites (https:, mailto:) and to
// anchors; having no course, it has no images and no lesson or quiz links. label names the
// source in problems.
func RenderPage(src []byte, label, lang string, opts Options) (template.HTML, []Problem) {
	var ps problems
	none := func(string) bool { return false }
	lc := &lessonContext{
		// A media folder that holds nothing: an image is reported missing, not forbidden.
		file: label, bodyLine: 1, lang: lang, mediaDir: "pages",
		hasImage: none, hasLesson: none, hasQuiz: none,
		usedImages: map[string]bool{}, ps: &ps,
	}
	html, _, _ := newMarkdown(opts).render(src, lc)
	return html, ps
}
