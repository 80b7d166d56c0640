package haresources

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/internal/testenv"
)

// daemonPath is the name the real daemon gives the file in its messages.
const daemonPath = "/etc/ha.d//haresources"

// realNodes are the nodes of the ha.cf the cases were checked with.
var realNodes = []string{"alpha", "beta"}

// TestRealDaemonVerdicts replays every case recorded with the real daemon
// (testdata/real/*.haresources with its .verdict, ha.cf nodes alpha and
// beta): Parse + CheckNodes must reach the same verdict and say what the
// daemon said.
func TestRealDaemonVerdicts(t *testing.T) {
	files, err := filepath.Glob("testdata/real/*.haresources")
	if err != nil || len(files) < 30 {
		t.Fatalf("expected the recorded cases, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".haresources")
		t.Run(name, func(t *testing.T) {
			want := testenv.ReadVerdict(t, strings.TrimSuffix(f, ".haresources")+".verdict")
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			groups, probs := Parse(in, daemonPath)
			probs = append(probs, CheckNodes(groups, realNodes, daemonPath)...)
			if got := probs.Err() == nil; got != want.Accepted {
				t.Fatalf("accepted=%v, real daemon accepted=%v; problems:\n%v", got, want.Accepted, probs)
			}
			for _, m := range want.Msgs {
				found := false
				for _, p := range probs.Errors() {
					if p.Msg == m {
						found = true
					}
				}
				if !found {
					t.Errorf("daemon said %q; we said:\n%v", m, probs)
				}
			}
			for _, p := range probs {
				if p.Line == 0 || p.Hint == "" {
					t.Errorf("problem without line or hint: %v", p)
				}
			}
		})
	}
}

// TestRealDaemonNodeCase: node names compare without regard to case on
// both sides (ha.cf "node ALPHA beta", haresources "alpha", "Beta"), as
// the real daemon accepted (testdata/realnodes).
func TestRealDaemonNodeCase(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/realnodes/*")
	if len(dirs) == 0 {
		t.Fatal("no cases")
	}
	for _, d := range dirs {
		want := testenv.ReadVerdict(t, filepath.Join(d, "verdict"))
		cf, err := os.ReadFile(filepath.Join(d, "ha.cf"))
		if err != nil {
			t.Fatal(err)
		}
		var nodes []string
		for _, l := range strings.Split(string(cf), "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "node" {
				nodes = append(nodes, f[1:]...)
			}
		}
		groups, probs := Load(filepath.Join(d, "haresources"))
		probs = append(probs, CheckNodes(groups, nodes, "haresources")...)
		if (probs.Err() == nil) != want.Accepted {
			t.Errorf("%s: %v, real daemon accepted=%v", d, probs, want.Accepted)
		}
	}
}
