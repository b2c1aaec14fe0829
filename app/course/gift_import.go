package course

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cairn-lms/cairn/app/gift"
)

// GIFTImport asks for a Moodle GIFT file to become the quiz of one module of a course
// folder. cairn courses import-gift uses it; so can an upload form.
type GIFTImport struct {
	CourseDir string // the course folder, holding course.yaml
	Label     string // how the course folder is named in problems; CourseDir when empty
	Module    string
	// Lang is the language the GIFT file is written in; empty means the course's default
	// language, which is the only one a new quiz can be imported in (its texts are the source
	// its translations follow).
	Lang    string
	Name    string // the GIFT file's name, for problems
	Source  []byte
	Replace bool // replace the module's quiz if it has one
	DryRun  bool // check everything, write nothing
	Convert gift.Options
	Check   Options // how the course is checked once the quiz is in it (glossaries)
	// FS, when set, is the course folder to read instead of CourseDir (whose base name is
	// then only the folder's name): nothing is written, and the result's Contents hold the
	// files to put in place (a course kept in the database as a package).
	FS fs.FS
}

// GIFTImportResult is what an import found and did.
type GIFTImportResult struct {
	GIFT []gift.Problem // the GIFT file's problems, in line order
	Quiz *gift.Quiz     // the converted quiz; nil when the file could not be read
	// Checked: the course was loaded with the quiz in it, exactly as cairn courses check
	// would load it once written; Check holds what that found.
	Checked bool
	Check   []Problem
	// Files are written (or, in a dry run, would be), relative to the course folder, in
	// the order they are put in place. CourseYAML tells whether course.yaml is one of them.
	Files      []string
	CourseYAML bool
	Written    bool
	// Contents are the new files by their path in the course folder, once every check passed.
	Contents map[string][]byte
}

// ImportGIFT converts a GIFT file into the quiz of a module: quiz.yaml, quiz.<lang>.yaml and,
// when needed, quiz: true for the module in course.yaml. Nothing is written unless the GIFT
// file has no error and the course, checked with the new files in place, has none either;
// files are written beside their final names and renamed into place at the end. The
// returned error says why nothing was written (or why writing failed); the result holds
// the reports either way.
func ImportGIFT(req GIFTImport) (*GIFTImportResult, error) {
	res := &GIFTImportResult{}
	label := cmp.Or(req.Label, req.CourseDir)
	var fsys fs.FS
	if req.FS != nil {
		fsys = req.FS
	} else {
		fsys = os.DirFS(req.CourseDir)
	}
	raw, err := fs.ReadFile(fsys, "course.yaml")
	if err != nil {
		return res, fmt.Errorf("%s: cannot read course.yaml: %w", label, unwrapPath(err))
	}
	var cf courseFile
	if err := decodeStrict(raw, &cf); err != nil {
		return res, fmt.Errorf("%s/course.yaml: %v (run cairn courses check)", label, err)
	}
	if !validID(req.Module) {
		return res, fmt.Errorf("module id %q is not a valid id", req.Module)
	}
	if !slices.ContainsFunc(cf.Modules, func(m moduleEntry) bool { return m.ID == req.Module }) {
		var ids []string
		for _, m := range cf.Modules {
			ids = append(ids, m.ID)
		}
		return res, fmt.Errorf("course %q has no module %q (its modules: %s)", cf.ID, req.Module, strings.Join(ids, ", "))
	}
	if info, err := fs.Stat(fsys, req.Module); err != nil || !info.IsDir() {
		return res, fmt.Errorf("%s has no folder %s/ for module %q", label, req.Module, req.Module)
	}
	lang := cmp.Or(req.Lang, cf.DefaultLanguage)
	if lang != cf.DefaultLanguage {
		return res, fmt.Errorf("the course's default language is %q: a quiz is imported in it (its texts are what translations follow); translate quiz.%s.yaml afterwards", cf.DefaultLanguage, cf.DefaultLanguage)
	}
	if err := checkExistingQuiz(fsys, req.Module, lang, req.Replace); err != nil {
		return res, err
	}

	z, ps := gift.Import(req.Name, req.Source, req.Convert)
	res.GIFT, res.Quiz = ps, z
	if gift.HasErrors(ps) {
		return res, fmt.Errorf("%s has errors: nothing written", req.Name)
	}
	structure, err := z.StructureYAML()
	if err != nil {
		return res, err
	}
	texts, err := z.TextsYAML()
	if err != nil {
		return res, err
	}
	files := map[string][]byte{
		path.Join(req.Module, "quiz."+lang+".yaml"): texts,
		path.Join(req.Module, "quiz.yaml"):          structure,
	}
	// Texts first, structure next, course.yaml last: if writing stops half-way, a quiz that
	// course.yaml does not yet publish is harmless.
	res.Files = []string{path.Join(req.Module, "quiz."+lang+".yaml"), path.Join(req.Module, "quiz.yaml")}
	newCourse, changed, err := SetModuleQuiz(raw, req.Module)
	if err != nil {
		return res, err
	}
	if changed {
		files["course.yaml"] = newCourse
		res.Files = append(res.Files, "course.yaml")
		res.CourseYAML = true
	}

	dirName := filepath.Base(filepath.Clean(req.CourseDir))
	_, res.Check = LoadOne(overlayFS{base: fsys, files: files}, dirName, label, req.Check)
	res.Checked = true
	if problems(res.Check).hasErrors() {
		return res, errors.New("the course would have errors with this quiz in it: nothing written")
	}
	res.Contents = files
	if req.DryRun || req.FS != nil {
		return res, nil
	}
	if err := writeInPlace(req.CourseDir, res.Files, files); err != nil {
		return res, err
	}
	res.Written = true
	return res, nil
}

