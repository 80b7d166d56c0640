package tengine

import (
	"context"
	"strings"
	"testing"
	"time"

	"hbgo/crm/attrd"
	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

const failoverCIB = `<cib have-quorum="1" admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
<configuration>
 <crm_config><cluster_property_set id="opts">
  <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
 </cluster_property_set></crm_config>
 <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
 <resources>
  <primitive id="web" class="ocf" provider="heartbeat" type="Dummy">
   <meta_attributes id="web-meta"><nvpair id="web-mt" name="migration-threshold" value="2"/></meta_attributes>
   <operations><op id="web-mon" name="monitor" interval="10s"/></operations>
  </primitive>
 </resources>
 <constraints><rsc_location id="web-pref" rsc="web" node="%s" score="100"/></constraints>
</configuration>
<status>
 <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/>
 <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
</status>
</cib>`

// controller is the loop a DC runs: schedule, build, execute, write the
// history and fail counts back, until nothing is left to do.
type controller struct {
	t      *testing.T
	c      *cib.CIB
	fc     *fakeCluster
	attrs  *attrd.Store
	tid    int
	probes bool
}

func (k *controller) transition() (*pengine.Result, Report) {
	k.t.Helper()
	r, err := pengine.Schedule(k.c, time.Unix(0, 0))
	if err != nil {
		k.t.Fatal(err)
	}
	k.tid++
	st := StatusFromCIB(k.c)
	var changes []attrd.Change
	d := &Driver{Exec: k.fc.exec, Status: st, Clock: k.fc.clock, UUID: "dc", OnResult: func(res Result) {
		a := res.Action
		if res.OK || a.Kind != graph.RscOp {
			return
		}
		changes = append(changes, k.attrs.RecordFailure(attrd.Failure{Node: a.Node, Resource: a.Resource, Operation: a.Task,
			IntervalMS: a.IntervalMS, RC: res.Op.RC, TargetRC: a.TargetRC, At: res.Finished, StartFailureIsFatal: true})...)
	}}
	rep, err := d.Run(context.Background(), graph.Build(r, graph.Config{CIB: k.c, TransitionID: k.tid, Probes: k.probes}))
	if err != nil {
		k.t.Fatal(err)
	}
	st.ApplyTo(k.c)
	attrd.Apply(k.c, changes)
	return r, rep
}

func where(r *pengine.Result, id string) string {
	var nodes []string
	for _, s := range r.Resources {
		if s.ID == id {
			nodes = append(nodes, s.Node)
		}
	}
	return strings.Join(nodes, ",")
}

func newController(t *testing.T, prefer string) *controller {
	c, err := cib.Parse(strings.NewReader(strings.Replace(failoverCIB, "%s", prefer, 1)))
	if err != nil {
		t.Fatal(err)
	}
	k := &controller{t: t, c: c, attrs: attrd.Load(c)}
	k.fc = newFakeCluster(t, c, time.Unix(1700000000, 0))
	return k
}

// TestFailedStartMovesResource: a failed start aborts the transition, its
// fail count (INFINITY: start failures are fatal) bans the node, and the
// next transition recovers the resource on the other node.
func TestFailedStartMovesResource(t *testing.T) {
	k := newController(t, "n1")
	k.fc.runners["n1"].Inject("web", "start", resourced.Result{Status: resourced.StatusDone, RC: ocf.ErrGeneric, ExitReason: "port in use"})

	r, rep := k.transition()
	if got := strings.Join(actionLines(r), ","); got != "start web n1" {
		t.Fatalf("first transition %q", got)
	}
	if rep.Outcome != Aborted {
		t.Fatalf("first transition %v, want aborted", rep.Outcome)
	}
	if v, _ := k.attrs.Get("n1", "fail-count-web#start_0", attrd.Reboot); v != "INFINITY" {
		t.Fatalf("fail count %q", v)
	}
	r, rep = k.transition()
	if rep.Outcome != Complete || where(r, "web") != "n2" {
		t.Fatalf("recovery %v: actions %v, web on %q", rep.Outcome, actionLines(r), where(r, "web"))
	}
	if r, _ := k.transition(); len(r.Actions) != 0 || where(r, "web") != "n2" {
		t.Fatalf("not stable: %v, web on %q", actionLines(r), where(r, "web"))
	}
}

// TestMonitorFailuresReachMigrationThreshold: failed recurring monitors
// raise the fail count by one each; the resource restarts in place until
// the count reaches migration-threshold (2), then moves.
func TestMonitorFailuresReachMigrationThreshold(t *testing.T) {
	k := newController(t, "n1")
	if _, rep := k.transition(); rep.Outcome != Complete {
		t.Fatalf("initial start: %+v", rep)
	}
	crash := func(tid int) {
		// The recurring monitor reports the resource gone, as the
		// resource manager's OnResult would.
		mon := &graph.Action{ID: 99, Kind: graph.RscOp, Task: "monitor", IntervalMS: 10000, Resource: "web", Node: "n1",
			Agent: graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}}
		k.fc.runners["n1"].SetState("web", ocf.NotRunning)
		st := StatusFromCIB(k.c)
		ms := int64(1700000000000 + tid*60000)
		st.Record(Execution{Action: mon, Result: OpResult{RC: 7}, TransitionID: tid, UUID: "dc", Queued: ms, Started: ms, Finished: ms})
		st.ApplyTo(k.c)
		attrd.Apply(k.c, k.attrs.RecordFailure(attrd.Failure{Node: "n1", Resource: "web", Operation: "monitor", IntervalMS: 10000, RC: 7, At: time.UnixMilli(ms)}))
	}
	crash(1)
	r, rep := k.transition()
	if got := strings.Join(actionLines(r), ","); rep.Outcome != Complete || got != "stop web n1,start web n1" {
		t.Fatalf("after one failure: %v %q (want a restart in place)", rep.Outcome, got)
	}
	if v, _ := k.attrs.Get("n1", "fail-count-web#monitor_10000", attrd.Reboot); v != "1" {
		t.Fatalf("fail count %q, want 1", v)
	}
	crash(2)
	r, rep = k.transition()
	if rep.Outcome != Complete || where(r, "web") != "n2" {
		t.Fatalf("after two failures: %v %v, web on %q (want moved to n2)", rep.Outcome, actionLines(r), where(r, "web"))
	}
	if r, _ := k.transition(); len(r.Actions) != 0 {
		t.Fatalf("not stable: %v", actionLines(r))
	}
}

