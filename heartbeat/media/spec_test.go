package media

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func TestMergeUcast(t *testing.T) {
	in := []Spec{
		{Kind: Ucast, Iface: "eth0", Peers: addrs("198.51.100.1")},
		{Kind: Bcast, Iface: "eth1"},
		{Kind: Ucast, Iface: "eth0", Port: 694, Peers: addrs("198.51.100.2", "198.51.100.1")},
		{Kind: Ucast, Iface: "eth2", Peers: addrs("198.51.100.3")},
		{Kind: Ucast, Iface: "eth0", Port: 700, Peers: addrs("198.51.100.4")},
		{Kind: Ucast6, Iface: "eth0", Peers: addrs("2001:db8::1")},
	}
	want := []Spec{
		{Kind: Ucast, Iface: "eth0", Peers: addrs("198.51.100.1", "198.51.100.2")},
		{Kind: Bcast, Iface: "eth1"},
		{Kind: Ucast, Iface: "eth2", Peers: addrs("198.51.100.3")},
		{Kind: Ucast, Iface: "eth0", Port: 700, Peers: addrs("198.51.100.4")},
		{Kind: Ucast6, Iface: "eth0", Peers: addrs("2001:db8::1")},
	}
	got := MergeUcast(in)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MergeUcast:\n got %+v\nwant %+v", got, want)
	}
	if len(in[0].Peers) != 1 {
		t.Fatal("MergeUcast modified its input")
	}
}

func TestSpecValidate(t *testing.T) {
	good := []Spec{
		{Kind: Bcast, Iface: "eth0"},
		{Kind: Mcast, Iface: "eth0", Group: netip.MustParseAddr("239.192.0.2"), Port: 694, TTL: 1},
		{Kind: Mcast6, Iface: "eth0", Group: netip.MustParseAddr("ff12::694"), TTL: 1, Loop: true},
		{Kind: Ucast, Iface: "eth0", Peers: addrs("198.51.100.2")},
		{Kind: Ucast6, Iface: "eth0", Peers: addrs("fe80::1")},
	}
	for _, s := range good {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	bad := []Spec{
		{Kind: Bcast},
		{Kind: Bcast, Iface: "eth0", Port: -1},
		{Kind: Mcast, Iface: "eth0"},
		{Kind: Mcast, Iface: "eth0", Group: netip.MustParseAddr("198.51.100.1")},
		{Kind: Mcast6, Iface: "eth0", Group: netip.MustParseAddr("239.192.0.2")},
		{Kind: Mcast, Iface: "eth0", Group: netip.MustParseAddr("239.192.0.2"), TTL: 256},
		{Kind: Ucast, Iface: "eth0"},
		{Kind: Ucast, Iface: "eth0", Peers: addrs("2001:db8::1")},
		{Kind: Ucast6, Iface: "eth0", Peers: addrs("198.51.100.1")},
		{Kind: "serial", Iface: "ttyS0"},
	}
	for _, s := range bad {
		if err := s.Validate(); !errors.Is(err, ErrBadSpec) {
			t.Errorf("%+v: err %v, want ErrBadSpec", s, err)
		}
	}
	if (Spec{}).PortOrDefault() != 694 || (Spec{Port: 7}).PortOrDefault() != 7 {
		t.Error("PortOrDefault")
	}
}
