package crmsh

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hbgo/crm/status/cibdoc"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func loadBase(t *testing.T) *cibdoc.Element {
	t.Helper()
	data, err := os.ReadFile("testdata/base.xml")
	if err != nil {
		t.Fatal(err)
	}
	root, err := cibdoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// build applies a crm script to the base CIB.
func build(t *testing.T, name string) *cibdoc.Element {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name+".crm"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	root := loadBase(t)
	if err := Add(root, objs); err != nil {
		t.Fatal(err)
	}
	return root
}

// exactConfig lists the configuration's top-level elements exactly, ids
// included; only the order of resources and of constraints is ignored
// (show groups them by kind).
func exactConfig(root *cibdoc.Element) string {
	var out []string
	c := root.Child("configuration")
	for _, name := range []string{"nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults"} {
		s := c.Child(name)
		if s == nil || len(s.Children) == 0 {
			continue
		}
		var parts []string
		for _, ch := range s.Children {
			parts = append(parts, ch.String())
		}
		if name == "resources" || name == "constraints" {
			sort.Strings(parts)
		}
		out = append(out, name+":\n"+strings.Join(parts, ""))
	}
	return strings.Join(out, "")
}

// emptyConfig is root with the sections the language covers removed.
func emptyConfig(root *cibdoc.Element) *cibdoc.Element {
	fresh := root.Clone()
	for _, name := range []string{"nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults"} {
		if c := fresh.Child("configuration"); c.Child(name) != nil {
			c.Child(name).Remove()
		}
	}
	return fresh
}

// TestShowGolden builds the classic guide configurations with crm
// statements, checks `show` against the golden text and that parsing the
// text gives exactly the same XML, ids included.
func TestShowGolden(t *testing.T) {
	for _, name := range []string{"webserver", "drbd", "stonith", "sets"} {
		t.Run(name, func(t *testing.T) {
			root := build(t, name)
			got := Show(Objects(root))
			golden := filepath.Join("testdata", "golden", name+".show")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("show differs from %s:\n%s", golden, got)
			}
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("show output does not parse: %v", err)
			}
			fresh := emptyConfig(root)
			if err := Replace(fresh, back); err != nil {
				t.Fatal(err)
			}
			if a, b := exactConfig(fresh), exactConfig(root); a != b {
				t.Errorf("show -> parse changed the XML:\n%s\n---\n%s", a, b)
			}
			if strings.Contains(got, "\nxml ") {
				t.Errorf("a classic object fell back to xml:\n%s", got)
			}
		})
	}
}

