package graph

import (
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
)

// ActionRef names an action of a pengine.Result the way the result does:
// task, resource instance (empty for fence and shutdown) and node.
type ActionRef struct {
	Task, Resource, Node string
}

// Ordering says that First must complete before Then starts.
type Ordering struct {
	First, Then ActionRef
}

// Orderer supplies the ordering edges between the actions of a result. The
// policy engine orders its actions internally; once it exports those edges
// it can be plugged in here in place of Conservative.
type Orderer interface {
	Orderings(r *pengine.Result) []Ordering
}

// Config controls Build.
type Config struct {
	// CIB gives resource agents, parameters, operation definitions
	// (timeouts, recurring monitors), group and clone membership, and the
	// status history (recurring operations to cancel). Without it the
	// graph has bare actions ordered by the node and resource rules only.
	CIB *cib.CIB
	// Orderer supplies the edges; nil uses Conservative{CIB: CIB}.
	Orderer Orderer
	// TransitionID numbers the graph.
	TransitionID int
	// Probes adds, before the starts of a resource, a probe (monitor with
	// interval 0, expecting "not running") on every online node whose
	// history does not know the resource, so that a copy started outside
	// the cluster is found before a second one is started. A probe that
	// finds the resource fails the transition, and the next schedule sees
	// where it runs. Needs a CIB.
	Probes bool
	// DefaultTimeoutMS applies to operations without a configured
	// timeout; 0 means 20000 (Pacemaker's default-action-timeout).
	DefaultTimeoutMS int
}

// FromResult builds the graph of r with the conservative ordering and no
// configuration: resource operations carry no agent or parameters, and no
// recurring monitors are added. Use Build with a CIB for an executable graph.
func FromResult(r *pengine.Result) *Graph {
	return Build(r, Config{})
}

// Build turns the actions of r into a graph: one action per result action,
// ordered by cfg.Orderer; then, with a CIB, cancels of the recurring
// operations recorded for an instance before it is stopped, demoted or
// promoted, recurring monitors of the instance's final role after its last
// start, promote or demote, and running/stopped markers for groups.
// Everything that is not fencing waits for the fencing.
func Build(r *pengine.Result, cfg Config) *Graph {
	b := &builder{cfg: cfg, g: &Graph{TransitionID: cfg.TransitionID, ClusterDelay: "60s", StonithTimeout: "60s"}, idx: newConfigIndex(cfg.CIB)}
	if b.cfg.DefaultTimeoutMS == 0 {
		b.cfg.DefaultTimeoutMS = 20000
		if v := b.idx.opDefault("timeout"); v != "" {
			if ms, ok := cib.ParseIntervalMS(v); ok {
				b.cfg.DefaultTimeoutMS = ms
			}
		}
	}
	byRef := map[ActionRef][]*Action{}
	var fences []*Action
	for _, ra := range r.Actions {
		a := b.fromResultAction(ra)
		ref := ActionRef{Task: ra.Task, Resource: ra.Resource, Node: ra.Node}
		byRef[ref] = append(byRef[ref], a)
		if a.Task == TaskFence {
			fences = append(fences, a)
		}
	}
	orderer := cfg.Orderer
	if orderer == nil {
		orderer = Conservative{CIB: cfg.CIB}
	}
	for _, o := range orderer.Orderings(r) {
		for _, first := range byRef[o.First] {
			for _, then := range byRef[o.Then] {
				// An edge against the order already established would
				// deadlock the transition; the earlier rule wins.
				if !b.dependsOn(first, then) {
					addInput(then, first)
				}
			}
		}
	}
	if cfg.CIB != nil {
		if cfg.Probes {
			b.addProbes(r, byRef)
		}
		b.addRecurring(r, byRef)
		b.addGroupMarkers(r, byRef)
	}
	// Fencing first: a node that may still run resources must be gone
	// before anything is started elsewhere.
	if len(fences) > 0 {
		last := fences[len(fences)-1]
		for _, a := range b.g.Actions {
			if a.Task != TaskFence {
				addInput(a, last)
			}
		}
	}
	for _, a := range b.g.Actions {
		sort.Ints(a.Inputs)
	}
	return b.g
}

