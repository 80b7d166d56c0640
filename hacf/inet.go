package hacf

import (
	"net"
	"strconv"
	"strings"
)

// inetAton parses an IPv4 address in any form C inet_aton accepts (which
// is what 3.0.6's resolver falls back to): one to four parts, each decimal,
// octal (leading 0) or hex (0x), the last part filling the remaining bytes.
// "127.1" is 127.0.0.1 and "198.51.100" is 198.51.0.100.
func inetAton(s string) (net.IP, bool) {
	if s == "" {
		return nil, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return nil, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		if p == "" {
			return nil, false
		}
		base := 10
		digits := p
		switch {
		case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
			base, digits = 16, p[2:]
			if digits == "" {
				digits = "0" // inet_aton reads "0x" as 0
			}
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return nil, false
		}
		vals[i] = v
	}
	var addr uint64
	last := len(vals) - 1
	for i := 0; i < last; i++ {
		if vals[i] > 0xff {
			return nil, false
		}
		addr |= vals[i] << (8 * (3 - i))
	}
	if vals[last] > uint64(0xffffffff)>>(8*last) {
		return nil, false
	}
	addr |= vals[last]
	return net.IPv4(byte(addr>>24), byte(addr>>16), byte(addr>>8), byte(addr)), true
}
