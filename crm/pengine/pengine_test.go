package pengine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
)

// cluster builds a small CIB for the stage tests.
type cluster struct {
	props       map[string]string
	quorum      bool
	nodes       []string
	resources   string
	constraints string
	states      map[string]string // node → extra node_state content (lrm, attrs)
	offline     map[string]bool
	rscDefaults string
}

func newCluster(nodes ...string) *cluster {
	return &cluster{props: map[string]string{"stonith-enabled": "false"}, quorum: true, nodes: nodes,
		states: map[string]string{}, offline: map[string]bool{}}
}

func (c *cluster) xml() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<cib admin_epoch="0" epoch="1" num_updates="1" have-quorum="%v" dc-uuid="%s"><configuration><crm_config><cluster_property_set id="o">`, c.quorum, c.nodes[0])
	i := 0
	for _, k := range []string{"stonith-enabled", "no-quorum-policy", "symmetric-cluster", "startup-fencing"} {
		if v, ok := c.props[k]; ok {
			fmt.Fprintf(&b, `<nvpair id="o%d" name="%s" value="%s"/>`, i, k, v)
			i++
		}
	}
	b.WriteString(`</cluster_property_set></crm_config><nodes>`)
	for _, n := range c.nodes {
		fmt.Fprintf(&b, `<node id="%s" uname="%s"/>`, n, n)
	}
	fmt.Fprintf(&b, `</nodes><resources>%s</resources><constraints>%s</constraints>`, c.resources, c.constraints)
	if c.rscDefaults != "" {
		fmt.Fprintf(&b, `<rsc_defaults><meta_attributes id="rd">%s</meta_attributes></rsc_defaults>`, c.rscDefaults)
	}
	b.WriteString(`</configuration><status>`)
	for _, n := range c.nodes {
		if c.offline[n] {
			fmt.Fprintf(&b, `<node_state id="%s" uname="%s" in_ccm="false" crmd="offline" join="down" expected="member">%s</node_state>`, n, n, c.states[n])
			continue
		}
		fmt.Fprintf(&b, `<node_state id="%s" uname="%s" in_ccm="true" crmd="online" join="member" expected="member">%s</node_state>`, n, n, c.states[n])
	}
	b.WriteString(`</status></cib>`)
	return b.String()
}

func prim(id string, meta ...string) string {
	m := ""
	if len(meta) > 0 {
		m = `<meta_attributes id="` + id + `-m">`
		for i := 0; i+1 < len(meta); i += 2 {
			m += fmt.Sprintf(`<nvpair id="%s-m%d" name="%s" value="%s"/>`, id, i, meta[i], meta[i+1])
		}
		m += `</meta_attributes>`
	}
	return fmt.Sprintf(`<primitive id="%s" class="ocf" provider="heartbeat" type="Dummy">%s</primitive>`, id, m)
}

// lrm renders an lrm section; each op is "rsc:task:intervalMS:rc:targetRC",
// optionally followed by ":nodigest" to leave out the parameter digest.
func lrm(ops ...string) string {
	byRsc := map[string][]string{}
	var order []string
	for i, o := range ops {
		p := strings.Split(o, ":")
		if _, ok := byRsc[p[0]]; !ok {
			order = append(order, p[0])
		}
		digest := ` op-digest="0123456789abcdef0123456789abcdef"`
		if len(p) > 5 && p[5] == "nodigest" {
			digest = ""
		}
		byRsc[p[0]] = append(byRsc[p[0]], fmt.Sprintf(`<lrm_rsc_op id="%s_%s_%s" operation="%s" interval="%s" rc-code="%s" op-status="0" call-id="%d" transition-key="1:1:%s:x"%s/>`,
			p[0], p[1], p[2], p[1], p[2], p[3], i+1, p[4], digest))
	}
	var b strings.Builder
	b.WriteString(`<lrm id="l"><lrm_resources>`)
	for _, r := range order {
		fmt.Fprintf(&b, `<lrm_resource id="%s" class="ocf" provider="heartbeat" type="Dummy">%s</lrm_resource>`, r, strings.Join(byRsc[r], ""))
	}
	b.WriteString(`</lrm_resources></lrm>`)
	return b.String()
}

func attrs(kv ...string) string {
	var b strings.Builder
	b.WriteString(`<transient_attributes id="t"><instance_attributes id="ta">`)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, `<nvpair id="ta%d" name="%s" value="%s"/>`, i, kv[i], kv[i+1])
	}
	b.WriteString(`</instance_attributes></transient_attributes>`)
	return b.String()
}

func schedule(t *testing.T, c *cluster) []string {
	t.Helper()
	doc, err := cib.Parse(strings.NewReader(c.xml()))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, c.xml())
	}
	res, err := Schedule(doc, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return res.Normalized()
}

func expectLines(t *testing.T, got []string, present []string, absent []string) {
	t.Helper()
	set := map[string]bool{}
	for _, l := range got {
		set[l] = true
	}
	for _, l := range present {
		if !set[l] {
			t.Errorf("missing %q in:\n%s", l, strings.Join(got, "\n"))
		}
	}
	for _, l := range absent {
		if set[l] {
			t.Errorf("unexpected %q in:\n%s", l, strings.Join(got, "\n"))
		}
	}
}

func TestStartOnPreferredNode(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a")
	c.constraints = `<rsc_location id="l" rsc="a" node="n2" score="50"/>`
	expectLines(t, schedule(t, c), []string{"node n1 online", "node n2 online", "start a n2", "rsc a n2 Started"}, []string{"start a n1"})
}

func TestStickiness(t *testing.T) {
	for _, tc := range []struct {
		stickiness string
		moves      bool
	}{{"100", false}, {"0", true}} {
		c := newCluster("n1", "n2")
		c.resources = prim("a", "resource-stickiness", tc.stickiness)
		c.constraints = `<rsc_location id="l" rsc="a" node="n1" score="50"/>`
		c.states["n2"] = lrm("a:start:0:0:0")
		got := schedule(t, c)
		if tc.moves {
			expectLines(t, got, []string{"stop a n2", "start a n1", "rsc a n1 Started"}, nil)
		} else {
			expectLines(t, got, []string{"rsc a n2 Started"}, []string{"stop a n2"})
		}
	}
}

func TestFailedMonitorRestartsInPlace(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a", "resource-stickiness", "10")
	c.states["n1"] = lrm("a:start:0:0:0", "a:monitor:10000:7:0")
	expectLines(t, schedule(t, c), []string{"stop a n1", "start a n1", "rsc a n1 Started"}, []string{"rsc a n1 Started failed"})
}

func TestMigrationThresholdMovesAway(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a", "migration-threshold", "2", "resource-stickiness", "100")
	c.states["n1"] = lrm("a:start:0:0:0") + attrs("fail-count-a#monitor_10000", "2")
	expectLines(t, schedule(t, c), []string{"stop a n1", "start a n2"}, nil)
}

func TestUncleanNodeIsFenced(t *testing.T) {
	c := newCluster("n1", "n2")
	c.props["stonith-enabled"] = "true"
	c.resources = `<primitive id="fence" class="stonith" type="null"/>` + prim("a")
	c.states["n1"] = lrm("fence:start:0:0:0")
	c.states["n2"] = lrm("a:start:0:0:0")
	c.offline["n2"] = true
	got := schedule(t, c)
	expectLines(t, got, []string{"fence n2 reboot", "node n2 offline", "start a n1", "rsc a n1 Started"}, []string{"stop a n2", "node n2 offline unclean"})
}

func TestUncleanWithoutFencingStaysUnclean(t *testing.T) {
	c := newCluster("n1", "n2")
	c.props["stonith-enabled"] = "true"
	c.resources = prim("a")
	c.states["n2"] = lrm("a:start:0:0:0")
	c.offline["n2"] = true
	got := schedule(t, c)
	expectLines(t, got, []string{"node n2 offline unclean"}, []string{"fence n2 reboot", "start a n1"})
}

func TestNoQuorumStopsResources(t *testing.T) {
	c := newCluster("n1", "n2")
	c.quorum = false
	c.resources = prim("a")
	c.states["n1"] = lrm("a:start:0:0:0")
	expectLines(t, schedule(t, c), []string{"stop a n1"}, []string{"rsc a n1 Started"})
	c.props["no-quorum-policy"] = "ignore"
	expectLines(t, schedule(t, c), []string{"rsc a n1 Started"}, []string{"stop a n1"})
}

func TestGroupMembersFollowFirst(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = `<group id="g">` + prim("a") + prim("b") + `</group>`
	c.constraints = `<rsc_location id="l" rsc="g" node="n2" score="10"/>`
	expectLines(t, schedule(t, c), []string{"start a n2", "start b n2"}, []string{"start b n1"})
}

func TestMandatoryOrderHoldsBackThen(t *testing.T) {
	c := newCluster("n1")
	c.resources = prim("a") + prim("b")
	c.constraints = `<rsc_location id="l" rsc="a" node="n1" score="-INFINITY"/><rsc_order id="o" first="a" then="b"/>`
	expectLines(t, schedule(t, c), nil, []string{"start a n1", "start b n1"})
	c.constraints = `<rsc_location id="l" rsc="a" node="n1" score="-INFINITY"/><rsc_order id="o" first="a" then="b" kind="Optional"/>`
	expectLines(t, schedule(t, c), []string{"start b n1"}, nil)
}

func TestColocationNegative(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a") + prim("b")
	c.constraints = `<rsc_location id="l" rsc="a" node="n1" score="10"/><rsc_colocation id="c" rsc="b" with-rsc="a" score="-INFINITY"/>`
	expectLines(t, schedule(t, c), []string{"start a n1", "start b n2"}, nil)
}

func TestCloneInstances(t *testing.T) {
	c := newCluster("n1", "n2", "n3")
	c.resources = `<clone id="c"><meta_attributes id="cm"><nvpair id="cm1" name="clone-max" value="2"/></meta_attributes>` + prim("d") + `</clone>`
	got := schedule(t, c)
	starts := 0
	for _, l := range got {
		if strings.HasPrefix(l, "start d ") {
			starts++
		}
	}
	if starts != 2 {
		t.Errorf("want 2 instances started, got %d:\n%s", starts, strings.Join(got, "\n"))
	}
}

func TestPromotionFollowsScore(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = `<clone id="ms"><meta_attributes id="msm"><nvpair id="msm1" name="promotable" value="true"/></meta_attributes>` + prim("s") + `</clone>`
	c.states["n1"] = lrm("s:start:0:0:0") + attrs("master-s", "5")
	c.states["n2"] = lrm("s:start:0:0:0") + attrs("master-s", "10")
	expectLines(t, schedule(t, c), []string{"promote s n2", "rsc s n2 Promoted", "rsc s n1 Unpromoted"}, []string{"promote s n1"})
}

func TestStandbyNodeIsAvoided(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a")
	c.states["n1"] = lrm("a:start:0:0:0") + attrs("standby", "on")
	expectLines(t, schedule(t, c), []string{"node n1 online standby", "stop a n1", "start a n2"}, nil)
}

func TestTargetRoleStopped(t *testing.T) {
	c := newCluster("n1")
	c.resources = prim("a", "target-role", "Stopped")
	c.states["n1"] = lrm("a:start:0:0:0")
	expectLines(t, schedule(t, c), []string{"stop a n1"}, []string{"rsc a n1 Started"})
}

func TestUnmanagedStays(t *testing.T) {
	c := newCluster("n1", "n2")
	c.resources = prim("a", "is-managed", "false")
	c.constraints = `<rsc_location id="l" rsc="a" node="n1" score="-INFINITY"/>`
	c.states["n1"] = lrm("a:start:0:0:0")
	expectLines(t, schedule(t, c), []string{"rsc a n1 Started unmanaged"}, []string{"stop a n1", "start a n2"})
}

func TestOrphanIsStopped(t *testing.T) {
	c := newCluster("n1")
	c.resources = prim("a")
	c.states["n1"] = lrm("gone:start:0:0:0")
	expectLines(t, schedule(t, c), []string{"stop gone n1", "start a n1"}, nil)
}

func TestDeterministic(t *testing.T) {
	c := newCluster("n1", "n2", "n3")
	c.resources = `<clone id="c">` + prim("d") + `</clone><group id="g">` + prim("a") + prim("b") + `</group>` + prim("x")
	c.constraints = `<rsc_colocation id="co" rsc="x" with-rsc="g" score="-100"/><rsc_order id="o" first="c" then="g"/>`
	first := strings.Join(schedule(t, c), "\n")
	for i := 0; i < 20; i++ {
		if got := strings.Join(schedule(t, c), "\n"); got != first {
			t.Fatalf("run %d differs:\n%s\n---\n%s", i, first, got)
		}
	}
}

func TestScheduleNil(t *testing.T) {
	if _, err := Schedule(nil, time.Now()); err == nil {
		t.Fatal("nil CIB accepted")
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func TestStartWithoutDigestRestarts(t *testing.T) {
	c := newCluster("n1")
	c.resources = prim("a")
	c.states["n1"] = lrm("a:start:0:0:0:nodigest")
	expectLines(t, schedule(t, c), []string{"stop a n1", "start a n1", "rsc a n1 Started"}, nil)
	c.states["n1"] = lrm("a:start:0:0:0")
	expectLines(t, schedule(t, c), []string{"rsc a n1 Started"}, []string{"stop a n1"})
}