// checkExistingQuiz refuses to overwrite a module's quiz unless told to, and refuses to
// replace one that has translations: they translate questions that would be gone.
func checkExistingQuiz(fsys fs.FS, module, lang string, replace bool) error {
	texts, _ := fs.Glob(fsys, path.Join(module, "quiz.*.yaml"))
	_, err := fs.Stat(fsys, path.Join(module, "quiz.yaml"))
	exists := err == nil || slices.Contains(texts, path.Join(module, "quiz."+lang+".yaml"))
	if !exists {
		return nil
	}
	if !replace {
		return fmt.Errorf("module %q already has a quiz (%s/quiz.yaml); add --replace to replace it (learners' past attempts stay recorded against its old question ids)", module, module)
	}
	var others []string
	for _, t := range texts {
		if t != path.Join(module, "quiz."+lang+".yaml") {
			others = append(others, path.Base(t))
		}
	}
	if len(others) > 0 {
		return fmt.Errorf("module %q has translations of its quiz (%s) that would no longer match the imported questions; move them aside first", module, strings.Join(others, ", "))
	}
	return nil
}

// writeInPlace writes each file next to its final name, then renames them into place in
// order, so a reader sees either the old file or the new one, never half of one.
func writeInPlace(dir string, order []string, files map[string][]byte) (err error) {
	type pending struct{ tmp, final string }
	var done []pending
	defer func() {
		if err != nil {
			for _, p := range done {
				_ = os.Remove(p.tmp)
			}
		}
	}()
	if len(order) != len(files) || !slices.Equal(slices.Sorted(maps.Keys(files)), slices.Sorted(slices.Values(order))) {
		return errors.New("write: the files and their order disagree")
	}
	for _, rel := range order {
		final := filepath.Join(dir, filepath.FromSlash(rel))
		perm := os.FileMode(0o644)
		if info, err := os.Stat(final); err == nil {
			perm = info.Mode().Perm()
		}
		f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".*.tmp")
		if err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		done = append(done, pending{tmp: f.Name(), final: final})
		_, werr := f.Write(files[rel])
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr, os.Chmod(f.Name(), perm)); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
	}
	for i, p := range done {
		if err := os.Rename(p.tmp, p.final); err != nil {
			done = done[i:]
			return fmt.Errorf("put %s in place: %w", p.final, err)
		}
	}
	return nil
}
