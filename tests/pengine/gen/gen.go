package gen

import (
	"fmt"
	"math/rand"
	"strings"
)

// Version identifies the generator's output. Bump it whenever a change
// alters the CIB produced for some seed, so cached oracle results made by an
// older generator are recognised as stale.
const Version = 2

// ExecutionDate is the "now" (seconds since the epoch) written into every
// generated CIB, and the time its history entries happened before.
const ExecutionDate = 1767225600 // 2026-01-01 00:00:00 UTC

// Size is the shape of a generated cluster.
type Size struct {
	Nodes     int // cluster nodes, at least 1
	Resources int // primitives in the configuration (clone children count once)
}

// Profile tunes how much of the status section is unusual. The zero value
// is not useful; use Mixed or Steady.
type Profile struct {
	// FailureRate is the chance that an active instance has a failed
	// operation in its history.
	FailureRate float64
	// NodeTrouble is the chance that a node is offline, unclean, in
	// standby or in maintenance.
	NodeTrouble float64
	// ClusterOptions enables random cluster-wide options (no quorum,
	// maintenance-mode, symmetric-cluster=false, stonith off).
	ClusterOptions bool
}

// Mixed exercises everything: the profile of the differential test.
var Mixed = Profile{FailureRate: 0.15, NodeTrouble: 0.25, ClusterOptions: true}

// Steady is a mostly healthy cluster: the profile of the benchmarks.
var Steady = Profile{FailureRate: 0.02, NodeTrouble: 0.05}

// SmallSize picks the size of a differential-test case from its seed:
// 3 to 10 nodes and 5 to 60 primitives.
func SmallSize(seed int64) Size {
	r := rand.New(rand.NewSource(seed ^ 0x5eed))
	return Size{Nodes: 3 + r.Intn(8), Resources: 5 + r.Intn(56)}
}

// Generate returns the CIB for seed, size and profile as XML.
func Generate(seed int64, size Size, p Profile) []byte {
	if size.Nodes < 1 {
		size.Nodes = 1
	}
	if size.Resources < 1 {
		size.Resources = 1
	}
	g := &generator{r: rand.New(rand.NewSource(seed)), size: size, p: p}
	g.plan()
	return g.render()
}

type nodeStatus int

const (
	nodeOnline nodeStatus = iota
	nodeOffline
	nodeUnclean
)

type node struct {
	name        string
	id          string
	weight      int
	status      nodeStatus
	standby     bool
	maintenance bool
	rack        string
}

type topKind int

const (
	kindPrimitive topKind = iota
	kindGroup
	kindClone
	kindPromotable
)

type prim struct {
	id       string
	class    string // ocf, stonith, lsb
	provider string
	agent    string
	meta     []nv
	monitor  bool // has a recurring monitor op
	onFail   string
}

type nv struct{ name, value string }

type top struct {
	id      string
	kind    topKind
	members []*prim // one for clones
	meta    []nv
	unique  bool
	max     int // clone-max (0 = default)
	nodeMax int // clone-node-max (0 = default)
}

// location is a planned location constraint with the nodes its rule
// matches, so the status section can keep clone instances where they are
// allowed (Pacemaker reports clone instances active on banned nodes as an
// error).
type location struct {
	rsc, role, score string
	match            func(*node) bool
}

// allowed tells whether top-level resource id may run on n at all.
func (g *generator) allowed(id string, n *node) bool {
	ok := !g.asym
	for _, l := range g.locs {
		if l.rsc != id || l.role != "" || !l.match(n) {
			continue
		}
		switch {
		case l.score == "-INFINITY":
			return false
		case !strings.HasPrefix(l.score, "-") && l.score != "0":
			ok = true
		}
	}
	return ok
}

// instance is one active copy of a primitive in the status section.
type instance struct {
	rsc      *prim
	lrmID    string // lrm_resource id (with :N for unique clones)
	node     *node
	promoted bool
	failure  string // "", "monitor", "start", "stop", "probe"
}

type generator struct {
	r     *rand.Rand
	size  Size
	p     Profile
	nodes []*node
	tops  []*top
	nprim int

	props    []nv
	quorum   bool
	defaults []nv
	cons     []string
	locs     []location
	asym     bool
	insts    []instance
	orphans  []instance
	stonith  bool
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) pick(options ...string) string { return options[g.r.Intn(len(options))] }

