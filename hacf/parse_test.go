package hacf

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"hbgo/internal/problem"
)

const base = "node alpha beta\nbcast eth0\nauto_failback on\nlogfile /dev/null\n"

func testEnv() *FakeEnv {
	env := labEnv("bcast eth0 eth1\n")
	env.Hosts["beta"] = []net.IP{net.ParseIP("192.0.2.2")}
	env.Hosts["v6host"] = []net.IP{net.ParseIP("2001:db8::2")}
	env.Services = map[string]int{"ha-cluster": 694, "ntp": 123}
	env.Files["/dev/ttyS0"] = false
	env.Ttys = map[string]bool{"/dev/ttyS0": true}
	env.Ifaces["noaddr"] = FakeIface{}
	env.Ifaces["nobrd"] = FakeIface{IPv4: true}
	return env
}

func parse(t *testing.T, text string) (*Config, problem.List) {
	t.Helper()
	cfg, probs := Parse(strings.NewReader(text), Options{File: "ha.cf", NodeName: "alpha", Env: testEnv()})
	return cfg, append(probs, Validate(cfg, "alpha")...)
}

func errorsOf(l problem.List) string {
	var b []string
	for _, p := range l.Errors() {
		b = append(b, p.Error())
	}
	return strings.Join(b, "\n")
}

