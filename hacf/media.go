package hacf

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

func (p *parser) udpPortFor(port *int, ln rawLine) int {
	if *port == 0 {
		*port = p.cfg.UDPPort
		if *port == 0 {
			*port = p.defaultPort()
		}
		*port = int(uint16(*port))
	}
	if p.firstUDPLine == 0 {
		p.firstUDPLine = ln.num
	}
	return *port
}

func (p *parser) bcast(ln rawLine, iface string) {
	exists, v4, brd := p.env.Interface(iface)
	if !exists || !v4 {
		hint := "name an existing interface that has an IPv4 address"
		if exists {
			hint = "give the interface an IPv4 address before starting heartbeat"
		}
		p.errorf(ln, hint, "IP interface [%s] does not exist or has no IPv4 address", iface)
		return
	}
	if !brd {
		// 3.0.6 only asks for the address (SIOCGIFBRDADDR succeeds on lo).
		p.warnf(ln, "use an interface with a broadcast address, or ucast/mcast", "interface %s has no broadcast address; broadcast heartbeats will not reach the peers", iface)
	}
	port := p.udpPortFor(&p.bcastPort, ln)
	p.addMedium(ln, Medium{Kind: Bcast, Line: ln.num, Iface: iface, Port: port})
}

func (p *parser) serial(ln rawLine, dev string) {
	if !p.env.Exists(dev) {
		p.errorf(ln, "name an existing tty device such as /dev/ttyS0", "Nonexistent serial port [%s]", dev)
		return
	}
	// 3.0.6 accepts the line but exits (status 1) at start-up when the
	// device is not a working tty.
	if err := p.env.SerialPort(dev); err != nil {
		p.errorf(ln, "name a serial port with working hardware behind it", "serial port [%s] cannot be used: %v (3.0.6 fails at start-up)", dev, err)
		return
	}
	p.addMedium(ln, Medium{Kind: Serial, Line: ln.num, Iface: dev, Baud: p.cfg.Baud})
}

func (p *parser) addMedium(ln rawLine, m Medium) {
	if p.roomForMedium(ln) {
		p.cfg.Media = append(p.cfg.Media, m)
	}
}

func (p *parser) resolve(host string, want6 bool) (net.IP, bool) {
	// glibc's resolver reads a name of digits and dots with inet_aton
	// ("127.1", "198.51.100", octal parts); hex parts go to DNS and fail.
	if !want6 && strings.Trim(host, "0123456789.") == "" && !strings.HasSuffix(host, ".") {
		if ip, ok := inetAton(host); ok {
			return ip, true
		}
	}
	if want6 {
		// IPv6 literals may carry a zone (fe80::2%eth0) and may be
		// IPv4-mapped (::ffff:198.51.100.2); both are IPv6 here.
		if a, err := netip.ParseAddr(host); err == nil {
			if !a.Is6() {
				return nil, false
			}
			return net.IP(a.WithZone("").AsSlice()), true
		}
	}
	ips, err := p.env.LookupHost(host)
	if err != nil {
		return nil, false
	}
	for _, ip := range ips {
		if (ip.To4() == nil) == want6 {
			return ip, true
		}
	}
	return nil, false
}

const resolveHint = "use an IP address, or a name present in /etc/hosts (3.0.6 resolves it while reading ha.cf)"

func (p *parser) ping(ln rawLine, host string) {
	if _, ok := p.resolve(host, false); !ok {
		p.errorf(ln, resolveHint, "unknown ping host [%s]", host)
		return
	}
	if !p.roomForNode(ln) || !p.roomForMedium(ln) {
		return
	}
	p.cfg.PingNodes = append(p.cfg.PingNodes, PingNode{Kind: Ping, Name: host, Hosts: []string{host}, Line: ln.num})
}

