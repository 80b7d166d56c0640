package udp

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/net/ipv4"

	"hbgo/heartbeat/media"
	"hbgo/heartbeat/media/netnstest"
)

// openIn opens spec inside namespace ns.
func openIn(t *testing.T, ns string, spec media.Spec, opt Options) *Medium {
	t.Helper()
	var m *Medium
	var err error
	netnstest.Do(t, ns, func() { m, err = Open(spec, opt) })
	if err != nil {
		t.Fatalf("open %+v in %s: %v", spec, ns, err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// expect waits (bounded) for a packet with payload want on m.
func expect(t *testing.T, m *Medium, want string) media.Packet {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case p, ok := <-m.Packets():
			if !ok {
				t.Fatalf("%s closed while waiting for %q (err %v)", m.Name(), want, m.Err())
			}
			if string(p.Data) == want {
				return p
			}
		case <-deadline:
			t.Fatalf("%s: no packet %q within 5s", m.Name(), want)
		}
	}
}

// expectNone checks that no packet with payload unwanted arrives on m
// before a marker packet sent after it (so no fixed sleep is needed).
func expectNoneBefore(t *testing.T, m *Medium, unwanted, marker string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case p := <-m.Packets():
			switch string(p.Data) {
			case unwanted:
				t.Fatalf("%s received %q", m.Name(), unwanted)
			case marker:
				return
			}
		case <-deadline:
			t.Fatalf("%s: marker %q not received", m.Name(), marker)
		}
	}
}

func send(t *testing.T, m *Medium, data string) {
	t.Helper()
	if err := m.Send([]byte(data)); err != nil {
		t.Fatalf("send on %s: %v", m.Name(), err)
	}
}

func TestBcast(t *testing.T) {
	p := netnstest.NewPair(t)
	spec := media.Spec{Kind: media.Bcast, Iface: p.A.Iface, Port: 6940}
	a := openIn(t, p.A.NS, spec, Options{})
	b := openIn(t, p.B.NS, spec, Options{})
	if got := a.Targets()[0].String(); got != "198.51.100.127:6940" {
		t.Fatalf("bcast target %s", got)
	}
	send(t, a, "hello from a")
	pk := expect(t, b, "hello from a")
	if pk.Medium != "hb0" || pk.Addr == nil || !pk.At.After(time.Time{}) {
		t.Fatalf("packet metadata %+v", pk)
	}
	if got := netip.MustParseAddrPort(pk.From); got.Addr() != netip.MustParseAddr(p.A.IP4) || got.Port() == 6940 {
		t.Fatalf("From = %s, want %s with an ephemeral port", pk.From, p.A.IP4)
	}
	// Our own broadcasts come back, as with Heartbeat.
	expect(t, a, "hello from a")
	send(t, b, "hello from b")
	expect(t, a, "hello from b")
}

func TestMcastLoopAndTTL(t *testing.T) {
	p := netnstest.NewPair(t)
	group := netip.MustParseAddr("239.192.0.2")
	a := openIn(t, p.A.NS, media.Spec{Kind: media.Mcast, Iface: "hb0", Group: group, Port: 6941, TTL: 1, Loop: true}, Options{})
	b := openIn(t, p.B.NS, media.Spec{Kind: media.Mcast, Iface: "hb0", Group: group, Port: 6941, TTL: 1, Loop: false}, Options{})
	// A plain observer socket in b's namespace reads the IP TTL.
	var obs *ipv4.PacketConn
	netnstest.Do(t, p.B.NS, func() {
		c, err := listen("udp4", "239.192.0.2:6941", "hb0", false)
		if err != nil {
			return
		}
		obs = ipv4.NewPacketConn(c)
		ifi, _ := net.InterfaceByName("hb0")
		if obs.JoinGroup(ifi, &net.UDPAddr{IP: group.AsSlice()}) != nil || obs.SetControlMessage(ipv4.FlagTTL, true) != nil {
			obs = nil
		}
	})
	if obs == nil {
		t.Fatal("observer socket")
	}
	t.Cleanup(func() { _ = obs.Close() })
	send(t, a, "m-a")
	expect(t, b, "m-a")
	expect(t, a, "m-a") // loop 1
	_ = obs.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1500)
	n, cm, _, err := obs.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "m-a" || cm == nil || cm.TTL != 1 {
		t.Fatalf("observer read %q cm %v err %v; want m-a with TTL 1", buf[:n], cm, err)
	}
	// loop 0: b does not hear itself. Its own copy would be queued at
	// send time, before a's marker.
	send(t, b, "m-b")
	expect(t, a, "m-b")
	send(t, a, "marker")
	expectNoneBefore(t, b, "m-b", "marker")
}

