package cibstore

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const sample = `<cib admin_epoch="0" epoch="5" num_updates="2" have_quorum="true">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <primitive id="ip1" class="ocf" provider="heartbeat" type="IPaddr">
        <instance_attributes id="ip1-ia"><nvpair id="ip1-ip" name="ip" value="198.51.100.10"/></instance_attributes>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="n1" uname="n1"/>
  </status>
</cib>`

func mustParse(t *testing.T, s string) *Doc {
	t.Helper()
	d, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustPath(t *testing.T, s string) Path {
	t.Helper()
	p, err := ParsePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func elem(t *testing.T, s string) *Node {
	t.Helper()
	n, err := ParseNode(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVersionCompare(t *testing.T) {
	cases := []struct {
		a, b Version
		want int
	}{
		{Version{0, 0, 0}, Version{0, 0, 0}, 0},
		{Version{0, 1, 0}, Version{0, 0, 99}, 1},
		{Version{1, 0, 0}, Version{0, 99, 99}, 1},
		{Version{0, 5, 2}, Version{0, 5, 3}, -1},
		{Version{2, 5, 2}, Version{2, 6, 0}, -1},
	}
	for _, c := range cases {
		if got := c.a.Compare(c.b); got != c.want {
			t.Errorf("%v vs %v = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := c.b.Compare(c.a); got != -c.want {
			t.Errorf("%v vs %v = %d, want %d", c.b, c.a, got, -c.want)
		}
		if c.a.Newer(c.b) != (c.want > 0) {
			t.Errorf("Newer(%v,%v) wrong", c.a, c.b)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, s := range []string{"0.0.0", "1.22.333", "18446744073709551615.0.1"} {
		v, err := ParseVersion(s)
		if err != nil || v.String() != s {
			t.Errorf("%q: %v %v", s, v, err)
		}
	}
	for _, s := range []string{"", "1", "1.2", "1.2.", "1..3", "a.b.c", "1.2.3.4", "-1.2.3", "1.2.3 "} {
		if _, err := ParseVersion(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestParsePath(t *testing.T) {
	good := map[string]Path{
		"/cib": {{Name: "cib"}},
		"/cib/configuration/resources/primitive[@id='ip1']": {{Name: "cib"}, {Name: "configuration"}, {Name: "resources"}, {Name: "primitive", ID: "ip1"}},
		`/cib/status/node_state[@id="n'1"]`:                 {{Name: "cib"}, {Name: "status"}, {Name: "node_state", ID: "n'1"}},
	}
	for s, want := range good {
		p, err := ParsePath(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if len(p) != len(want) {
			t.Errorf("%q: %v", s, p)
			continue
		}
		for i := range p {
			if p[i] != want[i] {
				t.Errorf("%q step %d: %v want %v", s, i, p[i], want[i])
			}
		}
		if p2, err := ParsePath(p.String()); err != nil || p2.String() != p.String() {
			t.Errorf("%q: round trip %q %v", s, p.String(), err)
		}
	}
	for _, s := range []string{"", "cib", "/", "/cib/", "/status", "/cib[@id='x']", "/cib/a[@id='']", "/cib/a[@id='x'", "/cib/a[@name='x']",
		"/cib/a[@id='x\"]", "/cib/a[@id='x']b", "/cib//a", "/cib/a b"} {
		if _, err := ParsePath(s); !errors.Is(err, ErrBadPath) {
			t.Errorf("%q: err %v", s, err)
		}
	}
}

func TestParseDoc(t *testing.T) {
	d := mustParse(t, sample)
	if v := d.Version(); v != (Version{0, 5, 2}) {
		t.Fatalf("version %v", v)
	}
	d2 := mustParse(t, string(d.Bytes()))
	if !d.Equal(d2) || !bytes.Equal(d.Bytes(), d2.Bytes()) {
		t.Fatal("round trip changed the document")
	}
	if _, err := Parse([]byte(`<cob/>`)); !errors.Is(err, ErrNotCIB) {
		t.Errorf("cob: %v", err)
	}
	for _, s := range []string{``, `<cib>`, `<cib/><cib/>`, `<cib epoch="x"/>`, `<cib/>junk`} {
		if _, err := Parse([]byte(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if v := mustParse(t, `<cib/>`).Version(); v != (Version{}) {
		t.Errorf("bare cib version %v", v)
	}
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	if _, err := ParseNode(strings.NewReader(deep)); err == nil {
		t.Error("deep nesting accepted")
	}
}

func TestApplyBumpRules(t *testing.T) {
	base := mustParse(t, sample)
	cases := []struct {
		name  string
		ops   []Op
		want  Version
		err   error
		check func(t *testing.T, d *Doc)
	}{
		{"status update", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/status/node_state[@id='n1']"), Node: elem(t, `<node_state id="n1" uname="n1" crmd="online"/>`)}},
			Version{0, 5, 3}, nil, func(t *testing.T, d *Doc) {
				if v, _ := d.root.Child("status", "").Child("node_state", "n1").Attr("crmd"); v != "online" {
					t.Error("not applied")
				}
			}},
		{"status add", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/status/node_state[@id='n2']"), Node: elem(t, `<node_state id="n2"/>`)}},
			Version{0, 5, 3}, nil, func(t *testing.T, d *Doc) {
				if len(d.root.Child("status", "").Children) != 2 {
					t.Error("not appended")
				}
			}},
		{"config change", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='ip2']"), Node: elem(t, `<primitive id="ip2" class="ocf" type="Dummy"/>`)}},
			Version{0, 6, 0}, nil, nil},
		{"config+status", []Op{
			{Kind: OpDelete, Path: mustPath(t, "/cib/status/node_state[@id='n1']")},
			{Kind: OpDelete, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='ip1']")}},
			Version{0, 6, 0}, nil, func(t *testing.T, d *Doc) {
				if len(d.root.Child("configuration", "").Child("resources", "").Children) != 0 {
					t.Error("not deleted")
				}
			}},
		{"root attrs", []Op{{Kind: OpAttrs, Path: mustPath(t, "/cib"), Node: &Node{Name: "cib", Attrs: []Attr{{"epoch", "99"}, {"dc-uuid", "n1"}}}}},
			Version{0, 6, 0}, nil, func(t *testing.T, d *Doc) {
				if v, _ := d.root.Attr("dc-uuid"); v != "n1" {
					t.Error("attr not set")
				}
				if _, ok := d.root.Attr("have_quorum"); ok {
					t.Error("attr kept")
				}
			}},
		{"delete absent is no change", []Op{{Kind: OpDelete, Path: mustPath(t, "/cib/status/node_state[@id='zz']")}}, Version{}, ErrNoChange, nil},
		{"same content is no change", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/status/node_state[@id='n1']"), Node: elem(t, `<node_state id="n1" uname="n1"/>`)}}, Version{}, ErrNoChange, nil},
		{"no ops", nil, Version{}, ErrNoChange, nil},
		{"missing parent", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/nope/primitive[@id='x']"), Node: elem(t, `<primitive id="x"/>`)}}, Version{}, ErrBadOp, nil},
		{"id mismatch", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='x']"), Node: elem(t, `<primitive id="y"/>`)}}, Version{}, ErrBadOp, nil},
		{"replace root", []Op{{Kind: OpReplace, Path: mustPath(t, "/cib"), Node: elem(t, `<cib/>`)}}, Version{}, ErrBadOp, nil},
		{"unknown kind", []Op{{Kind: "frob", Path: mustPath(t, "/cib/status")}}, Version{}, ErrBadOp, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nd, p, err := Apply(base, c.ops, nil)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if nd.Version() != c.want || p.To != c.want || p.From != base.Version() {
				t.Fatalf("version %v patch %v->%v, want %v", nd.Version(), p.From, p.To, c.want)
			}
			if c.check != nil {
				c.check(t, nd)
			}
			if base.Version() != (Version{0, 5, 2}) {
				t.Fatal("base modified")
			}
			// The patch replays on the base to the same document.
			rd, err := ApplyPatch(base, p)
			if err != nil || !rd.Equal(nd) {
				t.Fatalf("replay: %v", err)
			}
		})
	}
}

func TestValidatorRefuses(t *testing.T) {
	base := mustParse(t, sample)
	refuse := errors.New("primitive without class")
	v := func(d *Doc) error {
		for _, p := range d.root.Child("configuration", "").Child("resources", "").Children {
			if _, ok := p.Attr("class"); !ok {
				return refuse
			}
		}
		return nil
	}
	ok := []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='a']"), Node: elem(t, `<primitive id="a" class="lsb"/>`)}}
	bad := []Op{{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='a']"), Node: elem(t, `<primitive id="a"/>`)}}
	if _, _, err := Apply(base, ok, v); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Apply(base, bad, v); !errors.Is(err, ErrInvalid) || !errors.Is(err, refuse) {
		t.Fatalf("err %v", err)
	}
}

func TestApplyPatchVersionMismatch(t *testing.T) {
	base := mustParse(t, sample)
	_, p, err := Apply(base, []Op{{Kind: OpDelete, Path: mustPath(t, "/cib/status/node_state[@id='n1']")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := base.WithVersion(Version{0, 5, 1})
	if _, err := ApplyPatch(other, p); !errors.Is(err, ErrVersionMismatch) {
		t.Fatalf("err %v", err)
	}
	back := p
	back.To = p.From
	if _, err := ApplyPatch(base, back); err == nil {
		t.Fatal("patch not moving forward accepted")
	}
}

func TestPatchMarshalRoundTrip(t *testing.T) {
	base := mustParse(t, sample)
	ops := []Op{
		{Kind: OpReplace, Path: mustPath(t, "/cib/configuration/resources/primitive[@id='ip1']"), Node: elem(t, `<primitive id="ip1" class="ocf" type="IPaddr2"/>`)},
		{Kind: OpDelete, Path: mustPath(t, "/cib/status/node_state[@id='n1']")},
		{Kind: OpAttrs, Path: mustPath(t, "/cib"), Node: &Node{Name: "cib", Attrs: []Attr{{"x", `a"<&>b`}}}},
	}
	nd, p, err := Apply(base, ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := ParsePatch(p.Marshal())
	if err != nil {
		t.Fatalf("%v\n%s", err, p.Marshal())
	}
	if !bytes.Equal(p2.Marshal(), p.Marshal()) {
		t.Fatal("marshal not stable")
	}
	rd, err := ApplyPatch(base, p2)
	if err != nil || !rd.Equal(nd) {
		t.Fatalf("replay of parsed patch: %v", err)
	}
	for _, s := range []string{`<x/>`, `<cib_patch from="1" to="0.0.1"/>`, `<cib_patch from="0.0.0" to="0.0.1"><frob path="/cib"/></cib_patch>`,
		`<cib_patch from="0.0.0" to="0.0.1"><delete path="/cib/a"><x/></delete></cib_patch>`,
		`<cib_patch from="0.0.0" to="0.0.1"><replace path="/cib/a"/></cib_patch>`,
		`<cib_patch from="0.0.0" to="0.0.1"><delete path="cib/a"/></cib_patch>`} {
		if _, err := ParsePatch([]byte(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// randDoc builds a random CIB over a small alphabet so that two draws share
// many elements.
func randDoc(r *rand.Rand) *Doc {
	d := Empty()
	root := d.root
	if r.IntN(3) == 0 {
		root.SetAttr("have_quorum", strconv.Itoa(r.IntN(2)))
	}
	if r.IntN(4) == 0 {
		root.Children = append(root.Children, &Node{Name: "extra", Attrs: []Attr{{"id", "e"}}})
	}
	if r.IntN(6) == 0 {
		root.Children[0], root.Children[1] = root.Children[1], root.Children[0]
	}
	for _, sec := range root.Children {
		targets := sec.Children
		if len(targets) == 0 {
			targets = []*Node{sec}
		}
		for _, tg := range targets {
			perm := r.Perm(6)
			for _, i := range perm[:r.IntN(6)] {
				c := &Node{Name: "item", Attrs: []Attr{{"id", "i" + strconv.Itoa(i)}, {"v", strconv.Itoa(r.IntN(3))}}}
				if r.IntN(10) == 0 {
					c.Attrs[0].Value = "dup"
				}
				tg.Children = append(tg.Children, c)
			}
			if r.IntN(8) == 0 {
				tg.SetAttr("flag", "1")
			}
		}
	}
	return d
}

// TestDiffProperty: for random pairs, Diff(a, b) applied to a gives b.
func TestDiffProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		a, b := randDoc(r), randDoc(r)
		ops := Diff(a, b)
		p := Patch{From: a.Version(), To: a.Version().bumpConfig(), Ops: ops}
		got, err := ApplyPatch(a, p)
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		if !got.WithVersion(Version{}).Equal(b.WithVersion(Version{})) {
			t.Fatalf("#%d: diff did not reproduce b\nA:\n%s\nB:\n%s\nGOT:\n%s\nPATCH:\n%s", i, a.Bytes(), b.Bytes(), got.Bytes(), p.Marshal())
		}
		if a.Equal(b) && len(ops) != 0 {
			t.Fatalf("#%d: ops for equal docs", i)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "crm")
	if _, err := Load(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("empty dir: %v", err)
	}
	d := mustParse(t, sample)
	if err := Save(dir, d); err != nil {
		t.Fatal(err)
	}
	sig, _ := os.ReadFile(filepath.Join(dir, SigName))
	if string(sig) != d.Digest() || len(sig) != 32 {
		t.Fatalf("sig %q", sig)
	}
	if st, _ := os.Stat(filepath.Join(dir, FileName)); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	l, err := Load(dir)
	if err != nil || l.Unsigned || !l.Doc.Equal(d) {
		t.Fatalf("load: %+v %v", l, err)
	}
	// A second save keeps the first as .last.
	d2 := d.WithVersion(Version{0, 6, 0})
	if err := Save(dir, d2); err != nil {
		t.Fatal(err)
	}
	last, _ := os.ReadFile(filepath.Join(dir, LastName))
	if !bytes.Equal(last, d.Bytes()) {
		t.Error("cib.xml.last is not the previous copy")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	// A hand edit is detected and kept aside.
	p := filepath.Join(dir, FileName)
	b, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(b, []byte("IPaddr"), []byte("IPaddr2"), 1), 0o600)
	_, err = Load(dir)
	if !errors.Is(err, ErrDigestMismatch) || !strings.Contains(err.Error(), "cib.xml.bad-0") {
		t.Fatalf("tampered: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName+".bad-0")); err != nil {
		t.Error("bad copy not kept")
	}
	if _, err := os.Stat(filepath.Join(dir, SigName+".bad-0")); err != nil {
		t.Error("bad sig not kept")
	}
	if _, err := Load(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after move aside: %v", err)
	}
	// A file without sig (haresources2cib output) is accepted, flagged.
	os.WriteFile(p, []byte(sample), 0o600)
	l, err = Load(dir)
	if err != nil || !l.Unsigned || l.Doc.Version() != (Version{0, 5, 2}) {
		t.Fatalf("unsigned: %+v %v", l, err)
	}
	// Garbage with a matching sig is refused and kept aside too.
	os.WriteFile(p, []byte("<cib"), 0o600)
	os.WriteFile(filepath.Join(dir, SigName), []byte(Digest([]byte("<cib"))), 0o600)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "bad-1") {
		t.Fatalf("garbage: %v", err)
	}
}

func TestForDiskDropsStatus(t *testing.T) {
	d := mustParse(t, sample)
	f := d.ForDisk()
	if f.Version() != d.Version() {
		t.Fatal("version changed")
	}
	st := f.root.Child(SectionStatus, "")
	if st == nil || len(st.Children) != 0 {
		t.Fatal("status not emptied")
	}
	if len(d.root.Child(SectionStatus, "").Children) != 1 {
		t.Fatal("original modified")
	}
	if !f.root.Child(SectionConfiguration, "").Equal(d.root.Child(SectionConfiguration, "")) {
		t.Fatal("configuration changed")
	}
}

// TestLoadRecoversTornSave: a crash after cib.xml was replaced but before
// cib.xml.sig was leaves the old sig; the previous copy (cib.xml.last)
// matches it and is used.
func TestLoadRecoversTornSave(t *testing.T) {
	dir := t.TempDir()
	a := mustParse(t, sample)
	if err := Save(dir, a); err != nil {
		t.Fatal(err)
	}
	b := a.WithVersion(Version{0, 9, 0})
	// Save b by hand up to the torn point: .last and cib.xml, not the sig.
	if err := writeAtomic(dir, LastName, a.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(dir, FileName, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil || l.Recovered == "" || !l.Doc.Equal(a) {
		t.Fatalf("load: %+v %v", l, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName+".bad-0")); err != nil {
		t.Error("torn copy not kept aside")
	}
	// The consistent pair is back in place.
	l, err = Load(dir)
	if err != nil || l.Recovered != "" || !l.Doc.Equal(a) {
		t.Fatalf("second load: %+v %v", l, err)
	}
}

func TestFromNode(t *testing.T) {
	d := mustParse(t, sample)
	d2, err := FromNode(d.Root())
	if err != nil || !d2.Equal(d) {
		t.Fatalf("FromNode: %v", err)
	}
	if _, err := FromNode(&Node{Name: "x"}); !errors.Is(err, ErrNotCIB) {
		t.Fatalf("x: %v", err)
	}
	if _, err := FromNode(nil); !errors.Is(err, ErrNotCIB) {
		t.Fatalf("nil: %v", err)
	}
}
