package explain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/score"
)

const head = `<cib admin_epoch="0" epoch="1" num_updates="1" have-quorum="true"><configuration>
<crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/>%PROPS%</cluster_property_set></crm_config>
<nodes><node id="n1" uname="node1"/><node id="n2" uname="node2">%N2ATTRS%</node></nodes>
%DEFAULTS%
<resources>%RESOURCES%</resources>
<constraints>%CONSTRAINTS%</constraints>
</configuration><status>
<node_state id="n1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">%N1STATUS%</node_state>
<node_state id="n2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
</status></cib>`

const dummy = `<primitive id="%s" class="ocf" provider="heartbeat" type="Dummy"/>`

type cibParts struct {
	props, n2attrs, defaults, resources, constraints, n1status string
}

func build(p cibParts) string {
	r := strings.NewReplacer("%PROPS%", p.props, "%N2ATTRS%", p.n2attrs, "%DEFAULTS%", p.defaults,
		"%RESOURCES%", p.resources, "%CONSTRAINTS%", p.constraints, "%N1STATUS%", p.n1status)
	return r.Replace(head)
}

func prim(id string) string { return strings.Replace(dummy, "%s", id, 1) }

// running records a successful start of rsc on node1.
func running(rsc string) string {
	return `<lrm id="n1"><lrm_resources><lrm_resource id="` + rsc + `" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="` + rsc +
		`_last_0" operation_key="` + rsc + `_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:x" on_node="node1"/></lrm_resource></lrm_resources></lrm>`
}

