package haresources

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// IPaddrArg is the single argument of the IPaddr and IPaddr2 resources,
// IP[/MASK[/IFACE[/BROADCAST]]] or IP/MASK/BROADCAST.
type IPaddrArg struct {
	IP netip.Addr
	// Mask is the netmask as written ("24" or "255.255.255.0"); empty when
	// omitted (the agent then takes it from the routing table).
	Mask string
	// CIDR is the prefix length of Mask, or -1 when Mask is empty.
	CIDR int
	// Iface is the interface without alias label; empty when omitted (the
	// agent then picks the interface on the address's subnet).
	Iface string
	// Label is the alias label after ':' in the interface ("1" of eth0:1).
	Label string
	// Broadcast is the broadcast address; the zero Addr when omitted.
	Broadcast netip.Addr
}

// Errors of ParseIPaddrArg, wrapped with the offending text.
var (
	// ErrBadIP means the address part is not an IPv4 address.
	ErrBadIP = errors.New("not an IPv4 address")
	// ErrBadMask means the mask is neither 0..32 nor a contiguous dotted netmask.
	ErrBadMask = errors.New("bad netmask")
	// ErrBadBroadcast means the broadcast part is not an IPv4 address.
	ErrBadBroadcast = errors.New("bad broadcast address")
	// ErrBadIface means the interface part is malformed (e.g. "eth0:").
	ErrBadIface = errors.New("bad interface name")
)

// ParseIPaddrArg splits an IPaddr/IPaddr2 argument the way the 3.0.6
// wrappers do: the IP runs to the first '/'; after each field a run of '/'
// is skipped; the next field is the mask; a third field starting with a
// digit is the broadcast address (and ends the argument), otherwise it is
// the interface, optionally followed by the broadcast address. Anything
// after that is ignored, as the wrappers ignore it.
func ParseIPaddrArg(s string) (IPaddrArg, error) {
	a := IPaddrArg{CIDR: -1}
	ipText, rest, _ := strings.Cut(s, "/")
	ip, err := netip.ParseAddr(ipText)
	if err != nil || !ip.Is4() {
		return a, fmt.Errorf("IP %q: %w", ipText, ErrBadIP)
	}
	a.IP = ip
	next := func() string {
		rest = strings.TrimLeft(rest, "/")
		var f string
		f, rest, _ = strings.Cut(rest, "/")
		return f
	}
	if a.Mask = next(); a.Mask == "" {
		return a, nil
	}
	if a.CIDR, err = maskBits(a.Mask); err != nil {
		return a, err
	}
	third := next()
	if third == "" {
		return a, nil
	}
	bcast := third
	if !isDigit(third[0]) {
		a.Iface, a.Label, _ = strings.Cut(third, ":")
		if a.Iface == "" || strings.HasSuffix(third, ":") {
			return a, fmt.Errorf("interface %q: %w", third, ErrBadIface)
		}
		if bcast = next(); bcast == "" {
			return a, nil
		}
	}
	b, err := netip.ParseAddr(bcast)
	if err != nil || !b.Is4() {
		return a, fmt.Errorf("broadcast %q: %w", bcast, ErrBadBroadcast)
	}
	a.Broadcast = b
	return a, nil
}

// maskBits converts a CIDR length or a dotted netmask to a prefix length.
func maskBits(m string) (int, error) {
	if n, err := strconv.Atoi(m); err == nil && !strings.HasPrefix(m, "+") {
		if n < 0 || n > 32 {
			return -1, fmt.Errorf("netmask %q out of range 0..32: %w", m, ErrBadMask)
		}
		return n, nil
	}
	addr, err := netip.ParseAddr(m)
	if err != nil || !addr.Is4() {
		return -1, fmt.Errorf("netmask %q: %w", m, ErrBadMask)
	}
	b := addr.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	bits := 0
	for v&0x80000000 != 0 {
		bits++
		v <<= 1
	}
	if v != 0 {
		return -1, fmt.Errorf("netmask %q is not contiguous: %w", m, ErrBadMask)
	}
	return bits, nil
}

// String renders the argument in the canonical IP/CIDR/IFACE[:LABEL]/BROADCAST
// form, leaving out what was omitted.
func (a IPaddrArg) String() string {
	s := a.IP.String()
	if a.CIDR >= 0 {
		s += "/" + strconv.Itoa(a.CIDR)
	}
	if a.Iface != "" {
		s += "/" + a.Iface
		if a.Label != "" {
			s += ":" + a.Label
		}
	}
	if a.Broadcast.IsValid() {
		s += "/" + a.Broadcast.String()
	}
	return s
}

// ErrNotIPaddr means the resource is not IPaddr/IPaddr2 with one argument.
var ErrNotIPaddr = errors.New("not an IPaddr or IPaddr2 resource with one argument")

// IPaddr parses the argument of an IPaddr or IPaddr2 resource (a bare IP
// included, being IPaddr::IP).
func (r Resource) IPaddr() (IPaddrArg, error) {
	if (r.Name != "IPaddr" && r.Name != "IPaddr2") || len(r.Args) != 1 {
		return IPaddrArg{CIDR: -1}, fmt.Errorf("%s: %w", r.Raw, ErrNotIPaddr)
	}
	return ParseIPaddrArg(r.Args[0])
}
