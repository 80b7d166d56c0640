package tocib

import (
	"errors"
	"strings"
	"testing"

	"hbgo/hacf"
)

func findPrim(c *CIB, id string) *Primitive {
	for gi := range c.Configuration.Resources.Groups {
		g := &c.Configuration.Resources.Groups[gi]
		for i := range g.Primitives {
			if g.Primitives[i].ID == id {
				return &g.Primitives[i]
			}
		}
	}
	for i := range c.Configuration.Resources.Primitives {
		if c.Configuration.Resources.Primitives[i].ID == id {
			return &c.Configuration.Resources.Primitives[i]
		}
	}
	return nil
}

func params(p *Primitive) map[string]string {
	m := map[string]string{}
	if p.Instance != nil {
		for _, nv := range p.Instance.Pairs {
			m[nv.Name] = nv.Value
		}
	}
	return m
}

func property(c *CIB, name string) (string, bool) {
	for _, nv := range c.Configuration.CRMConfig.PropertySet.Pairs {
		if nv.Name == name {
			return nv.Value, true
		}
	}
	return "", false
}

func stickiness(c *CIB) string {
	for _, nv := range c.Configuration.RscDefaults.Pairs {
		if nv.Name == "resource-stickiness" {
			return nv.Value
		}
	}
	return ""
}

