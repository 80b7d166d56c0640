package crmsh

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that any text the parser accepts shows as text that
// parses back to the same objects, and that errors are SyntaxErrors.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.crm")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"location l r rule $id=x $role=Master pingd: defined pingd or #uname ne alpha",
		"location l r rule 10: date in_range start=2020-01-01 years=1 and date date_spec hours=9-16",
		`node 1: a:member attributes standby=on utilization cpu=2`,
		`order o Serialize: a:stop b:demote symmetrical=false`,
		`xml <rsc_ticket id="t" rsc="r" ticket="tk"/>`,
		`primitive a @tmpl params x="a \" b" op monitor interval=1 op_params depth=1 op_meta m=2`,
		"property\tx='y z'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		objs, err := Parse(text)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error is not a SyntaxError: %T %v", err, err)
			}
			return
		}
		shown := Show(objs)
		back, err := Parse(shown)
		if err != nil {
			t.Fatalf("show output does not parse: %v\n%s", err, shown)
		}
		// every object comes back, the same, except members of a container
		// that fell back to xml, which come back through the container
		byID := map[string][]*Object{}
		for _, o := range back {
			byID[o.ID] = append(byID[o.ID], o)
		}
		for _, o := range objs {
			found := false
			for _, b := range byID[o.ID] {
				found = found || Same(o, b)
			}
			if !found && o.Kind != KindProperty && o.Kind != KindRscDefaults && o.Kind != KindOpDefaults {
				t.Fatalf("object %s %s changed through show:\n%s\nshown:\n%s", o.Kind, o.ID, compact(o.Elem), shown)
			}
		}
	})
}