// TestDirectiveRules: one table row per rule. want is "" for an accepted
// file, else a substring of the first error; line is that error's line.
func TestDirectiveRules(t *testing.T) {
	for _, tc := range []struct {
		name, extra, want string
		line              int
	}{
		{"base", "", "", 0},
		{"illegal", "Keepalive 2", "illegal directive", 5},
		{"illegal no value", "foo", "illegal directive", 5},
		{"key=value", "keepalive=2", "illegal directive", 5},
		{"not built", "tipc eth0", "illegal directive", 5},
		{"no value ignored", "keepalive", "", 0},
		{"keepalive twice last wins", "keepalive 1 2", "", 0},
		{"time unit s", "keepalive 2s", "invalid time", 5},
		{"time split", "deadtime 10000 ms", "invalid time", 5},
		{"keepalive 0", "keepalive 0.0001", "greater than 0", 5},
		{"warntime 0", "warntime 0", "Warn time [0] is invalid", 5},
		{"deadtime = 2 ka", "keepalive 1\ndeadtime 2", "Dead time [2000] is too small", 6},
		{"initdead < deadtime", "deadtime 10\ninitdead 5", "Initial dead time [5000] is smaller", 6},
		{"initdead small ok", "deadtime 3\ninitdead 5", "", 0},
		{"deadping small", "deadping 2", "Ping dead time", 5},
		{"hopfudge 256", "hopfudge 256", "out of range", 5},
		{"hopfudge junk", "hopfudge x", "", 0},
		{"debug 255", "debug 255", "", 0},
		{"debug -1", "debug -1", "out of range", 5},
		{"udpport 0", "udpport 0", "invalid port", 5},
		{"udpport name", "udpport ha-cluster", "invalid port", 5},
		{"udpport 65536", "udpport 65536", "", 0},
		{"baud twice", "baud 9600\nbaud 9600", "multiply", 6},
		{"baud bad", "baud 1234", "invalid baudrate", 5},
		{"bcast missing iface", "bcast eth7", "does not exist", 5},
		{"bcast no broadcast flag", "bcast nobrd", "", 0},
		{"bcast no address", "bcast noaddr", "has no IPv4 address", 5},
		{"mcast6 hops 5", "mcast6 eth0 ff02::1 694 5 0", "bad hops [5]", 5},
		{"mcast6 hops 300", "mcast6 eth0 ff02::1 694 300 0", "bad hops [44]", 5},
		{"mcast6 v4 group", "mcast6 eth0 239.0.0.1 694 1 0", "bad addr", 5},
		{"stonith_host too few params", "stonith_host * external/ipmi alpha 10.0.0.1 user pass", "Invalid Stonith configuration parameter", 5},
		{"udp alias", "udp eth1", "", 0},
		{"ucast", "ucast eth0 beta extra", "", 0},
		{"ucast no peer", "ucast eth0", "missing target", 5},
		{"ucast unresolvable", "ucast eth0 gamma", "cannot resolve", 5},
		{"ucast comma", "ucast eth0 192.0.2.2,192.0.2.3", "cannot resolve", 5},
		{"ucast empty", "ucast", "crashes", 5},
		{"mcast ok", "mcast eth0 239.0.0.1 694 1 0", "", 0},
		{"mcast ttl 5", "mcast eth0 239.0.0.1 694 5 0", "bad ttl [5]", 5},
		{"mcast ttl -1", "mcast eth0 239.0.0.1 694 -1 0", "bad ttl [255]", 5},
		{"mcast ttl 256 wraps", "mcast eth0 239.0.0.1 694 256 0", "", 0},
		{"mcast port 0", "mcast eth0 239.0.0.1 0 1 0", "bad port", 5},
		{"mcast port 65536", "mcast eth0 239.0.0.1 65536 1 0", "bad port", 5},
		{"mcast port -1", "mcast eth0 239.0.0.1 -1 1 0", "", 0},
		{"mcast service", "mcast eth0 239.0.0.1 ha-cluster 1 0", "bad port", 5},
		{"mcast unicast group", "mcast eth0 10.0.0.1 694 1 0", "bad addr", 5},
		{"mcast loop 2", "mcast eth0 239.0.0.1 694 1 2", "bad loop", 5},
		{"mcast missing loop", "mcast eth0 239.0.0.1 694 1", "missing loop", 5},
		{"mcast commas", "mcast eth0,239.0.0.1,694,1,0", "missing group", 5},
		{"mcast no ipv4", "mcast noaddr 239.0.0.1 694 1 0", "invalid or not set up", 5},
		{"mcast6", "mcast6 eth0 ff02::1 694 1 0", "", 0},
		{"ucast6 loopback", "ucast6 eth0 ::1", "bad addr", 5},
		{"serial missing", "serial /dev/nonexist", "Nonexistent serial port", 5},
		{"serial ok", "serial /dev/ttyS0", "", 0},
		{"serial not a tty", "serial /dev/null", "cannot be used", 5},
		{"coreroot relative", "coreroot cores", "Invalid core directory", 5},
		{"coreroot missing dir", "coreroot /nonexistent", "", 0},
		{"keepalive two dots", "keepalive 1..5", "", 0},
		{"ping short ip", "ping 127.1", "", 0},
		{"ucast hex", "ucast eth0 0x7f000001", "cannot resolve", 5},
		{"ucast three parts", "ucast eth0 198.51.100", "", 0},
		{"mcast6 global group", "mcast6 eth0 ff0e::1:4 694 1 0", "bad addr", 5},
		{"mcast6 realm scope", "mcast6 eth0 ff03::1:4 694 1 0", "bad addr", 5},
		{"mcast6 site scope", "mcast6 eth0 ff05::1:4 694 1 0", "", 0},
		{"mcast6 transient org scope", "mcast6 eth0 ff18::1:4 694 1 0", "", 0},
		{"ucast6 mapped", "ucast6 eth0 ::ffff:198.51.100.2", "", 0},
		{"ucast6 zone", "ucast6 eth0 fe80::2%eth0", "", 0},
		{"ucast6 unspecified", "ucast6 eth0 ::", "bad addr", 5},
		{"ucast6 multicast", "ucast6 eth0 ff02::1", "bad addr", 5},
		{"ping6 loopback", "ping6 ::1", "", 0},
		{"respawn directory", "respawn hacluster /tmp", "", 0},
		{"ping ok", "ping 10.0.0.1,10.0.0.2", "", 0},
		{"ping unresolvable", "ping gateway", "unknown ping host", 5},
		{"ping6 v4", "ping6 10.0.0.1", "IPv6", 5},
		{"ping6 name", "ping6 v6host", "", 0},
		{"ping_group unresolvable member", "ping_group g nosuch", "", 0},
		{"ping_group name only", "ping_group g", "needs a name and at least one host", 5},
		{"auto_failback legacy", "auto_failback LEGACY", "", 0},
		{"auto_failback bad", "auto_failback maybe", "invalid auto_failback", 5},
		{"nice_failback", "nice_failback on", "", 0},
		{"nice_failback bad", "nice_failback maybe", "invalid boolean", 5},
		{"logfacility upper", "logfacility LOCAL0", "Log facility(LOCAL0) not valid", 5},
		{"logfacility mark", "logfacility mark", "", 0},
		{"use_logd bad", "use_logd maybe", "invalid boolean", 5},
		{"rtprio 0", "rtprio 0", "Illegal realtime priority", 5},
		{"rtprio 99", "rtprio 99", "", 0},
		{"hbgenmethod case", "hbgenmethod Time", "Illegal hb generation method", 5},
		{"msgfmt case", "msgfmt Classic", "invalid msgfmt", 5},
		{"msgfmt netstring", "msgfmt netstring", "", 0},
		{"compression gzip", "compression gzip", "Compression module(gzip) not found", 5},
		{"compression bz2", "compression bz2", "", 0},
		{"compression_threshold 0", "compression_threshold 0", "compression threshold", 5},
		{"max_rexmit_delay 0", "max_rexmit_delay 0", "Invalid max_rexmit_delay", 5},
		{"memreserve 0", "memreserve 0", "out of range", 5},
		{"conn_logd_time 0", "conn_logd_time 0", "greater than 0", 5},
		{"traditional_compression bad", "traditional_compression maybe", "invalid directive value", 5},
		{"autojoin any", "autojoin any", "R1 style resource management conflicts", 5},
		{"autojoin NONE", "autojoin NONE", "", 0},
		{"autojoin bogus", "autojoin bogus", "Invalid autojoin directive", 5},
		{"uuidfrom case", "uuidfrom Nodename", "Invalid uuidfrom", 5},
		{"watchdog twice", "watchdog /dev/null\nwatchdog /dev/null", "multiply", 6},
		{"stonith empty", "stonith", "No Stonith type given", 5},
		{"stonith bogus", "stonith bogus /etc/hostname", "Invalid Stonith type [bogus]", 5},
		{"stonith no file", "stonith null /nonexistent", "Invalid Stonith config file", 5},
		{"stonith ok", "stonith null /etc/hostname", "", 0},
		{"stonith_host ok", "stonith_host * null alpha beta", "", 0},
		{"stonith_host no params", "stonith_host * null", "Invalid Stonith configuration parameter", 5},
		{"stonith_host rps10 short", "stonith_host * rps10 /dev/ttyS0", "Invalid Stonith configuration parameter", 5},
		{"stonith_host other node ignored", "stonith_host beta bogus x", "", 0},
		{"stonith_host local upper", "stonith_host ALPHA bogus x", "Invalid Stonith type", 5},
		{"stonith_host only host", "stonith_host *", "No Stonith type given", 5},
		{"respawn ok", "respawn hacluster /bin/true -x", "", 0},
		{"respawn uid", "respawn 0 /bin/true", "Invalid uid [0]", 5},
		{"respawn relative", "respawn hacluster bin/true", "not full pathname", 5},
		{"respawn missing", "respawn hacluster /usr/lib/heartbeat/ipfail", "is not executable", 5},
		{"respawn not exec", "respawn hacluster /etc/passwd", "is not executable", 5},
		{"ucast missing iface", "ucast eth9 192.0.2.2", "does not exist", 5},
		{"respawn empty", "respawn", "Invalid uid []", 5},
		{"failfast", "failfast hacluster /bin/true", "", 0},
		{"apiauth empty", "apiauth", "Invalid apiauth directive", 5},
		{"apiauth no ids", "apiauth foo bar", "Missing uid or gid", 5},
		{"apiauth empty list", "apiauth foo uid=", "", 0},
		{"apiauth numeric", "apiauth foo uid=0 gid=0", "", 0},
		{"apiauth unknown user", "apiauth foo uid=nosuch", "Invalid user id name", 5},
		{"apiauth unknown group", "apiauth foo gid=nosuch", "Invalid group name", 5},
		{"apiauth dup", "apiauth foo uid=root\napiauth foo uid=root", "Duplicate apiauth", 6},
		{"env no =", "env FOO", "", 0},
		{"env empty name", "env =", "invalid nvpair", 5},
		{"apiauth two uid lists", "apiauth foo uid=root uid=hacluster", "Duplicate uid list", 5},
		{"crm on", "crm on", "Failed to add pacemaker client child \"cib\"", 5},
		{"crm ccm-only", "crm ccm-only", "", 0},
		{"apiauth cib then crm", "apiauth cib uid=root\ncrm ccm-only", "Duplicate apiauth directive for API client cib", 6},
		{"crm then apiauth stonithd", "crm ccm-only\napiauth stonithd uid=root", "Duplicate apiauth directive for API client stonithd", 6},
		{"crm then apiauth ccm", "crm ccm-only\napiauth ccm uid=root", "", 0},
		{"crm off then apiauth cib", "crm off\napiauth cib uid=root", "", 0},
		{"pacemaker OFF", "pacemaker OFF", "", 0},
		{"crm bogus", "crm maybe", "invalid pacemaker value", 5},
		{"crm twice", "crm off\npacemaker off", "used multiple times", 6},
		{"crm_daemon_dir before", "crm_daemon_dir /tmp\ncrm off", "before (or without)", 5},
		{"crm_daemon_dir after", "crm off\ncrm_daemon_dir /tmp", "", 0},
		{"normalpoll", "normalpoll on", "illegal directive", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := parse(t, base+tc.extra+"\n")
			errs := probs.Errors()
			if tc.want == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors:\n%s", errorsOf(probs))
				}
				return
			}
			if len(errs) == 0 {
				t.Fatalf("accepted; want error %q", tc.want)
			}
			if !strings.Contains(errs[0].Msg, tc.want) || errs[0].Line != tc.line {
				t.Fatalf("first error %q at line %d; want %q at line %d", errs[0].Error(), errs[0].Line, tc.want, tc.line)
			}
			if errs[0].Hint == "" {
				t.Errorf("error without hint: %s", errs[0].Error())
			}
		})
	}
}