func TestUcastSkipsOwnAddress(t *testing.T) {
	p := netnstest.NewPair(t)
	// The same two ucast lines on both nodes, as in a shared ha.cf.
	specs := []media.Spec{
		{Kind: media.Ucast, Iface: "hb0", Port: 6942, Peers: []netip.Addr{netip.MustParseAddr(p.A.IP4)}},
		{Kind: media.Ucast, Iface: "hb0", Port: 6942, Peers: []netip.Addr{netip.MustParseAddr(p.B.IP4)}},
	}
	merged := media.MergeUcast(specs)
	if len(merged) != 1 || len(merged[0].Peers) != 2 {
		t.Fatalf("MergeUcast = %+v", merged)
	}
	a := openIn(t, p.A.NS, merged[0], Options{})
	b := openIn(t, p.B.NS, merged[0], Options{})
	if ts := a.Targets(); len(ts) != 1 || ts[0].IP.String() != p.B.IP4 {
		t.Fatalf("a targets %v, want only %s", ts, p.B.IP4)
	}
	send(t, a, "u-a")
	expect(t, b, "u-a")
	send(t, b, "u-b")
	expect(t, a, "u-b")
	send(t, b, "marker")
	expectNoneBefore(t, a, "u-a", "marker")
}

func TestIPv6Media(t *testing.T) {
	p := netnstest.NewPair(t)
	t.Run("ucast6", func(t *testing.T) {
		spec := media.Spec{Kind: media.Ucast6, Iface: "hb0", Port: 6943,
			Peers: []netip.Addr{netip.MustParseAddr(p.A.IP6), netip.MustParseAddr(p.B.IP6)}}
		a := openIn(t, p.A.NS, spec, Options{})
		b := openIn(t, p.B.NS, spec, Options{})
		send(t, a, "u6-a")
		expect(t, b, "u6-a")
		send(t, b, "u6-b")
		expect(t, a, "u6-b")
	})
	t.Run("mcast6", func(t *testing.T) {
		spec := media.Spec{Kind: media.Mcast6, Iface: "hb0", Group: netip.MustParseAddr("ff12::694"), Port: 6944, TTL: 1, Loop: true}
		a := openIn(t, p.A.NS, spec, Options{})
		b := openIn(t, p.B.NS, spec, Options{})
		send(t, a, "m6-a")
		expect(t, b, "m6-a")
		expect(t, a, "m6-a")
		send(t, b, "m6-b")
		expect(t, a, "m6-b")
	})
}

