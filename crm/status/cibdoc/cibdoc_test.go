package cibdoc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `<?xml version="1.0"?>
<cib epoch="3" num_updates="7" admin_epoch="0" validate-with="pacemaker-3.0">
  <configuration>
    <crm_config/>
    <nodes>
      <node id="101" uname="alpha"/>
      <node id="102" uname="beta"><instance_attributes id="nodes-102"><nvpair id="nodes-102-standby" name="standby" value="on"/></instance_attributes></node>
    </nodes>
    <resources><primitive id="r&amp;1" class="ocf" provider="heartbeat" type="Dummy"/></resources>
    <constraints/>
  </configuration>
  <status/>
</cib>`

func TestRoundTripKeepsContent(t *testing.T) {
	root, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse([]byte(root.String()))
	if err != nil {
		t.Fatal(err)
	}
	if root.String() != again.String() {
		t.Fatalf("round trip changed the document:\n%s\n---\n%s", root, again)
	}
	if got := root.FindID("r&1"); got == nil || got.Attr("type") != "Dummy" {
		t.Fatalf("escaped id lost: %v", got)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "<cib>", "<a/><b/>", "text only"} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err=%v, want ErrMalformed", in, err)
		}
	}
}

func TestAttrEdits(t *testing.T) {
	root, _ := Parse([]byte(sample))
	cases := []struct {
		ref     AttrRef
		value   string
		wantID  string
		wantErr error
	}{
		{AttrRef{Scope: ScopeCRMConfig, Name: "stonith-enabled"}, "false", "cib-bootstrap-options-stonith-enabled", nil},
		{AttrRef{Scope: ScopeNodes, Node: "alpha", Name: "standby"}, "on", "nodes-101-standby", nil},
		{AttrRef{Scope: ScopeNodes, Node: "beta", Name: "standby"}, "off", "nodes-102-standby", nil},
		{AttrRef{Scope: ScopeStatus, Node: "beta", Name: "probe"}, "1", "status-102-probe", nil},
		{AttrRef{Scope: ScopeNodes, Node: "gamma", Name: "x"}, "1", "", ErrNoNode},
	}
	for _, c := range cases {
		p, err := SetAttr(root, c.ref, c.value)
		if !errors.Is(err, c.wantErr) {
			t.Fatalf("%+v: err=%v want %v", c.ref, err, c.wantErr)
		}
		if err != nil {
			continue
		}
		if p.Attr("id") != c.wantID {
			t.Errorf("%+v: id %q, want %q", c.ref, p.Attr("id"), c.wantID)
		}
		v, _, err := GetAttr(root, c.ref)
		if err != nil || v != c.value {
			t.Errorf("%+v: get %q %v", c.ref, v, err)
		}
	}
	if ns := root.Child("status").All("node_state"); len(ns) != 1 || ns[0].Attr("id") != "102" {
		t.Fatalf("status node_state not created for beta: %s", root.Child("status"))
	}
	del, err := DeleteAttr(root, AttrRef{Scope: ScopeNodes, Node: "beta", Name: "standby"})
	if err != nil || len(del) != 1 {
		t.Fatalf("delete: %v %d", err, len(del))
	}
	if _, _, err := GetAttr(root, AttrRef{Scope: ScopeNodes, Node: "beta", Name: "standby"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted attribute still found: %v", err)
	}
}

func TestCommitBumpsOnlyOnChange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cib.xml")
	if err := os.WriteFile(path, []byte(sample), 0o640); err != nil {
		t.Fatal(err)
	}
	src := FileSource{Path: path}
	root, _ := src.Load()
	before := root.String()
	if err := Commit(src, before, root, ConfigChange); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != sample {
		t.Fatal("an unchanged document was rewritten")
	}
	SetAttr(root, AttrRef{Scope: ScopeStatus, Node: "alpha", Name: "a"}, "1")
	if err := Commit(src, before, root, StatusChange); err != nil {
		t.Fatal(err)
	}
	root, _ = src.Load()
	if root.Attr("epoch") != "3" || root.Attr("num_updates") != "8" {
		t.Fatalf("status change: epoch=%s num_updates=%s", root.Attr("epoch"), root.Attr("num_updates"))
	}
	before = root.String()
	SetAttr(root, AttrRef{Scope: ScopeCRMConfig, Name: "x"}, "1")
	if err := Commit(src, before, root, ConfigChange); err != nil {
		t.Fatal(err)
	}
	root, _ = src.Load()
	if root.Attr("epoch") != "4" || root.Attr("num_updates") != "0" {
		t.Fatalf("config change: epoch=%s num_updates=%s", root.Attr("epoch"), root.Attr("num_updates"))
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Fatalf("mode changed to %v", st.Mode().Perm())
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".cib-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`<cib><status><node_state id="1"/></status></cib>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := Parse(data)
		if err != nil {
			return
		}
		out := root.String()
		again, err := Parse([]byte(out))
		if err != nil {
			t.Fatalf("rendered document does not parse: %v\n%s", err, out)
		}
		if again.String() != out {
			t.Fatalf("render not stable:\n%s\n---\n%s", out, again.String())
		}
		if strings.Count(out, "<") == 0 {
			t.Fatal("empty rendering")
		}
	})
}

// memSource is an in-memory Source standing in for a daemon client.
type memSource struct{ root *Element }

func (m *memSource) Load() (*Element, error) { return Parse([]byte(m.root.String())) }
func (m *memSource) Store(r *Element) error  { m.root = r; return nil }

func TestFromEnvPrefersFileThenLive(t *testing.T) {
	live := &memSource{}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if _, err := FromEnv(getenv, nil); !errors.Is(err, ErrNoSource) {
		t.Fatalf("no source: %v", err)
	}
	if src, err := FromEnv(getenv, live); err != nil || src != Source(live) {
		t.Fatalf("live: %v %v", src, err)
	}
	env["CIB_file"] = "/x/cib.xml"
	if src, err := FromEnv(getenv, live); err != nil || src != Source(FileSource{Path: "/x/cib.xml"}) {
		t.Fatalf("file: %v %v", src, err)
	}
}