func addInput(then, first *Action) {
	if then == first {
		return
	}
	for _, in := range then.Inputs {
		if in == first.ID {
			return
		}
	}
	then.Inputs = append(then.Inputs, first.ID)
}

type builder struct {
	cfg Config
	g   *Graph
	idx *configIndex
}

// dependsOn reports whether a waits, directly or not, for dep.
func (b *builder) dependsOn(a, dep *Action) bool {
	if a == dep {
		return true
	}
	seen := map[int]bool{}
	stack := []*Action{a}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, in := range cur.Inputs {
			if in == dep.ID {
				return true
			}
			if !seen[in] {
				seen[in] = true
				stack = append(stack, b.g.Actions[in])
			}
		}
	}
	return false
}

func (b *builder) add(a *Action) *Action {
	a.ID = len(b.g.Actions)
	b.g.Actions = append(b.g.Actions, a)
	return a
}

func (b *builder) fromResultAction(ra pengine.Action) *Action {
	switch ra.Task {
	case "fence":
		return b.add(&Action{Kind: CRMEvent, Task: TaskFence, Node: ra.Node, NodeUUID: b.idx.nodeID(ra.Node), FenceAction: ra.Fence, Priority: 1000000})
	case "shutdown":
		return b.add(&Action{Kind: CRMEvent, Task: TaskShutdown, Node: ra.Node, NodeUUID: b.idx.nodeID(ra.Node)})
	}
	a := &Action{Kind: RscOp, Task: ra.Task, Resource: ra.Resource, Node: ra.Node, NodeUUID: b.idx.nodeID(ra.Node)}
	if p := b.idx.primitive(ra.Resource); p != nil {
		a.Agent = Agent{Class: p.Class, Provider: p.Provider, Type: p.Type}
		a.Params = b.idx.params(p)
		a.Meta = opMeta(b.idx.cloneMeta(p, ra.Resource), p, ra.Task, 0)
		a.TimeoutMS = b.timeout(p, ra.Task, 0)
	}
	return b.add(a)
}

func (b *builder) timeout(p *cib.Resource, task string, intervalMS int) int {
	for _, op := range p.Ops {
		ms, _ := cib.ParseIntervalMS(op.Interval)
		if op.Interval == "" {
			ms = 0
		}
		if op.Name == task && ms == intervalMS && op.Timeout != "" {
			if t, ok := cib.ParseIntervalMS(op.Timeout); ok {
				return t
			}
		}
	}
	return b.cfg.DefaultTimeoutMS
}

// instNode identifies one resource instance on one node.
type instNode struct{ rsc, node string }

// promotedRole reports whether a configured op runs in the promoted role.
func promotedRole(role string) bool { return role == "Master" || role == "Promoted" }

