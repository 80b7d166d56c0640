package hacf

import (
	"net"
	"os"
	"os/exec"
	"testing"
)

// TestOSEnv checks the real Env against facts of any Linux host.
func TestOSEnv(t *testing.T) {
	e := &OSEnv{}
	if ex, v4, brd := e.Interface("lo"); !ex || !v4 || brd {
		t.Errorf("lo: exists=%v ipv4=%v broadcast=%v; want true true false", ex, v4, brd)
	}
	if ex, _, _ := e.Interface("hbgo-no-such-if0"); ex {
		t.Error("missing interface reported present")
	}
	if ips, err := e.LookupHost("192.0.2.7"); err != nil || !ips[0].Equal(net.ParseIP("192.0.2.7")) {
		t.Errorf("literal: %v %v", ips, err)
	}
	// No lookup of an unknown name here: it would query the host's DNS.
	if !e.UserExists("root") || e.UserExists("0") || e.UserExists("hbgo-no-such-user") {
		t.Error("UserExists: want root yes, numeric no, unknown no")
	}
	if !e.GroupExists("root") || e.GroupExists("hbgo-no-such-group") {
		t.Error("GroupExists")
	}
	if !e.Executable("/bin/sh") || !e.Executable("/") || e.Executable("/hbgo/none") || e.Executable("/etc/passwd") {
		t.Error("Executable: want /bin/sh yes, directory yes (access X_OK), missing no, /etc/passwd no")
	}
	if err := e.SerialPort("/dev/null"); err == nil {
		t.Error("/dev/null accepted as a serial port")
	}
	if err := e.SerialPort("/hbgo/none"); err == nil {
		t.Error("missing device accepted as a serial port")
	}
	if !e.Exists("/") || e.Exists("/hbgo/none") {
		t.Error("Exists")
	}
	if _, err := os.Stat("/etc/services"); err == nil {
		if p, ok := e.ServicePort("domain"); !ok || p != 53 {
			t.Errorf("ServicePort(domain) = %d, %v", p, ok)
		}
		if n, ok := e.ServiceName(53); !ok || n != "domain" {
			t.Errorf("ServiceName(53) = %q, %v", n, ok)
		}
	}
	if !e.CompressionModule("zlib") || e.CompressionModule("gzip") {
		t.Error("CompressionModule: want zlib yes, gzip no")
	}
	if _, err := exec.LookPath("stonith"); err == nil {
		if names, ok := e.StonithParams("null"); !ok || len(names) != 1 || names[0] != "hostlist" {
			t.Errorf("StonithParams(null) = %v, %v", names, ok)
		}
		if _, ok := e.StonithParams("bogus"); ok {
			t.Error("bogus stonith type known")
		}
	}
}

func TestFakeEnv(t *testing.T) {
	f := &FakeEnv{
		Ifaces:   map[string]FakeIface{"a": {IPv4: true}, "b": {IPv4: true, Broadcast: true}, "c": {Broadcast: true}},
		Files:    map[string]bool{"/x": true, "/y": false},
		Services: map[string]int{"ha-cluster": 694},
	}
	for name, want := range map[string][3]bool{"a": {true, true, false}, "b": {true, true, true}, "c": {true, false, false}, "d": {}} {
		ex, v4, brd := f.Interface(name)
		if [3]bool{ex, v4, brd} != want {
			t.Errorf("%s: %v %v %v", name, ex, v4, brd)
		}
	}
	if !f.Executable("/x") || f.Executable("/y") || !f.Exists("/y") || f.Exists("/z") {
		t.Error("files")
	}
	if n, ok := f.ServiceName(694); !ok || n != "ha-cluster" {
		t.Error("ServiceName")
	}
}
