package status

import (
	"strings"
	"testing"

	"hbgo/crm/cib"
	"hbgo/crm/status/cibdoc"
)

func op(task string, interval, rc, status, call int, target int) cib.LRMOp {
	return cib.LRMOp{Operation: task, IntervalMS: interval, RC: rc, OpStatus: status, CallID: call,
		TransitionKey: "1:1:" + string(rune('0'+target)) + ":uuid"}
}

func TestInterpretHistory(t *testing.T) {
	noPolicy := func(string, int) string { return "" }
	ignore := func(string, int) string { return "ignore" }
	cases := []struct {
		name    string
		ops     []cib.LRMOp
		onFail  onFailFunc
		stonith bool
		role    Role
		failed  bool
		ignored bool
		blocked bool
		fence   bool
	}{
		{"probe not running", []cib.LRMOp{op("monitor", 0, 7, 0, 1, 7)}, noPolicy, true, Stopped, false, false, false, false},
		{"probe finds it running", []cib.LRMOp{op("monitor", 0, 0, 0, 1, 7)}, noPolicy, true, Started, false, false, false, false},
		{"probe finds it promoted", []cib.LRMOp{op("monitor", 0, 8, 0, 1, 7)}, noPolicy, true, Promoted, false, false, false, false},
		{"start", []cib.LRMOp{op("monitor", 0, 7, 0, 1, 7), op("start", 0, 0, 0, 2, 0)}, noPolicy, true, Started, false, false, false, false},
		{"out of order calls", []cib.LRMOp{op("stop", 0, 0, 0, 5, 0), op("start", 0, 0, 0, 2, 0)}, noPolicy, true, Stopped, false, false, false, false},
		{"failed start", []cib.LRMOp{op("start", 0, 1, 0, 2, 0)}, noPolicy, true, Started, true, false, false, false},
		{"monitor not running", []cib.LRMOp{op("start", 0, 0, 0, 2, 0), op("monitor", 10000, 7, 0, 3, 0)}, noPolicy, true, Started, true, false, false, false},
		{"monitor failure ignored", []cib.LRMOp{op("start", 0, 0, 0, 2, 0), op("monitor", 10000, 7, 0, 3, 0)}, ignore, true, Started, false, true, false, false},
		{"error status judged by rc", []cib.LRMOp{op("monitor", 0, 7, 4, 1, 7)}, noPolicy, true, Stopped, false, false, false, false},
		{"stop failure fences", []cib.LRMOp{op("start", 0, 0, 0, 1, 0), op("stop", 0, 1, 0, 2, 0)}, noPolicy, true, Started, false, false, false, true},
		{"stop failure blocks without stonith", []cib.LRMOp{op("start", 0, 0, 0, 1, 0), op("stop", 0, 1, 0, 2, 0)}, noPolicy, false, Started, true, false, true, false},
		{"failure then recovery", []cib.LRMOp{op("start", 0, 1, 0, 1, 0), op("stop", 0, 0, 0, 2, 0), op("start", 0, 0, 0, 3, 0)}, noPolicy, true, Started, false, false, false, false},
		{"promote then demote", []cib.LRMOp{op("start", 0, 0, 0, 1, 0), op("promote", 0, 0, 0, 2, 0), op("demote", 0, 0, 0, 3, 0)}, noPolicy, true, Started, false, false, false, false},
		{"pending start", []cib.LRMOp{{Operation: "start", CallID: -1, OpStatus: -1}}, noPolicy, true, Started, false, false, false, false},
		{"probe not installed stays stopped", []cib.LRMOp{op("monitor", 0, 5, 0, 1, 7)}, noPolicy, true, Stopped, false, false, false, false},
		{"degraded monitor is healthy", []cib.LRMOp{op("start", 0, 0, 0, 1, 0), op("monitor", 10000, 190, 0, 2, 0)}, noPolicy, true, Started, false, false, false, false},
	}
	for _, c := range cases {
		st := interpret(c.ops, c.onFail, c.stonith)
		if st.role != c.role || st.failed != c.failed || st.ignored != c.ignored || st.blocked != c.blocked || st.fence != c.fence {
			t.Errorf("%s: got role=%s failed=%v ignored=%v blocked=%v fence=%v; want %s %v %v %v %v", c.name,
				st.role, st.failed, st.ignored, st.blocked, st.fence, c.role, c.failed, c.ignored, c.blocked, c.fence)
		}
	}
}

