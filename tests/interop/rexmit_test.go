package interop

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestMixedRetransmit drops a fifth of the heartbeat packets arriving at
// each node (ucast, crc): each side must notice the gaps in the other's
// sequence numbers, ask for them, and get them back from the other daemon
// ("No pkts missing from X!"), without ever declaring the other dead.
func TestMixedRetransmit(t *testing.T) {
	skipShort(t)
	l := netlab.New(t, 2)
	s := netlab.Setup{
		Media:     fmt.Sprintf("ucast eth0 %s\nucast eth0 %s", l.Addr("n1"), l.Addr("n2")),
		Auth:      "auth 3\n3 crc\n",
		Keepalive: "200ms", Deadtime: "3", Warntime: "2", Initdead: "6",
	}
	a, b := configure(t, l, "n1", s)
	a.start(t)
	b.start(t)
	waitStatus(t, 20*time.Second, a, b, "active")
	waitStatus(t, 20*time.Second, b, a, "active")

	l.Loss("n1", 0.2)
	l.Loss("n2", 0.2)
	// Both daemons log the same two lines (heartbeat-wire.md §9).
	for _, c := range []struct{ m, peer member }{{a, b}, {b, a}} {
		lost := regexp.MustCompile(`\d+ lost packet\(s\) for \[` + c.peer.name() + `\]`)
		filled := "No pkts missing from " + c.peer.name() + "!"
		netlab.Eventually(t, 30*time.Second, c.m.kind()+" recovers packets lost from "+c.peer.kind(), func() bool {
			lg := c.m.log()
			i := lost.FindStringIndex(lg)
			return i != nil && regexp.MustCompile(regexp.QuoteMeta(filled)).MatchString(lg[i[1]:])
		})
	}
	l.Loss("n1", 0)
	l.Loss("n2", 0)
	for _, m := range []member{a, b} {
		t.Logf("%s: %d gaps noticed", m.kind(), len(regexp.MustCompile(`lost packet\(s\) for`).FindAllString(m.log(), -1)))
	}
	for _, c := range []struct{ m, peer member }{{a, b}, {b, a}} {
		if st := c.m.nodestatus(t, c.peer.name()); st != "active" {
			t.Errorf("%s sees %s %q after the loss", c.m.kind(), c.peer.kind(), st)
		}
		if regexp.MustCompile(`node ` + c.peer.name() + `: is dead`).MatchString(c.m.log()) {
			t.Errorf("%s declared %s dead during 20%% loss", c.m.kind(), c.peer.kind())
		}
	}
}
