package cibstore

import (
	"bytes"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`<cib/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		d2, err := Parse(d.Bytes())
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, d.Bytes())
		}
		if !bytes.Equal(d2.Bytes(), d.Bytes()) {
			t.Fatalf("canonical form not stable:\n%s\n%s", d.Bytes(), d2.Bytes())
		}
		if d2.Version() != d.Version() {
			t.Fatal("version changed")
		}
	})
}

func FuzzParsePatch(f *testing.F) {
	f.Add([]byte(`<cib_patch from="0.1.2" to="0.2.0"><replace path="/cib/configuration/resources/primitive[@id='a']"><primitive id="a"/></replace><delete path="/cib/status/node_state[@id='n1']"/></cib_patch>`))
	f.Add([]byte(`<cib_patch from="0.1.2" to="0.1.3"><attrs path="/cib"><cib x="1"/></attrs></cib_patch>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePatch(b)
		if err != nil {
			return
		}
		p2, err := ParsePatch(p.Marshal())
		if err != nil {
			t.Fatalf("marshalled patch does not parse: %v\n%s", err, p.Marshal())
		}
		if !bytes.Equal(p2.Marshal(), p.Marshal()) {
			t.Fatal("patch form not stable")
		}
		// Applying must never panic, whatever the ops.
		base := Empty().WithVersion(p.From)
		_, _ = ApplyPatch(base, p)
		_, _, _ = Apply(base, p.Ops, nil)
	})
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"/cib", "/cib/status/node_state[@id='n1']", `/cib/a[@id="x'y"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		p2, err := ParsePath(p.String())
		if err != nil || p2.String() != p.String() {
			t.Fatalf("%q -> %q: %v", s, p.String(), err)
		}
	})
}