// TestPrimitiveMapping: one haresources token -> one primitive, per rule.
func TestPrimitiveMapping(t *testing.T) {
	tests := []struct {
		name, token                   string
		id, class, provider, typ      string
		params                        map[string]string
		warn                          string // substring of an expected warning
		monitorInterval, startTimeout string
	}{
		{name: "bare IP is IPaddr", token: "10.0.0.5",
			id: "IPaddr_10.0.0.5", class: "ocf", provider: "heartbeat", typ: "IPaddr",
			params: map[string]string{"ip": "10.0.0.5", "lvs_support": "0"}, monitorInterval: "10s", startTimeout: "60s"},
		// haresources2cib.py fix: IP/MASK/BROADCAST — a third field starting
		// with a digit is the broadcast address, not the nic.
		{name: "IP/mask/broadcast", token: "10.0.0.5/24/10.0.0.255",
			id: "IPaddr_10.0.0.5", class: "ocf", provider: "heartbeat", typ: "IPaddr",
			params: map[string]string{"ip": "10.0.0.5", "cidr_netmask": "24", "broadcast": "10.0.0.255", "lvs_support": "0"}},
		{name: "IPaddr2 full form with label", token: "IPaddr2::10.0.0.5/24/eth0:1/10.0.0.255",
			id: "IPaddr2_10.0.0.5", class: "ocf", provider: "heartbeat", typ: "IPaddr2",
			params: map[string]string{"ip": "10.0.0.5", "cidr_netmask": "24", "nic": "eth0:1", "broadcast": "10.0.0.255", "lvs_support": "1"}},
		// haresources2cib.py fix: dotted netmask written in CIDR.
		{name: "dotted netmask", token: "IPaddr::192.168.1.10/255.255.255.0/eth1",
			id: "IPaddr_192.168.1.10", class: "ocf", provider: "heartbeat", typ: "IPaddr",
			params: map[string]string{"ip": "192.168.1.10", "cidr_netmask": "24", "nic": "eth1", "lvs_support": "0"}},
		// haresources2cib.py fix: runs of '/' after the IP.
		{name: "double slash", token: "10.0.30.15//8/eth0:10",
			id: "IPaddr_10.0.30.15", class: "ocf", provider: "heartbeat", typ: "IPaddr",
			params: map[string]string{"ip": "10.0.30.15", "cidr_netmask": "8", "nic": "eth0:10", "lvs_support": "0"}},
		{name: "bad IP warns", token: "IPaddr::10.0.0.300", id: "IPaddr_10.0.0.300", class: "ocf", provider: "heartbeat", typ: "IPaddr",
			params: map[string]string{"ip": "10.0.0.300", "lvs_support": "0"}, warn: "not an IPv4 address"},
		{name: "Filesystem positional", token: "Filesystem::/dev/drbd0::/data::ext3::rw,noatime",
			id: "Filesystem_dev_drbd0", class: "ocf", provider: "heartbeat", typ: "Filesystem",
			params: map[string]string{"device": "/dev/drbd0", "directory": "/data", "fstype": "ext3", "options": "rw,noatime"}},
		{name: "MailTo", token: "MailTo::admin@example.com::failover",
			id: "MailTo", class: "ocf", provider: "heartbeat", typ: "MailTo",
			params: map[string]string{"email": "admin@example.com", "subject": "failover"}},
		{name: "Delay timeouts cover the sleeps", token: "Delay::100",
			id: "Delay_100", class: "ocf", provider: "heartbeat", typ: "Delay",
			params: map[string]string{"startdelay": "100"}, monitorInterval: "60s", startTimeout: "130s"},
		{name: "wrapper with wrong arguments stays heartbeat", token: "Filesystem::/dev/sda1",
			id: "Filesystem_dev_sda1", class: "heartbeat", typ: "Filesystem",
			params: map[string]string{"1": "/dev/sda1"}, warn: "usage: Filesystem"},
		{name: "custom resource.d script", token: "drbddisk::r0",
			id: "drbddisk_r0", class: "heartbeat", typ: "drbddisk",
			params: map[string]string{"1": "r0"}, warn: "ocf:linbit:drbd", monitorInterval: "30s", startTimeout: "120s"},
		{name: "init script is lsb", token: "apache2",
			id: "apache2", class: "lsb", typ: "apache2", params: map[string]string{},
			warn: "converted to lsb:apache2", monitorInterval: "15s", startTimeout: "120s"},
		{name: "init script with args drops them", token: "mysql::x",
			id: "mysql_x", class: "lsb", typ: "mysql", params: map[string]string{}, warn: "dropped"},
		{name: "unknown script is heartbeat", token: "nosuch::a::b",
			id: "nosuch_a_b", class: "heartbeat", typ: "nosuch",
			params: map[string]string{"1": "a", "2": "b"}, warn: "converted to heartbeat:nosuch"},
		{name: "wrapper whose agent is missing", token: "Xinetd::tftp",
			id: "Xinetd", class: "ocf", provider: "heartbeat", typ: "Xinetd",
			params: map[string]string{"service": "tftp"}, warn: "not installed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cib, warns := mustConvert(t, twoNodes(hacf.FailbackOn), "n1 "+tc.token+"\n")
			g := cib.Configuration.Resources.Groups
			if len(g) != 1 || len(g[0].Primitives) != 1 {
				t.Fatalf("want one group with one primitive, got %+v", g)
			}
			p := g[0].Primitives[0]
			if p.ID != tc.id || p.Class != tc.class || p.Provider != tc.provider || p.Type != tc.typ {
				t.Errorf("primitive = %s %s:%s:%s, want %s %s:%s:%s", p.ID, p.Class, p.Provider, p.Type, tc.id, tc.class, tc.provider, tc.typ)
			}
			got := params(&p)
			if len(got) != len(tc.params) {
				t.Errorf("params = %v, want %v", got, tc.params)
			}
			for k, v := range tc.params {
				if got[k] != v {
					t.Errorf("param %s = %q, want %q (all %v)", k, got[k], v, got)
				}
			}
			if tc.warn != "" && !hasWarning(warns, tc.warn) {
				t.Errorf("no warning containing %q in %v", tc.warn, warns)
			}
			if tc.warn == "" && len(warns) > 0 {
				for _, w := range warns {
					if w.File == "haresources" {
						t.Errorf("unexpected warning %s", w)
					}
				}
			}
			ops := map[string]Op{}
			for _, o := range p.Ops {
				ops[o.Name] = o
			}
			for _, n := range []string{"start", "stop", "monitor"} {
				if ops[n].Timeout == "" {
					t.Errorf("no %s op with a timeout: %+v", n, p.Ops)
				}
			}
			if tc.monitorInterval != "" && ops["monitor"].Interval != tc.monitorInterval {
				t.Errorf("monitor interval %s, want %s", ops["monitor"].Interval, tc.monitorInterval)
			}
			if tc.startTimeout != "" && ops["start"].Timeout != tc.startTimeout {
				t.Errorf("start timeout %s, want %s", ops["start"].Timeout, tc.startTimeout)
			}
			crmVerify(t, cib)
		})
	}
}

