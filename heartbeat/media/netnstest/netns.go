package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"hbgo/internal/testenv"
)

// Node is one end of the pair: a namespace with one veth interface.
type Node struct {
	NS    string // namespace name (under /run/netns)
	Iface string // interface name inside the namespace
	IP4   string // IPv4 address, no prefix
	IP6   string // IPv6 address, no prefix
}

// Pair is two namespaces joined by a veth pair.
type Pair struct{ A, B Node }

// NewPair creates the namespaces and the link, up and addressed:
// A = 198.51.100.1/25 / 2001:db8:198:51::1 on "hb0",
// B = 198.51.100.2/25 / 2001:db8:198:51::2 on "hb0".
func NewPair(t testing.TB) Pair {
	t.Helper()
	testenv.RequireRoot(t)
	ipCmd := testenv.RequireProgram(t, "ip")
	if setnsTrap == 0 {
		t.Skipf("setns not wired for %s", runtime.GOARCH)
	}
	var rnd [3]byte
	_, _ = rand.Read(rnd[:])
	base := fmt.Sprintf("hbgo-%d-%s", os.Getpid(), hex.EncodeToString(rnd[:]))
	p := Pair{
		A: Node{NS: base + "-a", Iface: "hb0", IP4: "198.51.100.1", IP6: "2001:db8:198:51::1"},
		B: Node{NS: base + "-b", Iface: "hb0", IP4: "198.51.100.2", IP6: "2001:db8:198:51::2"},
	}
	run := func(args ...string) {
		t.Helper()
		out, err := exec.Command(ipCmd, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, n := range []Node{p.A, p.B} {
		run("netns", "add", n.NS)
		ns := n.NS
		t.Cleanup(func() { _ = exec.Command(ipCmd, "netns", "del", ns).Run() })
	}
	// Create the veth pair directly inside A, peer inside B: the host's own
	// namespace never sees it.
	run("-n", p.A.NS, "link", "add", p.A.Iface, "type", "veth", "peer", "name", p.B.Iface, "netns", p.B.NS)
	for _, n := range []Node{p.A, p.B} {
		run("-n", n.NS, "addr", "add", n.IP4+"/25", "brd", "+", "dev", n.Iface)
		run("-n", n.NS, "addr", "add", n.IP6+"/64", "dev", n.Iface, "nodad")
		run("-n", n.NS, "link", "set", n.Iface, "up")
		run("-n", n.NS, "link", "set", "lo", "up")
	}
	return p
}

// AddLink adds a second veth link between the pair's namespaces, named
// iface on both sides, with addresses ipA and ipB (IPv4, /prefix). It lets
// a test fail one medium while another one keeps working.
func AddLink(t testing.TB, p Pair, iface, ipA, ipB string, prefix int) {
	t.Helper()
	ipCmd := testenv.RequireProgram(t, "ip")
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ipCmd, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("-n", p.A.NS, "link", "add", iface, "type", "veth", "peer", "name", iface, "netns", p.B.NS)
	for _, side := range []struct{ ns, ip string }{{p.A.NS, ipA}, {p.B.NS, ipB}} {
		run("-n", side.ns, "addr", "add", fmt.Sprintf("%s/%d", side.ip, prefix), "brd", "+", "dev", iface)
		run("-n", side.ns, "link", "set", iface, "up")
	}
}

// SetLink sets an interface inside a namespace up or down.
func SetLink(t testing.TB, ns, iface string, up bool) {
	t.Helper()
	state := "down"
	if up {
		state = "up"
	}
	if out, err := exec.Command(testenv.RequireProgram(t, "ip"), "-n", ns, "link", "set", iface, state).CombinedOutput(); err != nil {
		t.Fatalf("ip link set %s %s: %v\n%s", iface, state, err, out)
	}
}

// Do runs fn on a thread switched into namespace ns, then switches back.
// Sockets created inside fn stay in ns for their whole life.
func Do(t testing.TB, ns string, fn func()) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", syscall.Gettid()))
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		target, err := os.Open("/run/netns/" + ns)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer target.Close()
		if err := setns(target.Fd()); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		fn()
		if err := setns(orig.Fd()); err != nil {
			// Leave the thread locked: the runtime then discards it
			// instead of reusing a thread stuck in the namespace.
			errc <- fmt.Errorf("setns back: %w", err)
			return
		}
		runtime.UnlockOSThread()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func setns(fd uintptr) error {
	const cloneNewnet = 0x40000000
	if _, _, e := syscall.RawSyscall(setnsTrap, fd, cloneNewnet, 0); e != 0 {
		return e
	}
	return nil
}