func (g *generator) score() string {
	switch g.r.Intn(8) {
	case 0:
		return "INFINITY"
	case 1:
		return "-INFINITY"
	default:
		return fmt.Sprint((g.r.Intn(21) - 5) * 10)
	}
}

func (g *generator) plan() {
	g.planCluster()
	g.planNodes()
	g.planResources()
	g.planConstraints()
	g.planStatus()
}

func (g *generator) planCluster() {
	g.quorum = true
	g.stonith = true
	if g.p.ClusterOptions {
		g.stonith = g.chance(0.6)
		if g.chance(0.2) {
			g.quorum = false
		}
		if g.chance(0.6) {
			g.props = append(g.props, nv{"no-quorum-policy", g.pick("stop", "ignore", "freeze", "demote")})
		}
		if g.chance(0.15) {
			g.props = append(g.props, nv{"symmetric-cluster", "false"})
			g.asym = true
		}
		if g.chance(0.04) {
			g.props = append(g.props, nv{"maintenance-mode", "true"})
		}
		if g.chance(0.1) {
			g.props = append(g.props, nv{"start-failure-is-fatal", "false"})
		}
	}
	g.props = append([]nv{{"stonith-enabled", fmt.Sprint(g.stonith)}}, g.props...)
	if g.chance(0.5) {
		g.defaults = append(g.defaults, nv{"resource-stickiness", g.pick("0", "1", "50", "100", "INFINITY")})
	}
	if g.chance(0.4) {
		g.defaults = append(g.defaults, nv{"migration-threshold", g.pick("1", "2", "3")})
	}
}

func (g *generator) planNodes() {
	for i := 1; i <= g.size.Nodes; i++ {
		n := &node{name: fmt.Sprintf("node%d", i), id: fmt.Sprint(i), rack: fmt.Sprintf("r%d", 1+g.r.Intn(3)), weight: g.r.Intn(10)}
		if g.chance(g.p.NodeTrouble) {
			switch g.r.Intn(4) {
			case 0:
				n.status = nodeOffline
			case 1:
				n.status = nodeUnclean
			case 2:
				n.standby = true
			case 3:
				n.maintenance = true
			}
		}
		g.nodes = append(g.nodes, n)
	}
	// Keep at least one healthy node so most cases still place resources.
	g.nodes[0].status, g.nodes[0].standby, g.nodes[0].maintenance = nodeOnline, false, false
}

func (g *generator) newPrim(class string) *prim {
	g.nprim++
	p := &prim{id: fmt.Sprintf("rsc%d", g.nprim), class: class}
	switch class {
	case "stonith":
		p.agent = "fence_xvm"
	case "lsb":
		p.agent = "nfs-kernel-server"
	default:
		p.provider, p.agent = "heartbeat", "Dummy"
	}
	if g.chance(0.5) {
		p.monitor = true
		if g.chance(0.15) {
			p.onFail = g.pick("block", "stop", "ignore", "restart", "fence", "standby")
			if p.onFail == "fence" && !g.stonith {
				// Pacemaker rejects on-fail=fence without fencing.
				p.onFail = "block"
			}
		}
	}
	return p
}

func (g *generator) resourceMeta(kind topKind) []nv {
	var m []nv
	if g.chance(0.12) {
		roles := []string{"Stopped", "Started"}
		if kind == kindPromotable {
			roles = append(roles, "Unpromoted", "Promoted")
		}
		m = append(m, nv{"target-role", roles[g.r.Intn(len(roles))]})
	}
	if g.chance(0.05) {
		m = append(m, nv{"is-managed", "false"})
	}
	if g.chance(0.03) {
		m = append(m, nv{"maintenance", "true"})
	}
	if g.chance(0.15) {
		m = append(m, nv{"resource-stickiness", g.pick("0", "10", "100", "INFINITY")})
	}
	if g.chance(0.1) {
		m = append(m, nv{"migration-threshold", g.pick("1", "2", "INFINITY")})
	}
	if g.chance(0.08) {
		m = append(m, nv{"priority", fmt.Sprint(g.r.Intn(10))})
	}
	return m
}