func TestTypedValuesAndRawParams(t *testing.T) {
	cfg, probs := parse(t, strings.Join([]string{
		"udpport 700",                      // 1
		"node Alpha,beta",                  // 2
		"keepalive 500ms",                  // 3
		"deadtime 5",                       // 4
		"bcast eth0 eth1",                  // 5
		"ucast eth0 beta",                  // 6
		"mcast eth0 239.1.2.3 695 2 1",     // 7
		"auto_failback off",                // 8
		"logfacility local0",               // 9
		"cluster first second",             // 10
		"ping 10.0.0.1",                    // 11
		"ping_group grp 10.0.0.2 10.0.0.3", // 12
		"respawn hacluster /bin/true a b",  // 13
		"apiauth ipfail uid=hacluster",     // 14
		"env FOO=bar",                      // 15
		"serial /dev/ttyS0",                // 16
		"baud 115200",                      // 17
		"udpport 800",                      // 18
	}, "\n"))
	if errorsOf(probs) != "" {
		t.Fatal(errorsOf(probs))
	}
	if len(cfg.Nodes) != 2 || cfg.Nodes[0] != (Node{"alpha", 2}) || cfg.Nodes[1].Name != "beta" {
		t.Errorf("nodes %+v", cfg.Nodes)
	}
	if cfg.Keepalive != 500*time.Millisecond || cfg.Deadtime != 5*time.Second {
		t.Errorf("timers %v %v", cfg.Keepalive, cfg.Deadtime)
	}
	// Computed defaults: warntime = deadtime/2, initdead = 12 s when
	// deadtime < 6 s, deadping = deadtime.
	if cfg.Warntime != 2500*time.Millisecond || cfg.Initdead != 12*time.Second || cfg.Deadping != 5*time.Second {
		t.Errorf("computed %v %v %v", cfg.Warntime, cfg.Initdead, cfg.Deadping)
	}
	for name, want := range map[string]string{
		"keepalive": "500ms", "deadtime": "5", "warntime": "2500ms", "initdead": "12000ms",
		"cluster": "second", "udpport": "800", "auto_failback": "off", "hopfudge": "1", "memreserve": "6500",
		// Checked with cl_status hbparameter on the real daemon.
		"deadping": "5000ms", "debug": "0", "crm": "false", "pacemaker": "false", "max_rexmit_delay": "250",
	} {
		if got, _ := cfg.Param(name); got != want {
			t.Errorf("Param(%s) = %q, want %q", name, got, want)
		}
	}
	for _, absent := range []string{"node", "bcast", "coreroot", "debugfile", "nice_failback", "use_apphbd", "env"} {
		if v, ok := cfg.Param(absent); ok {
			t.Errorf("Param(%s) = %q; 3.0.6 does not record it", absent, v)
		}
	}
	if cfg.Params["keepalive"].Line != 3 || cfg.Params["hopfudge"].Line != 0 {
		t.Errorf("param lines %+v", cfg.Params)
	}
	// bcast and ucast fixed their port at their first line (udpport 700);
	// the later udpport 800 changes only the recorded value.
	want := []Medium{
		{Kind: Bcast, Line: 5, Iface: "eth0", Port: 700},
		{Kind: Bcast, Line: 5, Iface: "eth1", Port: 700},
		{Kind: Ucast, Line: 6, Iface: "eth0", Peer: "beta", Port: 700},
		{Kind: Mcast, Line: 7, Iface: "eth0", Port: 695, TTL: 2, Loop: true},
		{Kind: Serial, Line: 16, Iface: "/dev/ttyS0", Baud: 19200},
	}
	if len(cfg.Media) != len(want) {
		t.Fatalf("media %+v", cfg.Media)
	}
	for i, w := range want {
		g := cfg.Media[i]
		if g.Kind != w.Kind || g.Line != w.Line || g.Iface != w.Iface || g.Port != w.Port || g.TTL != w.TTL || g.Loop != w.Loop || g.Peer != w.Peer || g.Baud != w.Baud {
			t.Errorf("medium %d = %+v, want %+v", i, g, w)
		}
	}
	if !cfg.Media[3].Group.Equal(net.ParseIP("239.1.2.3")) || !cfg.Media[2].PeerIP.Equal(net.ParseIP("192.0.2.2")) {
		t.Errorf("addresses %v %v", cfg.Media[3].Group, cfg.Media[2].PeerIP)
	}
	if cfg.UDPPort != 800 || cfg.AutoFailback != FailbackOff || cfg.LogFacility != "local0" || cfg.Baud != 115200 {
		t.Errorf("%d %v %q %d", cfg.UDPPort, cfg.AutoFailback, cfg.LogFacility, cfg.Baud)
	}
	if len(cfg.PingNodes) != 2 || cfg.PingNodes[1].Name != "grp" || len(cfg.PingNodes[1].Hosts) != 2 {
		t.Errorf("ping nodes %+v", cfg.PingNodes)
	}
	if len(cfg.Children) != 1 || cfg.Children[0].Command != "/bin/true" || len(cfg.Children[0].Args) != 2 {
		t.Errorf("children %+v", cfg.Children)
	}
	// ipfail from line 14, then the built-ins not overridden.
	var clients []string
	for _, a := range cfg.APIAuth {
		clients = append(clients, a.Client)
	}
	if got := strings.Join(clients, " "); got != "ipfail ccm ping lha-snmpagent anon" || cfg.APIAuth[0].Line != 14 || cfg.APIAuth[1].Line != 0 {
		t.Errorf("apiauth clients %q %+v", got, cfg.APIAuth)
	}
	if cfg.APIAuth[0].UIDs[0] != "hacluster" || len(cfg.Env) != 1 || cfg.Env[0].Value != "bar" {
		t.Errorf("apiauth %+v env %+v", cfg.APIAuth, cfg.Env)
	}
	var late bool
	for _, p := range probs.Warnings() {
		if p.Line == 18 && strings.Contains(p.Msg, "after a bcast/ucast") {
			late = true
		}
	}
	if !late {
		t.Errorf("no warning for udpport after media: %v", probs.Warnings())
	}
}

