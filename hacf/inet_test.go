package hacf

import (
	"net"
	"testing"
)

func TestInetAton(t *testing.T) {
	for in, want := range map[string]string{
		"127.1": "127.0.0.1", "198.51.100": "198.51.0.100", "10.0.0.1": "10.0.0.1",
		"0x7f.1": "127.0.0.1", "0177.0.0.1": "127.0.0.1", "3232235777": "192.168.1.1", "1.2.65535": "1.2.255.255",
	} {
		ip, ok := inetAton(in)
		if !ok || !ip.Equal(net.ParseIP(want)) {
			t.Errorf("inetAton(%q) = %v, %v; want %s", in, ip, ok, want)
		}
	}
	for _, in := range []string{"", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1..2", "a.b.c.d", "08.1.1.1", "1.2.65536", "1.2.3.4."} {
		if ip, ok := inetAton(in); ok {
			t.Errorf("inetAton(%q) = %v; want failure", in, ip)
		}
	}
}