func (g *generator) planResources() {
	if g.stonith {
		p := g.newPrim("stonith")
		p.id = "fencer"
		g.nprim--
		g.tops = append(g.tops, &top{id: p.id, kind: kindPrimitive, members: []*prim{p}})
	}
	for g.nprim < g.size.Resources {
		left := g.size.Resources - g.nprim
		t := &top{}
		switch k := g.r.Intn(10); {
		case k < 5 || left < 2:
			class := "ocf"
			if g.chance(0.1) {
				class = "lsb"
			}
			p := g.newPrim(class)
			p.meta = g.resourceMeta(kindPrimitive)
			t.kind, t.id, t.members = kindPrimitive, p.id, []*prim{p}
		case k < 7:
			t.kind, t.id = kindGroup, fmt.Sprintf("grp%d", len(g.tops)+1)
			n := 2 + g.r.Intn(3)
			if n > left {
				n = left
			}
			for i := 0; i < n; i++ {
				p := g.newPrim("ocf")
				if g.chance(0.1) {
					p.meta = g.resourceMeta(kindPrimitive)
				}
				t.members = append(t.members, p)
			}
			t.meta = g.resourceMeta(kindGroup)
		case k < 9:
			t.kind, t.id = kindClone, fmt.Sprintf("cln%d", len(g.tops)+1)
			t.members = []*prim{g.newPrim("ocf")}
			t.unique = g.chance(0.3)
			g.cloneShape(t)
		default:
			t.kind, t.id = kindPromotable, fmt.Sprintf("ms%d", len(g.tops)+1)
			p := g.newPrim("ocf")
			p.provider, p.agent = "pacemaker", "Stateful"
			t.members = []*prim{p}
			g.cloneShape(t)
		}
		g.tops = append(g.tops, t)
	}
}

func (g *generator) cloneShape(t *top) {
	if g.chance(0.5) {
		t.max = 1 + g.r.Intn(g.size.Nodes+1)
	}
	if t.unique && g.chance(0.5) {
		t.nodeMax = 1 + g.r.Intn(3)
	}
	t.meta = g.resourceMeta(t.kind)
	if t.unique {
		t.meta = append(t.meta, nv{"globally-unique", "true"})
	}
	if t.kind == kindPromotable {
		t.meta = append(t.meta, nv{"promotable", "true"})
		if g.chance(0.3) {
			t.meta = append(t.meta, nv{"promoted-max", fmt.Sprint(1 + g.r.Intn(2))})
		}
	}
	if t.max > 0 {
		t.meta = append(t.meta, nv{"clone-max", fmt.Sprint(t.max)})
	}
	if t.nodeMax > 0 {
		t.meta = append(t.meta, nv{"clone-node-max", fmt.Sprint(t.nodeMax)})
	}
	if g.chance(0.4) {
		t.meta = append(t.meta, nv{"interleave", "true"})
	}
}