// TestProbeFindsUnexpectedCopy: a resource already running on n2 outside
// the cluster's knowledge is found by the probe before the start on n1;
// the transition aborts without starting a second copy, no fail count is
// raised, and the next schedule moves the found copy to its preferred node.
func TestProbeFindsUnexpectedCopy(t *testing.T) {
	k := newController(t, "n1")
	k.probes = true
	k.fc.runners["n2"].SetState("web", ocf.Success)
	r, rep := k.transition()
	if got := strings.Join(actionLines(r), ","); got != "start web n1" || rep.Outcome != Aborted {
		t.Fatalf("first transition %q %v", got, rep.Outcome)
	}
	if s := k.fc.runners["n1"].State("web"); s != ocf.NotRunning {
		t.Fatalf("web started on n1 although the probe on n2 found it (%v)", s)
	}
	if names := k.attrs.Names("n2", attrd.Reboot); len(names) != 0 {
		t.Fatalf("probe result raised attributes %v", names)
	}
	r, rep = k.transition()
	if got := strings.Join(actionLines(r), ","); rep.Outcome != Complete || got != "stop web n2,start web n1" {
		t.Fatalf("second transition %v %q", rep.Outcome, got)
	}
	if r, _ := k.transition(); len(r.Actions) != 0 || where(r, "web") != "n1" {
		t.Fatalf("not stable: %v, web on %q", actionLines(r), where(r, "web"))
	}
}
