package wiretest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"
)

// Proto says how a payload was carried.
type Proto int

// The carriers of heartbeat payloads.
const (
	UDP  Proto = iota // UDP datagram to or from port 694
	ICMP              // data of an ICMP echo request or reply (ping node)
)

// Packet is one heartbeat payload found in a capture.
type Packet struct {
	Time     time.Time
	Proto    Proto
	Src, Dst netip.Addr
	ICMPType uint8 // 8 request, 0 reply; ICMP only
	Payload  []byte
}

// HeartbeatPort is the UDP port of Heartbeat.
const HeartbeatPort = 694

// ErrPcap means the file is not a classic pcap file this reader handles.
var ErrPcap = errors.New("unsupported pcap")

// ReadPcapFile reads a classic pcap file (microsecond or nanosecond,
// either byte order, Ethernet or Linux cooked link type) and returns every
// UDP payload to or from port 694 and every ICMP echo data, in order.
func ReadPcapFile(path string) ([]Packet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pkts, err := ParsePcap(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pkts, nil
}

// ParsePcap is ReadPcapFile on bytes.
func ParsePcap(data []byte) ([]Packet, error) {
	if len(data) < 24 {
		return nil, fmt.Errorf("%w: short header", ErrPcap)
	}
	var bo binary.ByteOrder
	nano := false
	switch binary.LittleEndian.Uint32(data) {
	case 0xa1b2c3d4:
		bo = binary.LittleEndian
	case 0xa1b23c4d:
		bo, nano = binary.LittleEndian, true
	case 0xd4c3b2a1:
		bo = binary.BigEndian
	case 0x4d3cb2a1:
		bo, nano = binary.BigEndian, true
	default:
		return nil, fmt.Errorf("%w: magic %x", ErrPcap, data[:4])
	}
	link := bo.Uint32(data[20:])
	var out []Packet
	for off := 24; off+16 <= len(data); {
		sec, frac := bo.Uint32(data[off:]), bo.Uint32(data[off+4:])
		incl := int(bo.Uint32(data[off+8:]))
		off += 16
		if incl < 0 || off+incl > len(data) {
			return out, fmt.Errorf("%w: truncated record", ErrPcap)
		}
		frame := data[off : off+incl]
		off += incl
		if !nano {
			frac *= 1000
		}
		ts := time.Unix(int64(sec), int64(frac))
		var ip []byte
		switch link {
		case 1: // Ethernet
			if len(frame) < 14 {
				continue
			}
			et, p := binary.BigEndian.Uint16(frame[12:]), 14
			if et == 0x8100 && len(frame) >= 18 {
				et, p = binary.BigEndian.Uint16(frame[16:]), 18
			}
			if et != 0x0800 {
				continue
			}
			ip = frame[p:]
		case 113: // Linux cooked
			if len(frame) < 16 {
				continue
			}
			ip = frame[16:]
		case 101: // raw IP
			ip = frame
		default:
			return nil, fmt.Errorf("%w: link type %d", ErrPcap, link)
		}
		if p, ok := parseIPv4(ip, ts); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func parseIPv4(ip []byte, ts time.Time) (Packet, bool) {
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return Packet{}, false
	}
	ihl := int(ip[0]&15) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ihl < 20 || total < ihl || total > len(ip) {
		return Packet{}, false
	}
	if binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 { // fragment
		return Packet{}, false
	}
	p := Packet{Time: ts, Src: netip.AddrFrom4([4]byte(ip[12:16])), Dst: netip.AddrFrom4([4]byte(ip[16:20]))}
	l4 := ip[ihl:total]
	switch ip[9] {
	case 17:
		if len(l4) < 8 {
			return Packet{}, false
		}
		sp, dp := binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
		ulen := int(binary.BigEndian.Uint16(l4[4:]))
		if sp != HeartbeatPort && dp != HeartbeatPort || ulen < 8 || ulen > len(l4) {
			return Packet{}, false
		}
		p.Proto, p.Payload = UDP, l4[8:ulen]
		return p, true
	case 1:
		if len(l4) < 8 || (l4[0] != 8 && l4[0] != 0) {
			return Packet{}, false
		}
		p.Proto, p.ICMPType, p.Payload = ICMP, l4[0], l4[8:]
		return p, true
	}
	return Packet{}, false
}