func TestNiceFailbackQuirk(t *testing.T) {
	for _, tc := range []struct {
		text string
		want AutoFailback
	}{
		{"nice_failback on", FailbackLegacy},
		{"nice_failback off", FailbackLegacy},
		{"auto_failback on\nnice_failback on", FailbackOff},
		{"nice_failback on\nauto_failback on", FailbackOn},
	} {
		cfg, _ := parse(t, "node alpha\nbcast eth0\n"+tc.text)
		if cfg.AutoFailback != tc.want {
			t.Errorf("%q: %v, want %v", tc.text, cfg.AutoFailback, tc.want)
		}
	}
}

func TestInitdeadDefaults(t *testing.T) {
	for dt, want := range map[string]time.Duration{
		"5": 12 * time.Second, "6": 12 * time.Second, "8": 16 * time.Second, "10": 20 * time.Second,
		"11": 11 * time.Second, "30": 30 * time.Second,
	} {
		cfg, _ := parse(t, base+"deadtime "+dt)
		if cfg.Initdead != want {
			t.Errorf("deadtime %s: initdead %v, want %v", dt, cfg.Initdead, want)
		}
	}
}

func TestLoggingRule(t *testing.T) {
	head := "node alpha\nbcast eth0\nauto_failback on\n"
	for _, tc := range []struct {
		text    string
		fatal   bool
		useLogd bool
	}{
		{"", false, true},
		{"use_logd no", true, false},
		{"logfacility none\nuse_logd no", true, false},
		{"logfacility none", false, true},
		{"debugfile /dev/null\nuse_logd no", false, false},
		{"logfacility daemon\nuse_logd off", false, false},
		{"logfile /x\nuse_logd yes", false, true},
	} {
		cfg, probs := parse(t, head+tc.text)
		if (probs.Err() != nil) != tc.fatal || cfg.UseLogd != tc.useLogd {
			t.Errorf("%q: fatal=%v useLogd=%v; want %v %v (%v)", tc.text, probs.Err() != nil, cfg.UseLogd, tc.fatal, tc.useLogd, probs)
		}
	}
}

