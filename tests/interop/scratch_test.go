package interop

import (
	"os/exec"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

func TestScratchCapture(t *testing.T) {
	l := netlab.New(t, 2)
	a, b := configure(t, l, "n1", netlab.Setup{})
	cap := exec.Command("ip", "netns", "exec", l.Prefix+"br", "tcpdump", "-U", "-ni", "br0", "-w", "/tmp/interop-cap.pcap", "udp port 694")
	cap.Start()
	defer func() { cap.Process.Kill(); cap.Wait() }()
	a.start(t)
	b.start(t)
	netlab.Eventually(t, 30*time.Second, "holder", func() bool { return l.Holder(t) == "n1" })
	time.Sleep(3 * time.Second)
	k := time.Now()
	b.stop(t)
	t.Logf("stop at %s", k.Format("15:04:05.000000"))
	time.Sleep(4 * time.Second)
	t.Logf("%s", tail(a.log(), 12))
}