func (p *parser) ping6(ln rawLine, host string) {
	if _, ok := p.resolve(host, true); !ok {
		p.errorf(ln, "use an IPv6 address or a name with an IPv6 address", "unknown IPv6 ping host [%s]", host)
		return
	}
	if !p.roomForNode(ln) || !p.roomForMedium(ln) {
		return
	}
	p.cfg.PingNodes = append(p.cfg.PingNodes, PingNode{Kind: Ping6, Name: host, Hosts: []string{host}, Line: ln.num})
}

// pingGroup: 3.0.6 only fails when no member is given; a member that does
// not resolve is logged and skipped.
func (p *parser) pingGroup(ln rawLine, rest string) {
	f := fields(rest)
	if len(f) < 2 {
		p.errorf(ln, "write ping_group NAME HOST [HOST...]", "ping_group needs a name and at least one host (3.0.6 fails silently)")
		return
	}
	g := PingNode{Kind: PingGroup, Name: f[0], Line: ln.num}
	for _, h := range f[1:] {
		if _, ok := p.resolve(h, false); !ok {
			p.warnf(ln, resolveHint, "ping_group member [%s] does not resolve and is ignored", h)
			continue
		}
		g.Hosts = append(g.Hosts, h)
	}
	if !p.roomForNode(ln) || !p.roomForMedium(ln) {
		return
	}
	p.cfg.PingNodes = append(p.cfg.PingNodes, g)
}

func (p *parser) ucast(ln rawLine, rest string) {
	f := fields(rest)
	if len(f) == 0 {
		p.errorf(ln, "write ucast IFACE PEER", "missing interface and target (3.0.6 crashes on this line)")
		return
	}
	if len(f) < 2 {
		p.errorf(ln, "write ucast IFACE PEER", "ucast: [%s] missing target IP address/hostname", f[0])
		return
	}
	ip, ok := p.resolve(f[1], false)
	if !ok {
		p.errorf(ln, resolveHint, "ucast: cannot resolve hostname [%s]", f[1])
		return
	}
	if len(f) > 2 {
		p.warnf(ln, "write one ucast line per peer", "only the first target is used; %v ignored", f[2:])
	}
	if ex, _, _ := p.env.Interface(f[0]); !ex {
		p.errorf(ln, "name an existing network interface", "interface [%s] does not exist (3.0.6 aborts at start-up)", f[0])
		return
	}
	port := p.udpPortFor(&p.ucastPort, ln)
	p.addMedium(ln, Medium{Kind: Ucast, Line: ln.num, Iface: f[0], Peer: f[1], PeerIP: ip, Port: port})
}

func (p *parser) ucast6(ln rawLine, rest string) {
	f := fields(rest)
	if len(f) < 2 {
		p.errorf(ln, "write ucast6 IFACE PEER6", "ucast6: missing interface or target")
		return
	}
	ip, ok := p.resolve(f[1], true)
	if !ok || ip.IsLoopback() || ip.IsUnspecified() || ip.IsMulticast() {
		p.errorf(ln, "use the peer's unicast IPv6 address (not loopback, :: or multicast)", "ucast6 [%s] bad addr [%s]", f[0], f[1])
		return
	}
	if ex, _, _ := p.env.Interface(f[0]); !ex {
		p.errorf(ln, "name an existing network interface", "interface [%s] does not exist", f[0])
		return
	}
	port := p.udpPortFor(&p.ucast6Port, ln)
	p.addMedium(ln, Medium{Kind: Ucast6, Line: ln.num, Iface: f[0], Peer: f[1], PeerIP: ip, Port: port})
}

// mcast6Scopes are the multicast scopes mcast6 accepts (the low nibble of
// the second byte; the flag nibble is ignored). Measured on the real
// daemon: 2, 4, 5 and 8 accepted; 0, 1, 3, e and f refused.
var mcast6Scopes = map[byte]bool{0x2: true, 0x4: true, 0x5: true, 0x8: true}

var mcastFields = []string{"interface", "group", "port", "ttl", "loop"}

const mcastHint = "write mcast IFACE GROUP PORT TTL LOOP, e.g. mcast eth0 239.0.0.1 694 1 0"