// TestGroupsKeepLineOrder: each line is one group (ordered and colocated by
// Pacemaker's group semantics) with its members in line order, so the
// start order is v1's left to right and the stop order right to left.
// (haresources2cib.py emitted lone primitives for one-resource lines and
// numbered groups group_1, group_11, ...; the ids here come from the key.)
func TestGroupsKeepLineOrder(t *testing.T) {
	cib, _ := mustConvert(t, twoNodes(hacf.FailbackOn),
		"n1 10.0.0.5 Filesystem::/dev/drbd0::/data::ext3 apache2\nn2 IPaddr2::10.0.0.6 mysql\nn2 myapp\n")
	g := cib.Configuration.Resources.Groups
	var got []string
	for _, grp := range g {
		var members []string
		for _, p := range grp.Primitives {
			members = append(members, p.ID)
		}
		got = append(got, grp.ID+"="+strings.Join(members, ","))
	}
	want := []string{
		"group_IPaddr_10.0.0.5=IPaddr_10.0.0.5,Filesystem_dev_drbd0,apache2",
		"group_IPaddr2_10.0.0.6=IPaddr2_10.0.0.6,mysql",
		"group_myapp=myapp",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("groups:\n got %v\nwant %v", got, want)
	}
	var locs []string
	for _, l := range cib.Configuration.Constraints.Locations {
		locs = append(locs, l.Rsc+"@"+l.Node+"="+l.Score)
	}
	wantLocs := "group_IPaddr_10.0.0.5@n1=100 group_IPaddr2_10.0.0.6@n2=100 group_myapp@n2=100"
	if strings.Join(locs, " ") != wantLocs {
		t.Errorf("locations = %v, want %s", locs, wantLocs)
	}
	crmVerify(t, cib)
}

func TestHeartbeatClassIsFlaggedOnce(t *testing.T) {
	_, warns := mustConvert(t, twoNodes(hacf.FailbackOn), "n1 myapp drbddisk::r0\nn2 10.0.0.5\n")
	n := 0
	for _, w := range warns {
		if strings.Contains(w.Msg, "Pacemaker 2.x") {
			n++
			if !strings.Contains(w.Msg, "(myapp, drbddisk_r0)") {
				t.Errorf("notice does not list the resources: %s", w)
			}
		}
	}
	if n != 1 {
		t.Errorf("want one heartbeat-class notice, got %d: %v", n, warns)
	}
	_, warns = mustConvert(t, twoNodes(hacf.FailbackOn), "n1 10.0.0.5\n")
	if hasWarning(warns, "Pacemaker 2.x") {
		t.Errorf("notice without heartbeat-class resources: %v", warns)
	}
}

func TestIDsAreUniqueAndLegal(t *testing.T) {
	// The same resource twice, a node named like a resource id, odd
	// characters.
	cfg := twoNodes(hacf.FailbackOn)
	cfg.Nodes[0].Name = "apache2"
	cib, warns := mustConvert(t, cfg, "apache2 apache2 10.0.0.5\nn2 10.0.0.5 3ware::a/b\n")
	if !hasWarning(warns, "already appears on line 1") {
		t.Errorf("duplicate resource not reported: %v", warns)
	}
	seen := map[string]bool{}
	check := func(id string) {
		if seen[id] {
			t.Errorf("duplicate id %s", id)
		}
		seen[id] = true
		if id != sanitizeID(id) {
			t.Errorf("id %q is not legal", id)
		}
	}
	for _, n := range cib.Configuration.Nodes {
		seen[n.ID] = true
	}
	for _, g := range cib.Configuration.Resources.Groups {
		check(g.ID)
		for _, p := range g.Primitives {
			check(p.ID)
		}
	}
	if findPrim(cib, "r_3ware_a_b") == nil {
		t.Errorf("3ware::a/b not sanitized to r_3ware_a_b")
	}
	crmVerify(t, cib)
}

