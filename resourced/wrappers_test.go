package resourced

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestMapLegacyMatchesShippedWrappers runs the resource.d wrappers that the
// heartbeat 3.0.6 package installed on this machine, with the OCF agent
// they call replaced (in a private mount namespace) by a script printing
// the environment it received, and requires MapLegacy to produce the same
// parameters and instance name, or the same usage failure.
func TestMapLegacyMatchesShippedWrappers(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a mount namespace")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare not installed")
	}
	const wrappers = "/etc/ha.d/resource.d"
	dump, _ := filepath.Abs("testdata/envdump")
	cases := []struct {
		name string
		args []string
	}{
		{"IPaddr", []string{"198.51.100.7"}},
		{"IPaddr", []string{"198.51.100.7/24"}},
		{"IPaddr", []string{"198.51.100.7/24/eth0"}},
		{"IPaddr", []string{"198.51.100.7/24/eth0:1/198.51.100.255"}},
		{"IPaddr", []string{"198.51.100.7/24/198.51.100.255"}},
		{"IPaddr", []string{"10.0.30.15//8/eth0:10"}},
		{"IPaddr", []string{"198.51.100.7/255.255.255.0/eth1"}},
		{"IPaddr", []string{"198.51.100.7", "extra"}},
		{"IPaddr2", []string{"198.51.100.8/25/eth0/198.51.100.127"}},
		{"IPaddr2", nil},
		{"Filesystem", []string{"/dev/sdb1", "/data"}},
		{"Filesystem", []string{"/dev/drbd0", "/data", "ext3"}},
		{"Filesystem", []string{"/dev/drbd0", "/data", "ext3", "rw,noatime"}},
		{"Filesystem", []string{"/dev/sdb1"}},
		{"Delay", nil},
		{"Delay", []string{"3"}},
		{"Delay", []string{"3", "4"}},
		{"Delay", []string{"1", "2", "3"}},
		{"Delay", []string{"", "4"}},
		{"MailTo", []string{"root@example.com"}},
		{"MailTo", []string{"root@example.com", "Failover"}},
		{"SendArp", []string{"198.51.100.9/eth0"}},
		{"IPsrcaddr", []string{"198.51.100.10"}},
		{"IPv6addr", []string{"2001:db8:1:2/64/eth0"}},
		{"LVM", []string{"vg0"}},
		{"LinuxSCSI", []string{"0:0:1"}},
		{"Raid1", []string{"/etc/raidtab", "/dev/md0"}},
		{"ServeRAID", []string{"1", "2"}},
		{"ICP", []string{"c0h0u0", "/dev/sdb"}},
		{"apache", nil},
		{"apache", []string{"/etc/apache2/apache2.conf"}},
		{"db2", []string{"db2inst1"}},
		{"Xinetd", []string{"tftp"}},
		{"portblock", []string{"tcp", "80,443", "block"}},
		{"WinPopup", nil},
		{"WinPopup", []string{"/etc/hosts.win"}},
		{"ids", []string{"/opt/informix", "srv1", "onconfig.srv1"}},
		{"AudibleAlarm", []string{"node1", "node2"}},
	}
	for _, c := range cases {
		wrapper := filepath.Join(wrappers, c.name)
		agent := filepath.Join("/usr/lib/ocf/resource.d/heartbeat", c.name)
		if !isExecutable(wrapper) || !isExecutable(agent) {
			t.Logf("skip %s: wrapper or agent not installed", c.name)
			continue
		}
		shell := `mount --bind "$1" "$2" && shift 2 && exec "$@"`
		argv := append([]string{"-m", "sh", "-c", shell, "sh", dump, agent, wrapper}, c.args...)
		argv = append(argv, "start")
		cmd := exec.Command("unshare", argv...)
		cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
		out, err := cmd.Output()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%s %v: %v", c.name, c.args, err)
		}
		want := map[string]string{}
		inst, called := "", false
		for _, line := range strings.Split(string(out), "\n") {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			switch {
			case k == "OCF_RESOURCE_INSTANCE":
				inst, called = v, true
			case strings.HasPrefix(k, "OCF_RESKEY_") && v != "":
				// Empty exports are equivalent to unset ones for agents.
				want[strings.TrimPrefix(k, "OCF_RESKEY_")] = v
			}
		}
		op, merr := MapLegacy(c.name, c.args)
		if !called {
			if merr == nil {
				t.Errorf("%s %v: wrapper refused (exit %v) but MapLegacy accepted: %+v\n%s", c.name, c.args, err, op, out)
			}
			continue
		}
		if merr != nil {
			t.Errorf("%s %v: wrapper ran the agent but MapLegacy failed: %v", c.name, c.args, merr)
			continue
		}
		if op.Resource != inst || !reflect.DeepEqual(op.Params, want) {
			t.Errorf("%s %v:\n wrapper   %s %v\n MapLegacy %s %v", c.name, c.args, inst, want, op.Resource, op.Params)
		}
	}
}

// TestHeartbeatClassWrapperVersusMapping drives heartbeat:IPaddr2 once
// through the wrapper the heartbeat package installed in /etc/ha.d (status
// decided from its printed text) and once through our mapping onto the OCF
// agent (as on a machine without the wrappers), inside a network
// namespace, and requires the same answer at every step.
func TestHeartbeatClassWrapperVersusMapping(t *testing.T) {
	for _, p := range []string{"/etc/ha.d/resource.d/IPaddr2", hbIPaddr2} {
		if !isExecutable(p) {
			t.Skipf("%s not installed", p)
		}
	}
	ns := netns(t)
	prefix := []string{"ip", "netns", "exec", ns}
	wrapped, _ := testExecutor(t, func(c *Config) { c.ConfigDir = "/etc/ha.d"; c.CommandPrefix = prefix })
	mapped, _ := testExecutor(t, func(c *Config) { c.CommandPrefix = prefix })
	if k, _ := wrapped.ResolveHeartbeat("IPaddr2"); k != ScriptResourceD {
		t.Fatalf("wrapper not found: %v", k)
	}
	if k, _ := mapped.ResolveHeartbeat("IPaddr2"); k != ScriptMappedOCF {
		t.Fatalf("mapping not used: %v", k)
	}
	opW := Op{Resource: "w", Agent: Agent{Class: ClassHeartbeat, Type: "IPaddr2"}, Args: []string{"198.51.100.70/24/v0"}}
	opM := Op{Resource: "m", Agent: Agent{Class: ClassHeartbeat, Type: "IPaddr2"}, Args: []string{"198.51.100.71/24/v0"}}
	for i, action := range []string{"status", "start", "status", "start", "stop", "status", "stop"} {
		opW.Action, opM.Action = action, action
		rw := wrapped.Run(context.Background(), opW)
		rm := mapped.Run(context.Background(), opM)
		if rw.Status != StatusDone || rm.Status != StatusDone || rw.RC != rm.RC {
			t.Fatalf("step %d %s: wrapper %v/%v (stdout %q) vs mapping %v/%v (%q)",
				i, action, rw.Status, rw.RC, rw.Stdout, rm.Status, rm.RC, rm.ExitReason)
		}
		if action == "start" && i == 1 {
			addrs := nsAddrs(t, ns)
			if !strings.Contains(addrs, "198.51.100.70/24") || !strings.Contains(addrs, "198.51.100.71/24") {
				t.Fatalf("addresses missing after start:\n%s", addrs)
			}
		}
	}
	if strings.Contains(hostAddrs(t), "198.51.100.7") {
		t.Fatal("address leaked onto the host")
	}
}
