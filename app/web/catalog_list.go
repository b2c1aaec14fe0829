package web

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/store"
)

type catalogCard struct {
	Course    *course.Course
	Title     course.Text
	Summary   course.Text
	Languages []langOption
	Standing  *course.Standing
}

type catalogData struct {
	Cards     []catalogCard
	Filter    course.Filter
	Levels    []string
	Tags      []tagOption
	Languages []langOption
	Total     int
}

type langOption struct{ Tag, Name string }

// tagOption is a course tag (a topic) and its name in the interface language: the tag
// itself for a tag the interface has no name for (a partner's course, say).
type tagOption struct{ Value, Label string }

// tagOptions names the tags in the reader's language and sorts them by name, letters
// without their accents and case ("Élan" with the e's); a full collation table would cost
// more than the catalogue's few topics are worth.
func tagOptions(loc *locale.Localizer, tags []string) []tagOption {
	out := make([]tagOption, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagOption{Value: t, Label: loc.TOr("tag_"+t, t)})
	}
	key := func(s string) string {
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return b.String()
	}
	slices.SortStableFunc(out, func(a, b tagOption) int { return strings.Compare(key(a.Label), key(b.Label)) })
	return out
}

func (s *Server) listCatalog(c *fiber.Ctx) error {
	cat := s.catalog()
	f := course.Filter{
		Language: c.Query("language"),
		Level:    c.Query("level"),
		Tag:      c.Query("tag"),
		Query:    strings.TrimSpace(c.Query("q")),
	}
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	found := cat.Find(f)
	var progress *store.Progress
	if u := state(c).user; u != nil {
		p, err := s.store.LearnerProgress(c.UserContext(), u.ID)
		if err != nil {
			return err
		}
		progress = p
	}
	ui := lang(c)
	d := catalogData{Filter: f, Levels: course.Levels, Tags: tagOptions(state(c).loc, cat.Tags()), Total: len(cat.All())}
	for _, tag := range cat.Languages() {
		d.Languages = append(d.Languages, langOption{Tag: tag, Name: s.languageName(tag)})
	}
	for _, co := range found {
		card := catalogCard{Course: co, Title: co.TextIn(co.Title, ui), Summary: co.TextIn(co.Summary, ui)}
		for _, l := range co.Languages {
			card.Languages = append(card.Languages, langOption{Tag: l, Name: s.languageName(l)})
		}
		if progress != nil && progress.Enrollments[co.ID] != nil {
			st := co.StandingOf(lessonSet(progress, co.ID), passedSet(progress, co.ID))
			card.Standing = &st
		}
		d.Cards = append(d.Cards, card)
	}
	return s.render(c, fiber.StatusOK, "catalog", "catalog_title", d)
}