// planConstraints adds locations, colocations and orderings between
// top-level resources; colocations and orderings always point from a later
// resource to an earlier one, so they never form a loop.
func (g *generator) planConstraints() {
	n := len(g.tops)
	id := 0
	next := func(prefix string) string { id++; return fmt.Sprintf("%s%d", prefix, id) }
	for i := 0; i < n*2/3+1; i++ {
		t := g.tops[g.r.Intn(n)]
		cid := next("loc")
		l := location{rsc: t.id, score: g.score()}
		roleAttr := ""
		if t.kind == kindPromotable && g.chance(0.4) {
			l.role = g.pick("Promoted", "Unpromoted")
			roleAttr = fmt.Sprintf(` role="%s"`, l.role)
		}
		if g.chance(0.5) && l.role == "" {
			nd := g.nodes[g.r.Intn(len(g.nodes))]
			l.match = func(x *node) bool { return x == nd }
			g.locs = append(g.locs, l)
			g.cons = append(g.cons, fmt.Sprintf(`<rsc_location id="%s" rsc="%s" node="%s" score="%s"/>`, cid, t.id, nd.name, l.score))
			continue
		}
		var expr string
		var m func(*node) bool
		switch g.r.Intn(4) {
		case 0:
			op, nd := g.pick("eq", "ne"), g.nodes[g.r.Intn(len(g.nodes))]
			m = func(x *node) bool { return (x == nd) == (op == "eq") }
			expr = fmt.Sprintf(`<expression id="%s-e1" attribute="#uname" operation="%s" value="%s"/>`, cid, op, nd.name)
		case 1:
			rack := fmt.Sprintf("r%d", 1+g.r.Intn(3))
			m = func(x *node) bool { return x.rack == rack }
			expr = fmt.Sprintf(`<expression id="%s-e1" attribute="rack" operation="eq" value="%s"/>`, cid, rack)
		case 2:
			op, v := g.pick("gt", "lt", "gte", "lte"), g.r.Intn(10)
			m = func(x *node) bool {
				switch op {
				case "gt":
					return x.weight > v
				case "lt":
					return x.weight < v
				case "gte":
					return x.weight >= v
				}
				return x.weight <= v
			}
			expr = fmt.Sprintf(`<expression id="%s-e1" attribute="weight" operation="%s" value="%d" type="number"/>`, cid, op, v)
		default:
			op := g.pick("defined", "not_defined")
			m = func(*node) bool { return op == "defined" }
			expr = fmt.Sprintf(`<expression id="%s-e1" attribute="rack" operation="%s"/>`, cid, op)
		}
		boolOp := ""
		if g.chance(0.25) {
			op, nd := g.pick("and", "or"), g.nodes[g.r.Intn(len(g.nodes))]
			first := m
			if op == "and" {
				m = func(x *node) bool { return first(x) && x != nd }
			} else {
				m = func(x *node) bool { return first(x) || x != nd }
			}
			boolOp = fmt.Sprintf(` boolean-op="%s"`, op)
			expr += fmt.Sprintf(`<expression id="%s-e2" attribute="#uname" operation="ne" value="%s"/>`, cid, nd.name)
		}
		l.match = m
		g.locs = append(g.locs, l)
		g.cons = append(g.cons, fmt.Sprintf(`<rsc_location id="%s" rsc="%s"%s><rule id="%s-rule" score="%s"%s>%s</rule></rsc_location>`,
			cid, t.id, roleAttr, cid, l.score, boolOp, expr))
	}
	if n < 2 {
		return
	}
	for i := 0; i < n/3+1; i++ {
		a, b := g.r.Intn(n), g.r.Intn(n)
		if a == b {
			continue
		}
		if a < b {
			a, b = b, a
		}
		ta, tb := g.tops[a], g.tops[b]
		roles := ""
		if tb.kind == kindPromotable && g.chance(0.5) {
			roles += ` with-rsc-role="Promoted"`
		}
		if ta.kind == kindPromotable && g.chance(0.3) {
			roles += fmt.Sprintf(` rsc-role="%s"`, g.pick("Promoted", "Unpromoted"))
		}
		score := g.pick("INFINITY", "INFINITY", "-INFINITY", "100", "-100")
		if ta.kind >= kindClone && tb.kind < kindClone && strings.HasSuffix(score, "INFINITY") {
			// Pacemaker logs a clone that must follow a single
			// resource but cannot as an error; keep it advisory.
			score = score[:len(score)-len("INFINITY")] + "500"
		}
		g.cons = append(g.cons, fmt.Sprintf(`<rsc_colocation id="%s" rsc="%s" with-rsc="%s" score="%s"%s/>`,
			next("col"), ta.id, tb.id, score, roles))
	}
	for i := 0; i < n/3+1; i++ {
		a, b := g.r.Intn(n), g.r.Intn(n)
		if a == b {
			continue
		}
		if a < b {
			a, b = b, a
		}
		ta, tb := g.tops[a], g.tops[b]
		extra := ""
		if g.chance(0.3) {
			extra += fmt.Sprintf(` kind="%s"`, g.pick("Optional", "Mandatory", "Serialize"))
		}
		if g.chance(0.2) {
			extra += ` symmetrical="false"`
		}
		if tb.kind == kindPromotable && g.chance(0.5) {
			extra += ` first-action="promote" then-action="start"`
		}
		g.cons = append(g.cons, fmt.Sprintf(`<rsc_order id="%s" first="%s" then="%s"%s/>`, next("ord"), tb.id, ta.id, extra))
	}
}

// hosts returns the nodes where the status section may show an instance:
// online nodes and unclean ones (whose resources are what makes fencing
// interesting). Clean offline nodes have no current history.
func (g *generator) hosts() []*node {
	var out []*node
	for _, n := range g.nodes {
		if n.status != nodeOffline {
			out = append(out, n)
		}
	}
	return out
}

