package udp

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"hbgo/heartbeat/media"
	"hbgo/internal/testenv"
)

// TestInteropRealHeartbeat runs the real Heartbeat 3.0.6 as lab node n1
// (shared/lab scripts, namespaces with a per-run prefix) and checks that
// our bcast, mcast and ucast media in node n2's namespace receive its
// status messages exactly as configured in its ha.cf, and that it receives
// ours: we send the real n2's first status messages (lab wire vectors,
// crc-signed) and the daemon answers with reqnodes addressed to n2, which
// it only does for a node whose packets it accepted.
func TestInteropRealHeartbeat(t *testing.T) {
	testenv.RequireRealHeartbeat(t)
	lab := filepath.Join(testenv.SharedDir(t), "lab")
	for _, p := range []string{"unshare", "nsenter"} {
		testenv.RequireProgram(t, p)
	}
	var rnd [2]byte
	_, _ = rand.Read(rnd[:])
	prefix := fmt.Sprintf("hg%d%s-", os.Getpid()%100000, hex.EncodeToString(rnd[:]))
	env := append(os.Environ(), "LAB_PREFIX="+prefix, "LAB_NET=198.51.100")
	script := func(name string, extra []string, args ...string) error {
		cmd := exec.Command("bash", append([]string{filepath.Join(lab, name)}, args...)...)
		cmd.Env = append(append([]string(nil), env...), extra...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %v: %w\n%s", name, args, err, out)
		}
		return nil
	}
	if err := script("netns-lab.sh", nil, "up", "2"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = script("netns-lab.sh", nil, "down") })
	work := t.TempDir()
	n2 := prefix + "n2"
	var vectors [][]byte
	for _, f := range []string{"01-status-init.bin", "02-status-up.bin"} {
		b, err := os.ReadFile(filepath.Join(lab, "vectors", "crc", f))
		if err != nil {
			t.Skipf("wire vectors: %v", err)
		}
		if !bytes.Contains(b, []byte("(0)src=n2,")) {
			t.Skipf("vector %s is not from n2", f)
		}
		vectors = append(vectors, b)
	}

	cases := []struct {
		kind media.Kind
		spec media.Spec
	}{
		{media.Bcast, media.Spec{Kind: media.Bcast, Iface: "eth0"}},
		{media.Mcast, media.Spec{Kind: media.Mcast, Iface: "eth0", Group: netip.MustParseAddr("239.192.0.2"), Port: 694, TTL: 1}},
		{media.Ucast, media.Spec{Kind: media.Ucast, Iface: "eth0",
			Peers: []netip.Addr{netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")}}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			cfg := []string{"MEDIA=" + string(c.kind), "AUTH=crc", "KEEPALIVE=200ms", "DEADTIME=1",
				"WARNTIME=0.5", "INITDEAD=2", "PING=no"}
			if err := script("real-heartbeat.sh", cfg, "init", work, "n1", "n2"); err != nil {
				t.Fatal(err)
			}
			m := openIn(t, n2, c.spec, Options{})
			if err := script("real-heartbeat.sh", nil, "start", "n1", work); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = script("real-heartbeat.sh", nil, "stop", "n1", work) })
			deadline := time.After(15 * time.Second)
			sawStatus := false
			for {
				select {
				case p, ok := <-m.Packets():
					if !ok {
						t.Fatalf("medium closed: %v", m.Err())
					}
					if !bytes.HasPrefix(p.Data, []byte("###\n")) || !bytes.Contains(p.Data, []byte("(0)src=n1,")) {
						continue
					}
					if a := netip.MustParseAddrPort(p.From).Addr(); a != netip.MustParseAddr("198.51.100.1") || p.Medium != "eth0" {
						t.Fatalf("packet from %s on %s", p.From, p.Medium)
					}
					if bytes.Contains(p.Data, []byte("(0)t=reqnodes,")) && bytes.Contains(p.Data, []byte("(0)dest=n2,")) {
						if !sawStatus {
							t.Fatal("reqnodes before any status")
						}
						return // the real daemon accepted our packets
					}
					if !sawStatus && bytes.Contains(p.Data, []byte("(0)t=status,")) {
						sawStatus = true
						for _, v := range vectors {
							if err := m.Send(v); err != nil {
								t.Fatal(err)
							}
						}
					}
				case <-deadline:
					t.Fatalf("within 15s: status seen %v, no reqnodes for n2 from the real heartbeat", sawStatus)
				}
			}
		})
	}
}