func TestNodeMembership(t *testing.T) {
	type want struct{ online, pending, unclean bool }
	cases := []struct {
		name     string
		stonith  bool
		s        cib.NodeState
		shutdown bool
		want     want
	}{
		{"member", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member", Expected: "member"}, false, want{true, false, false}},
		{"never seen", true, cib.NodeState{Crmd: "offline", Join: "down"}, false, want{false, false, true}},
		{"lost", true, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "member"}, false, want{false, false, true}},
		{"left cleanly", true, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "down"}, false, want{false, false, false}},
		{"controller gone", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "offline", Join: "member", Expected: "member"}, false, want{true, false, true}},
		{"joining", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "pending", Expected: "member"}, false, want{true, true, false}},
		{"shutting down", true, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "online", Join: "pending", Expected: "down"}, true, want{true, false, false}},
		{"timestamps", true, cib.NodeState{InCCM: "1700000000", HasInCCM: true, Crmd: "1700000000", Join: "member", Expected: "member"}, false, want{true, false, false}},
		{"no fencing member", false, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member"}, false, want{true, false, false}},
		{"no fencing not in cluster", false, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "online", Join: "member"}, false, want{false, false, false}},
		{"no fencing unexpectedly down", false, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "member"}, false, want{false, false, true}},
	}
	for _, c := range cases {
		d := &deriver{cl: &Cluster{Options: Options{StonithEnabled: c.stonith}}}
		n := &Node{}
		d.nodeOnline(n, c.s, c.shutdown, false)
		if got := (want{n.Online, n.Pending, n.Unclean}); got != c.want {
			t.Errorf("%s: got %+v want %+v", c.name, got, c.want)
		}
	}
}

const clusterCIB = `<cib epoch="1" num_updates="0" admin_epoch="0" dc-uuid="1" have-quorum="1" cib-last-written="Thu Jan  1 00:00:00 2026" update-client="cibadmin">
<configuration><crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
<nodes><node id="2" uname="node10"/><node id="1" uname="node2"/></nodes>
<resources>
 <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"><meta_attributes id="ip-m"><nvpair id="ip-m1" name="migration-threshold" value="3"/></meta_attributes></primitive>
 <group id="g"><meta_attributes id="g-m"><nvpair id="g-m1" name="target-role" value="Stopped"/></meta_attributes><primitive id="g1" class="lsb" type="a"/></group>
 <clone id="c"><primitive id="d" class="ocf" provider="pacemaker" type="Dummy"/></clone>
 <clone id="u"><meta_attributes id="u-m"><nvpair id="u-m1" name="globally-unique" value="true"/><nvpair id="u-m2" name="clone-max" value="3"/></meta_attributes><primitive id="x" class="ocf" provider="pacemaker" type="Dummy"/></clone>
</resources><constraints/></configuration>
<status>
 <node_state id="1" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
  <transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="s1" name="fail-count-ip#monitor_10000" value="2"/><nvpair id="s2" name="last-failure-ip#monitor_10000" value="1700000000"/></instance_attributes></transient_attributes>
  <lrm id="1"><lrm_resources>
   <lrm_resource id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
    <lrm_rsc_op id="ip_last_0" operation_key="ip_start_0" operation="start" transition-key="1:1:0:u" call-id="2" rc-code="0" op-status="0" interval="0"/>
    <lrm_rsc_op id="ip_last_failure_0" operation_key="ip_monitor_10000" operation="monitor" transition-key="2:1:0:u" call-id="3" rc-code="7" op-status="0" interval="10000" exec-time="12"/>
   </lrm_resource>
   <lrm_resource id="d" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="d_last_0" operation="start" transition-key="1:1:0:u" call-id="4" rc-code="0" op-status="0" interval="0"/></lrm_resource>
   <lrm_resource id="x:2" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="x_last_0" operation="start" transition-key="1:1:0:u" call-id="5" rc-code="0" op-status="0" interval="0"/></lrm_resource>
   <lrm_resource id="gone" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="gone_last_0" operation="start" transition-key="1:1:0:u" call-id="6" rc-code="0" op-status="0" interval="0"/></lrm_resource>
  </lrm_resources></lrm>
 </node_state>
 <node_state id="2" uname="node10" in_ccm="false" crmd="offline" join="down" expected="down">
  <lrm id="2"><lrm_resources><lrm_resource id="d" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="d_last_0" operation="start" transition-key="1:1:0:u" call-id="4" rc-code="0" op-status="0" interval="0"/></lrm_resource></lrm_resources></lrm>
 </node_state>
</status></cib>`