func (g *generator) failure(p *prim) string {
	if !g.chance(g.p.FailureRate) {
		return ""
	}
	f := g.pick("monitor", "monitor", "start", "stop", "probe")
	if f == "monitor" && !p.monitor {
		// A failed recurring monitor that is no longer configured is
		// cleared by Pacemaker and leaves crm_simulate's own replay
		// inconsistent; only configured monitors fail.
		f = "start"
	}
	return f
}

func (g *generator) planStatus() {
	hosts := g.hosts()
	for _, t := range g.tops {
		switch t.kind {
		case kindPrimitive, kindGroup:
			if !g.chance(0.65) {
				continue
			}
			nd := hosts[g.r.Intn(len(hosts))]
			active := len(t.members)
			if g.chance(0.2) {
				active = 1 + g.r.Intn(len(t.members))
			}
			for _, p := range t.members[:active] {
				g.insts = append(g.insts, instance{rsc: p, lrmID: p.id, node: nd, failure: g.failure(p)})
			}
		default:
			g.planCloneStatus(t, hosts)
		}
	}
	if g.chance(0.05) {
		p := &prim{id: "oldrsc", class: "ocf", provider: "heartbeat", agent: "Dummy"}
		g.orphans = append(g.orphans, instance{rsc: p, lrmID: p.id, node: hosts[g.r.Intn(len(hosts))]})
	}
}

func (g *generator) planCloneStatus(t *top, hosts []*node) {
	p := t.members[0]
	max := t.max
	if max == 0 {
		max = len(g.nodes)
	}
	nodeMax := 1
	if t.nodeMax > 0 {
		nodeMax = t.nodeMax
	}
	count := 0
	promoted := 0
	perm := g.r.Perm(len(hosts))
	for _, i := range perm {
		if count >= max || !g.chance(0.7) || !g.allowed(t.id, hosts[i]) {
			continue
		}
		per := 1
		if t.unique {
			per = 1 + g.r.Intn(nodeMax)
		}
		for k := 0; k < per && count < max; k++ {
			lrmID := p.id
			if t.unique {
				lrmID = fmt.Sprintf("%s:%d", p.id, count)
			}
			in := instance{rsc: p, lrmID: lrmID, node: hosts[i], failure: g.failure(p)}
			if t.kind == kindPromotable && promoted == 0 && g.chance(0.6) {
				in.promoted = true
				promoted++
			}
			g.insts = append(g.insts, in)
			count++
		}
	}
}

func (g *generator) render() []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...); b.WriteByte('\n') }
	w(`<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="10" num_updates="0" admin_epoch="0" have-quorum="%d" dc-uuid="1" execution-date="%d">`, btoi(g.quorum), ExecutionDate)
	w(`  <configuration>`)
	w(`    <crm_config>`)
	w(`      <cluster_property_set id="cib-bootstrap-options">`)
	for _, p := range g.props {
		w(`        <nvpair id="opt-%s" name="%s" value="%s"/>`, p.name, p.name, p.value)
	}
	w(`      </cluster_property_set>`)
	w(`    </crm_config>`)
	w(`    <nodes>`)
	for _, n := range g.nodes {
		w(`      <node id="%s" uname="%s">`, n.id, n.name)
		w(`        <instance_attributes id="nodes-%s">`, n.id)
		w(`          <nvpair id="nodes-%s-rack" name="rack" value="%s"/>`, n.id, n.rack)
		w(`          <nvpair id="nodes-%s-weight" name="weight" value="%d"/>`, n.id, n.weight)
		if n.standby {
			w(`          <nvpair id="nodes-%s-standby" name="standby" value="on"/>`, n.id)
		}
		if n.maintenance {
			w(`          <nvpair id="nodes-%s-maintenance" name="maintenance" value="true"/>`, n.id)
		}
		w(`        </instance_attributes>`)
		w(`      </node>`)
	}
	w(`    </nodes>`)
	w(`    <resources>`)
	for _, t := range g.tops {
		switch t.kind {
		case kindPrimitive:
			renderPrim(w, "      ", t.members[0])
		case kindGroup:
			w(`      <group id="%s">`, t.id)
			renderMeta(w, "        ", t.id, t.meta)
			for _, p := range t.members {
				renderPrim(w, "        ", p)
			}
			w(`      </group>`)
		default:
			w(`      <clone id="%s">`, t.id)
			renderMeta(w, "        ", t.id, t.meta)
			renderPrim(w, "        ", t.members[0])
			w(`      </clone>`)
		}
	}
	w(`    </resources>`)
	w(`    <constraints>`)
	for _, c := range g.cons {
		w(`      %s`, c)
	}
	w(`    </constraints>`)
	if len(g.defaults) > 0 {
		w(`    <rsc_defaults>`)
		w(`      <meta_attributes id="rsc-options">`)
		for _, d := range g.defaults {
			w(`        <nvpair id="rsc-options-%s" name="%s" value="%s"/>`, d.name, d.name, d.value)
		}
		w(`      </meta_attributes>`)
		w(`    </rsc_defaults>`)
	}
	w(`  </configuration>`)
	w(`  <status>`)
	for _, n := range g.nodes {
		g.renderNodeState(w, n)
	}
	w(`  </status>`)
	w(`</cib>`)
	return []byte(b.String())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

