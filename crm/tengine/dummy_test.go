package tengine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/internal/testenv"
	"hbgo/resourced"
)

const dummyCIB = `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
<configuration>
 <crm_config><cluster_property_set id="opts">
  <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
  <nvpair id="opts-quorum" name="no-quorum-policy" value="ignore"/>
 </cluster_property_set></crm_config>
 <nodes><node id="1" uname="n1"/></nodes>
 <resources>
  <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
   <instance_attributes id="dummy-ia"><nvpair id="dummy-state" name="state" value="%s"/></instance_attributes>
   <operations><op id="dummy-mon" name="monitor" interval="10s" timeout="20s"/></operations>
  </primitive>
 </resources>
 <constraints/>
</configuration>
<status><node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"/></status>
</cib>`

// TestRealDummyAgent starts and stops the real ocf:heartbeat:Dummy agent
// through the resource manager, with its recurring monitor.
func TestRealDummyAgent(t *testing.T) {
	testenv.RequireProgram(t, "/usr/lib/ocf/resource.d/heartbeat/Dummy")
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "dummy.state")
	c, err := cib.Parse(strings.NewReader(fmt.Sprintf(dummyCIB, stateFile)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := resourced.DefaultConfig()
	cfg.StateDir = filepath.Join(dir, "rsctmp")
	clock := resourced.NewFakeClock(time.Now())
	m := resourced.NewManager(resourced.ManagerConfig{Runner: resourced.NewExecutor(cfg), Clock: clock})
	t.Cleanup(m.Close)
	exec := &LRMExecutor{Managers: map[string]*resourced.Manager{"n1": m}}

	run := func(wantActions string) *Report {
		t.Helper()
		r, err := pengine.Schedule(c, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(actionLines(r), ","); got != wantActions {
			t.Fatalf("scheduled %q, want %q", got, wantActions)
		}
		st := StatusFromCIB(c)
		d := &Driver{Exec: exec, Status: st, UUID: "dc"}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		rep, err := d.Run(ctx, graph.Build(r, graph.Config{CIB: c, TransitionID: 1, Probes: true}))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Outcome != Complete {
			t.Fatalf("transition %v: %s %+v", rep.Outcome, rep.Reason, rep.Results)
		}
		st.ApplyTo(c)
		return &rep
	}

	rep := run("start dummy n1")
	var tasks []string
	for _, res := range rep.Results {
		tasks = append(tasks, res.Action.Key())
	}
	if strings.Join(tasks, ",") != "dummy_monitor_0,dummy_start_0,dummy_monitor_10000" {
		t.Fatalf("executed %v", tasks)
	}
	if _, err := os.Stat(stateFile); err != nil {
		t.Fatalf("Dummy did not create its state file: %v", err)
	}
	if rec := m.Recurring(); len(rec) != 1 {
		t.Fatalf("recurring operations %v, want the monitor", rec)
	}
	run("") // stable

	// Ask for the resource to stop: the monitor is cancelled, then stop.
	c.Resources[0].Meta = append(c.Resources[0].Meta, cib.NVSet{ID: "dummy-meta", Pairs: []cib.NVPair{{ID: "dummy-tr", Name: "target-role", Value: "Stopped"}}})
	rep = run("stop dummy n1")
	tasks = tasks[:0]
	for _, res := range rep.Results {
		tasks = append(tasks, res.Action.String())
	}
	if strings.Join(tasks, ",") != "cancel dummy_monitor_10000 on n1,dummy_stop_0 on n1" {
		t.Fatalf("executed %v", tasks)
	}
	if _, err := os.Stat(stateFile); !os.IsNotExist(err) {
		t.Fatalf("state file after stop: %v", err)
	}
	if rec := m.Recurring(); len(rec) != 0 {
		t.Fatalf("recurring operations left: %v", rec)
	}
	ops := c.Status[0].Resources[0].Ops
	if len(ops) != 1 || ops[0].Operation != "stop" || ops[0].CallID != 4 {
		t.Fatalf("history after stop: %+v", ops)
	}
	run("")
}
