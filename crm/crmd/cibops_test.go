package crmd

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hbgo/crm/attrd"
	"hbgo/crm/cibapi"
	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
	"hbgo/crm/tengine"
)

func mustDoc(t *testing.T, x string) *cibstore.Doc {
	t.Helper()
	d, err := cibstore.Parse([]byte(x))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const baseCIB = `<cib admin_epoch="0" epoch="3" num_updates="1"><configuration><crm_config>%s</crm_config><nodes/><resources/><constraints/></configuration><status>%s</status></cib>`

func apply(t *testing.T, d *cibstore.Doc, ops []cibstore.Op) string {
	t.Helper()
	if len(ops) == 0 {
		return string(d.Bytes())
	}
	nd, _, err := cibstore.Apply(d, ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(nd.Bytes())
}

func TestMembershipOps(t *testing.T) {
	noFence := `<cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set>`
	downState := `<node_state id="b" uname="b" in_ccm="true" crmd="online" join="member" expected="member"><transient_attributes id="b"/><lrm id="b"/></node_state>`
	cases := []struct {
		name, crm, status string
		mem               controller.Membership
		want, absent      []string
	}{
		{name: "members recorded", mem: controller.Membership{Members: []string{"a", "b"}, DC: "a", Quorum: true},
			want: []string{`dc-uuid="a"`, `have-quorum="1"`, `<node id="a" uname="a" type="normal"/>`, `<node id="c" uname="c" type="normal"/>`,
				`<node_state id="b" uname="b" in_ccm="true" crmd="online" join="member" expected="member"/>`},
			absent: []string{`uname="c" in_ccm`}},
		{name: "dead node without fencing loses history", crm: noFence, status: downState,
			mem:    controller.Membership{Members: []string{"a"}, DC: "a"},
			want:   []string{`have-quorum="0"`, `<node_state id="b" uname="b" in_ccm="false" crmd="offline" join="down" expected="down"/>`},
			absent: []string{"<lrm", "transient_attributes"}},
		{name: "dead node with fencing keeps history for the fencing decision", status: downState,
			mem:    controller.Membership{Members: []string{"a"}, DC: "a"},
			want:   []string{`in_ccm="false" crmd="offline" join="down" expected="member">`, `<lrm id="b"/>`},
			absent: []string{"transient_attributes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDoc(t, strings.Replace(strings.Replace(baseCIB, "%s", tc.crm, 1), "%s", tc.status, 1))
			ops := MembershipOps(d, []string{"a", "b", "c"}, tc.mem)
			got := apply(t, d, ops)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %s in\n%s", w, got)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(got, a) {
					t.Errorf("unexpected %s in\n%s", a, got)
				}
			}
			nd := mustDoc(t, got)
			if again := MembershipOps(nd, []string{"a", "b", "c"}, tc.mem); len(again) != 0 {
				t.Errorf("not settled after one round: %d more ops", len(again))
			}
		})
	}
}

func TestStatusOpsKeepsAndChangesTransientAttributes(t *testing.T) {
	d := mustDoc(t, strings.Replace(strings.Replace(baseCIB, "%s", "", 1), "%s",
		`<node_state id="a" uname="a" in_ccm="true" crmd="online" join="member" expected="member"><transient_attributes id="a"><instance_attributes id="status-a"><nvpair id="status-a-x" name="x" value="1"/></instance_attributes></transient_attributes></node_state>`, 1))
	c, err := ParseCIB(d)
	if err != nil {
		t.Fatal(err)
	}
	st := tengine.StatusFromCIB(c)
	ops, err := StatusOps(d, st, []string{"a"}, []attrd.Change{{Node: "a", Name: "fail-count-r#start_0", Value: "INFINITY"}})
	if err != nil {
		t.Fatal(err)
	}
	got := apply(t, d, ops)
	for _, w := range []string{`name="x" value="1"`, `name="fail-count-r#start_0" value="INFINITY"`, `<lrm id="a"`} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %s in\n%s", w, got)
		}
	}
}