func TestComputeCluster(t *testing.T) {
	c, err := cib.Parse(strings.NewReader(clusterCIB))
	if err != nil {
		t.Fatal(err)
	}
	root, err := cibdoc.Parse([]byte(clusterCIB))
	if err != nil {
		t.Fatal(err)
	}
	cl := Compute(c, root)
	if cl.DC != "node2" || !cl.HaveQuorum || cl.UpdateClient != "cibadmin" {
		t.Errorf("summary: dc=%q quorum=%v client=%q", cl.DC, cl.HaveQuorum, cl.UpdateClient)
	}
	if len(cl.Nodes) != 2 || cl.Nodes[0].Name != "node2" || cl.Nodes[1].Name != "node10" {
		t.Fatalf("nodes not in natural order: %+v", cl.Nodes)
	}
	if !cl.Nodes[0].Online || cl.Nodes[1].Online {
		t.Errorf("membership: %+v %+v", cl.Nodes[0], cl.Nodes[1])
	}
	ip := cl.Find("ip")
	if ip == nil || ip.Role != Started || !ip.Failed || strings.Join(ip.Nodes, ",") != "node2" {
		t.Errorf("ip: %+v", ip)
	}
	if g1 := cl.Find("g1"); g1 == nil || !g1.Disabled || g1.OwnTargetRole != "" || g1.Active() {
		t.Errorf("g1 should be stopped and disabled through its group: %+v", g1)
	}
	cc := cl.Find("c")
	if cc == nil || len(cc.Children) != 2 {
		t.Fatalf("anonymous clone: %+v", cc)
	}
	active := 0
	for _, ch := range cc.Children {
		if ch.Active() {
			active++
			if ch.ID != "d" || ch.Nodes[0] != "node2" {
				t.Errorf("clone instance: %+v", ch)
			}
		}
	}
	if active != 1 {
		t.Errorf("the offline node's history counted: %d active", active)
	}
	u := cl.Find("u")
	if u == nil || len(u.Children) != 3 || u.Children[2].ID != "x:2" || !u.Children[2].Active() || u.Children[0].Active() {
		t.Errorf("unique clone: %+v", u)
	}
	if o := cl.Find("gone"); o == nil || !o.Orphan || !o.Active() {
		t.Errorf("orphan: %+v", o)
	}
	if len(cl.Failures) != 1 || cl.Failures[0].OpKey != "ip_monitor_10000" || cl.Failures[0].ExecMS != 12 || cl.Failures[0].RC != 7 {
		t.Errorf("failures: %+v", cl.Failures)
	}
	if len(cl.FailCounts) != 1 || cl.FailCounts[0].Count != 2 || cl.FailCounts[0].Threshold != 3 || cl.FailCounts[0].Resource != "ip" {
		t.Errorf("fail counts: %+v", cl.FailCounts)
	}
	if cl.Nodes[0].ResourcesRunning != 4 {
		t.Errorf("node2 runs %d instances, want 4", cl.Nodes[0].ResourcesRunning)
	}
}
