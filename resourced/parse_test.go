package resourced

import (
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestParseAgent(t *testing.T) {
	good := map[string]Agent{
		"ocf:heartbeat:IPaddr2": {ClassOCF, "heartbeat", "IPaddr2"},
		"lsb:dbus":              {Class: ClassLSB, Type: "dbus"},
		"heartbeat:IPaddr":      {Class: ClassHeartbeat, Type: "IPaddr"},
		"systemd:foo@bar":       {Class: ClassSystemd, Type: "foo@bar"},
	}
	for in, want := range good {
		got, err := ParseAgent(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseAgent(%q) = %+v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "ocf:x", "ocf::Dummy", "ocf:heartbeat:../x", "lsb:", "lsb:a/b", "stonith:x", "lsb:a:b", "ocf:a:.."} {
		if _, err := ParseAgent(in); !errors.Is(err, ErrBadAgent) {
			t.Errorf("ParseAgent(%q) err = %v", in, err)
		}
	}
}

func TestLegacyStatusRunning(t *testing.T) {
	cases := map[string]bool{
		"":                                false,
		"apache2 is running":              true,
		"Running":                         true,
		"INFO:  Running OK":               true,
		"status OK":                       true,
		"ok":                              false,
		"apache2 is not running":          false,
		"NOT RUNNING":                     false,
		"not currently running":           false,
		"notrunning":                      true,
		"is NOT\nrunning":                 true,
		"not\nrunning now":                true,
		"not OK":                          true,
		"Not   running":                   false,
		"stopped":                         false,
		"dbus is not running ... failed!": false,
	}
	for in, want := range cases {
		if got := LegacyStatusRunning(in); got != want {
			t.Errorf("LegacyStatusRunning(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSplitIPaddrArg(t *testing.T) {
	cases := []struct{ in, ip, mask, nic, bcast string }{
		{"192.0.2.10", "192.0.2.10", "", "", ""},
		{"192.0.2.10/24", "192.0.2.10", "24", "", ""},
		{"192.0.2.10/24/eth0", "192.0.2.10", "24", "eth0", ""},
		{"192.0.2.10/24/eth0:1/192.0.2.255", "192.0.2.10", "24", "eth0:1", "192.0.2.255"},
		{"192.0.2.10/24/192.0.2.255", "192.0.2.10", "24", "", "192.0.2.255"},
		{"10.0.30.15//8/eth0:10", "10.0.30.15", "8", "eth0:10", ""},
		{"192.0.2.10/255.255.255.0/eth1", "192.0.2.10", "255.255.255.0", "eth1", ""},
	}
	for _, c := range cases {
		ip, mask, nic, bcast := SplitIPaddrArg(c.in)
		if ip != c.ip || mask != c.mask || nic != c.nic || bcast != c.bcast {
			t.Errorf("SplitIPaddrArg(%q) = %q %q %q %q", c.in, ip, mask, nic, bcast)
		}
	}
}

func TestMapLegacy(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		inst   string
		params map[string]string
	}{
		{"IPaddr", []string{"198.51.100.7/24/eth0/198.51.100.255"}, "IPaddr_198.51.100.7",
			map[string]string{"ip": "198.51.100.7", "cidr_netmask": "24", "nic": "eth0", "broadcast": "198.51.100.255", "lvs_support": "0"}},
		{"IPaddr2", []string{"198.51.100.7"}, "IPaddr2_198.51.100.7", map[string]string{"ip": "198.51.100.7", "lvs_support": "1"}},
		{"Filesystem", []string{"/dev/drbd0", "/data", "ext3", "rw,noatime"}, "Filesystem_/dev/drbd0",
			map[string]string{"device": "/dev/drbd0", "directory": "/data", "fstype": "ext3", "options": "rw,noatime"}},
		{"Filesystem", []string{"/dev/sdb1", "/data"}, "Filesystem_/dev/sdb1", map[string]string{"device": "/dev/sdb1", "directory": "/data"}},
		{"Delay", nil, "Delay_10", map[string]string{}},
		{"Delay", []string{"3", "4"}, "Delay_3", map[string]string{"startdelay": "3", "stopdelay": "4"}},
		{"MailTo", []string{"root@example.com", "failover"}, "MailTo", map[string]string{"email": "root@example.com", "subject": "failover"}},
		{"SendArp", []string{"198.51.100.7/eth0"}, "SendArp_198.51.100.7", map[string]string{"ip": "198.51.100.7", "nic": "eth0"}},
		{"IPsrcaddr", []string{"198.51.100.7"}, "IPsrcaddr", map[string]string{"ipaddress": "198.51.100.7"}},
		{"LVM", []string{"vg0"}, "LVM", map[string]string{"volgrpname": "vg0"}},
		{"Raid1", []string{"/etc/raidtab", "/dev/md0"}, "Raid1_/etc/raidtab", map[string]string{"raidconf": "/etc/raidtab", "raiddev": "/dev/md0"}},
		{"apache", []string{"/etc/apache2/apache2.conf"}, "apache_/etc/apache2/apache2.conf", map[string]string{"configfile": "/etc/apache2/apache2.conf"}},
		{"apache", nil, "apache_", map[string]string{}},
		{"IPv6addr", []string{"2001:db8:1:2/64/eth0"}, "IPv6addr_2001:db8:1:2/64/eth0", map[string]string{"ipv6addr": "2001:db8:1:2", "cidr_netmask": "64", "nic": "eth0"}},
		{"portblock", []string{"tcp", "80,443", "block"}, "portblock_tcp_80,443_block", map[string]string{"protocol": "tcp", "portno": "80,443", "action": "block"}},
		{"AudibleAlarm", []string{"n1", "n2"}, "AudibleAlarm", map[string]string{"nodelist": "n1 n2 "}},
	}
	for _, c := range cases {
		op, err := MapLegacy(c.name, c.args)
		if err != nil {
			t.Errorf("MapLegacy(%s, %v): %v", c.name, c.args, err)
			continue
		}
		if op.Resource != c.inst || !reflect.DeepEqual(op.Params, c.params) || op.Agent != (Agent{ClassOCF, "heartbeat", c.name}) {
			t.Errorf("MapLegacy(%s, %v) = %+v", c.name, c.args, op)
		}
	}
	bad := map[string][]string{"IPaddr": {"a", "b"}, "IPaddr2": nil, "Filesystem": {"/dev/x"}, "Delay": {"1", "2", "3"}, "portblock": {"tcp"}, "ids": {"a"}}
	for name, args := range bad {
		if _, err := MapLegacy(name, args); !errors.Is(err, ErrBadOp) || !strings.Contains(err.Error(), "usage") {
			t.Errorf("MapLegacy(%s, %v) err = %v", name, args, err)
		}
	}
	if _, err := MapLegacy("httpd", nil); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("unknown wrapper: %v", err)
	}
}

func TestParseHeartbeatResource(t *testing.T) {
	cases := []struct {
		in   string
		name string
		args []string
	}{
		{"192.168.1.10", "IPaddr", []string{"192.168.1.10"}},
		{"10.0.0.5/24/eth0/10.0.0.255", "IPaddr", []string{"10.0.0.5/24/eth0/10.0.0.255"}},
		{"1a.b.2.3.4", "IPaddr", []string{"1a.b.2.3.4"}},
		{"IPaddr2::10.0.0.5/24/eth0", "IPaddr2", []string{"10.0.0.5/24/eth0"}},
		{"Filesystem::/dev/drbd0::/data::ext3", "Filesystem", []string{"/dev/drbd0", "/data", "ext3"}},
		{"drbddisk::r0", "drbddisk", []string{"r0"}},
		{"apache2", "apache2", []string{}},
		{"1.2.3", "1.2.3", []string{}},
	}
	for _, c := range cases {
		name, args := ParseHeartbeatResource(c.in)
		if name != c.name || !reflect.DeepEqual(args, c.args) {
			t.Errorf("ParseHeartbeatResource(%q) = %q %q", c.in, name, args)
		}
	}
}

func FuzzParseHeartbeatResource(f *testing.F) {
	for _, s := range []string{"192.168.1.10/24", "Filesystem::/dev/x::/d", "IPaddr::1.2.3.4//8/eth0:1", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, args := ParseHeartbeatResource(s)
		if name == "IPaddr" && len(args) == 1 && args[0] == s {
			return
		}
		if got := strings.Join(append([]string{name}, args...), "::"); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
		if len(args) > 0 && name != "" {
			if op, err := MapLegacy(name, args); err == nil && op.Resource == "" {
				t.Fatalf("mapped without instance: %q", s)
			}
		}
	})
}

func FuzzSplitIPaddrArg(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "1.2.3.4/24/eth0/1.2.3.255", "1.2.3.4//8/eth0:10", "/", "a/1/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ip, mask, nic, bcast := SplitIPaddrArg(s)
		if strings.Contains(ip, "/") || strings.Contains(mask, "/") || strings.Contains(nic, "/") || strings.Contains(bcast, "/") {
			t.Fatalf("field with a slash from %q", s)
		}
	})
}