func TestNodeChecks(t *testing.T) {
	env := testEnv()
	for _, tc := range []struct {
		text, node, want string
	}{
		{"node ALPHA\nbcast eth0", "alpha", ""},
		{"node alpha\nbcast eth0", "Alpha", ""},
		{"node alpha\nbcast eth0", "alpha.example.com", "Current node [alpha.example.com] not in configuration"},
		{"bcast eth0", "alpha", "no nodes defined"},
		{"node alpha", "alpha", "No heartbeat media defined"},
		{"node alpha\nping 10.0.0.1", "alpha", ""},
		{"node beta\nbcast eth0\nautojoin any\ncrm ccm-only", "alpha", ""},
	} {
		cfg, probs := Parse(strings.NewReader(tc.text+"\nlogfile /dev/null\n"), Options{NodeName: tc.node, Env: env})
		probs = append(probs, Validate(cfg, tc.node)...)
		got := errorsOf(probs)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%q as %s: errors %q, want %q", tc.text, tc.node, got, tc.want)
		}
	}
}

func TestDefaultAndForTests(t *testing.T) {
	d := Default()
	if d.Keepalive != time.Second || d.Deadtime != 30*time.Second || d.Warntime != 15*time.Second ||
		d.Initdead != 30*time.Second || d.Deadping != 30*time.Second || d.UDPPort != 694 {
		t.Errorf("Default timers %+v", d)
	}
	if v, _ := d.Param("deadtime"); v != "30000ms" {
		t.Errorf("deadtime param %q", v)
	}
	if v, _ := d.Param("warntime"); v != "15000ms" {
		t.Errorf("warntime param %q", v)
	}
	if len(Defaults()) != 24 {
		t.Errorf("defaults table has %d rows", len(Defaults()))
	}
	ft := ForTests()
	if probs := Validate(ft, "n1"); probs.Err() != nil {
		t.Errorf("ForTests does not validate: %v", probs)
	}
	if ft.Keepalive >= time.Second || ft.Deadtime <= 2*ft.Keepalive {
		t.Errorf("ForTests timers %v %v", ft.Keepalive, ft.Deadtime)
	}
}

