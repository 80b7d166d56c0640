package graph

import (
	"strings"
	"testing"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
)

const buildCIB = `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
<configuration><crm_config/>
<op_defaults><meta_attributes id="opd"><nvpair id="opd-t" name="timeout" value="30s"/></meta_attributes></op_defaults>
<nodes><node id="1" uname="n1"/><node id="2" uname="n2"/><node id="3" uname="n3"/></nodes>
<resources>
 <group id="g">
  <primitive id="a" class="ocf" provider="heartbeat" type="Dummy">
   <instance_attributes id="a-ia"><nvpair id="a-s" name="state" value="/run/a"/></instance_attributes>
   <operations><op id="a-mon" name="monitor" interval="10s" timeout="5s"/><op id="a-start" name="start" interval="0" timeout="40s"/></operations>
  </primitive>
  <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
  <primitive id="c" class="ocf" provider="heartbeat" type="Dummy"/>
 </group>
 <master id="ms"><primitive id="s" class="ocf" provider="pacemaker" type="Stateful">
   <operations><op id="s-mon-p" name="monitor" interval="11s" role="Master"/><op id="s-mon" name="monitor" interval="12s"/></operations>
 </primitive></master>
 <clone id="cl"><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/></clone>
</resources><constraints/></configuration>
<status>
 <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>
  <lrm_resource id="a" class="ocf" provider="heartbeat" type="Dummy">
   <lrm_rsc_op id="a_last_0" operation_key="a_start_0" operation="start" call-id="3" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:x"/>
   <lrm_rsc_op id="a_monitor_10000" operation_key="a_monitor_10000" operation="monitor" call-id="4" rc-code="0" op-status="0" interval="10000" transition-key="2:1:0:x"/>
  </lrm_resource>
  <lrm_resource id="s:0" class="ocf" provider="pacemaker" type="Stateful">
   <lrm_rsc_op id="s:0_last_0" operation_key="s:0_promote_0" operation="promote" call-id="5" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:x"/>
   <lrm_rsc_op id="s:0_monitor_11000" operation_key="s:0_monitor_11000" operation="monitor" call-id="6" rc-code="8" op-status="0" interval="11000" transition-key="2:1:8:x"/>
  </lrm_resource>
 </lrm_resources></lrm></node_state>
</status></cib>`

