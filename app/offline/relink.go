package offline

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/cairn-lms/cairn/app/course"
)

// relink rewrites a lesson's sanitised HTML for the bundle. The site's links are paths on the
// server (/courses/c/lessons/l, /courses/c/quizzes/m, /courses/c/media/…); in the bundle they
// become files next to the page (lesson-l.html, quiz-m.html, ../media/…). A link to something
// the bundle does not hold (another course, a page of the site) keeps its text and loses its
// address: it would lead nowhere on a USB stick. Links to other sites and anchors stay.
func relink(src template.HTML, c *course.Course, hasQuiz func(string) bool) template.HTML {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(string(src)), ctx)
	if err != nil {
		return src // the sanitiser's output always parses; keep it rather than lose the lesson
	}
	prefix := "/courses/" + c.ID + "/"
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.A:
			for i, a := range n.Attr {
				if a.Key != "href" {
					continue
				}
				dest, keep := localHref(a.Val, prefix, c, hasQuiz)
				if !keep {
					n.Attr = append(n.Attr[:i], n.Attr[i+1:]...)
					n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: "offline-unlinked"})
				} else {
					n.Attr[i].Val = dest
				}
				break
			}
		case atom.Img:
			for i, a := range n.Attr {
				if a.Key == "src" {
					if rest, ok := strings.CutPrefix(a.Val, prefix+"media/"); ok {
						n.Attr[i].Val = "../" + mediaPath(rest)
					} else {
						n.Attr[i].Val = "" // not a file of the course: nothing is fetched
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	for _, n := range nodes {
		walk(n)
		if err := html.Render(&buf, n); err != nil {
			return src
		}
	}
	return template.HTML(buf.String()) //nolint:gosec // the sanitised lesson, parsed and written again
}

// localHref is where a lesson link points in the bundle; keep is false when it points at
// nothing the bundle holds.
func localHref(href, prefix string, c *course.Course, hasQuiz func(string) bool) (string, bool) {
	switch {
	case strings.HasPrefix(href, "#"):
		return href, true
	case strings.HasPrefix(href, "https://"), strings.HasPrefix(href, "http://"), strings.HasPrefix(href, "mailto:"):
		return href, true
	}
	rest, ok := strings.CutPrefix(href, prefix)
	if !ok {
		return "", false
	}
	rest, frag, _ := strings.Cut(rest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	kind, id, _ := strings.Cut(rest, "/")
	if u, err := url.PathUnescape(id); err == nil {
		id = u
	}
	switch {
	case kind == "lessons" && c.Lesson(id) != nil:
		return lessonFile(id) + frag, true
	case kind == "quizzes" && hasQuiz(id):
		return quizFile(id) + frag, true
	}
	return "", false
}
