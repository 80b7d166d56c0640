package media

import (
	"errors"
	"fmt"
	"net/netip"
)

// Kind is the type of a medium, named as the ha.cf directive.
type Kind string

// Medium kinds supported, spelled as their ha.cf directives.
const (
	Bcast  Kind = "bcast"
	Mcast  Kind = "mcast"
	Ucast  Kind = "ucast"
	Mcast6 Kind = "mcast6"
	Ucast6 Kind = "ucast6"
)

// DefaultPort is Heartbeat's UDP port (ha-cluster/udp).
const DefaultPort = 694

// Spec describes one medium as configured in ha.cf.
//
//	bcast IF                      -> {Kind: Bcast, Iface: IF, Port: udpport}
//	mcast IF GROUP PORT TTL LOOP  -> {Kind: Mcast, Iface, Group, Port, TTL, Loop}
//	ucast IF HOST                 -> {Kind: Ucast, Iface, Peers: [HOST]} (lines for the same IF may be merged)
//	mcast6 IF GROUP6 PORT HOPS LOOP, ucast6 IF HOST6 likewise.
type Spec struct {
	Kind  Kind
	Iface string
	// Group is the multicast group (mcast, mcast6).
	Group netip.Addr
	// Port is the UDP port to send to and receive on; 0 means DefaultPort.
	Port int
	// TTL is the multicast TTL / hop limit (0..4 in ha.cf for mcast).
	TTL int
	// Loop enables multicast loopback: our own packets come back to us.
	Loop bool
	// Peers are the unicast targets (ucast, ucast6). A peer equal to one of
	// our own addresses is skipped, so one ha.cf can list every node.
	Peers []netip.Addr
}

// ErrBadSpec is wrapped by Validate for an unusable Spec.
var ErrBadSpec = errors.New("media: bad spec")

// PortOrDefault returns Port, or DefaultPort when Port is 0.
func (s Spec) PortOrDefault() int {
	if s.Port == 0 {
		return DefaultPort
	}
	return s.Port
}

// Validate checks the fields the Kind needs.
func (s Spec) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s %s: %s", ErrBadSpec, s.Kind, s.Iface, fmt.Sprintf(format, a...))
	}
	if s.Iface == "" {
		return bad("missing interface")
	}
	if s.Port < 0 || s.Port > 65535 {
		return bad("port %d out of range", s.Port)
	}
	switch s.Kind {
	case Bcast:
	case Mcast, Mcast6:
		if !s.Group.IsValid() || !s.Group.IsMulticast() {
			return bad("group %v is not a multicast address", s.Group)
		}
		if (s.Kind == Mcast) != s.Group.Is4() {
			return bad("group %v has the wrong address family", s.Group)
		}
		if s.TTL < 0 || s.TTL > 255 {
			return bad("ttl %d out of range", s.TTL)
		}
	case Ucast, Ucast6:
		if len(s.Peers) == 0 {
			return bad("no peer address")
		}
		for _, p := range s.Peers {
			if !p.IsValid() || (s.Kind == Ucast) != p.Unmap().Is4() {
				return bad("peer %v has the wrong address family", p)
			}
		}
	default:
		return bad("unknown kind")
	}
	return nil
}