// mcast reproduces the plugin's checks: every field present; the
// interface has an IPv4 address; the group is an IPv4 multicast literal;
// port, ttl and loop are atoi values stored in a 16-bit port and 8-bit ttl
// and loop, then range-checked.
func (p *parser) mcast(ln rawLine, rest string) {
	m, ok := p.mcastCommon(ln, rest, "mcast", mcastHint, false)
	if !ok {
		return
	}
	if ex, v4, _ := p.env.Interface(m.Iface); !ex || !v4 {
		p.errorf(ln, "name an existing interface that has an IPv4 address", "mcast device [%s] is invalid or not set up properly", m.Iface)
		return
	}
	p.addMedium(ln, m)
}

func (p *parser) mcast6(ln rawLine, rest string) {
	m, ok := p.mcastCommon(ln, rest, "mcast6", "write mcast6 IFACE GROUP6 PORT HOPS LOOP", true)
	if !ok {
		return
	}
	if ex, _, _ := p.env.Interface(m.Iface); !ex {
		p.errorf(ln, "name an existing interface", "mcast6 device [%s] does not exist", m.Iface)
		return
	}
	p.addMedium(ln, m)
}

func (p *parser) mcastCommon(ln rawLine, rest, kind, hint string, v6 bool) (Medium, bool) {
	f := fields(rest)
	if len(f) == 0 {
		p.errorf(ln, hint, "%s: no arguments (3.0.6 crashes on this line)", kind)
		return Medium{}, false
	}
	if len(f) < len(mcastFields) {
		p.errorf(ln, hint, "%s [%s] missing %s", kind, f[0], mcastFields[len(f)])
		return Medium{}, false
	}
	if len(f) > len(mcastFields) {
		p.warnf(ln, hint, "extra fields %v ignored", f[len(mcastFields):])
	}
	group := net.ParseIP(f[1])
	if group == nil || !group.IsMulticast() || (group.To4() == nil) != v6 || (v6 && !mcast6Scopes[group[1]&0x0f]) {
		want := "an IPv4 multicast address (224.0.0.0/4), e.g. 239.0.0.1"
		if v6 {
			want = "an IPv6 multicast group of link, admin, site or organisation scope (ffx2, ffx4, ffx5, ffx8), e.g. ff02::1:4"
		}
		p.errorf(ln, "the group must be "+want, "%s [%s] bad addr [%s]", kind, f[0], f[1])
		return Medium{}, false
	}
	port := portOf(f[2])
	if port == 0 {
		p.errorf(ln, "a port number from 1 to 65535 (service names are not accepted)", "%s [%s] bad port [%s]", kind, f[0], f[2])
		return Medium{}, false
	}
	ttl := int(uint8(Atoi(f[3])))
	if ttl > 4 {
		what := "ttl"
		if v6 {
			what = "hops"
		}
		p.errorf(ln, what+" must be 0..4", "%s [%s] bad %s [%d]", kind, f[0], what, ttl)
		return Medium{}, false
	}
	loop := int(uint8(Atoi(f[4])))
	if loop > 1 {
		p.errorf(ln, "loop must be 0 or 1", "%s [%s] bad loop [%d]", kind, f[0], loop)
		return Medium{}, false
	}
	if Atoi(f[2]) != port || fmt.Sprint(Atoi(f[2])) != f[2] {
		p.warnf(ln, "write the port as a plain number 1..65535", "port %q is read as %d", f[2], port)
	}
	if fmt.Sprint(ttl) != f[3] || fmt.Sprint(loop) != f[4] {
		p.warnf(ln, "write ttl and loop as plain numbers", "ttl %q / loop %q are read as %d / %d", f[3], f[4], ttl, loop)
	}
	kindV := Mcast
	if v6 {
		kindV = Mcast6
	}
	return Medium{Kind: kindV, Line: ln.num, Iface: f[0], Group: group, Port: port, TTL: ttl, Loop: loop == 1}, true
}

// portOf converts a port field as the mcast plugins do: atoi, then
// truncated to 16 bits.
func portOf(v string) int { return int(uint16(Atoi(v))) }