// TestMediaAreIndependent opens two media per node plus one that cannot
// open; closing one medium leaves the other working.
func TestMediaAreIndependent(t *testing.T) {
	p := netnstest.NewPair(t)
	specs := []media.Spec{
		{Kind: media.Bcast, Iface: "hb0", Port: 6945},
		{Kind: media.Bcast, Iface: "nosuch0", Port: 6945},
		{Kind: media.Mcast, Iface: "hb0", Group: netip.MustParseAddr("239.192.0.3"), Port: 6946, TTL: 1},
	}
	var am, bm []*Medium
	var aerr error
	netnstest.Do(t, p.A.NS, func() { am, aerr = OpenAll(specs, Options{}) })
	netnstest.Do(t, p.B.NS, func() { bm, _ = OpenAll(specs, Options{}) })
	for _, m := range append(am, bm...) {
		t.Cleanup(func() { _ = m.Close() })
	}
	if !errors.Is(aerr, media.ErrLinkDown) || len(am) != 2 || len(bm) != 2 {
		t.Fatalf("OpenAll: %d media, err %v; want 2 and ErrLinkDown for nosuch0", len(am), aerr)
	}
	_ = am[0].Close()
	if err := am[0].Send([]byte("x")); !errors.Is(err, media.ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
	for range am[0].Packets() { // ends once the reader has stopped
	}
	send(t, am[1], "still here")
	expect(t, bm[1], "still here")
}

func TestSpecValidation(t *testing.T) {
	bad := []media.Spec{
		{Kind: media.Bcast},
		{Kind: media.Mcast, Iface: "eth0", Group: netip.MustParseAddr("10.0.0.1")},
		{Kind: media.Mcast, Iface: "eth0", Group: netip.MustParseAddr("ff02::1")},
		{Kind: media.Ucast, Iface: "eth0"},
		{Kind: media.Ucast6, Iface: "eth0", Peers: []netip.Addr{netip.MustParseAddr("10.0.0.1")}},
		{Kind: "serial", Iface: "ttyS0"},
		{Kind: media.Bcast, Iface: "eth0", Port: 70000},
	}
	for _, s := range bad {
		if _, err := Open(s, Options{}); !errors.Is(err, media.ErrBadSpec) {
			t.Errorf("Open(%+v) = %v, want ErrBadSpec", s, err)
		}
	}
}

// TestOneLinkDownOthersGoOn takes one of two bcast links down: its
// medium stops delivering while the other keeps working, and it recovers
// when the link comes back, without reopening anything.
func TestOneLinkDownOthersGoOn(t *testing.T) {
	p := netnstest.NewPair(t)
	netnstest.AddLink(t, p, "hb1", "198.51.100.129", "198.51.100.130", 25)
	a0 := openIn(t, p.A.NS, media.Spec{Kind: media.Bcast, Iface: "hb0", Port: 6950}, Options{})
	a1 := openIn(t, p.A.NS, media.Spec{Kind: media.Bcast, Iface: "hb1", Port: 6950}, Options{})
	b0 := openIn(t, p.B.NS, media.Spec{Kind: media.Bcast, Iface: "hb0", Port: 6950}, Options{})
	b1 := openIn(t, p.B.NS, media.Spec{Kind: media.Bcast, Iface: "hb1", Port: 6950}, Options{})
	if got := a1.Targets()[0].String(); got != "198.51.100.255:6950" {
		t.Fatalf("hb1 target %s", got)
	}
	send(t, a0, "0-before")
	send(t, a1, "1-before")
	expect(t, b0, "0-before")
	if pk := expect(t, b1, "1-before"); pk.Medium != "hb1" {
		t.Fatalf("hb1 packet tagged %s", pk.Medium)
	}

	netnstest.SetLink(t, p.A.NS, "hb1", false)
	err := a1.Send([]byte("1-down")) // may fail (ENETDOWN) or vanish; never delivered
	t.Logf("send on a downed link: %v", err)
	send(t, a0, "0-during")
	expect(t, b0, "0-during")

	netnstest.SetLink(t, p.A.NS, "hb1", true)
	// The peer end needs a moment to see carrier again: resend until
	// one arrives, bounded.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_ = a1.Send([]byte("1-after"))
		select {
		case pk := <-b1.Packets():
			if string(pk.Data) == "1-down" {
				t.Fatal("packet sent while the link was down was delivered")
			}
			if string(pk.Data) == "1-after" {
				return
			}
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("hb1 did not recover after link up")
		}
	}
}
