package interop

import (
	"fmt"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestMixedMembership: in a two-node cluster of one 3.0.6 and one hbgo
// daemon (both placements), each sees the other active, on every medium
// with the authentication method the issue pairs it with.
func TestMixedMembership(t *testing.T) {
	skipShort(t)
	l := netlab.New(t, 2)
	media := []struct{ name, media, auth string }{
		{"bcast-sha1", "bcast eth0", "auth 1\n1 sha1 interop-secret\n"},
		{"mcast-md5", "mcast eth0 239.192.0.2 694 1 0", "auth 2\n2 md5 interop-secret\n"},
		{"ucast-crc", fmt.Sprintf("ucast eth0 %s\nucast eth0 %s", l.Addr("n1"), l.Addr("n2")), "auth 3\n3 crc\n"},
	}
	for _, realNode := range []string{"n1", "n2"} {
		for _, m := range media {
			t.Run(m.name+"/real-"+realNode, func(t *testing.T) {
				s := netlab.Setup{Media: m.media, Auth: m.auth, Resources: "n1 hbtest"}
				a, b := configure(t, l, realNode, s)
				t0 := time.Now()
				a.start(t)
				b.start(t)
				// A cold start holds resources back ~10 s (3.0.6 does the same);
				// membership is all this case is about, so it ends with crashes.
				defer func() { b.crash(t); a.crash(t) }()
				waitStatus(t, 20*time.Second, a, b, "active")
				waitStatus(t, 20*time.Second, b, a, "active")
				t.Logf("both active %v after the starts", time.Since(t0))
			})
		}
	}
}
