package attrd

import (
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
)

func TestExpandValue(t *testing.T) {
	tests := []struct{ value, old, want string }{
		{"value++", "", "1"},
		{"value++", "4", "5"},
		{"value+=3", "4", "7"},
		{"value+=-2", "1", "-1"},
		{"value+=INFINITY", "4", "INFINITY"},
		{"value++", "INFINITY", "INFINITY"},
		{"value++", "-INFINITY", "-INFINITY"},
		{"value++", "garbage", "1"},
		{"fail-count-rsc#start_0++", "1", "2"},
		{"value+=x", "1", "value+=x"},
		{"7", "4", "7"},
		{"++", "4", "++"},
		{"INFINITY", "", "INFINITY"},
		{"value+=999999999", "5", "INFINITY"},
	}
	for _, tt := range tests {
		if got := ExpandValue(tt.value, tt.old); got != tt.want {
			t.Errorf("ExpandValue(%q, %q) = %q, want %q", tt.value, tt.old, got, tt.want)
		}
	}
}

func TestFailureRules(t *testing.T) {
	at := time.Unix(1700000000, 0)
	tests := []struct {
		name  string
		f     Failure
		count string // "" = no fail count
	}{
		{"recurring monitor", Failure{Node: "n1", Resource: "r", Operation: "monitor", IntervalMS: 10000, RC: 7, At: at}, "1"},
		{"probe", Failure{Node: "n1", Resource: "r", Operation: "monitor", RC: 1, TargetRC: 7, At: at}, ""},
		{"success", Failure{Node: "n1", Resource: "r", Operation: "monitor", IntervalMS: 10000, RC: 8, TargetRC: 8, At: at}, ""},
		{"fatal start", Failure{Node: "n1", Resource: "r", Operation: "start", RC: 1, At: at, StartFailureIsFatal: true}, "INFINITY"},
		{"start", Failure{Node: "n1", Resource: "r", Operation: "start", RC: 1, At: at}, "1"},
		{"stop", Failure{Node: "n1", Resource: "r", Operation: "stop", RC: 1, At: at}, "INFINITY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			ch := s.RecordFailure(tt.f)
			name := FailCountName(tt.f.Resource, tt.f.Operation, tt.f.IntervalMS)
			got, _ := s.Get("n1", name, Reboot)
			if got != tt.count {
				t.Fatalf("%s = %q, want %q (changes %v)", name, got, tt.count, ch)
			}
			if tt.count == "" {
				if len(ch) != 0 {
					t.Fatalf("changes %v for a failure that does not count", ch)
				}
				return
			}
			last, _ := s.Get("n1", LastFailureName(tt.f.Resource, tt.f.Operation, tt.f.IntervalMS), Reboot)
			if last != "1700000000" {
				t.Fatalf("last-failure = %q", last)
			}
		})
	}
}

func TestMonitorFailuresAccumulate(t *testing.T) {
	s := New()
	f := Failure{Node: "n1", Resource: "r", Operation: "monitor", IntervalMS: 10000, RC: 7, At: time.Unix(10, 0)}
	s.RecordFailure(f)
	f.At = time.Unix(20, 0)
	ch := s.RecordFailure(f)
	if got, _ := s.Get("n1", "fail-count-r#monitor_10000", Reboot); got != "2" {
		t.Fatalf("fail count %q, want 2", got)
	}
	if len(ch) != 2 || ch[0].Value != "2" || ch[1].Value != "20" {
		t.Fatalf("changes %v", ch)
	}
	s.RecordFailure(Failure{Node: "n1", Resource: "r", Operation: "start", RC: 1, At: time.Unix(30, 0)})
	if got := s.FailCount("n1", "r"); got != 3 {
		t.Fatalf("FailCount = %d, want 3", got)
	}
	cleared := s.ClearFailures("n1", "r")
	if len(cleared) != 4 || s.FailCount("n1", "r") != 0 {
		t.Fatalf("ClearFailures gave %v, count now %d", cleared, s.FailCount("n1", "r"))
	}
}

const cibDoc = `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
<configuration><crm_config/>
<nodes><node id="1" uname="n1"><instance_attributes id="nodes-1"><nvpair id="nodes-1-site" name="site" value="a"/></instance_attributes></node>
<node id="2" uname="n2"/></nodes>
<resources/><constraints/></configuration>
<status><node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
<transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="status-1-pingd" name="pingd" value="100"/></instance_attributes></transient_attributes>
</node_state></status></cib>`

func TestLoadUpdateApply(t *testing.T) {
	c, err := cib.Parse(strings.NewReader(cibDoc))
	if err != nil {
		t.Fatal(err)
	}
	s := Load(c)
	if v, _ := s.Get("n1", "site", Forever); v != "a" {
		t.Fatalf("site = %q", v)
	}
	if v, _ := s.Get("n1", "pingd", Reboot); v != "100" {
		t.Fatalf("pingd = %q", v)
	}
	var changes []Change
	if _, ok, _ := s.Update("n1", "pingd", "100", Reboot); ok {
		t.Fatal("unchanged value reported as a change")
	}
	for _, u := range []struct {
		node, name, value string
		lt                Lifetime
	}{{"n1", "pingd", "200", Reboot}, {"n2", "standby", "on", Forever}, {"n2", "fail-count-r#start_0", "value++", Reboot}} {
		ch, ok, err := s.Update(u.node, u.name, u.value, u.lt)
		if err != nil || !ok {
			t.Fatalf("Update %v: ok=%v err=%v", u, ok, err)
		}
		changes = append(changes, ch)
	}
	if _, _, err := s.Update("n1", "bad name", "1", Reboot); err == nil {
		t.Fatal("name with a blank accepted")
	}
	changes = append(changes, s.NodeLeft("n1")...)
	Apply(c, changes)
	var n2 *cib.Node
	for i := range c.Nodes {
		if c.Nodes[i].Uname == "n2" {
			n2 = &c.Nodes[i]
		}
	}
	if n2 == nil || len(n2.Attrs) != 1 || n2.Attrs[0].ID != "nodes-2" || n2.Attrs[0].Pairs[0].Name != "standby" {
		t.Fatalf("n2 permanent attributes: %+v", n2)
	}
	found := map[string]string{}
	for _, ns := range c.Status {
		for _, set := range ns.Transient {
			for _, p := range set.Pairs {
				found[ns.Uname+" "+p.Name] = p.Value
			}
		}
	}
	want := map[string]string{"n2 fail-count-r#start_0": "1"}
	if len(found) != len(want) || found["n2 fail-count-r#start_0"] != "1" {
		t.Fatalf("transient attributes after apply: %v, want %v (n1 left the cluster)", found, want)
	}
}
