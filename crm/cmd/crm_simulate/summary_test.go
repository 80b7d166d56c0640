package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"hbgo/crm/status"
)

func TestDetails(t *testing.T) {
	cases := []struct {
		role, next   status.Role
		origin, dest string
		want         string
	}{
		{status.Stopped, status.Started, "", "n1", "n1"},
		{status.Started, status.Stopped, "n1", "", "n1"},
		{status.Started, status.Started, "n1", "n2", "n1 -> n2"},
		{status.Started, status.Started, "n1", "n1", "n1"},
		{status.Stopped, status.Promoted, "", "n1", "Stopped -> Promoted n1"},
		{status.Promoted, status.Stopped, "n1", "", "Promoted n1"},
		{status.Unpromoted, status.Stopped, "n1", "", "Unpromoted n1"},
		{status.Unpromoted, status.Promoted, "n1", "n1", "Unpromoted -> Promoted n1"},
		{status.Promoted, status.Promoted, "n1", "n2", "n1 -> n2 Promoted"},
		{status.Promoted, status.Unpromoted, "n1", "n2", "Promoted n1 -> Unpromoted n2"},
		{status.Promoted, status.Promoted, "n1", "n1", "Promoted n1"},
	}
	for _, c := range cases {
		if got := details(c.role, c.next, c.origin, c.dest); got != c.want {
			t.Errorf("details(%s, %s, %q, %q) = %q, want %q", c.role, c.next, c.origin, c.dest, got, c.want)
		}
	}
}

// TestFormatChanges checks Pacemaker's column rule: the id column is the
// longest id seen so far plus two once an id exceeds the width, so the
// order of ids matters, and details are right-aligned.
func TestFormatChanges(t *testing.T) {
	got := formatChanges([]change{
		{verb: "Start", id: "rsc1", details: "n1"},
		{verb: "Move", id: "longer-id", details: "n1 -> n2"},
		{verb: "Stop", id: "longest-id:10", details: "n2", reason: "due to node availability"},
	})
	want := []string{
		"Start      rsc1              (       n1 )",
		"Move       longer-id         ( n1 -> n2 )",
		"Stop       longest-id:10     (       n2 )  due to node availability",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// 6 > 5 makes the width 8; 7 no longer exceeds it. Details are at
	// least 5 wide.
	got = formatChanges([]change{{verb: "Start", id: "abcdef", details: "n"}, {verb: "Start", id: "abcdefg", details: "n"}})
	if got[1] != "Start      abcdefg    (     n )" {
		t.Fatalf("width rule: %q", got[1])
	}
}

const orderCIB = `<cib admin_epoch="0" epoch="1" num_updates="1" have-quorum="true"><configuration>
<crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
<nodes><node id="n1" uname="node1"/><node id="n2" uname="node2"/></nodes>
<resources>
<primitive id="A" class="ocf" provider="heartbeat" type="Dummy"/>
<primitive id="B" class="ocf" provider="heartbeat" type="Dummy"/>
<group id="G"><primitive id="G1" class="ocf" provider="heartbeat" type="Dummy"/><primitive id="G2" class="ocf" provider="heartbeat" type="Dummy"/></group>
</resources>
<constraints>
<rsc_location id="A-nowhere-1" rsc="A" node="node1" score="-INFINITY"/>
<rsc_location id="A-nowhere-2" rsc="A" node="node2" score="-INFINITY"/>
<rsc_order id="A-then-B" first="A" then="B"/>
<rsc_order id="A-then-G" first="A" then="G"/>
</constraints>
</configuration><status>
<node_state id="n1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="n1"><lrm_resources>
<lrm_resource id="B" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="B_last_0" operation_key="B_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" on_node="node1"/></lrm_resource>
<lrm_resource id="G1" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="G1_last_0" operation_key="G1_start_0" operation="start" call-id="3" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" on_node="node1"/></lrm_resource>
<lrm_resource id="G2" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="G2_last_0" operation_key="G2_start_0" operation="start" call-id="4" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" on_node="node1"/></lrm_resource>
</lrm_resources></lrm></node_state>
<node_state id="n2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
</status></cib>`

// TestSummaryReasons: B and group G are ordered after A, which can run
// nowhere; they stop because of A, as the real crm_simulate says for this
// CIB. (For G2 Pacemaker also blames A here, but in the corpus case
// bug-1718 it blames the member before; we always blame the member before,
// which matches more corpus cases.)
func TestSummaryReasons(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"-S", "-x", writeCIB(t, orderCIB)}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	sec := sections(out.String())["Transition Summary:"]
	for _, want := range []string{
		"  * Stop       B       ( node1 )  due to unrunnable A start\n",
		"  * Stop       G1      ( node1 )  due to unrunnable A start\n",
	} {
		if !strings.Contains(sec+"\n", want) {
			t.Errorf("missing %q in:\n%s", want, sec)
		}
	}
}

// TestBlockedStart: C is stopped and ordered after A, which can run
// nowhere, so its start is listed as blocked, as the real tool does for
// this CIB.
func TestBlockedStart(t *testing.T) {
	text := strings.Replace(orderCIB, `<group id="G">`, `<primitive id="C" class="ocf" provider="heartbeat" type="Dummy"/><group id="G">`, 1)
	text = strings.Replace(text, `<rsc_order id="A-then-G"`, `<rsc_order id="A-then-C" first="A" then="C"/><rsc_order id="A-then-G"`, 1)
	var out, errb bytes.Buffer
	if rc := run([]string{"-S", "-x", writeCIB(t, text)}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	sec := sections(out.String())["Transition Summary:"]
	want := "  * Start      C       ( node2 )  due to unrunnable A start (blocked)\n"
	if !strings.Contains(sec+"\n", want) {
		t.Errorf("missing %q in:\n%s", want, sec)
	}
}

// TestBlockedStop: a disabled resource that stays running because its
// stop cannot run is listed as a blocked stop.
func TestBlockedStop(t *testing.T) {
	p := instancePair{
		cur:  &status.Resource{ID: "rsc1", Role: status.Started, Nodes: []string{"n1"}, Managed: true, Disabled: true},
		next: &status.Resource{ID: "rsc1", Role: status.Started, Nodes: []string{"n1"}, Managed: true, Disabled: true},
		name: "rsc1", id: "rsc1",
	}
	got := classify(p, map[actionKey]bool{}, map[string]bool{})
	if len(got) != 1 || got[0].verb != "Stop" || got[0].details != "n1" || got[0].reason != "due to node availability (blocked)" {
		t.Fatalf("got %+v", got)
	}
	// With its stop scheduled it is a plain stop instead.
	p.next = &status.Resource{ID: "rsc1", Role: status.Stopped, Managed: true, Disabled: true}
	got = classify(p, map[actionKey]bool{{"stop", "rsc1", "n1"}: true}, map[string]bool{})
	if len(got) != 1 || got[0].verb != "Stop" || got[0].reason != reasonUnplaced {
		t.Fatalf("got %+v", got)
	}
}