func (b *builder) addRecurring(r *pengine.Result, byRef map[ActionRef][]*Action) {
	finalRole := map[instNode]pengine.Role{}
	for _, s := range r.Resources {
		k := instNode{s.ID, s.Node}
		if s.Role > finalRole[k] {
			finalRole[k] = s.Role
		}
	}
	// Visit instances in result order so the graph is deterministic.
	var order []instNode
	tasks := map[instNode]map[string][]*Action{}
	for _, ra := range r.Actions {
		if ra.Resource == "" {
			continue
		}
		k := instNode{ra.Resource, ra.Node}
		if tasks[k] == nil {
			tasks[k] = map[string][]*Action{}
			order = append(order, k)
		}
		tasks[k][ra.Task] = byRef[ActionRef{ra.Task, ra.Resource, ra.Node}]
	}
	for _, k := range order {
		p := b.idx.primitive(k.rsc)
		if p == nil {
			continue
		}
		t := tasks[k]
		// Cancel recorded recurring operations of the role being left.
		var leaving []*Action
		var cancelPromoted, cancelOther bool
		switch {
		case len(t["stop"]) > 0:
			cancelPromoted, cancelOther = true, true
			leaving = append(append(append(leaving, t["demote"]...), t["stop"]...), t["promote"]...)
		case len(t["demote"]) > 0:
			cancelPromoted = true
			leaving = append(leaving, t["demote"]...)
		case len(t["promote"]) > 0:
			cancelOther = true
			leaving = append(leaving, t["promote"]...)
		}
		for _, rec := range b.idx.recorded(k.rsc, k.node) {
			promoted := b.idx.intervalIsPromoted(p, rec.IntervalMS)
			if (promoted && !cancelPromoted) || (!promoted && !cancelOther) {
				continue
			}
			c := b.add(&Action{Kind: RscOp, Task: TaskCancel, NodeUUID: b.idx.nodeID(k.node), CancelTask: rec.Operation, IntervalMS: rec.IntervalMS,
				Resource: k.rsc, Node: k.node, Agent: Agent{Class: p.Class, Provider: p.Provider, Type: p.Type}})
			for _, l := range leaving {
				addInput(l, c)
			}
		}
		// Start the monitors of the final role after the last role change.
		var entering []*Action
		for _, task := range []string{"start", "promote", "demote"} {
			entering = append(entering, t[task]...)
		}
		role := finalRole[k]
		if len(entering) == 0 || role <= pengine.RoleStopped {
			continue
		}
		for _, op := range p.Ops {
			if op.Name != "monitor" || (op.Enabled != "" && !cib.IsTrue(op.Enabled)) {
				continue
			}
			ms, ok := cib.ParseIntervalMS(op.Interval)
			if !ok || ms <= 0 {
				continue
			}
			if promotedRole(op.Role) != (role == pengine.RolePromoted) {
				continue
			}
			if op.Role == "Stopped" {
				continue
			}
			m := &Action{Kind: RscOp, Task: "monitor", IntervalMS: ms, Resource: k.rsc, Node: k.node, NodeUUID: b.idx.nodeID(k.node),
				Agent: Agent{Class: p.Class, Provider: p.Provider, Type: p.Type}, Params: b.idx.params(p), Meta: b.idx.cloneMeta(p, k.rsc)}
			m.Meta = opMeta(m.Meta, p, "monitor", ms)
			m.TimeoutMS = b.timeout(p, "monitor", ms)
			if role == pengine.RolePromoted {
				m.TargetRC = 8
			}
			b.add(m)
			for _, e := range entering {
				addInput(m, e)
			}
		}
	}
}

// addProbes adds the probes described at Config.Probes.
func (b *builder) addProbes(r *pengine.Result, byRef map[ActionRef][]*Action) {
	var online []string
	for _, n := range r.Nodes {
		if n.Online && !n.Pending && !n.Unclean {
			online = append(online, n.Name)
		}
	}
	done := map[string]bool{}
	for _, ra := range r.Actions {
		if ra.Task != "start" || done[ra.Resource] {
			continue
		}
		done[ra.Resource] = true
		p := b.idx.primitive(ra.Resource)
		if p == nil {
			continue
		}
		var starts []*Action
		for _, rb := range r.Actions {
			if rb.Task == "start" && rb.Resource == ra.Resource {
				starts = append(starts, byRef[ActionRef{rb.Task, rb.Resource, rb.Node}]...)
			}
		}
		for _, node := range online {
			if b.idx.known(ra.Resource, node) {
				continue
			}
			probe := b.add(&Action{Kind: RscOp, Task: "monitor", Resource: ra.Resource, Node: node, NodeUUID: b.idx.nodeID(node),
				Agent: Agent{Class: p.Class, Provider: p.Provider, Type: p.Type}, Params: b.idx.params(p), Meta: b.idx.cloneMeta(p, ra.Resource), TargetRC: 7,
				TimeoutMS: b.timeout(p, "monitor", 0)})
			for _, s := range starts {
				addInput(s, probe)
			}
		}
	}
}

