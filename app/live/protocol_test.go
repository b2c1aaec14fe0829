package live

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// jsonFields lists the top-level JSON names of a message struct, as encoding/json sees them:
// fields of embedded structs count as the outer struct's.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			out = append(out, jsonFields(et)...)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// docMessages reads the table of server messages in docs/live-protocol.md: each type with
// its fields.
func docMessages(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/live-protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "## Messages (server → client)")
	if start < 0 {
		t.Fatal(`docs/live-protocol.md has no "## Messages (server → client)" section`)
	}
	section := doc[start+3:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	code := regexp.MustCompile("`([a-z_]+)`")
	out := map[string][]string{}
	for line := range strings.SplitSeq(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		typ := code.FindStringSubmatch(cells[1])[1]
		if _, dup := out[typ]; dup {
			t.Errorf("docs/live-protocol.md lists %q twice", typ)
		}
		out[typ] = []string{}
		for _, m := range code.FindAllStringSubmatch(cells[3], -1) {
			out[typ] = append(out[typ], m[1])
		}
	}
	return out
}

func TestProtocolDocAndOutboundTypesAgree(t *testing.T) {
	doc := docMessages(t)
	if len(doc) == 0 {
		t.Fatal("no message rows found in docs/live-protocol.md")
	}
	for typ, msg := range outbound {
		fields := jsonFields(reflect.TypeOf(msg))
		if !slices.Contains(fields, "type") {
			t.Errorf("%s (%T) has no type field", typ, msg)
		}
		fields = slices.DeleteFunc(fields, func(f string) bool { return f == "type" })
		documented, ok := doc[typ]
		if !ok {
			t.Errorf("message %q (%T) is not in docs/live-protocol.md", typ, msg)
			continue
		}
		slices.Sort(fields)
		slices.Sort(documented)
		if !slices.Equal(fields, documented) {
			t.Errorf("message %q: the Go struct %T has fields %v, the documentation %v", typ, msg, fields, documented)
		}
	}
	for typ := range doc {
		if _, ok := outbound[typ]; !ok {
			t.Errorf("docs/live-protocol.md lists %q, which protocol.go does not send", typ)
		}
	}
}