func TestEveryDirectiveKnown(t *testing.T) {
	for _, n := range []string{"node", "keepalive", "deadtime", "warntime", "initdead", "deadping", "hopfudge",
		"udpport", "baud", "bcast", "mcast", "ucast", "mcast6", "ucast6", "serial", "ping", "ping6", "ping_group",
		"auto_failback", "nice_failback", "logfacility", "logfile", "debugfile", "use_logd", "conn_logd_time",
		"debug", "coredumps", "coreroot", "syslogmsgfmt", "log_badpack", "realtime", "rtprio", "hbgenmethod",
		"msgfmt", "compression", "compression_threshold", "traditional_compression", "max_rexmit_delay",
		"memreserve", "cluster", "quorum_server", "autojoin", "uuidfrom", "watchdog", "stonith", "stonith_host",
		"respawn", "failfast", "apiauth", "env", "use_apphbd", "crm", "pacemaker", "crm_daemon_dir",
		"crmd_spawns_pengine", "record_config_changes", "record_pengine_inputs", "enable_config_writes"} {
		if _, ok := directives[n]; !ok {
			t.Errorf("directive %s missing", n)
		}
	}
	if len(Directives()) != len(directives) {
		t.Error("Directives() incomplete")
	}
}

// TestParamsAsRealDaemon: the values `cl_status hbparameter -p NAME`
// printed on the real 3.0.6 daemon for this ha.cf (lab run).
func TestParamsAsRealDaemon(t *testing.T) {
	cfg, probs := parse(t, "logfile /var/log/ha-log\nlogfacility none\nuse_logd no\nkeepalive 500ms\n"+
		"deadtime 7\nbcast eth0\nauto_failback on\ncluster a,b\nnode alpha\n")
	if probs.Err() != nil {
		t.Fatal(probs.Err())
	}
	for name, want := range map[string]string{
		"keepalive": "500ms", "deadtime": "7", "warntime": "3500ms", "initdead": "14000ms", "deadping": "7000ms",
		"udpport": "694", "cluster": "b", "hopfudge": "1", "auto_failback": "on", "baud": "19200", "debug": "0",
		"pacemaker": "false", "crm": "false", "logfacility": "none", "logfile": "/var/log/ha-log", "use_logd": "no",
		"conn_logd_time": "60", "memreserve": "6500", "max_rexmit_delay": "250", "realtime": "true",
		"compression": "zlib", "autojoin": "none", "uuidfrom": "file", "msgfmt": "classic",
		"traditional_compression": "no", "log_badpack": "true", "record_config_changes": "on",
	} {
		if got, ok := cfg.Param(name); !ok || got != want {
			t.Errorf("Param(%s) = %q, %v; real daemon %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"node", "bcast", "nice_failback", "debugfile", "coreroot", "watchdog", "rtprio",
		"apiauth", "respawn", "env", "use_apphbd", "crm_daemon_dir"} {
		if got, ok := cfg.Param(name); ok {
			t.Errorf("Param(%s) = %q; the real daemon has no value", name, got)
		}
	}
}

func TestLongLinesSplitLikeFgets(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{"cluster " + x(maxLine-8), true},                 // 5119 characters + newline
		{"cluster " + x(maxLine-8+1), false},              // the 5120th character starts a new "line": x
		{"cluster " + x(maxLine-8) + "keepalive 2", true}, // the second piece is a valid directive
	} {
		_, probs := parse(t, base+tc.line+"\n")
		if (probs.Err() == nil) != tc.ok {
			t.Errorf("line of %d: ok=%v, want %v: %v", len(tc.line), probs.Err() == nil, tc.ok, probs.Err())
		}
	}
}

func TestTableLimits(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text string
		ok         bool
	}{
		// Verified on the real daemon (tests/configcheck 644, 647-650, 659).
		{"100 nodes", "node alpha\nbcast eth0\n" + many(99, func(i int) string { return fmt.Sprintf("node n%d", i) }), true},
		{"101 nodes", "node alpha\nbcast eth0\n" + many(100, func(i int) string { return fmt.Sprintf("node n%d", i) }), false},
		{"98 nodes + 2 ping", "node alpha\nbcast eth0\nping 10.0.0.1 10.0.0.2\n" + many(97, func(i int) string { return fmt.Sprintf("node n%d", i) }), true},
		{"99 nodes + 2 ping", "node alpha\nbcast eth0\nping 10.0.0.1 10.0.0.2\n" + many(98, func(i int) string { return fmt.Sprintf("node n%d", i) }), false},
		{"63 ucast", "node alpha\n" + many(63, func(i int) string { return fmt.Sprintf("ucast eth0 10.0.0.%d", i+1) }), true},
		{"64 ucast", "node alpha\n" + many(64, func(i int) string { return fmt.Sprintf("ucast eth0 10.0.0.%d", i+1) }), false},
		{"63 ucast + 1 ping", "node alpha\nping 10.0.1.1\n" + many(63, func(i int) string { return fmt.Sprintf("ucast eth0 10.0.0.%d", i+1) }), true},
		{"63 ucast + 2 ping", "node alpha\nping 10.0.1.1 10.0.1.2\n" + many(63, func(i int) string { return fmt.Sprintf("ucast eth0 10.0.0.%d", i+1) }), false},
	} {
		_, probs := parse(t, tc.text+"auto_failback on\nlogfile /dev/null\n")
		if (probs.Err() == nil) != tc.ok {
			t.Errorf("%s: ok=%v, want %v: %v", tc.name, probs.Err() == nil, tc.ok, probs.Err())
		}
	}
	cfg, _ := parse(t, "node "+strings.Repeat("g", 120)+"\n")
	if len(cfg.Nodes) != 1 || len(cfg.Nodes[0].Name) != 100 {
		t.Errorf("node name not cut to 100: %d", len(cfg.Nodes[0].Name))
	}
}
