package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media"
)

// Options tune how a medium is opened.
type Options struct {
	// Clock stamps received packets; nil means clock.Real().
	Clock clock.Clock
	// LocalAddrs are our own addresses, for ucast peer skipping; nil means
	// every address configured on the host (net.InterfaceAddrs).
	LocalAddrs []netip.Addr
}

// Medium is a UDP heartbeat medium; it implements media.Medium.
type Medium struct {
	spec    media.Spec
	read    *net.UDPConn
	write   *net.UDPConn
	targets []*net.UDPAddr
	ch      chan media.Packet
	clk     clock.Clock

	closeOnce sync.Once
	done      chan struct{}
	dropped   atomic.Uint64
	readErr   atomic.Value // error: the error that stopped the reader
}

var _ media.Medium = (*Medium)(nil)

// maxDatagram bounds one received packet; Heartbeat messages are < 64 KiB.
const maxDatagram = 65535

// Open validates spec, opens its sockets and starts its reader.
func Open(spec media.Spec, opt Options) (*Medium, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if opt.Clock == nil {
		opt.Clock = clock.Real()
	}
	ifi, err := net.InterfaceByName(spec.Iface)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %w", spec.Kind, spec.Iface, media.ErrLinkDown, err)
	}
	m := &Medium{spec: spec, clk: opt.Clock, ch: make(chan media.Packet, media.RecvBuffer), done: make(chan struct{})}
	if err := m.open(ifi, opt); err != nil {
		m.closeConns()
		return nil, fmt.Errorf("%s %s: %w", spec.Kind, spec.Iface, err)
	}
	go m.readLoop()
	return m, nil
}

func (m *Medium) open(ifi *net.Interface, opt Options) error {
	port := m.spec.PortOrDefault()
	var err error
	switch m.spec.Kind {
	case media.Bcast:
		bcast, err := broadcastAddr(ifi)
		if err != nil {
			return err
		}
		m.targets = []*net.UDPAddr{{IP: bcast, Port: port}}
		if m.read, err = listen("udp4", fmt.Sprintf("0.0.0.0:%d", port), ifi.Name, false); err != nil {
			return err
		}
		if m.write, err = listen("udp4", "0.0.0.0:0", ifi.Name, true); err != nil {
			return err
		}
	case media.Ucast, media.Ucast6:
		netw, wildcard := "udp4", "0.0.0.0"
		if m.spec.Kind == media.Ucast6 {
			netw, wildcard = "udp6", "[::]"
		}
		own, err := localAddrs(opt.LocalAddrs)
		if err != nil {
			return err
		}
		for _, p := range m.spec.Peers {
			if own[p.Unmap()] {
				continue // our own line in a shared ha.cf
			}
			a := &net.UDPAddr{IP: p.AsSlice(), Port: port}
			if p.Is6() && p.IsLinkLocalUnicast() {
				a.Zone = ifi.Name
			}
			m.targets = append(m.targets, a)
		}
		if m.read, err = listen(netw, fmt.Sprintf("%s:%d", wildcard, port), ifi.Name, false); err != nil {
			return err
		}
		if m.write, err = listen(netw, wildcard+":0", ifi.Name, false); err != nil {
			return err
		}
	case media.Mcast:
		group := &net.UDPAddr{IP: m.spec.Group.AsSlice(), Port: port}
		m.targets = []*net.UDPAddr{group}
		if m.read, err = listen("udp4", group.String(), ifi.Name, false); err != nil {
			return err
		}
		if err := ipv4.NewPacketConn(m.read).JoinGroup(ifi, group); err != nil {
			return fmt.Errorf("join %v: %w", group.IP, err)
		}
		if m.write, err = listen("udp4", "0.0.0.0:0", ifi.Name, false); err != nil {
			return err
		}
		pc := ipv4.NewPacketConn(m.write)
		if err := errors.Join(pc.SetMulticastInterface(ifi), pc.SetMulticastTTL(m.spec.TTL), pc.SetMulticastLoopback(m.spec.Loop)); err != nil {
			return fmt.Errorf("multicast options: %w", err)
		}
	case media.Mcast6:
		group := &net.UDPAddr{IP: m.spec.Group.AsSlice(), Port: port}
		if m.spec.Group.IsLinkLocalMulticast() || m.spec.Group.IsInterfaceLocalMulticast() {
			group.Zone = ifi.Name
		}
		m.targets = []*net.UDPAddr{group}
		if m.read, err = listen("udp6", group.String(), ifi.Name, false); err != nil {
			return err
		}
		if err := ipv6.NewPacketConn(m.read).JoinGroup(ifi, group); err != nil {
			return fmt.Errorf("join %v: %w", group.IP, err)
		}
		if m.write, err = listen("udp6", "[::]:0", ifi.Name, false); err != nil {
			return err
		}
		pc := ipv6.NewPacketConn(m.write)
		if err := errors.Join(pc.SetMulticastInterface(ifi), pc.SetMulticastHopLimit(m.spec.TTL), pc.SetMulticastLoopback(m.spec.Loop)); err != nil {
			return fmt.Errorf("multicast options: %w", err)
		}
	}
	return nil
}

