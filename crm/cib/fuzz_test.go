package cib

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParse checks that no input makes the parser panic and that what it
// accepts has the invariants later stages rely on.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/small.xml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<cib><configuration/></cib>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range c.Resources {
			if r.ID == "" {
				t.Fatal("resource without id accepted")
			}
			if r.Kind == Primitive && (r.Class == "" || r.Type == "") {
				t.Fatal("primitive without class/type accepted")
			}
		}
		for _, l := range c.Locations {
			for i := range l.Rules {
				l.Rules[i].Eval(&RuleContext{NodeAttrs: map[string]string{"#uname": "n"}})
			}
		}
	})
}
