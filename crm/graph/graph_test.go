package graph

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestOpKey(t *testing.T) {
	tests := []struct {
		key, rsc, task string
		ms             int
		bad            bool
	}{
		{key: "rsc1_start_0", rsc: "rsc1", task: "start"},
		{key: "my_rsc_monitor_10000", rsc: "my_rsc", task: "monitor", ms: 10000},
		{key: "child:3_promote_0", rsc: "child:3", task: "promote"},
		{key: "vm_migrate_to_0", rsc: "vm", task: "migrate_to"},
		{key: "vm_migrate_from_0", rsc: "vm", task: "migrate_from"},
		{key: "start_0", bad: true},
		{key: "rsc_start_x", bad: true},
		{key: "rsc_start_-1", bad: true},
		{key: "", bad: true},
	}
	for _, tt := range tests {
		rsc, task, ms, err := ParseOpKey(tt.key)
		if tt.bad {
			if !errors.Is(err, ErrBadKey) {
				t.Errorf("ParseOpKey(%q) err = %v, want ErrBadKey", tt.key, err)
			}
			continue
		}
		if err != nil || rsc != tt.rsc || task != tt.task || ms != tt.ms {
			t.Errorf("ParseOpKey(%q) = %q %q %d %v", tt.key, rsc, task, ms, err)
		}
		if back := OpKey(rsc, task, ms); back != tt.key {
			t.Errorf("OpKey round trip %q -> %q", tt.key, back)
		}
	}
}

