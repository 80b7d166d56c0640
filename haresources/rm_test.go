package haresources

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMatchesResourceManager compares the groups with those the real 3.0.6
// ResourceManager reads from the same file (testdata/rm/*.rm: its
// "otherkeys" output, one line per group without the node). Where Parse
// warns that ResourceManager would do something else, it must say so; the
// divergent cases are pinned in TestParseGroups.
func TestMatchesResourceManager(t *testing.T) {
	files, err := filepath.Glob("testdata/rm/*.haresources")
	if err != nil || len(files) < 40 {
		t.Fatalf("expected the recorded cases, found %d (%v)", len(files), err)
	}
	compared := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".haresources")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, err := os.ReadFile(strings.TrimSuffix(f, ".haresources") + ".rm")
			if err != nil {
				t.Fatal(err)
			}
			groups, probs := Parse(strings.NewReader(string(in)), "haresources")
			for _, p := range probs.Warnings() {
				if strings.Contains(p.Msg, "hbgo") {
					t.Skipf("divergence announced: %v", p)
				}
			}
			var want [][]string
			for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
				if string(out) == "" {
					break
				}
				var toks []string
				for _, w := range strings.Fields(l) {
					toks = append(toks, ParseResource(w).Raw)
				}
				want = append(want, toks)
			}
			if len(groups) != len(want) {
				t.Fatalf("%d groups, ResourceManager has %d:\n%q\n%+v", len(groups), len(want), want, groups)
			}
			for i, g := range groups {
				var got []string
				for _, r := range g.Resources {
					got = append(got, r.Raw)
				}
				if strings.Join(got, " ") != strings.Join(want[i], " ") {
					t.Errorf("group %d (line %d): %q, ResourceManager: %q", i, g.Line, got, want[i])
				}
			}
			compared++
		})
	}
	if compared < 30 {
		t.Errorf("only %d files compared", compared)
	}
}
