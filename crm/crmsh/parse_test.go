package crmsh

import (
	"errors"
	"strings"
	"testing"
)

// xmlOf parses text and renders each object's element on one line.
func xmlOf(t *testing.T, text string) []string {
	t.Helper()
	objs, err := Parse(text)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	var out []string
	for _, o := range objs {
		s := string(o.Kind) + " " + o.ID + " " + compact(o.Elem)
		if len(o.Members) > 0 {
			s += " members=" + strings.Join(o.Members, ",")
		}
		out = append(out, s)
	}
	return out
}

func TestParseStatements(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"floating IP", `primitive ClusterIP ocf:heartbeat:IPaddr2 params ip=192.168.122.120 cidr_netmask=32 op monitor interval=30s`,
			[]string{`primitive ClusterIP <primitive id="ClusterIP" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="ClusterIP-instance_attributes"><nvpair id="ClusterIP-instance_attributes-ip" name="ip" value="192.168.122.120"/><nvpair id="ClusterIP-instance_attributes-cidr_netmask" name="cidr_netmask" value="32"/></instance_attributes><operations><op id="ClusterIP-monitor-30s" name="monitor" interval="30s"/></operations></primitive>`}},
		{"bare agent is ocf:heartbeat, quotes and continuation", "primitive WebSite apache \\\n\tparams configfile=\"/etc/apache2/apache2.conf\" \\\n\top monitor interval=1min timeout=\"20s\"",
			[]string{`primitive WebSite <primitive id="WebSite" class="ocf" provider="heartbeat" type="apache"><instance_attributes id="WebSite-instance_attributes"><nvpair id="WebSite-instance_attributes-configfile" name="configfile" value="/etc/apache2/apache2.conf"/></instance_attributes><operations><op id="WebSite-monitor-1min" name="monitor" interval="1min" timeout="20s"/></operations></primitive>`}},
		{"lsb with description and meta", `primitive db lsb:mysql description="the database" meta target-role=Stopped op start timeout=60s`,
			[]string{`primitive db <primitive id="db" class="lsb" type="mysql" description="the database"><meta_attributes id="db-meta_attributes"><nvpair id="db-meta_attributes-target-role" name="target-role" value="Stopped"/></meta_attributes><operations><op id="db-start-0" name="start" timeout="60s" interval="0s"/></operations></primitive>`}},
		{"stonith with a value holding blanks", `primitive st stonith:external/ssh params hostlist="alpha beta"`,
			[]string{`primitive st <primitive id="st" class="stonith" type="external/ssh"><instance_attributes id="st-instance_attributes"><nvpair id="st-instance_attributes-hostlist" name="hostlist" value="alpha beta"/></instance_attributes></primitive>`}},
		{"depth check and role", `primitive fs ocf:heartbeat:Filesystem op monitor interval=20s OCF_CHECK_LEVEL=10 op monitor interval=10s role=Master`,
			[]string{`primitive fs <primitive id="fs" class="ocf" provider="heartbeat" type="Filesystem"><operations><op id="fs-monitor-20s" name="monitor" interval="20s"><instance_attributes id="fs-monitor-20s-instance_attributes"><nvpair id="fs-monitor-20s-instance_attributes-OCF_CHECK_LEVEL" name="OCF_CHECK_LEVEL" value="10"/></instance_attributes></op><op id="fs-monitor-10s" name="monitor" interval="10s" role="Master"/></operations></primitive>`}},
		{"unknown op attributes are its instance attributes", `primitive fs ocf:heartbeat:Filesystem op monitor interval=20s OCF_CHECK_LEVEL=20 depth=2 on-fail=fence`,
			[]string{`primitive fs <primitive id="fs" class="ocf" provider="heartbeat" type="Filesystem"><operations><op id="fs-monitor-20s" name="monitor" interval="20s" on-fail="fence"><instance_attributes id="fs-monitor-20s-instance_attributes"><nvpair id="fs-monitor-20s-instance_attributes-OCF_CHECK_LEVEL" name="OCF_CHECK_LEVEL" value="20"/><nvpair id="fs-monitor-20s-instance_attributes-depth" name="depth" value="2"/></instance_attributes></op></operations></primitive>`}},
		{"same op twice gets a fresh id", `primitive d ocf:pacemaker:Dummy op monitor interval=10s role=Master op monitor interval=10s role=Slave`,
			[]string{`primitive d <primitive id="d" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="d-monitor-10s" name="monitor" interval="10s" role="Master"/><op id="d-monitor-10s-1" name="monitor" interval="10s" role="Slave"/></operations></primitive>`}},
		{"group", `group web ClusterIP WebSite meta target-role=Started`,
			[]string{`group web <group id="web"><meta_attributes id="web-meta_attributes"><nvpair id="web-meta_attributes-target-role" name="target-role" value="Started"/></meta_attributes></group> members=ClusterIP,WebSite`}},
		{"ms", `ms ms_drbd drbd meta master-max=1 notify=true`,
			[]string{`ms ms_drbd <master id="ms_drbd"><meta_attributes id="ms_drbd-meta_attributes"><nvpair id="ms_drbd-meta_attributes-master-max" name="master-max" value="1"/><nvpair id="ms_drbd-meta_attributes-notify" name="notify" value="true"/></meta_attributes></master> members=drbd`}},
		{"clone", `clone fencing st`, []string{`clone fencing <clone id="fencing"/> members=st`}},
		{"location on a node", `location prefer-alpha WebSite 50: alpha`,
			[]string{`location prefer-alpha <rsc_location id="prefer-alpha" rsc="WebSite" score="50" node="alpha"/>`}},
		{"location with role and -inf", `location l web role=Master -inf: beta`,
			[]string{`location l <rsc_location id="l" rsc="web" role="Master" score="-INFINITY" node="beta"/>`}},
		{"location rule with or", `location l_ping g rule -inf: not_defined pingd or pingd number:lte 0`,
			[]string{`location l_ping <rsc_location id="l_ping" rsc="g"><rule id="l_ping-rule" score="-INFINITY" boolean-op="or"><expression id="l_ping-rule-expression" attribute="pingd" operation="not_defined"/><expression id="l_ping-rule-expression-1" attribute="pingd" operation="lte" value="0" type="number"/></rule></rsc_location>`}},
		{"two rules, score attribute, role, date", `location l r rule $id=r1 $role=Master pingd: defined pingd rule 10: #uname eq alpha and date gt 2030-01-01`,
			[]string{`location l <rsc_location id="l" rsc="r"><rule id="r1" role="Master" score-attribute="pingd"><expression id="r1-expression" attribute="pingd" operation="defined"/></rule><rule id="l-rule" score="10" boolean-op="and"><expression id="l-rule-expression" attribute="#uname" operation="eq" value="alpha"/><date_expression id="l-rule-expression-1" operation="gt" start="2030-01-01"/></rule></rsc_location>`}},
		{"colocation with a role", `colocation fs_on_drbd inf: fs ms_drbd:Master`,
			[]string{`colocation fs_on_drbd <rsc_colocation id="fs_on_drbd" score="INFINITY" rsc="fs" with-rsc="ms_drbd" with-rsc-role="Master"/>`}},
		{"order with actions", `order fs_after_drbd inf: ms_drbd:promote fs:start`,
			[]string{`order fs_after_drbd <rsc_order id="fs_after_drbd" score="INFINITY" first="ms_drbd" first-action="promote" then="fs" then-action="start"/>`}},
		{"order kind, symmetrical", `order o optional: a b symmetrical=false`,
			[]string{`order o <rsc_order id="o" kind="Optional" first="a" then="b" symmetrical="false"/>`}},
		{"colocation of a set", `colocation c1 inf: A (B:Master C:master) D node-attribute=color`,
			[]string{`colocation c1 <rsc_colocation id="c1" score="INFINITY" node-attribute="color"><resource_set id="c1-set"><resource_ref id="A"/></resource_set><resource_set id="c1-set-1" sequential="false" role="Master"><resource_ref id="B"/><resource_ref id="C"/></resource_set><resource_set id="c1-set-2"><resource_ref id="D"/></resource_set></rsc_colocation>`}},
		{"order without kind", `order o a b`, []string{`order o <rsc_order id="o" first="a" then="b"/>`}},
		{"order of three is a set", `order o Mandatory: a b c`,
			[]string{`order o <rsc_order id="o" kind="Mandatory"><resource_set id="o-set"><resource_ref id="a"/><resource_ref id="b"/><resource_ref id="c"/></resource_set></rsc_order>`}},
		{"order with sets", `order o-2 Serialize: A:promote ( B C ) [ D E sequential=true ] F symmetrical=false`,
			[]string{`order o-2 <rsc_order id="o-2" kind="Serialize" symmetrical="false"><resource_set id="o-2-set" action="promote"><resource_ref id="A"/></resource_set><resource_set id="o-2-set-1" sequential="false"><resource_ref id="B"/><resource_ref id="C"/></resource_set><resource_set id="o-2-set-2" sequential="true" require-all="false"><resource_ref id="D"/><resource_ref id="E"/></resource_set><resource_set id="o-2-set-3"><resource_ref id="F"/></resource_set></rsc_order>`}},
		{"properties", "property stonith-enabled=false no-quorum-policy=ignore\nproperty $id=\"cib-bootstrap-options\" \\\n  default-resource-stickiness=\"100\"",
			[]string{`property  <cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/><nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="ignore"/></cluster_property_set>`,
				`property cib-bootstrap-options <cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-default-resource-stickiness" name="default-resource-stickiness" value="100"/></cluster_property_set>`}},
		{"defaults", "rsc_defaults resource-stickiness=100\nop_defaults my-ops: timeout=240s",
			[]string{`rsc_defaults  <meta_attributes id="rsc-options"><nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="100"/></meta_attributes>`,
				`op_defaults my-ops <meta_attributes id="my-ops"><nvpair id="my-ops-timeout" name="timeout" value="240s"/></meta_attributes>`}},
		{"nodes", "# the two nodes\nnode alpha\nnode 102: beta:member attributes standby=on",
			[]string{`node alpha <node id="alpha" uname="alpha"/>`,
				`node 102 <node id="102" uname="beta" type="member"><instance_attributes id="nodes-102"><nvpair id="nodes-102-standby" name="standby" value="on"/></instance_attributes></node>`}},
		{"raw xml", `xml <rsc_ticket id="t" rsc="r" ticket="tk"/>`,
			[]string{`xml t <rsc_ticket id="t" rsc="r" ticket="tk"/>`}},
		{"raw xml group splits into objects", `xml <group id="g"><primitive id="p" class="lsb" type="x"/></group>`,
			[]string{`group g <group id="g"/> members=p`, `primitive p <primitive id="p" class="lsb" type="x"/>`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := xmlOf(t, c.in)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in, token, msg, hint string
		line                 int
	}{
		{"primtive x Dummy", "primtive", "unknown command", "one of node, primitive", 1},
		{"primitive 1x Dummy", "1x", "invalid primitive id", "starts with a letter", 1},
		{"primitive x", "", "missing resource agent", "class:provider:type", 1},
		{"primitive x ocf:Dummy", "ocf:Dummy", "needs a provider", "ocf:PROVIDER:TYPE", 1},
		{"primitive x lsb:heartbeat:mysql", "lsb:heartbeat:mysql", "only OCF agents", "lsb:TYPE", 1},
		{"primitive x foo:bar", "foo:bar", "unknown resource agent class", "classes:", 1},
		{"primitive x Dummy params", "", "expected name=value after params", "params name=value", 1},
		{"primitive x Dummy parms a=1", "parms", "unexpected word", "params, meta", 1},
		{"primitive x Dummy op interval=10s", "interval=10s", "missing operation name", "op monitor", 1},
		{"\n\nprimitive x Dummy params a=\"1", `a="1`, "unterminated quote", `close it with "`, 3},
		{"group g", "", "at least one resource", "group ID RSC", 1},
		{"clone c a b", "b", "exactly one resource", "clone ID RSC", 1},
		{"location l r alpha", "alpha", "expected a score followed by ':'", "inf:", 1},
		{"location l r foo: alpha", "foo:", "invalid score", "integer", 1},
		{"location l r rule inf: #uname is alpha", "is", "unknown operator", "lt, gt", 1},
		{"location l r rule inf: a eq 1 and b eq 2 or c eq 3", "or", "mixed", "one of them", 1},
		{"colocation c inf: a", "", "two resources", "WITH-RSC", 1},
		{"colocation c inf: a b:Boss", "b:Boss", "unknown role", "Promoted", 1},
		{"order o inf: a:begin b", "a:begin", "unknown action", "promote", 1},
		{"order o sometimes: a b", "sometimes:", "invalid score or kind", "Mandatory:", 1},
		{"order o inf: a ( b ( c ) )", "(", "sets cannot be nested", "close the set with )", 1},
		{"order o inf: a ( b", "(", "set not closed", "close it with )", 1},
		{"order o inf: a b ]", "]", "unbalanced ]", "( A B )", 1},
		{"order o inf: a symmetrical=false b", "b", "resources after the options", "at the end", 1},
		{"order o inf: ( a:start b:stop )", "b:stop", "different actions in one set", "same action", 1},
		{"property stonith-enabled", "stonith-enabled", "expected name=value", "property name=value", 1},
		{"xml <primitive", "<primitive", "invalid XML", "one line", 1},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: err=%v, want a SyntaxError", c.in, err)
			continue
		}
		if se.Token != c.token || !strings.Contains(se.Msg, c.msg) || !strings.Contains(se.Hint, c.hint) || se.Line != c.line {
			t.Errorf("%q: got line %d token %q msg %q hint %q; want line %d token %q msg ~%q hint ~%q",
				c.in, se.Line, se.Token, se.Msg, se.Hint, c.line, c.token, c.msg, c.hint)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: message %q lacks %q", c.in, err.Error(), c.msg)
		}
	}
}

func TestBareAgentProviders(t *testing.T) {
	providers := map[string][]string{"Dummy": {"heartbeat", "pacemaker"}, "Stateful": {"pacemaker"}, "drbd": {"linbit"}, "x": {"a", "b"}}
	opt := Options{Providers: func(typ string) []string { return providers[typ] }}
	for in, want := range map[string]string{"Dummy": "heartbeat", "Stateful": "pacemaker", "drbd": "linbit", "unknown": "heartbeat"} {
		objs, err := ParseWith("primitive p "+in, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := objs[0].Elem.Attr("provider"); got != want {
			t.Errorf("%s: provider %s, want %s", in, got, want)
		}
	}
	_, err := ParseWith("primitive p x", opt)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Token != "x" || !strings.Contains(se.Hint, "a, b") {
		t.Errorf("ambiguous agent: %v", err)
	}
}