func TestTransitionKey(t *testing.T) {
	k := TransitionKey(12, 3, 8, "0ab2-uuid")
	if k != "12:3:8:0ab2-uuid" {
		t.Fatalf("TransitionKey = %q", k)
	}
	a, tr, rc, uuid, err := ParseTransitionKey(k)
	if err != nil || a != 12 || tr != 3 || rc != 8 || uuid != "0ab2-uuid" {
		t.Fatalf("ParseTransitionKey = %d %d %d %q %v", a, tr, rc, uuid, err)
	}
	if m := TransitionMagic(0, 7, k); m != "0:7;12:3:8:0ab2-uuid" {
		t.Fatalf("TransitionMagic = %q", m)
	}
	for _, bad := range []string{"", "1:2:3", "a:2:3:u", "1:b:3:u"} {
		if _, _, _, _, err := ParseTransitionKey(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseTransitionKey(%q) err = %v", bad, err)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		actions []*Action
		want    error
	}{
		{"ok", []*Action{{ID: 1}, {ID: 2, Inputs: []int{1}}, {ID: 3, Inputs: []int{1, 2}}}, nil},
		{"duplicate", []*Action{{ID: 1}, {ID: 1}}, ErrDuplicateAction},
		{"unknown input", []*Action{{ID: 1, Inputs: []int{9}}}, ErrUnknownInput},
		{"self loop", []*Action{{ID: 1, Inputs: []int{1}}}, ErrCycle},
		{"cycle", []*Action{{ID: 1, Inputs: []int{3}}, {ID: 2, Inputs: []int{1}}, {ID: 3, Inputs: []int{2}}}, ErrCycle},
	}
	for _, tt := range tests {
		err := (&Graph{Actions: tt.actions}).Validate()
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// sample has one action of every kind the graph knows.
func sample() *Graph {
	return &Graph{TransitionID: 7, ClusterDelay: "60s", StonithTimeout: "90s", BatchLimit: 4, Actions: []*Action{
		{ID: 0, Kind: CRMEvent, Task: TaskFence, Node: "n3", NodeUUID: "3", FenceAction: "reboot", Priority: 1000000},
		{ID: 1, Kind: RscOp, Task: TaskCancel, CancelTask: "monitor", IntervalMS: 10000, Resource: "ip", Node: "n1", NodeUUID: "1",
			Agent: Agent{"ocf", "heartbeat", "IPaddr2"}, Inputs: []int{0}},
		{ID: 2, Kind: RscOp, Task: "stop", Resource: "ip", Node: "n1", NodeUUID: "1", TimeoutMS: 20000,
			Agent: Agent{"ocf", "heartbeat", "IPaddr2"}, Params: map[string]string{"ip": "198.51.100.7", "cidr_netmask": "24"}, Inputs: []int{0, 1}},
		{ID: 3, Kind: RscOp, Task: "start", Resource: "ip", Node: "n2", NodeUUID: "2", TimeoutMS: 20000,
			Agent: Agent{"ocf", "heartbeat", "IPaddr2"}, Params: map[string]string{"ip": "198.51.100.7", "cidr_netmask": "24"}, Inputs: []int{2}},
		{ID: 4, Kind: RscOp, Task: "monitor", IntervalMS: 10000, TargetRC: 8, Resource: "db:1", Node: "n2", NodeUUID: "2", TimeoutMS: 15000,
			Agent: Agent{"ocf", "pacemaker", "Stateful"}, Meta: map[string]string{"notify": "false"}, Inputs: []int{3}},
		{ID: 5, Kind: Pseudo, Task: TaskRunning, Resource: "grp", Inputs: []int{3}},
		{ID: 6, Kind: CRMEvent, Task: TaskShutdown, Node: "n1", NodeUUID: "1", Inputs: []int{2}},
		{ID: 7, Kind: RscOp, Task: "stop", Resource: "lsbsvc", LongID: "lsbsvc:1", Node: "n1", NodeUUID: "1", Agent: Agent{Class: "lsb", Type: "cron"}},
		{ID: 8, Kind: RscOp, Task: "start", Resource: "IPaddr_198_51_100_9", Node: "n1", NodeUUID: "1", Agent: Agent{Class: "heartbeat", Type: "IPaddr"},
			Params: map[string]string{"1": "198.51.100.9/24/eth0", "2": "x", "_3": "kept"}},
	}}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	g := sample()
	var buf bytes.Buffer
	if err := Encode(&buf, g); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		`<transition_graph cluster-delay="60s" stonith-timeout="90s" failed-stop-offset="INFINITY" failed-start-offset="INFINITY" transition_id="7" batch-limit="4">`,
		`<crm_event id="0" operation="stonith" operation_key="stonith-n3-reboot" on_node="n3" on_node_uuid="3">`,
		`<rsc_op id="1" operation="cancel" operation_key="ip_monitor_10000" on_node="n1" on_node_uuid="1">`,
		`<primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/>`,
		`<attributes CRM_meta_on_node="n1" CRM_meta_on_node_uuid="1" CRM_meta_timeout="20000" cidr_netmask="24" crm_feature_set="3.0.14" ip="198.51.100.7"/>`,
		`CRM_meta_op_target_rc="8"`,
		`<pseudo_event id="5" operation="running" operation_key="grp_running_0">`,
		`<crm_event id="6" operation="do_shutdown" operation_key="do_shutdown-n1" on_node="n1" on_node_uuid="1">`,
		`<rsc_op id="7" operation="stop" operation_key="lsbsvc:1_stop_0" on_node="n1" on_node_uuid="1">`,
		`<primitive id="lsbsvc" long-id="lsbsvc:1" class="lsb" type="cron"/>`,
		`<attributes CRM_meta_on_node="n1" CRM_meta_on_node_uuid="1" _1="198.51.100.9/24/eth0" _2="x" __3="kept" crm_feature_set="3.0.14"/>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("encoded graph lacks %s\n%s", want, text)
		}
	}
	back, err := Decode(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, g) {
		for i := range g.Actions {
			if i < len(back.Actions) && !reflect.DeepEqual(back.Actions[i], g.Actions[i]) {
				t.Errorf("action %d:\n got %+v\nwant %+v", i, back.Actions[i], g.Actions[i])
			}
		}
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", back, g)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, doc := range []string{
		``,
		`<transition_graph transition_id="x"/>`,
		`<transition_graph><synapse id="0"><action_set/></synapse></transition_graph>`,
		`<transition_graph><synapse id="0"><action_set><rsc_op id="1" operation="start" operation_key="a_start_0"/></action_set></synapse></transition_graph>`,
		`<transition_graph><synapse id="0"><action_set><bogus id="1" operation="x"/></action_set></synapse></transition_graph>`,
		`<transition_graph><synapse id="0"><action_set><pseudo_event id="1" operation="x" operation_key="x"/></action_set><inputs><trigger><pseudo_event id="1"/></trigger></inputs></synapse></transition_graph>`,
		`<transition_graph><synapse id="0"><action_set><pseudo_event id="1" operation="x" operation_key="x"><attributes CRM_meta_timeout="soon"/></pseudo_event></action_set></synapse></transition_graph>`,
	} {
		if _, err := Decode(strings.NewReader(doc)); !errors.Is(err, ErrBadGraph) {
			t.Errorf("Decode(%q) err = %v, want ErrBadGraph", doc, err)
		}
	}
}

func TestEncodeRejectsUnwritableParameter(t *testing.T) {
	g := &Graph{Actions: []*Action{{ID: 1, Kind: RscOp, Task: "start", Resource: "r", Node: "n1", Params: map[string]string{"a b": "1"}}}}
	if err := Encode(&bytes.Buffer{}, g); !errors.Is(err, ErrBadParam) {
		t.Fatalf("Encode = %v, want ErrBadParam", err)
	}
}