func TestReplaceOps(t *testing.T) {
	cur := mustDoc(t, `<cib admin_epoch="0" epoch="3" num_updates="5"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status><node_state id="a" uname="a"/></status></cib>`)
	older := mustDoc(t, `<cib admin_epoch="0" epoch="2" num_updates="9"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>`)
	if _, err := ReplaceOps(cur, older); !errors.Is(err, cibapi.ErrStale) {
		t.Fatalf("older configuration: err %v, want ErrStale", err)
	}
	if _, err := ReplaceOps(cur, cur); !errors.Is(err, cibapi.ErrStale) {
		t.Fatalf("same version: err %v, want ErrStale", err)
	}
	// A configuration edit read at 3.3 (bumped to 4.0) while the status
	// moved on to 3.5: the stale status (no node_state a) is not applied,
	// the configuration edit is.
	edited := mustDoc(t, `<cib admin_epoch="0" epoch="4" num_updates="0"><configuration><crm_config/><nodes><node id="b" uname="b"/></nodes><resources/><constraints/></configuration><status/></cib>`)
	ops, err := ReplaceOps(cur, edited)
	if err != nil {
		t.Fatal(err)
	}
	got := apply(t, cur, ops)
	if !strings.Contains(got, `<node id="b" uname="b"/>`) || !strings.Contains(got, `<node_state id="a" uname="a"/>`) {
		t.Fatalf("got\n%s", got)
	}
	// A status edit on the current status applies whole.
	status := mustDoc(t, `<cib admin_epoch="0" epoch="3" num_updates="6"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status><node_state id="a" uname="a" x="1"/></status></cib>`)
	ops, err = ReplaceOps(cur, status)
	if err != nil {
		t.Fatal(err)
	}
	if got := apply(t, cur, ops); !strings.Contains(got, `x="1"`) {
		t.Fatalf("status edit lost:\n%s", got)
	}
}

func TestReadRecheck(t *testing.T) {
	for _, tc := range []struct {
		crm  string
		want time.Duration
	}{
		{"", DefaultRecheckInterval},
		{`<cluster_property_set id="o"><nvpair id="r" name="cluster-recheck-interval" value="2min"/></cluster_property_set>`, 2 * time.Minute},
		{`<cluster_property_set id="o"><nvpair id="r" name="cluster-recheck-interval" value="0"/></cluster_property_set>`, time.Duration(1<<63 - 1)},
	} {
		d := mustDoc(t, strings.Replace(strings.Replace(baseCIB, "%s", tc.crm, 1), "%s", "", 1))
		if got := readRecheck(d.Root()); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.crm, got, tc.want)
		}
	}
}

// TestClusterInfoOps: the DC's dc-version and cluster-infrastructure land
// in cib-bootstrap-options whatever is there before, keep other
// properties, and a CIB that already says it gets no op.
func TestClusterInfoOps(t *testing.T) {
	const want = `<nvpair id="cib-bootstrap-options-dc-version" name="dc-version" value="9.9-test"/>`
	for name, x := range map[string]string{
		"no crm_config": `<cib admin_epoch="0" epoch="3" num_updates="1"><configuration><nodes/><resources/><constraints/></configuration><status/></cib>`,
		"empty":         strings.Replace(strings.Replace(baseCIB, "%s", "", 1), "%s", "", 1),
		"other set":     strings.Replace(strings.Replace(baseCIB, "%s", `<cluster_property_set id="mine"><nvpair id="m1" name="stonith-enabled" value="false"/></cluster_property_set>`, 1), "%s", "", 1),
		"old version": strings.Replace(strings.Replace(baseCIB, "%s", `<cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-dc-version" name="dc-version" value="1.0"/>`+
			`<nvpair id="nq" name="no-quorum-policy" value="ignore"/></cluster_property_set>`, 1), "%s", "", 1),
	} {
		d := mustDoc(t, x)
		ops := ClusterInfoOps(d, "9.9-test")
		if len(ops) == 0 {
			t.Errorf("%s: no ops", name)
			continue
		}
		after := apply(t, d, ops)
		if !strings.Contains(after, want) || !strings.Contains(after, `name="cluster-infrastructure" value="heartbeat"`) {
			t.Errorf("%s: after the ops:\n%s", name, after)
		}
		for _, keep := range []string{`name="stonith-enabled"`, `name="no-quorum-policy"`} {
			if strings.Contains(x, keep) && !strings.Contains(after, keep) {
				t.Errorf("%s: lost %s", name, keep)
			}
		}
		again := mustDoc(t, after)
		if ops := ClusterInfoOps(again, "9.9-test"); len(ops) != 0 {
			t.Errorf("%s: second pass still has ops %+v", name, ops)
		}
	}
}
