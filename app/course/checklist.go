package course

// ChecklistStanding is where a learner stands with the "what now" checklists of a course.
type ChecklistStanding struct {
	Done, Total int
	Lessons     []LessonChecklist // lessons that have a checklist, in course order
}

// LessonChecklist is one lesson's checklist as a learner stands with it, in one language.
type LessonChecklist struct {
	Lesson      *Lesson
	Title       string
	Lang        string // of Title and the items (the lesson's version shown)
	Done, Total int
	Open        []ChecklistItem // items not ticked, in the lesson's order
}

// ChecklistOf computes a learner's checklist standing in lang from the ids they ticked per
// lesson. Only the lessons' current items count: a tick of an item that was removed is
// ignored, as in StandingOf.
func (c *Course) ChecklistOf(lang string, ticked func(lessonID string) map[string]bool) ChecklistStanding {
	var s ChecklistStanding
	for _, l := range c.Lessons {
		v, _ := l.Version(lang)
		if len(v.Checklist) == 0 {
			continue
		}
		done := ticked(l.ID)
		lc := LessonChecklist{Lesson: l, Title: v.Title, Lang: v.Lang, Total: len(v.Checklist)}
		for _, it := range v.Checklist {
			if done[it.ID] {
				lc.Done++
			} else {
				lc.Open = append(lc.Open, it)
			}
		}
		s.Done += lc.Done
		s.Total += lc.Total
		s.Lessons = append(s.Lessons, lc)
	}
	return s
}