type writer func(format string, args ...any)

func renderMeta(w writer, ind, owner string, meta []nv) {
	if len(meta) == 0 {
		return
	}
	w(`%s<meta_attributes id="%s-meta">`, ind, owner)
	for _, m := range meta {
		w(`%s  <nvpair id="%s-meta-%s" name="%s" value="%s"/>`, ind, owner, m.name, m.name, m.value)
	}
	w(`%s</meta_attributes>`, ind)
}

func renderPrim(w writer, ind string, p *prim) {
	prov := ""
	if p.provider != "" {
		prov = fmt.Sprintf(` provider="%s"`, p.provider)
	}
	w(`%s<primitive id="%s" class="%s"%s type="%s">`, ind, p.id, p.class, prov, p.agent)
	renderMeta(w, ind+"  ", p.id, p.meta)
	if p.monitor {
		onFail := ""
		if p.onFail != "" {
			onFail = fmt.Sprintf(` on-fail="%s"`, p.onFail)
		}
		w(`%s  <operations>`, ind)
		w(`%s    <op id="%s-monitor-10s" name="monitor" interval="10s"%s/>`, ind, p.id, onFail)
		w(`%s  </operations>`, ind)
	}
	w(`%s</primitive>`, ind)
}

func (g *generator) renderNodeState(w writer, n *node) {
	switch n.status {
	case nodeOnline:
		w(`    <node_state id="%s" uname="%s" in_ccm="true" crmd="online" join="member" expected="member">`, n.id, n.name)
	case nodeOffline:
		w(`    <node_state id="%s" uname="%s" in_ccm="false" crmd="offline" join="down" expected="down">`, n.id, n.name)
	case nodeUnclean:
		w(`    <node_state id="%s" uname="%s" in_ccm="false" crmd="offline" join="member" expected="member">`, n.id, n.name)
	}
	var mine []instance
	for _, in := range append(g.insts, g.orphans...) {
		if in.node == n {
			mine = append(mine, in)
		}
	}
	var fails []nv
	for _, in := range mine {
		switch in.failure {
		case "monitor":
			fails = append(fails, nv{in.lrmID + "#monitor_10000", "1"})
		case "start":
			fails = append(fails, nv{in.lrmID + "#start_0", "INFINITY"})
		case "stop":
			fails = append(fails, nv{in.lrmID + "#stop_0", "INFINITY"})
		case "probe":
			fails = append(fails, nv{in.lrmID + "#monitor_0", "1"})
		}
	}
	if len(fails) > 0 {
		w(`      <transient_attributes id="%s">`, n.id)
		w(`        <instance_attributes id="status-%s">`, n.id)
		for _, f := range fails {
			w(`          <nvpair id="status-%s-fail-count-%s" name="fail-count-%s" value="%s"/>`, n.id, strings.NewReplacer("#", "-", ":", "-").Replace(f.name), f.name, f.value)
			w(`          <nvpair id="status-%s-last-failure-%s" name="last-failure-%s" value="%d"/>`, n.id, strings.NewReplacer("#", "-", ":", "-").Replace(f.name), f.name, ExecutionDate-100)
		}
		w(`        </instance_attributes>`)
		w(`      </transient_attributes>`)
	}
	w(`      <lrm id="%s">`, n.id)
	w(`        <lrm_resources>`)
	call := 1
	for _, in := range mine {
		p := in.rsc
		prov := ""
		if p.provider != "" {
			prov = fmt.Sprintf(` provider="%s"`, p.provider)
		}
		w(`          <lrm_resource id="%s" class="%s"%s type="%s">`, in.lrmID, p.class, prov, p.agent)
		op := func(id, task string, interval, rc, status, target int) {
			key := fmt.Sprintf("%d:1:%d:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", call, target)
			w(`            <lrm_rsc_op id="%s" operation_key="%s_%s_%d" operation="%s" crm-debug-origin="hbgo-gen" crm_feature_set="3.16.1" transition-key="%s" transition-magic="%d:%d;%s" call-id="%d" rc-code="%d" op-status="%d" interval="%d" last-rc-change="%d" exec-time="10" queue-time="0" op-digest="%s" on_node="%s"/>`,
				id, in.lrmID, task, interval, task, key, status, rc, key, call, rc, status, interval, ExecutionDate-1000+call, digest(interval), n.name)
			call++
		}
		last := in.lrmID + "_last_0"
		switch in.failure {
		case "start":
			op(last, "start", 0, 1, 0, 0)
			op(in.lrmID+"_last_failure_0", "start", 0, 1, 0, 0)
			w(`          </lrm_resource>`)
			continue
		case "stop":
			op(last, "stop", 0, 1, 0, 0)
			op(in.lrmID+"_last_failure_0", "stop", 0, 1, 0, 0)
			w(`          </lrm_resource>`)
			continue
		case "probe":
			// Found running where nothing started it, then a failed probe.
			op(last, "monitor", 0, 1, 0, 7)
			op(in.lrmID+"_last_failure_0", "monitor", 0, 1, 0, 7)
			w(`          </lrm_resource>`)
			continue
		}
		if in.promoted {
			op(last, "promote", 0, 0, 0, 0)
		} else {
			op(last, "start", 0, 0, 0, 0)
		}
		if p.monitor && p.class != "stonith" {
			rc, target := 0, 0
			if in.promoted {
				rc, target = 8, 8
			}
			if in.failure == "monitor" {
				// The monitor's latest result is the generic error.
				op(in.lrmID+"_last_failure_0", "monitor", 10000, 1, 0, target)
				rc = 1
			}
			op(in.lrmID+"_monitor_10000", "monitor", 10000, rc, 0, target)
		} else if in.failure == "monitor" {
			op(in.lrmID+"_last_failure_0", "monitor", 10000, 1, 0, 0)
		}
		w(`          </lrm_resource>`)
	}
	// Probes that found nothing: the normal history of an idle resource.
	if n.status == nodeOnline && g.chance(0.5) {
		for _, t := range g.tops {
			if !g.chance(0.3) {
				continue
			}
			p := t.members[0]
			if hasInstance(mine, p) {
				continue
			}
			lrmID := p.id
			if t.unique {
				lrmID = p.id + ":0"
			}
			prov := ""
			if p.provider != "" {
				prov = fmt.Sprintf(` provider="%s"`, p.provider)
			}
			w(`          <lrm_resource id="%s" class="%s"%s type="%s">`, lrmID, p.class, prov, p.agent)
			key := fmt.Sprintf("%d:1:7:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", call)
			w(`            <lrm_rsc_op id="%s_last_0" operation_key="%s_monitor_0" operation="monitor" crm-debug-origin="hbgo-gen" crm_feature_set="3.16.1" transition-key="%s" transition-magic="0:7;%s" call-id="%d" rc-code="7" op-status="0" interval="0" last-rc-change="%d" exec-time="10" queue-time="0" op-digest="%s" on_node="%s"/>`,
				lrmID, lrmID, key, key, call, ExecutionDate-1000+call, digest(0), n.name)
			call++
			w(`          </lrm_resource>`)
		}
	}
	w(`        </lrm_resources>`)
	w(`      </lrm>`)
	w(`    </node_state>`)
}

// digest is the op-digest Pacemaker 2.1.5 records for an operation of a
// generated resource: resources have no parameters, so it depends only on
// whether the operation is the 10s recurring monitor. Without it Pacemaker
// would see changed parameters and restart everything.
func digest(intervalMS int) string {
	if intervalMS == 10000 {
		return "4811cef7f7f94e3a35a70be7916cb2fd"
	}
	return "f2317cad3d54cec5d7d7aa7d0bf35cf8"
}

func hasInstance(list []instance, p *prim) bool {
	for _, in := range list {
		if in.rsc == p {
			return true
		}
	}
	return false
}
