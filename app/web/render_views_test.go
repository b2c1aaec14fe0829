package web

import (
	"bytes"
	"testing"
	"testing/fstest"
)

// Each page's template set holds the partials it calls, directly or through another
// partial, and no others; every page still renders through the layout.
func TestAPageIsParsedWithThePartialsItCallsOnly(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/layouts/base.html":   {Data: []byte(`{{define "base"}}<main>{{template "content" .}}</main>{{template "csrf" .}}{{end}}`)},
		"templates/partials/forms.html": {Data: []byte(`{{define "csrf"}}[csrf]{{end}}`)},
		"templates/partials/outer.html": {Data: []byte(`{{define "outer"}}<outer>{{template "inner" .}}</outer>{{end}}`)},
		"templates/partials/inner.html": {Data: []byte(`{{define "inner"}}<inner>{{- block "deep" .}}{{end}}</inner>{{end}}`)},
		"templates/partials/other.html": {Data: []byte(`{{define "other"}}<other>{{end}}`)},
		"templates/pages/uses.html":     {Data: []byte(`{{define "content"}}{{ template "outer" . }}{{end}}`)},
		"templates/pages/plain.html":    {Data: []byte(`{{define "content"}}plain{{end}}`)},
	}
	v, err := loadViews(fsys)
	if err != nil {
		t.Fatal(err)
	}
	has := func(page, name string) bool { return v.pages[page].Lookup(name) != nil }
	for _, name := range []string{"base", "csrf", "outer", "inner", "deep"} {
		if !has("uses", name) {
			t.Errorf("page uses lacks %q", name)
		}
	}
	if has("uses", "other") || has("plain", "outer") || has("plain", "inner") || has("plain", "other") {
		t.Error("a page got partials it does not call")
	}
	for page, want := range map[string]string{"uses": "<main><outer><inner></inner></outer></main>[csrf]", "plain": "<main>plain</main>[csrf]"} {
		var b bytes.Buffer
		if err := v.pages[page].ExecuteTemplate(&b, "base", nil); err != nil || b.String() != want {
			t.Errorf("%s rendered %q (%v), want %q", page, b.String(), err, want)
		}
	}
}