func TestShowFallsBackToXML(t *testing.T) {
	root := loadBase(t)
	objs, err := Parse(`xml <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m" score="5"><nvpair id="m1" name="x" value="1"/></meta_attributes></primitive>
primitive b ocf:heartbeat:Dummy
group g b meta $id=gm
xml <rsc_order id="o" kind="Mandatory"><resource_set id="s1"><resource_ref id="a"/><resource_ref id="b"/></resource_set></rsc_order>`)
	if err != nil {
		t.Fatal(err)
	}
	if err := Add(root, objs); err != nil {
		t.Fatal(err)
	}
	got := Show(Objects(root))
	want := `node alpha
node beta
xml <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m" score="5"><nvpair id="m1" name="x" value="1"/></meta_attributes></primitive>
primitive b ocf:heartbeat:Dummy
group g b \
	meta $id=gm
xml <rsc_order id="o" kind="Mandatory"><resource_set id="s1"><resource_ref id="a"/><resource_ref id="b"/></resource_set></rsc_order>
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if text, ok := ShowObject(Objects(root), "g"); !ok || text != "group g b \\\n\tmeta $id=gm" {
		t.Errorf("ShowObject(g) = %q %v", text, ok)
	}
}

func TestAddChecks(t *testing.T) {
	cases := []struct {
		name, text string
		want       error
	}{
		{"duplicate id", "primitive a Dummy\nprimitive a Dummy", ErrExists},
		{"id of a node taken", "primitive alpha Dummy", ErrExists},
		{"new node with an existing name", "node 7: alpha", ErrExists},
		{"group of a missing resource", "group g nothing", ErrNoObject},
		{"member already grouped", "primitive a Dummy\ngroup g a\ngroup h a", ErrInvalid},
		{"clone of a clone", "primitive a Dummy\nclone c a\nclone d c", ErrInvalid},
		{"constraint on a missing resource", "primitive a Dummy\ncolocation c inf: a b", ErrNoObject},
		{"set naming a missing resource", "primitive a Dummy\nprimitive b Dummy\norder o inf: a ( b c )", ErrNoObject},
		{"nested id collides", "primitive a Dummy\nprimitive b Dummy params $id=a-x y=1\nprimitive a-x Dummy", ErrExists},
	}
	for _, c := range cases {
		objs, err := Parse(c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := Add(loadBase(t), objs); !errors.Is(err, c.want) {
			t.Errorf("%s: err=%v, want %v", c.name, err, c.want)
		}
	}
}

func TestAddMergesDefaults(t *testing.T) {
	root := loadBase(t)
	for _, s := range []string{"property stonith-enabled=true", "property stonith-enabled=false no-quorum-policy=ignore",
		"rsc_defaults resource-stickiness=100", "rsc_defaults resource-stickiness=200"} {
		objs, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := Add(root, objs); err != nil {
			t.Fatal(err)
		}
	}
	got := Show(Objects(root))
	want := "node alpha\nnode beta\nproperty cib-bootstrap-options: \\\n\tstonith-enabled=false \\\n\tno-quorum-policy=ignore\nrsc_defaults rsc-options: \\\n\tresource-stickiness=200\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestDelete(t *testing.T) {
	root := build(t, "drbd")
	notes, err := Delete(root, "g_services")
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 3 {
		t.Errorf("notes: %q", notes)
	}
	res := root.Child("configuration").Child("resources")
	var top []string
	for _, c := range res.Children {
		top = append(top, c.Attr("id"))
	}
	if strings.Join(top, " ") != "ms_drbd_r0 p_fs_r0 p_ip p_mysql" {
		t.Errorf("members not released in place: %v", top)
	}
	if _, err := Delete(root, "p_drbd_r0"); err != nil {
		t.Fatal(err)
	}
	if root.FindID("ms_drbd_r0") != nil {
		t.Error("an ms left without its resource was kept")
	}
	if _, err := Delete(root, "p_drbd_r0"); !errors.Is(err, ErrNoObject) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := Delete(root, "p_ip-instance_attributes"); !errors.Is(err, ErrNoObject) {
		t.Errorf("deleting a part: %v", err)
	}
}

func TestReplaceKeepsUnchangedXML(t *testing.T) {
	root := loadBase(t)
	objs, err := Parse(`xml <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="ia"><nvpair id="odd-id" name="x" value="1"/></instance_attributes></primitive>
primitive b Dummy params y=2`)
	if err != nil {
		t.Fatal(err)
	}
	if err := Add(root, objs); err != nil {
		t.Fatal(err)
	}
	text := Show(Objects(root))
	if !strings.Contains(text, "primitive a ocf:heartbeat:Dummy \\\n\tparams $id=ia x=1") {
		t.Fatalf("show:\n%s", text)
	}
	edited, err := Parse(strings.Replace(text, "y=2", "y=3", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replace(root, edited); err != nil {
		t.Fatal(err)
	}
	if root.FindID("odd-id") == nil {
		t.Error("the unchanged primitive lost its pair id")
	}
	if v := root.FindID("b-instance_attributes-y"); v == nil || v.Attr("value") != "3" {
		t.Errorf("edit not applied: %v", v)
	}
	dup, _ := Parse("primitive a Dummy\nprimitive a lsb:x")
	if err := Replace(root, dup); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate ids: %v", err)
	}
	loop, _ := Parse("group g h\ngroup h g")
	if err := Replace(root, loop); !errors.Is(err, ErrInvalid) {
		t.Errorf("groups inside each other: %v", err)
	}
}

func TestPropertyUpdatesWhereSet(t *testing.T) {
	root := loadBase(t)
	objs, _ := Parse("property no-stonith: stonith-enabled=false\nproperty stonith-enabled=true cluster-name=web")
	if err := Add(root, objs); err != nil {
		t.Fatal(err)
	}
	want := "node alpha\nnode beta\nproperty no-stonith: \\\n\tstonith-enabled=true\nproperty cib-bootstrap-options: \\\n\tcluster-name=web\n"
	if got := Show(Objects(root)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