func FuzzParseAgent(f *testing.F) {
	for _, s := range []string{"ocf:heartbeat:Dummy", "lsb:dbus", "systemd:x.service", "heartbeat:IPaddr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAgent(s)
		if err != nil {
			return
		}
		if strings.Contains(a.Type, "/") || strings.Contains(a.Provider, "/") || a.Type == ".." {
			t.Fatalf("unsafe agent accepted: %q", s)
		}
		if b, err := ParseAgent(a.String()); err != nil || b != a {
			t.Fatalf("round trip %q", s)
		}
	})
}

// TestLegacyStatusMatchesShellCase compares LegacyStatusRunning with the
// case statement of heartbeat 3.0.6's ResourceManager run by /bin/sh.
func TestLegacyStatusMatchesShellCase(t *testing.T) {
	const script = `case "$1" in
  *[Nn][Oo][Tt]\ *[Rr]unning*) echo stopped;;
  *[Rr]unning*|*OK*) echo running;;
  *) echo stopped;;
esac`
	inputs := []string{
		"", "running", "Running", "RUNNING", "not running", "Not Running", "NOT running", "not  running",
		"not\trunning", "notrunning", "is not currently running", "OK", "ok", "not OK", "status: OK\nbut not running",
		"dead\nnot running", "Not\nrunning", "runningnot running", "nOt rUnning", "x not yrunning", "No running", "NOT RUNNING",
	}
	for _, in := range inputs {
		out, err := exec.Command("/bin/sh", "-c", script, "sh", in).Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSpace(string(out)) == "running"
		if got := LegacyStatusRunning(in); got != want {
			t.Errorf("LegacyStatusRunning(%q) = %v, shell says %v", in, got, want)
		}
	}
}
