package ping

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media"
)

// Options tune a Prober.
type Options struct {
	// Name is the medium name reported in packets; empty means the first
	// target's address (Heartbeat names a ping medium after its host; a
	// ping_group after the group).
	Name string
	// Clock stamps replies; nil means clock.Real().
	Clock clock.Clock
	// Unprivileged uses a datagram ICMP socket (needs net.ipv4.ping_group_range)
	// instead of a raw one (needs CAP_NET_RAW).
	Unprivileged bool
	// ID is the echo identifier; 0 picks a random one. The kernel
	// replaces it on unprivileged sockets.
	ID int
}

// ErrNoTargets is returned by New for an empty target list or one that
// mixes address families.
var ErrNoTargets = errors.New("ping: no usable targets")

// Prober pings a fixed set of targets of one address family; it
// implements media.Medium.
type Prober struct {
	name    string
	v6      bool
	conn    *icmp.PacketConn
	targets map[netip.Addr]bool
	order   []netip.Addr
	id      int
	clk     clock.Clock
	ch      chan media.Packet

	mu   sync.Mutex
	seq  int
	once sync.Once
	done chan struct{}
}

var _ media.Medium = (*Prober)(nil)

// New opens an ICMP socket for targets and starts reading replies.
func New(targets []netip.Addr, opt Options) (*Prober, error) {
	if len(targets) == 0 {
		return nil, ErrNoTargets
	}
	v6 := targets[0].Unmap().Is6()
	p := &Prober{v6: v6, targets: map[netip.Addr]bool{}, id: opt.ID, clk: opt.Clock,
		ch: make(chan media.Packet, media.RecvBuffer), done: make(chan struct{}), name: opt.Name}
	for _, t := range targets {
		t = t.Unmap()
		if t.Is6() != v6 {
			return nil, fmt.Errorf("%w: %v and %v are of different families", ErrNoTargets, targets[0], t)
		}
		if !p.targets[t.WithZone("")] {
			p.targets[t.WithZone("")] = true
			p.order = append(p.order, t)
		}
	}
	if p.name == "" {
		p.name = p.order[0].String()
	}
	if p.clk == nil {
		p.clk = clock.Real()
	}
	if p.id == 0 {
		var b [2]byte
		_, _ = rand.Read(b[:])
		p.id = int(binary.BigEndian.Uint16(b[:])) | 1
	}
	network, laddr := "ip4:icmp", "0.0.0.0"
	switch {
	case v6 && opt.Unprivileged:
		network, laddr = "udp6", "::"
	case v6:
		network, laddr = "ip6:ipv6-icmp", "::"
	case opt.Unprivileged:
		network = "udp4"
	}
	conn, err := icmp.ListenPacket(network, laddr)
	if err != nil {
		return nil, fmt.Errorf("ping %s: %w", p.name, err)
	}
	p.conn = conn
	go p.readLoop()
	return p, nil
}

// Name returns the medium name.
func (p *Prober) Name() string { return p.name }

// Send sends one echo request carrying data to every target; errors are
// joined so one unreachable target does not stop the others.
func (p *Prober) Send(data []byte) error {
	select {
	case <-p.done:
		return media.ErrClosed
	default:
	}
	p.mu.Lock()
	p.seq = (p.seq + 1) & 0xffff
	seq := p.seq
	p.mu.Unlock()
	msg := icmp.Message{Body: &icmp.Echo{ID: p.id, Seq: seq, Data: data}}
	if p.v6 {
		msg.Type = ipv6.ICMPTypeEchoRequest
	} else {
		msg.Type = ipv4.ICMPTypeEcho
	}
	// The kernel fills in the ICMPv6 checksum; Marshal computes ICMPv4's.
	b, err := msg.Marshal(nil)
	if err != nil {
		return fmt.Errorf("ping %s: %w", p.name, err)
	}
	var errs []error
	for _, t := range p.order {
		if _, err := p.conn.WriteTo(b, p.addr(t)); err != nil {
			errs = append(errs, fmt.Errorf("ping %s: echo to %v: %w", p.name, t, err))
		}
	}
	return errors.Join(errs...)
}

func (p *Prober) addr(t netip.Addr) net.Addr {
	if _, ok := p.conn.LocalAddr().(*net.UDPAddr); ok {
		return &net.UDPAddr{IP: t.AsSlice(), Zone: t.Zone()}
	}
	return &net.IPAddr{IP: t.AsSlice(), Zone: t.Zone()}
}

// Packets returns the channel echo replies are delivered on: Data is the
// echoed payload, From the target address, Medium the prober's Name.
func (p *Prober) Packets() <-chan media.Packet { return p.ch }

// Close stops the prober.
func (p *Prober) Close() error {
	p.once.Do(func() {
		close(p.done)
		_ = p.conn.Close()
	})
	return nil
}

func (p *Prober) readLoop() {
	defer close(p.ch)
	proto := 1 // ICMPv4
	if p.v6 {
		proto = 58
	}
	_, unpriv := p.conn.LocalAddr().(*net.UDPAddr)
	buf := make([]byte, 65535)
	for {
		n, from, err := p.conn.ReadFrom(buf)
		if err != nil {
			select {
			case <-p.done:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		msg, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil {
			continue
		}
		echo, ok := msg.Body.(*icmp.Echo)
		if !ok || (msg.Type != ipv4.ICMPTypeEchoReply && msg.Type != ipv6.ICMPTypeEchoReply) {
			continue
		}
		// Raw sockets see every ICMP packet of the host: keep only
		// replies to our own identifier from our own targets.
		if !unpriv && echo.ID != p.id {
			continue
		}
		src, ok := addrOf(from)
		if !ok || !p.targets[src.WithZone("")] {
			continue
		}
		pk := media.Packet{
			Data:   append([]byte(nil), echo.Data...),
			From:   src.String(),
			Addr:   from,
			Medium: p.name,
			At:     p.clk.Now(),
		}
		select {
		case p.ch <- pk:
		case <-p.done:
			return
		default: // full: drop, like a socket buffer would
		}
	}
}

func addrOf(a net.Addr) (netip.Addr, bool) {
	var ip net.IP
	switch v := a.(type) {
	case *net.IPAddr:
		ip = v.IP
	case *net.UDPAddr:
		ip = v.IP
	default:
		return netip.Addr{}, false
	}
	ad, ok := netip.AddrFromSlice(ip)
	return ad.Unmap(), ok
}
