package haresources

import (
	"errors"
	"net/netip"
	"testing"
)

func TestParseIPaddrArg(t *testing.T) {
	a := netip.MustParseAddr
	var none netip.Addr
	tests := []struct {
		in        string
		ip        netip.Addr
		mask      string
		cidr      int
		iface     string
		label     string
		broadcast netip.Addr
		canon     string
	}{
		{"192.168.1.10", a("192.168.1.10"), "", -1, "", "", none, "192.168.1.10"},
		{"192.168.1.10/24", a("192.168.1.10"), "24", 24, "", "", none, "192.168.1.10/24"},
		{"192.168.1.10/24/eth0", a("192.168.1.10"), "24", 24, "eth0", "", none, "192.168.1.10/24/eth0"},
		{"192.168.1.10/24/eth0/192.168.1.255", a("192.168.1.10"), "24", 24, "eth0", "", a("192.168.1.255"), "192.168.1.10/24/eth0/192.168.1.255"},
		{"172.16.1.200/24/eth0:1", a("172.16.1.200"), "24", 24, "eth0", "1", none, "172.16.1.200/24/eth0:1"},
		{"192.168.88.140/255.255.255.0", a("192.168.88.140"), "255.255.255.0", 24, "", "", none, "192.168.88.140/24"},
		{"10.0.30.15//8/eth0:10", a("10.0.30.15"), "8", 8, "eth0", "10", none, "10.0.30.15/8/eth0:10"},
		{"10.0.0.5/24/10.0.0.255", a("10.0.0.5"), "24", 24, "", "", a("10.0.0.255"), "10.0.0.5/24/10.0.0.255"},
		{"10.0.0.5/24/10.0.0.255/eth9", a("10.0.0.5"), "24", 24, "", "", a("10.0.0.255"), "10.0.0.5/24/10.0.0.255"},
		{"10.0.0.5/24//enp0s8//10.0.0.255/junk", a("10.0.0.5"), "24", 24, "enp0s8", "", a("10.0.0.255"), "10.0.0.5/24/enp0s8/10.0.0.255"},
		{"10.0.0.5/", a("10.0.0.5"), "", -1, "", "", none, "10.0.0.5"},
		{"10.0.0.5/0", a("10.0.0.5"), "0", 0, "", "", none, "10.0.0.5/0"},
		{"10.0.0.5/32/lo", a("10.0.0.5"), "32", 32, "lo", "", none, "10.0.0.5/32/lo"},
	}
	for _, tc := range tests {
		got, err := ParseIPaddrArg(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		want := IPaddrArg{IP: tc.ip, Mask: tc.mask, CIDR: tc.cidr, Iface: tc.iface, Label: tc.label, Broadcast: tc.broadcast}
		if got != want {
			t.Errorf("%q = %+v, want %+v", tc.in, got, want)
		}
		if s := got.String(); s != tc.canon {
			t.Errorf("%q String = %q, want %q", tc.in, s, tc.canon)
		}
	}

	bad := []struct {
		in  string
		err error
	}{
		{"", ErrBadIP},
		{"virtual_ip/mask/network_adapter:0", ErrBadIP},
		{"10.0.0.256/24", ErrBadIP},
		{"fe80::1/64", ErrBadIP},
		{"10.0.0.1/33", ErrBadMask},
		{"10.0.0.1/-1", ErrBadMask},
		{"10.0.0.1/+8", ErrBadMask},
		{"10.0.0.1/mask", ErrBadMask},
		{"10.0.0.1//eth0", ErrBadMask}, // the wrapper takes eth0 for the mask
		{"10.0.0.1/255.0.255.0", ErrBadMask},
		{"10.0.0.1/24/eth0:", ErrBadIface},
		{"10.0.0.1/24/:1", ErrBadIface},
		{"10.0.0.1/24/eth0/bcast", ErrBadBroadcast},
		{"10.0.0.1/24/10.0.0", ErrBadBroadcast},
	}
	for _, tc := range bad {
		if _, err := ParseIPaddrArg(tc.in); !errors.Is(err, tc.err) {
			t.Errorf("%q: error %v, want %v", tc.in, err, tc.err)
		}
	}
}
