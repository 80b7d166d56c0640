package ping

import (
	"errors"
	"net/netip"
	"os/exec"
	"testing"
	"time"

	"hbgo/heartbeat/media"
	"hbgo/heartbeat/media/netnstest"
)

func newIn(t *testing.T, ns string, targets []netip.Addr, opt Options) *Prober {
	t.Helper()
	var p *Prober
	var err error
	netnstest.Do(t, ns, func() { p, err = New(targets, opt) })
	if err != nil {
		t.Fatalf("New in %s: %v", ns, err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func next(t *testing.T, p *Prober) media.Packet {
	t.Helper()
	select {
	case pk, ok := <-p.Packets():
		if !ok {
			t.Fatal("prober closed")
		}
		return pk
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no echo reply within 5s", p.Name())
	}
	return media.Packet{}
}

// TestEchoCarriesPayload pings the peer namespace's address (the kernel
// answers) and checks that the reply carries our payload back.
func TestEchoCarriesPayload(t *testing.T) {
	pair := netnstest.NewPair(t)
	target := netip.MustParseAddr(pair.B.IP4)
	p := newIn(t, pair.A.NS, []netip.Addr{target}, Options{})
	if p.Name() != pair.B.IP4 {
		t.Fatalf("Name = %q", p.Name())
	}
	payload := []byte("###\n11:(0)t=NS_st,9:(0)st=ping,%%%\n")
	if err := p.Send(payload); err != nil {
		t.Fatal(err)
	}
	pk := next(t, p)
	if string(pk.Data) != string(payload) || pk.From != pair.B.IP4 || pk.Medium != pair.B.IP4 {
		t.Fatalf("reply %+v", pk)
	}
}

// TestGroupAndFiltering: a ping_group prober with two live members gets a
// reply from each; a second prober in the same namespace (raw sockets
// see all ICMP) only gets its own replies.
func TestGroupAndFiltering(t *testing.T) {
	pair := netnstest.NewPair(t)
	members := []netip.Addr{netip.MustParseAddr(pair.B.IP4), netip.MustParseAddr(pair.A.IP4)}
	g := newIn(t, pair.A.NS, members, Options{Name: "routers"})
	other := newIn(t, pair.A.NS, []netip.Addr{netip.MustParseAddr(pair.B.IP4)}, Options{})
	if err := g.Send([]byte("group")); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for range 2 {
		pk := next(t, g)
		if string(pk.Data) != "group" || pk.Medium != "routers" {
			t.Fatalf("group reply %+v", pk)
		}
		seen[pk.From] = true
	}
	if !seen[pair.A.IP4] || !seen[pair.B.IP4] {
		t.Fatalf("replies from %v, want both members", seen)
	}
	if err := other.Send([]byte("other")); err != nil {
		t.Fatal(err)
	}
	if pk := next(t, other); string(pk.Data) != "other" {
		t.Fatalf("second prober got %q (not its own reply)", pk.Data)
	}
	// The group prober must not have picked up the other prober's reply:
	// its next reply is the answer to its own next echo.
	if err := g.Send([]byte("group2")); err != nil {
		t.Fatal(err)
	}
	if pk := next(t, g); string(pk.Data) != "group2" {
		t.Fatalf("group prober got %q", pk.Data)
	}
}

func TestIPv6Echo(t *testing.T) {
	pair := netnstest.NewPair(t)
	p := newIn(t, pair.A.NS, []netip.Addr{netip.MustParseAddr(pair.B.IP6)}, Options{})
	if err := p.Send([]byte("v6")); err != nil {
		t.Fatal(err)
	}
	if pk := next(t, p); string(pk.Data) != "v6" || pk.From != pair.B.IP6 {
		t.Fatalf("reply %+v", pk)
	}
}

func TestNewRejectsBadTargets(t *testing.T) {
	if _, err := New(nil, Options{}); !errors.Is(err, ErrNoTargets) {
		t.Fatalf("empty: %v", err)
	}
	mixed := []netip.Addr{netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("2001:db8::1")}
	if _, err := New(mixed, Options{}); !errors.Is(err, ErrNoTargets) {
		t.Fatalf("mixed: %v", err)
	}
}

func TestCloseEndsPackets(t *testing.T) {
	pair := netnstest.NewPair(t)
	p := newIn(t, pair.A.NS, []netip.Addr{netip.MustParseAddr(pair.B.IP4)}, Options{})
	_ = p.Close()
	if err := p.Send([]byte("x")); !errors.Is(err, media.ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
	for range p.Packets() {
	}
}

// TestUnprivilegedSocket uses a datagram ICMP socket, as a daemon without
// CAP_NET_RAW would; the namespace allows it through ping_group_range.
func TestUnprivilegedSocket(t *testing.T) {
	pair := netnstest.NewPair(t)
	if out, err := exec.Command("ip", "netns", "exec", pair.A.NS, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647").CombinedOutput(); err != nil {
		t.Skipf("cannot allow ICMP datagram sockets: %v %s", err, out)
	}
	p := newIn(t, pair.A.NS, []netip.Addr{netip.MustParseAddr(pair.B.IP4)}, Options{Unprivileged: true})
	if err := p.Send([]byte("dgram")); err != nil {
		t.Fatal(err)
	}
	if pk := next(t, p); string(pk.Data) != "dgram" || pk.From != pair.B.IP4 {
		t.Fatalf("reply %+v", pk)
	}
}
