package authkeys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/internal/testenv"
)

// daemonPath is the name the real daemon gives the file in its messages;
// parsing under that name lets the test compare messages verbatim.
const daemonPath = "/etc/ha.d//authkeys"

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
			want := testenv.ReadVerdict(t, strings.TrimSuffix(f, ".authkeys")+".verdict")
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			ring, probs := Parse(in, daemonPath)
			if got := probs.Err() == nil; got != want.Accepted {
				t.Fatalf("accepted=%v, real daemon accepted=%v; problems:\n%v", got, want.Accepted, probs)
			}
			if (ring != nil) != want.Accepted {
				t.Fatalf("keyring nil=%v with accepted=%v", ring == nil, want.Accepted)
			}
			for _, m := range want.Msgs {
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
			if n := len(probs.Errors()); n != len(want.Msgs) {
				t.Errorf("%d errors, the real daemon logged %d: %v", n, len(want.Msgs), probs)
			}
			for _, p := range probs.Errors() {
				if p.Hint == "" {
					t.Errorf("error without a hint: %v", p)
				}
			}
		})
	}
}
