package testenv

import (
	"os"
	"strings"
	"testing"
)

// RealVerdict is a case recorded with the real Heartbeat 3.0.6: whether it
// started, and the problem messages it logged (a message may be cut where
// the daemon quoted a line with its newline).
type RealVerdict struct {
	Accepted bool
	Msgs     []string
}

// ReadVerdict reads a .verdict file ("VERDICT: ACCEPTED|REJECTED" and
// "MSG: ..." lines) and fails the test when it holds no verdict.
func ReadVerdict(t testing.TB, path string) RealVerdict {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v RealVerdict
	seen := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case l == "VERDICT: ACCEPTED":
			v.Accepted, seen = true, true
		case l == "VERDICT: REJECTED":
			seen = true
		case strings.HasPrefix(l, "MSG: "):
			v.Msgs = append(v.Msgs, strings.TrimPrefix(l, "MSG: "))
		}
	}
	if !seen {
		t.Fatalf("%s: no verdict", path)
	}
	return v
}
