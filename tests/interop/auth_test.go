package interop

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// realBadAuth is what 3.0.6 logs (as ERROR, followed by a dump of the
// message) for a packet whose signature does not verify with its keys.
var realBadAuth = regexp.MustCompile(`ERROR: authtoken does not match, authtoken=[0-9a-f]+, authstr=[0-9a-f]+`)

// TestWrongKeyRejected: same method, other secret. Each side rejects the
// other's packets with a log line naming the problem, and neither ever
// sees the other active.
func TestWrongKeyRejected(t *testing.T) {
	skipShort(t)
	l := netlab.New(t, 2)
	s := netlab.Setup{Auth: "auth 1\n1 sha1 secret-of-n1\n"}
	r := l.ConfigureReal(t, "n1", s)
	s.Auth = "auth 1\n1 sha1 secret-of-n2\n"
	o := l.Configure("n2", s)
	a, b := &real{r}, &ours{o}
	a.start(t)
	b.start(t)
	defer func() { b.crash(t); a.crash(t) }()
	deadline := time.Now().Add(6 * time.Second)
	for time.Now().Before(deadline) {
		if st := a.nodestatus(t, "n2"); st == "active" || st == "up" {
			t.Fatalf("3.0.6 sees n2 %q despite the wrong key", st)
		}
		if st := b.nodestatus(t, "n1"); st == "active" || st == "up" {
			t.Fatalf("hbgo sees n1 %q despite the wrong key", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A status that cl_status cannot read would pass the loop above: both
	// must positively report the peer dead.
	if st := a.nodestatus(t, "n2"); st != "dead" {
		t.Errorf("3.0.6 sees n2 %q, want dead", st)
	}
	if st := b.nodestatus(t, "n1"); st != "dead" {
		t.Errorf("hbgo sees n1 %q, want dead", st)
	}
	if !strings.Contains(b.log(), "Bad authentication from n1") {
		t.Errorf("hbgo logged no bad authentication from n1:\n%s", tail(b.log(), 30))
	}
	if !realBadAuth.MatchString(a.log()) {
		t.Errorf("3.0.6 logged no failed authentication:\n%s", tail(a.log(), 30))
	}
}
