package crmsh

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hbgo/crm/status/cibdoc"
	"hbgo/internal/testenv"
)

// configCanon is the canonical text of the configuration sections the
// language covers. Show groups objects by kind, so the order of top-level
// resources and of constraints does not count.
func configCanon(root *cibdoc.Element) string {
	var b strings.Builder
	c := root.Child("configuration")
	if c == nil {
		return ""
	}
	for _, name := range []string{"nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults"} {
		s := c.Child(name)
		if s == nil || len(s.Children) == 0 {
			continue
		}
		var parts []string
		for _, ch := range s.Children {
			parts = append(parts, Canonical(ch))
		}
		if name == "resources" || name == "constraints" {
			sort.Strings(parts)
		}
		b.WriteString("<" + name + ">" + strings.Join(parts, "") + "</" + name + ">")
	}
	return b.String()
}

// TestCorpusRoundTrip shows every CIB of the Pacemaker scheduler corpus,
// parses the text back into an empty configuration and checks the XML is
// the same (up to generated pair and expression ids), counting how many
// objects needed the xml form.
func TestCorpusRoundTrip(t *testing.T) {
	shared := testenv.SharedDir(t)
	files, _ := filepath.Glob(filepath.Join(shared, "scheduler", "cases", "*", "input.xml"))
	if len(files) == 0 {
		t.Skip("no scheduler corpus")
	}
	objects, asXML := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := cibdoc.Parse(data)
		if err != nil {
			continue
		}
		objs := Objects(root)
		text := Show(objs)
		back, err := Parse(text)
		if err != nil {
			t.Errorf("%s: show output does not parse: %v\n%s", f, err, text)
			continue
		}
		for _, l := range ShowEach(objs) {
			objects++
			if strings.HasPrefix(l, "xml ") {
				asXML++
			}
		}
		fresh := root.Clone()
		for _, name := range []string{"nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults"} {
			if c := fresh.Child("configuration"); c != nil && c.Child(name) != nil {
				c.Child(name).Remove()
			}
		}
		if err := Replace(fresh, back); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if got, want := configCanon(fresh), configCanon(root); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			from := max(0, i-200)
			t.Errorf("%s: round trip changed the configuration at %d\ngot:  %s\nwant: %s", f, i, got[from:min(len(got), i+200)], want[from:min(len(want), i+200)])
		}
	}
	t.Logf("%d CIBs, %d statements, %d shown as xml", len(files), objects, asXML)
}

// TestCorpusUnchangedEditKeepsXML replaces every corpus configuration with
// its own show text, as an edit that changes nothing would: the document
// must stay byte for byte the same.
func TestCorpusUnchangedEditKeepsXML(t *testing.T) {
	shared := testenv.SharedDir(t)
	files, _ := filepath.Glob(filepath.Join(shared, "scheduler", "cases", "*", "input.xml"))
	if len(files) == 0 {
		t.Skip("no scheduler corpus")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := cibdoc.Parse(data)
		if err != nil {
			continue
		}
		back, err := Parse(Show(Objects(root)))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		again := root.Clone()
		if err := Replace(again, back); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if a, b := again.String(), root.String(); a != b {
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			from := max(0, i-300)
			t.Errorf("%s: changed at %d\ngot:  %s\nwant: %s", f, i, a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
		}
	}
}
