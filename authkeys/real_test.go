package authkeys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// daemonPath is the name the real daemon gives the file in its messages;
// parsing under that name lets the test compare messages verbatim.
const daemonPath = "/etc/ha.d//authkeys"

// realVerdict is a case recorded with the real Heartbeat 3.0.6: whether it
// started, and the problem messages it logged (a message may be cut where the
// daemon quoted a line with its newline).
type realVerdict struct {
	accepted bool
	msgs     []string
}

func readVerdict(t *testing.T, path string) realVerdict {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v realVerdict
	seen := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case l == "VERDICT: ACCEPTED":
			v.accepted, seen = true, true
		case l == "VERDICT: REJECTED":
			seen = true
		case strings.HasPrefix(l, "MSG: "):
			v.msgs = append(v.msgs, strings.TrimPrefix(l, "MSG: "))
		}
	}
	if !seen {
		t.Fatalf("%s: no verdict", path)
	}
	return v
}

// TestRealDaemonVerdicts replays every case recorded with the real daemon
// (testdata/real/*.authkeys with its .verdict): same accept/refuse decision,
// and each message the daemon logged is among ours.
func TestRealDaemonVerdicts(t *testing.T) {
	files, err := filepath.Glob("testdata/real/*.authkeys")
	if err != nil || len(files) < 40 {
		t.Fatalf("expected the recorded cases, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".authkeys")
		t.Run(name, func(t *testing.T) {
			want := readVerdict(t, strings.TrimSuffix(f, ".authkeys")+".verdict")
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			ring, probs := Parse(in, daemonPath)
			if got := probs.Err() == nil; got != want.accepted {
				t.Fatalf("accepted=%v, real daemon accepted=%v; problems:\n%v", got, want.accepted, probs)
			}
			if (ring != nil) != want.accepted {
				t.Fatalf("keyring nil=%v with accepted=%v", ring == nil, want.accepted)
			}
			for _, m := range want.msgs {
				found := false
				for _, p := range probs.Errors() {
					if strings.HasPrefix(p.Msg, m) {
						found = true
					}
				}
				if !found {
					t.Errorf("daemon said %q; we said:\n%v", m, probs)
				}
			}
			if n := len(probs.Errors()); n != len(want.msgs) {
				t.Errorf("%d errors, the real daemon logged %d: %v", n, len(want.msgs), probs)
			}
			for _, p := range probs.Errors() {
				if p.Hint == "" {
					t.Errorf("error without a hint: %v", p)
				}
			}
		})
	}
}