// addGroupMarkers adds GROUP_running_0 and GROUP_stopped_0 pseudo actions
// after the member starts and stops of groups that are not cloned.
func (b *builder) addGroupMarkers(r *pengine.Result, byRef map[ActionRef][]*Action) {
	for _, grp := range b.idx.groups {
		if b.idx.inClone[grp.ID] {
			continue
		}
		for _, task := range []string{"stop", "start"} {
			var members []*Action
			for _, m := range grp.Children {
				for _, ra := range r.Actions {
					if ra.Task == task && ra.Resource == m.ID {
						members = append(members, byRef[ActionRef{ra.Task, ra.Resource, ra.Node}]...)
					}
				}
			}
			if len(members) == 0 {
				continue
			}
			marker := TaskRunning
			if task == "stop" {
				marker = TaskStopped
			}
			p := b.add(&Action{Kind: Pseudo, Task: marker, Resource: grp.ID})
			for _, m := range members {
				addInput(p, m)
			}
		}
	}
}

// configIndex answers questions about the configuration and history.
type configIndex struct {
	c        *cib.CIB
	prims    map[string]*cib.Resource
	parent   map[string]*cib.Resource
	groups   []*cib.Resource
	inClone  map[string]bool
	uniqueOf map[string]bool            // primitive id -> inside a globally-unique clone
	members  map[string]map[string]bool // resource id -> primitive ids beneath it
}

func newConfigIndex(c *cib.CIB) *configIndex {
	x := &configIndex{c: c, prims: map[string]*cib.Resource{}, parent: map[string]*cib.Resource{}, inClone: map[string]bool{}, uniqueOf: map[string]bool{}, members: map[string]map[string]bool{}}
	if c == nil {
		return x
	}
	var walk func(r, parent *cib.Resource, clone *cib.Resource)
	walk = func(r, parent *cib.Resource, clone *cib.Resource) {
		if parent != nil {
			x.parent[r.ID] = parent
		}
		if clone != nil {
			x.inClone[r.ID] = true
		}
		switch r.Kind {
		case cib.Primitive:
			x.prims[r.ID] = r
			for a := r; a != nil; a = x.parent[a.ID] {
				if x.members[a.ID] == nil {
					x.members[a.ID] = map[string]bool{}
				}
				x.members[a.ID][r.ID] = true
			}
			if clone != nil && cib.IsTrue(firstNV(clone.Meta, "globally-unique")) {
				x.uniqueOf[r.ID] = true
			}
		case cib.Group:
			x.groups = append(x.groups, r)
		case cib.Clone, cib.Master:
			clone = r
		}
		for _, ch := range r.Children {
			walk(ch, r, clone)
		}
	}
	for _, r := range c.Resources {
		walk(r, nil, nil)
	}
	return x
}

// firstNV returns the first value of name in sets (the first one set wins).
func firstNV(sets []cib.NVSet, name string) string {
	for _, s := range sets {
		for _, p := range s.Pairs {
			if p.Name == name {
				return p.Value
			}
		}
	}
	return ""
}

// baseID strips a clone instance suffix ":N".
func baseID(id string) string {
	if i := strings.LastIndexByte(id, ':'); i > 0 {
		if _, err := strconv.Atoi(id[i+1:]); err == nil {
			return id[:i]
		}
	}
	return id
}

func (x *configIndex) primitive(inst string) *cib.Resource {
	if p, ok := x.prims[inst]; ok {
		return p
	}
	return x.prims[baseID(inst)]
}

func (x *configIndex) params(p *cib.Resource) map[string]string {
	if len(p.Instance) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, s := range p.Instance {
		if s.Rule != nil {
			continue
		}
		for _, nv := range s.Pairs {
			if _, seen := m[nv.Name]; !seen {
				m[nv.Name] = nv.Value
			}
		}
	}
	return m
}

func (x *configIndex) opDefault(name string) string {
	if x.c == nil {
		return ""
	}
	return firstNV(x.c.OpDefaults, name)
}

func (x *configIndex) intervalIsPromoted(p *cib.Resource, ms int) bool {
	for _, op := range p.Ops {
		if v, ok := cib.ParseIntervalMS(op.Interval); ok && v == ms && op.Name == "monitor" {
			return promotedRole(op.Role)
		}
	}
	return false
}