func TestExplain(t *testing.T) {
	cases := []struct {
		name    string
		cib     cibParts
		rsc     string
		chosen  string // node the resource ends on, "" for stopped
		node    string // node whose factors are checked
		factor  string // a factor source expected on node
		score   score.Score
		outcome string // substring of the decision
	}{
		{name: "location preference", rsc: "rsc1", chosen: "node2", node: "node2",
			cib:    cibParts{resources: prim("rsc1"), constraints: `<rsc_location id="prefer-2" rsc="rsc1" node="node2" score="100"/>`},
			factor: "location prefer-2", score: 100, outcome: "strongest factor on node2: location prefer-2 (100)"},
		{name: "ban", rsc: "rsc1", chosen: "node2", node: "node1",
			cib:    cibParts{resources: prim("rsc1"), constraints: `<rsc_location id="ban-1" rsc="rsc1" node="node1" score="-INFINITY"/>`},
			factor: "location ban-1", score: score.NegInfinity, outcome: "runs on node2"},
		{name: "standby node", rsc: "rsc1", chosen: "node1", node: "node2",
			cib: cibParts{resources: prim("rsc1"), constraints: `<rsc_location id="prefer-2" rsc="rsc1" node="node2" score="100"/>`,
				n2attrs: `<instance_attributes id="n2a"><nvpair id="n2s" name="standby" value="on"/></instance_attributes>`},
			factor: "node standby", score: score.NegInfinity, outcome: "runs on node1"},
		{name: "colocation", rsc: "rsc2", chosen: "node2", node: "node1",
			cib: cibParts{resources: prim("rsc1") + prim("rsc2"), constraints: `<rsc_location id="prefer-2" rsc="rsc1" node="node2" score="100"/>` +
				`<rsc_colocation id="c" rsc="rsc2" with-rsc="rsc1" score="INFINITY"/>`},
			factor: "colocation c with rsc1", score: score.NegInfinity, outcome: "runs on node2"},
		{name: "stickiness keeps it", rsc: "rsc1", chosen: "node1", node: "node1",
			cib: cibParts{resources: prim("rsc1"), constraints: `<rsc_location id="prefer-2" rsc="rsc1" node="node2" score="50"/>`,
				defaults: `<rsc_defaults><meta_attributes id="d"><nvpair id="d1" name="resource-stickiness" value="100"/></meta_attributes></rsc_defaults>`,
				n1status: running("rsc1")},
			factor: "resource-stickiness (rsc_defaults)", score: 100, outcome: "strongest factor on node1: resource-stickiness"},
		{name: "migration threshold", rsc: "rsc1", chosen: "node2", node: "node1",
			cib: cibParts{resources: `<primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m"><nvpair id="m1" name="migration-threshold" value="2"/></meta_attributes></primitive>`,
				constraints: `<rsc_location id="prefer-1" rsc="rsc1" node="node1" score="100"/>`,
				n1status:    `<transient_attributes id="n1"><instance_attributes id="t1"><nvpair id="t1f" name="fail-count-rsc1#start_0" value="2"/></instance_attributes></transient_attributes>`},
			factor: "migration-threshold", score: score.NegInfinity, outcome: "runs on node2"},
		{name: "asymmetric cluster", rsc: "rsc1", chosen: "", node: "node1",
			cib:    cibParts{resources: prim("rsc1"), props: `<nvpair id="o2" name="symmetric-cluster" value="false"/>`},
			factor: "symmetric-cluster=false", score: score.NegInfinity, outcome: "is stopped: no node can run it (node1: symmetric-cluster=false; node2: symmetric-cluster=false)"},
		{name: "group member follows the first", rsc: "b", chosen: "node2", node: "node1",
			cib: cibParts{resources: `<group id="g">` + prim("a") + prim("b") + `</group>`,
				constraints: `<rsc_location id="prefer-2" rsc="g" node="node2" score="100"/>`},
			factor: "group g: with previous member a", score: score.NegInfinity, outcome: "runs on node2"},
	}
	now := time.Unix(1700000000, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cib.Parse(strings.NewReader(build(tc.cib)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := pengine.Schedule(c, now)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Explain(c, res, tc.rsc, now)
			if err != nil {
				t.Fatal(err)
			}
			var chosen []string
			for _, n := range rep.Nodes {
				if n.Chosen {
					chosen = append(chosen, n.Node)
				}
			}
			if strings.Join(chosen, ",") != tc.chosen {
				t.Errorf("chosen %v, want %q\n%s", chosen, tc.chosen, rep)
			}
			found := false
			for _, n := range rep.Nodes {
				if n.Node != tc.node {
					continue
				}
				for _, f := range n.Factors {
					if f.Source == tc.factor && f.Score == tc.score {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("no factor %q %s on %s\n%s", tc.factor, tc.score, tc.node, rep)
			}
			if !strings.Contains(rep.Decision, tc.outcome) {
				t.Errorf("decision %q lacks %q", rep.Decision, tc.outcome)
			}
		})
	}
}

func TestExplainUnknown(t *testing.T) {
	c, err := cib.Parse(strings.NewReader(build(cibParts{resources: prim("rsc1")})))
	if err != nil {
		t.Fatal(err)
	}
	res, err := pengine.Schedule(c, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Explain(c, res, "nope", time.Unix(0, 0)); !errors.Is(err, ErrUnknownResource) {
		t.Fatalf("err %v, want ErrUnknownResource", err)
	}
}

func TestExplainConditions(t *testing.T) {
	cases := []struct {
		name, rsc string
		cib       cibParts
		want      string // expected condition
		decision  string // expected part of the decision
	}{
		{name: "disabled", rsc: "rsc1",
			cib:  cibParts{resources: `<primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m"><nvpair id="m1" name="target-role" value="Stopped"/></meta_attributes></primitive>`},
			want: "target-role=Stopped on rsc1", decision: "rsc1 is stopped: target-role=Stopped on rsc1"},
		{name: "disabled group member", rsc: "g",
			cib:  cibParts{resources: `<group id="g">` + prim("a") + `<primitive id="b" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m"><nvpair id="m1" name="target-role" value="Stopped"/></meta_attributes></primitive></group>`},
			want: "target-role=Stopped on b", decision: "g runs on node1; held back: target-role=Stopped on b"},
		{name: "ordered after a banned resource", rsc: "rsc2",
			cib: cibParts{resources: prim("rsc1") + prim("rsc2"), constraints: `<rsc_location id="b1" rsc="rsc1" node="node1" score="-INFINITY"/>` +
				`<rsc_location id="b2" rsc="rsc1" node="node2" score="-INFINITY"/><rsc_order id="o" first="rsc1" then="rsc2"/>`},
			want:     "order o: starts after rsc1, which will not be (fully) running",
			decision: "rsc2 is stopped: order o: starts after rsc1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cib.Parse(strings.NewReader(build(tc.cib)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := pengine.Schedule(c, time.Unix(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Explain(c, res, tc.rsc, time.Unix(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, cond := range rep.Conditions {
				found = found || cond == tc.want
			}
			if !found || !strings.Contains(rep.Decision, tc.decision) {
				t.Errorf("conditions %q, decision %q; want %q\n%s", rep.Conditions, rep.Decision, tc.want, rep)
			}
		})
	}
}