// listen opens a UDP socket bound to addr and to device iface, with
// SO_REUSEADDR so that media on several interfaces share the port, and
// SO_BROADCAST when asked.
func listen(network, addr, iface string, broadcast bool) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			s := int(fd)
			if serr = syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); serr != nil {
				return
			}
			if serr = syscall.SetsockoptString(s, syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, iface); serr != nil {
				serr = fmt.Errorf("SO_BINDTODEVICE %s: %w", iface, serr)
				return
			}
			if broadcast {
				serr = syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1)
			}
		})
		return errors.Join(err, serr)
	}}
	pc, err := lc.ListenPacket(context.Background(), network, addr)
	if err != nil {
		return nil, err
	}
	return pc.(*net.UDPConn), nil
}

// broadcastAddr returns the IPv4 broadcast address of the interface's
// first IPv4 address (address | ^mask), as SIOCGIFBRDADDR reports for an
// interface set up with "brd +".
func broadcastAddr(ifi *net.Interface) (net.IP, error) {
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip4 := ipn.IP.To4()
		if ip4 == nil || len(ipn.Mask) != net.IPv4len {
			continue
		}
		b := make(net.IP, net.IPv4len)
		for i := range b {
			b[i] = ip4[i] | ^ipn.Mask[i]
		}
		return b, nil
	}
	return nil, fmt.Errorf("interface %s has no IPv4 broadcast address: %w", ifi.Name, media.ErrLinkDown)
}

// localAddrs returns the set of our own addresses.
func localAddrs(given []netip.Addr) (map[netip.Addr]bool, error) {
	own := map[netip.Addr]bool{}
	if given != nil {
		for _, a := range given {
			own[a.Unmap()] = true
		}
		return own, nil
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("local addresses: %w", err)
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(ipn.IP); ok {
				own[ip.Unmap()] = true
			}
		}
	}
	return own, nil
}

// Name returns the interface name, Heartbeat's link name.
func (m *Medium) Name() string { return m.spec.Iface }

// Spec returns the spec the medium was opened with.
func (m *Medium) Spec() media.Spec { return m.spec }

// Targets returns the destinations Send writes to (after ucast skipping).
func (m *Medium) Targets() []*net.UDPAddr { return append([]*net.UDPAddr(nil), m.targets...) }

// Send writes data to every target. It tries all targets and returns the
// errors joined, so one unreachable ucast peer does not starve the others.
func (m *Medium) Send(data []byte) error {
	select {
	case <-m.done:
		return media.ErrClosed
	default:
	}
	var errs []error
	for _, t := range m.targets {
		if _, err := m.write.WriteToUDP(data, t); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: send to %v: %w", m.spec.Kind, m.spec.Iface, t, err))
		}
	}
	return errors.Join(errs...)
}

// Packets returns the receive channel; it is closed when the medium is
// closed or its socket fails for good (see Err).
func (m *Medium) Packets() <-chan media.Packet { return m.ch }

// Dropped returns how many received packets were dropped because the
// Packets channel was full.
func (m *Medium) Dropped() uint64 { return m.dropped.Load() }

// Err returns the error that stopped the reader, nil while it runs or
// after a plain Close.
func (m *Medium) Err() error {
	if err, ok := m.readErr.Load().(error); ok {
		return err
	}
	return nil
}

func (m *Medium) readLoop() {
	defer close(m.ch)
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := m.read.ReadFromUDPAddrPort(buf)
		if err != nil {
			select {
			case <-m.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				m.readErr.Store(fmt.Errorf("%s %s: read: %w", m.spec.Kind, m.spec.Iface, err))
				return
			}
			// ICMP errors surfacing on the socket (ECONNREFUSED) and the
			// like are transient: heartbeat keeps going.
			continue
		}
		p := media.Packet{
			Data:   append([]byte(nil), buf[:n]...),
			From:   from.String(),
			Addr:   net.UDPAddrFromAddrPort(from),
			Medium: m.spec.Iface,
			At:     m.clk.Now(),
		}
		select {
		case m.ch <- p:
		case <-m.done:
			return
		default:
			m.dropped.Add(1)
		}
	}
}

func (m *Medium) closeConns() {
	if m.read != nil {
		_ = m.read.Close()
	}
	if m.write != nil {
		_ = m.write.Close()
	}
}

// Close stops the reader and closes both sockets.
func (m *Medium) Close() error {
	m.closeOnce.Do(func() {
		close(m.done)
		m.closeConns()
	})
	return nil
}

// OpenAll opens every spec (ucast lines merged per interface with
// media.MergeUcast). Specs that fail to open are reported in the joined
// error while the others are returned open: one bad medium does not keep
// the daemon off the remaining links.
func OpenAll(specs []media.Spec, opt Options) ([]*Medium, error) {
	var out []*Medium
	var errs []error
	for _, s := range media.MergeUcast(specs) {
		m, err := Open(s, opt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, m)
	}
	return out, errors.Join(errs...)
}