func parseBuildCIB(t *testing.T) *cib.CIB {
	t.Helper()
	c, err := cib.Parse(strings.NewReader(buildCIB))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// switchover moves group g from n1 to n2, moves the promoted role of ms
// from n1 to n2, starts clone instances on n2 and n3, and fences n3 first.
func switchover() *pengine.Result {
	acts := []pengine.Action{
		{Task: "start", Resource: "d", Node: "n2"},
		{Task: "stop", Resource: "a", Node: "n1"},
		{Task: "start", Resource: "a", Node: "n2"},
		{Task: "stop", Resource: "b", Node: "n1"},
		{Task: "start", Resource: "b", Node: "n2"},
		{Task: "stop", Resource: "c", Node: "n1"},
		{Task: "start", Resource: "c", Node: "n2"},
		{Task: "demote", Resource: "s:0", Node: "n1"},
		{Task: "promote", Resource: "s:1", Node: "n2"},
		{Task: "start", Resource: "d", Node: "n3"},
		{Task: "fence", Node: "n3", Fence: "reboot"},
	}
	return &pengine.Result{Actions: acts, Resources: []pengine.ResourceState{
		{ID: "a", Node: "n2", Role: pengine.RoleStarted},
		{ID: "b", Node: "n2", Role: pengine.RoleStarted},
		{ID: "c", Node: "n2", Role: pengine.RoleStarted},
		{ID: "s:0", Node: "n1", Role: pengine.RoleUnpromoted},
		{ID: "s:1", Node: "n2", Role: pengine.RolePromoted},
		{ID: "d", Node: "n2", Role: pengine.RoleStarted},
		{ID: "d", Node: "n3", Role: pengine.RoleStarted},
	}}
}

// find returns the single action with that description ("stop a n1",
// "cancel a_monitor_10000 n1", "running g").
func find(t *testing.T, g *Graph, desc string) *Action {
	t.Helper()
	var found []*Action
	for _, a := range g.Actions {
		d := a.Task + " " + a.Resource + " " + a.Node
		switch {
		case a.Task == TaskCancel || a.Task == "monitor":
			d = a.Task + " " + a.Key() + " " + a.Node
		case a.Kind == CRMEvent:
			d = a.Task + " " + a.Node
		}
		if strings.TrimSpace(d) == desc {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d actions match %q", len(found), desc)
	}
	return found[0]
}

// before reports whether first is a transitive input of then.
func before(g *Graph, first, then *Action) bool {
	seen := map[int]bool{}
	var walk func(a *Action) bool
	walk = func(a *Action) bool {
		for _, in := range a.Inputs {
			if in == first.ID {
				return true
			}
			if !seen[in] {
				seen[in] = true
				if walk(g.Action(in)) {
					return true
				}
			}
		}
		return false
	}
	return walk(then)
}

func TestBuildOrdering(t *testing.T) {
	g := Build(switchover(), Config{CIB: parseBuildCIB(t), TransitionID: 3})
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		first, then string
		want        bool
	}{
		{"stonith n3", "stop a n1", true},
		{"stonith n3", "start d n2", true},
		{"stonith n3", "cancel a_monitor_10000 n1", true},
		{"stop c n1", "stop b n1", true},
		{"stop b n1", "stop a n1", true},
		{"stop a n1", "start a n2", true},
		{"start a n2", "start b n2", true},
		{"start b n2", "start c n2", true},
		{"stop c n1", "start a n2", true},
		{"demote s:0 n1", "promote s:1 n2", true},
		{"cancel a_monitor_10000 n1", "stop a n1", true},
		{"cancel s:0_monitor_11000 n1", "demote s:0 n1", true},
		{"start a n2", "monitor a_monitor_10000 n2", true},
		{"promote s:1 n2", "monitor s:1_monitor_11000 n2", true},
		{"demote s:0 n1", "monitor s:0_monitor_12000 n1", true},
		{"start c n2", "running g", true},
		{"stop a n1", "stopped g", true},
		// Anonymous clone instances are independent.
		{"start d n2", "start d n3", false},
		{"start d n3", "start d n2", false},
		// Nothing orders the group after the clone.
		{"start d n2", "start a n2", false},
	}
	for _, tt := range tests {
		if got := before(g, find(t, g, tt.first), find(t, g, tt.then)); got != tt.want {
			t.Errorf("%s before %s = %v, want %v", tt.first, tt.then, got, tt.want)
		}
	}
	// Monitors of the final role only: no unpromoted monitor on the new
	// promoted instance, no monitor for members without a recurring op.
	for _, a := range g.Actions {
		if a.Task == "monitor" && (a.Key() == "s:1_monitor_12000" || a.Resource == "b") {
			t.Errorf("unexpected %s", a)
		}
	}
	if a := find(t, g, "monitor s:1_monitor_11000 n2"); a.TargetRC != 8 || a.TimeoutMS != 30000 {
		t.Errorf("promoted monitor target rc %d timeout %d, want 8 and the op_defaults 30000", a.TargetRC, a.TimeoutMS)
	}
	if a := find(t, g, "start a n2"); a.TimeoutMS != 40000 || a.Params["state"] != "/run/a" || a.Agent.Type != "Dummy" || a.NodeUUID != "2" {
		t.Errorf("start a: %+v", a)
	}
	if a := find(t, g, "monitor a_monitor_10000 n2"); a.TimeoutMS != 5000 {
		t.Errorf("monitor timeout %d, want 5000", a.TimeoutMS)
	}
}

func TestFromResultWithoutCIB(t *testing.T) {
	g := FromResult(switchover())
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(g.Actions) != len(switchover().Actions) {
		t.Fatalf("%d actions, want one per result action", len(g.Actions))
	}
	tests := []struct {
		first, then string
		want        bool
	}{
		{"stonith n3", "start d n2", true},
		{"stop a n1", "start a n2", true},
		{"stop c n1", "start a n2", false}, // groups unknown without the CIB
		{"stop b n1", "start d n2", false},
		{"stop a n1", "start d n3", false},
	}
	for _, tt := range tests {
		if got := before(g, find(t, g, tt.first), find(t, g, tt.then)); got != tt.want {
			t.Errorf("%s before %s = %v, want %v", tt.first, tt.then, got, tt.want)
		}
	}
}

func TestNodeRulesAndFencingSequence(t *testing.T) {
	r := &pengine.Result{Actions: []pengine.Action{
		{Task: "fence", Node: "n3", Fence: "reboot"},
		{Task: "fence", Node: "n4", Fence: "off"},
		{Task: "stop", Resource: "x", Node: "n1"},
		{Task: "start", Resource: "y", Node: "n1"},
		{Task: "demote", Resource: "z", Node: "n1"},
		{Task: "shutdown", Node: "n1"},
	}}
	g := FromResult(r)
	for _, tt := range []struct{ first, then string }{
		{"stonith n3", "stonith n4"},
		{"stonith n4", "stop x n1"},
		{"stop x n1", "start y n1"},
		{"stop x n1", "do_shutdown n1"},
		{"demote z n1", "do_shutdown n1"},
	} {
		if !before(g, find(t, g, tt.first), find(t, g, tt.then)) {
			t.Errorf("%s not before %s", tt.first, tt.then)
		}
	}
	if before(g, find(t, g, "stonith n4"), find(t, g, "stonith n3")) {
		t.Error("fencing chain reversed")
	}
}

// exactOrderer supplies edges of its own.
type exactOrderer []Ordering

func (o exactOrderer) Orderings(*pengine.Result) []Ordering { return o }

func TestOrdererReplacesConservative(t *testing.T) {
	r := &pengine.Result{Actions: []pengine.Action{
		{Task: "stop", Resource: "x", Node: "n1"},
		{Task: "start", Resource: "x", Node: "n2"},
		{Task: "start", Resource: "y", Node: "n2"},
	}}
	o := exactOrderer{{First: ActionRef{"start", "y", "n2"}, Then: ActionRef{"stop", "x", "n1"}}}
	g := Build(r, Config{Orderer: o})
	if !before(g, find(t, g, "start y n2"), find(t, g, "stop x n1")) {
		t.Error("supplied edge missing")
	}
	if before(g, find(t, g, "stop x n1"), find(t, g, "start x n2")) {
		t.Error("conservative edge present although an Orderer was given")
	}
}

const orderCIB = `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
<configuration><crm_config/><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
<resources>
 <primitive id="x" class="ocf" provider="heartbeat" type="Dummy"/>
 <primitive id="y" class="ocf" provider="heartbeat" type="Dummy"/>
 <clone id="zc"><primitive id="z" class="ocf" provider="heartbeat" type="Dummy"/></clone>
</resources>
<constraints>
 <rsc_order id="o1" first="x" then="y"/>
 <rsc_order id="o2" first="zc" then="x" kind="Optional"/>
 <rsc_order id="o3" first="y" first-action="start" then="x" then-action="stop"/>
</constraints></configuration><status/></cib>`

func TestBuildOrderConstraints(t *testing.T) {
	c, err := cib.Parse(strings.NewReader(orderCIB))
	if err != nil {
		t.Fatal(err)
	}
	r := &pengine.Result{Actions: []pengine.Action{
		{Task: "stop", Resource: "x", Node: "n1"}, {Task: "start", Resource: "x", Node: "n1"},
		{Task: "stop", Resource: "y", Node: "n1"}, {Task: "start", Resource: "y", Node: "n1"},
		{Task: "start", Resource: "z", Node: "n1"}, {Task: "start", Resource: "z", Node: "n2"},
	}}
	g := Build(r, Config{CIB: c})
	if err := g.Validate(); err != nil {
		t.Fatalf("order o3 contradicts the stop-before-start rule and must be dropped: %v", err)
	}
	for _, tt := range []struct {
		first, then string
		want        bool
	}{
		{"start x n1", "start y n1", true}, // o1
		{"stop y n1", "stop x n1", true},   // o1, symmetrical
		{"start z n1", "start x n1", true}, // o2, every clone instance
		{"start z n2", "start x n1", true}, // o2
		{"start y n1", "stop x n1", false}, // o3 would close a cycle
		{"stop x n1", "start z n2", false}, // nothing orders these
	} {
		if got := before(g, find(t, g, tt.first), find(t, g, tt.then)); got != tt.want {
			t.Errorf("%s before %s = %v, want %v", tt.first, tt.then, got, tt.want)
		}
	}
}

func TestBuildProbes(t *testing.T) {
	r := switchover()
	r.Nodes = []pengine.NodeState{{Name: "n1", Online: true}, {Name: "n2", Online: true}, {Name: "n3"}}
	g := Build(r, Config{CIB: parseBuildCIB(t), Probes: true})
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ first, then string }{
		{"monitor d_monitor_0 n1", "start d n2"},
		{"monitor d_monitor_0 n2", "start d n3"},
		{"monitor a_monitor_0 n2", "start a n2"},
		{"stonith n3", "monitor a_monitor_0 n2"},
	} {
		if !before(g, find(t, g, tt.first), find(t, g, tt.then)) {
			t.Errorf("%s not before %s", tt.first, tt.then)
		}
	}
	for _, a := range g.Actions {
		if a.Task == "monitor" && a.IntervalMS == 0 {
			if a.TargetRC != 7 {
				t.Errorf("%s expects rc %d", a, a.TargetRC)
			}
			if a.Node == "n3" || (a.Resource == "a" && a.Node == "n1") {
				t.Errorf("unexpected probe %s (offline node or known history)", a)
			}
		}
	}
	if n := len(FromResult(r).Actions); n != len(r.Actions) {
		t.Errorf("probes without a CIB: %d actions", n)
	}
}
