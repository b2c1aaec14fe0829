package course

import (
	"slices"
	"strings"
)

// Catalog is the set of published courses, read-only once built.
type Catalog struct {
	courses []*Course
	byID    map[string]*Course
}

// NewCatalog indexes courses, keeping their order by id.
func NewCatalog(courses []*Course) *Catalog {
	cat := &Catalog{byID: map[string]*Course{}}
	for _, c := range courses {
		cat.courses = append(cat.courses, c)
		cat.byID[c.ID] = c
	}
	slices.SortFunc(cat.courses, func(a, b *Course) int { return strings.Compare(a.ID, b.ID) })
	return cat
}

// Course returns the course with id, or nil.
func (cat *Catalog) Course(id string) *Course { return cat.byID[id] }

// All returns every published course.
func (cat *Catalog) All() []*Course { return cat.courses }

// Filter narrows the catalog; empty fields match everything. Query words must all appear in
// a course's titles, summaries or tags, in any language.
type Filter struct {
	Language string
	Level    string
	Tag      string
	Query    string
}

// Find returns the courses matching f.
func (cat *Catalog) Find(f Filter) []*Course {
	words := strings.Fields(foldForSearch(f.Query))
	var out []*Course
	for _, c := range cat.courses {
		if f.Language != "" && !c.HasLanguage(f.Language) {
			continue
		}
		if f.Level != "" && c.Level != f.Level {
			continue
		}
		if f.Tag != "" && !slices.Contains(c.Tags, f.Tag) {
			continue
		}
		if !containsAll(c.search, words) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func containsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// Tags lists every tag in use, sorted.
func (cat *Catalog) Tags() []string {
	return cat.union(func(c *Course) []string { return c.Tags })
}

// Languages lists every language some course is complete in, sorted.
func (cat *Catalog) Languages() []string {
	return cat.union(func(c *Course) []string { return c.Languages })
}

// union collects the distinct values of one list field over the courses, sorted.
func (cat *Catalog) union(field func(*Course) []string) []string {
	var out []string
	for _, c := range cat.courses {
		for _, v := range field(c) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out
}