func TestSanitizeID(t *testing.T) {
	for in, want := range map[string]string{
		"IPaddr_10.0.0.1":      "IPaddr_10.0.0.1",
		"Filesystem_/dev/sda1": "Filesystem_dev_sda1",
		"a::b  c":              "a_b_c",
		"1abc":                 "r_1abc",
		"":                     "r",
		"é/":                   "r",
		"r_":                   "r",
		"-x":                   "r_-x",
	} {
		if got := sanitizeID(in); got != want {
			t.Errorf("sanitizeID(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStickinessFollowsAutoFailback: haresources2cib.py always wrote 0;
// here on/legacy -> below the home score (return home), off -> above it
// (stay). The sign matters: a negative stickiness would push groups away.
func TestStickinessFollowsAutoFailback(t *testing.T) {
	for _, tc := range []struct {
		af    hacf.AutoFailback
		want  string
		warn  string
		above bool
	}{
		{hacf.FailbackOn, "0", "", false},
		{hacf.FailbackLegacy, "0", "auto_failback legacy", false},
		{hacf.FailbackOff, "200", "", true},
	} {
		cib, warns := mustConvert(t, twoNodes(tc.af), "n1 10.0.0.5\n")
		if got := stickiness(cib); got != tc.want {
			t.Errorf("%v: stickiness %s, want %s", tc.af, got, tc.want)
		}
		if (StickinessStay > HomeScore) != true || StickinessFailback >= HomeScore || StickinessFailback < 0 {
			t.Fatalf("score constants inconsistent")
		}
		if tc.warn != "" && !hasWarning(warns, tc.warn) {
			t.Errorf("%v: no warning %q in %v", tc.af, tc.warn, warns)
		}
	}
}

func TestClusterOptions(t *testing.T) {
	cib, warns := mustConvert(t, twoNodes(hacf.FailbackOn), "n1 10.0.0.5\n")
	if v, _ := property(cib, "stonith-enabled"); v != "false" {
		t.Errorf("stonith-enabled = %q without stonith lines", v)
	}
	if !hasWarning(warns, "stonith-enabled=false") {
		t.Errorf("no warning about missing STONITH: %v", warns)
	}
	if v, _ := property(cib, "no-quorum-policy"); v != "ignore" {
		t.Errorf("two nodes: no-quorum-policy = %q", v)
	}
	if !strings.Contains(string(cib.XML()), "<!-- stonith-enabled=false") || !strings.Contains(string(cib.XML()), "no-quorum-policy=ignore: a two-node cluster") {
		t.Errorf("missing explanatory comment:\n%s", cib.XML())
	}
	var nodes []string
	for _, n := range cib.Configuration.Nodes {
		nodes = append(nodes, n.ID+"/"+n.Uname)
	}
	if strings.Join(nodes, " ") != "n1/n1 n2/n2" {
		t.Errorf("nodes = %v", nodes)
	}

	three := twoNodes(hacf.FailbackOn)
	three.Nodes = append(three.Nodes, hacf.Node{Name: "n3", Line: 3})
	cib3, _ := mustConvert(t, three, "n3 10.0.0.5\n")
	if _, ok := property(cib3, "no-quorum-policy"); ok {
		t.Errorf("three nodes keep Pacemaker's quorum policy")
	}
	crmVerify(t, cib3)
}

func TestStonithHostDevices(t *testing.T) {
	cfg := twoNodes(hacf.FailbackOn)
	cfg.StonithHosts = []hacf.StonithHost{
		{From: "n1", Type: "baytech", Params: "10.0.0.3 admin secret", Line: 7},
		{From: "n2", Type: "baytech", Params: "10.0.0.4 admin secret", Line: 8},
		{From: "*", Type: "null", Params: "n1 n2", Line: 9},
		{From: "*", Type: "nosuchtype", Params: "x", Line: 10},
		{From: "n2", Type: "null", Params: "n2", Line: 11},
	}
	cib, warns := mustConvert(t, cfg, "n1 10.0.0.5\n")
	if v, _ := property(cib, "stonith-enabled"); v != "true" {
		t.Errorf("stonith-enabled = %q with stonith_host lines", v)
	}
	prims := cib.Configuration.Resources.Primitives
	if len(prims) != 5 {
		t.Fatalf("want 5 stonith primitives, got %+v", prims)
	}
	b := findPrim(cib, "stonith-n1-baytech")
	if b == nil || b.Class != "stonith" || b.Type != "baytech" {
		t.Fatalf("stonith-n1-baytech: %+v", b)
	}
	if p := params(b); p["ipaddr"] != "10.0.0.3" || p["login"] != "admin" || p["password"] != "secret" || p["pcmk_host_list"] != "n2" {
		t.Errorf("baytech params %v", p)
	}
	if p := params(findPrim(cib, "stonith-any-null")); p["hostlist"] != "n1 n2" {
		t.Errorf("null hostlist = %q", p["hostlist"])
	}
	bans := map[string]bool{}
	for _, l := range cib.Configuration.Constraints.Locations {
		if l.Score == "-INFINITY" {
			bans[l.Rsc+"@"+l.Node] = true
		}
	}
	for _, want := range []string{"stonith-n1-baytech@n2", "stonith-n2-baytech@n1", "stonith-n1-baytech@n2"} {
		if !bans[want] {
			t.Errorf("missing ban %s (have %v)", want, bans)
		}
	}
	if bans["stonith-any-null@n1"] || bans["stonith-any-null@n2"] {
		t.Errorf("a device fencing every node must stay runnable: %v", bans)
	}
	if bans["stonith-n1-baytech@n1"] || bans["stonith-n2-baytech@n2"] {
		t.Errorf("device banned from the node it is reachable from: %v", bans)
	}
	for _, w := range []string{"can run on no node", "nosuchtype is not installed", "cannot tell which nodes"} {
		if !hasWarning(warns, w) {
			t.Errorf("no warning %q in %v", w, warns)
		}
	}
	crmVerify(t, cib)
}

func TestStonithConfigFile(t *testing.T) {
	cfg := twoNodes(hacf.FailbackOff)
	cfg.Stonith = &hacf.Stonith{Type: "external/ssh", ConfigFile: "/etc/ha.d/stonith.cfg", Line: 4}
	opt := Options{Host: stdHost()}
	opt.Host.(*fakeHost).files["/etc/ha.d/stonith.cfg"] = "# devices\n\nn1,n2\n"
	cib, _, err := Convert(cfg, parseHR(t, "n2 10.0.0.9\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	p := findPrim(cib, "stonith-any-external_ssh")
	if p == nil || params(p)["hostlist"] != "n1,n2" {
		t.Fatalf("stonith file device: %+v", p)
	}
	crmVerify(t, cib)
}

func TestEmptyAndBadInput(t *testing.T) {
	if _, _, err := Convert(&hacf.Config{}, nil, Options{Host: stdHost()}); !errors.Is(err, ErrNoNodes) {
		t.Errorf("no nodes: err = %v", err)
	}
	cib, warns := mustConvert(t, twoNodes(hacf.FailbackOn), "n1\nghost 10.0.0.5\n")
	if len(cib.Configuration.Resources.Groups) != 1 {
		t.Errorf("node-only line must not make a group")
	}
	if !hasWarning(warns, "haresources:1: line for node n1 has no resources") || !hasWarning(warns, "haresources:2: home node ghost is not declared") {
		t.Errorf("warnings %v", warns)
	}
	crmVerify(t, cib)
}

func TestXMLHeaderAndVersions(t *testing.T) {
	cib, _ := mustConvert(t, twoNodes(hacf.FailbackOn), "n1 10.0.0.5 # a -- comment\n")
	x := string(cib.XML())
	for _, want := range []string{`<?xml version="1.0"`, `validate-with="pacemaker-3.0"`, `admin_epoch="0"`, `epoch="1"`, `num_updates="0"`, `<status></status>`} {
		if !strings.Contains(x, want) {
			t.Errorf("XML lacks %s:\n%s", want, x)
		}
	}
}
