package pengine

import (
	"testing"
	"time"

	"hbgo/crm/cib"
)

// TestNodeMembership checks how node_state entries translate into node
// states, with and without fencing.
func TestNodeMembership(t *testing.T) {
	cases := []struct {
		name                  string
		fencing               bool
		st                    cib.NodeState
		attrs                 map[string]string
		online, unclean, pend bool
	}{
		{"member", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member", Expected: "member"}, nil, true, false, false},
		{"lost member is fenced", true, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "member"}, nil, false, true, false},
		{"clean shutdown", true, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "down"}, nil, false, false, false},
		{"never seen", true, cib.NodeState{Crmd: "offline", Join: "down"}, nil, false, true, false},
		{"joining", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "pending", Expected: "member"}, nil, true, false, true},
		{"not yet member", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "down"}, nil, true, false, true},
		{"banned", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "banned"}, nil, true, true, false},
		{"controller gone", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "offline", Join: "member", Expected: "member"}, nil, true, true, false},
		{"terminate requested", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member", Expected: "member"}, map[string]string{"terminate": "true"}, true, true, false},
		{"shutting down", true, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member", Expected: "member"}, map[string]string{"shutdown": "1234"}, true, false, false},
		{"no fencing: member", false, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "online", Join: "member", Expected: "member"}, nil, true, false, false},
		{"no fencing: lost", false, cib.NodeState{InCCM: "false", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "member"}, nil, false, false, false},
		{"no fencing: controller gone", false, cib.NodeState{InCCM: "true", HasInCCM: true, Crmd: "offline", Join: "down", Expected: "member"}, nil, false, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws := &workingSet{stonithEnabled: c.fencing, now: time.Unix(0, 0)}
			n := &node{attrs: map[string]string{}}
			for k, v := range c.attrs {
				n.attrs[k] = v
			}
			st := c.st
			ws.determineOnline(&st, n)
			if n.online != c.online || n.unclean != c.unclean || n.pending != c.pend {
				t.Fatalf("online=%v unclean=%v pending=%v, want %v %v %v", n.online, n.unclean, n.pending, c.online, c.unclean, c.pend)
			}
		})
	}
}

// TestHistoryReplay checks how an operation history becomes a role and a
// failure.
func TestHistoryReplay(t *testing.T) {
	cases := []struct {
		name   string
		ops    []string // "task:intervalMS:rc:targetRC"
		role   Role
		failed bool
	}{
		{"started", []string{"start:0:0:0", "monitor:10000:0:0"}, RoleStarted, false},
		{"stopped", []string{"start:0:0:0", "stop:0:0:0"}, RoleStopped, false},
		{"probe found nothing", []string{"monitor:0:7:7"}, RoleStopped, false},
		{"probe found it running", []string{"monitor:0:0:7"}, RoleStarted, false},
		{"monitor failed", []string{"start:0:0:0", "monitor:10000:7:0"}, RoleStarted, true},
		{"start failed", []string{"start:0:1:0"}, RoleStarted, true},
		{"promoted", []string{"start:0:0:0", "promote:0:0:0"}, RolePromoted, false},
		{"running promoted", []string{"monitor:0:8:7"}, RolePromoted, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := newCluster("n1")
			cl.resources = prim("a")
			var ops []string
			for _, o := range c.ops {
				ops = append(ops, "a:"+o)
			}
			cl.states["n1"] = lrm(ops...)
			doc, err := cib.Parse(stringsReader(cl.xml()))
			if err != nil {
				t.Fatal(err)
			}
			ws, err := newWorkingSet(doc, time.Unix(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			ws.unpackNodeStates()
			ws.unpackHistory()
			ws.finishUnpack()
			r := ws.byID["a"]
			if r.role != c.role || r.failed != c.failed {
				t.Fatalf("role=%v failed=%v, want %v %v", r.role, r.failed, c.role, c.failed)
			}
		})
	}
}