// recorded returns the distinct recurring operations in the history of
// instance inst on node.
func (x *configIndex) recorded(inst, node string) []cib.LRMOp {
	if x.c == nil {
		return nil
	}
	var out []cib.LRMOp
	seen := map[string]bool{}
	for _, ns := range x.c.Status {
		if ns.Uname != node {
			continue
		}
		for _, lr := range ns.Resources {
			if lr.ID != inst {
				continue
			}
			for _, op := range lr.Ops {
				key := op.Operation + "_" + strconv.Itoa(op.IntervalMS)
				if op.IntervalMS <= 0 || op.OpStatus == 1 || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, op)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IntervalMS < out[j].IntervalMS })
	return out
}

// nodeID returns the node id of uname from the nodes section, or uname.
func (x *configIndex) nodeID(uname string) string {
	if x.c != nil {
		for _, n := range x.c.Nodes {
			if n.Uname == uname && n.ID != "" {
				return n.ID
			}
		}
	}
	return uname
}

// known reports whether node's history has an entry for instance inst
// (under its own name or, for clone instances, under any instance name of
// the same primitive).
func (x *configIndex) known(inst, node string) bool {
	if x.c == nil {
		return false
	}
	for _, ns := range x.c.Status {
		if ns.Uname != node {
			continue
		}
		for _, lr := range ns.Resources {
			if lr.ID == inst || baseID(lr.ID) == baseID(inst) {
				return true
			}
		}
	}
	return false
}

// cloneMeta returns the clone meta attributes Pacemaker passes to the
// operations of a clone instance (clone_max, clone_node_max,
// globally_unique, notify, the instance number, and the promoted limits of
// a promotable clone under both their current and their 1.x names), nil
// outside clones.
func (x *configIndex) cloneMeta(p *cib.Resource, inst string) map[string]string {
	var clone *cib.Resource
	for a := x.parent[p.ID]; a != nil; a = x.parent[a.ID] {
		if a.Kind == cib.Clone || a.Kind == cib.Master {
			clone = a
			break
		}
	}
	if clone == nil {
		return nil
	}
	get := func(def string, names ...string) string {
		for _, n := range names {
			if v := firstNV(clone.Meta, n); v != "" {
				return v
			}
		}
		return def
	}
	nodes := 0
	if x.c != nil {
		nodes = len(x.c.Nodes)
	}
	m := map[string]string{
		"clone_max":       get(strconv.Itoa(nodes), "clone-max", "clone_max"),
		"clone_node_max":  get("1", "clone-node-max", "clone_node_max"),
		"globally_unique": get("false", "globally-unique", "globally_unique"),
		"notify":          get("false", "notify"),
	}
	if i := strings.LastIndexByte(inst, ':'); i > 0 {
		if _, err := strconv.Atoi(inst[i+1:]); err == nil {
			m["clone"] = inst[i+1:]
		}
	}
	if clone.Kind == cib.Master || cib.IsTrue(firstNV(clone.Meta, "promotable")) {
		pm := get("1", "promoted-max", "master-max")
		pnm := get("1", "promoted-node-max", "master-node-max")
		m["promoted_max"], m["master_max"] = pm, pm
		m["promoted_node_max"], m["master_node_max"] = pnm, pnm
	}
	return m
}

// opMeta adds what an operation definition of p for task and interval
// contributes to the meta attributes, as Pacemaker passes it: the op's
// name and its on-fail policy.
func opMeta(meta map[string]string, p *cib.Resource, task string, intervalMS int) map[string]string {
	for _, op := range p.Ops {
		ms, ok := cib.ParseIntervalMS(op.Interval)
		if op.Interval == "" {
			ms, ok = 0, true
		}
		if op.Name != task || !ok || ms != intervalMS {
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		meta["name"] = task
		if op.OnFail != "" {
			meta["on_fail"] = op.OnFail
		}
		break
	}
	return meta
}
