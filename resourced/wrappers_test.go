package resourced

import (
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
