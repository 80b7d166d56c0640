package status

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/status/cibdoc"
)

// Compute derives the current cluster state from a parsed CIB. root is the
// same document as an element tree; it supplies what the model does not
// keep (the last-change attributes, operation timings) and may be nil.
func Compute(c *cib.CIB, root *cibdoc.Element) *Cluster {
	d := &deriver{c: c, cl: &Cluster{HaveQuorum: c.HaveQuorum}, timings: map[string][2]int{}, timed: map[string]bool{}}
	d.options()
	if root != nil {
		d.cl.LastWritten = root.Attr("cib-last-written")
		d.cl.UpdateUser = root.Attr("update-user")
		d.cl.UpdateClient = root.Attr("update-client")
		d.cl.UpdateOrigin = root.Attr("update-origin")
		d.indexTimings(root)
	}
	d.nodes()
	sort.SliceStable(d.cl.Nodes, func(i, j int) bool { return naturalLess(d.cl.Nodes[i].Name, d.cl.Nodes[j].Name) })
	d.history()
	for _, r := range c.Resources {
		d.cl.Resources = append(d.cl.Resources, d.resource(r, nil)...)
	}
	d.orphans()
	d.failures()
	d.operationHistory()
	d.bans()
	d.countRunning()
	return d.cl
}

type deriver struct {
	c       *cib.CIB
	cl      *Cluster
	byName  map[string]*Node
	props   map[string]string
	timings map[string][2]int // node+"\x00"+op id -> exec, queue ms
	timed   map[string]bool   // the same keys, for operations that record exec-time
	// hist maps an lrm_resource id to its per-node histories.
	hist map[string][]nodeHistory
	used map[string]bool // lrm ids matched to configuration
}

type nodeHistory struct {
	node string
	lrm  cib.LRMResource
}

// firstValue returns the first value of name across sets.
func firstValue(sets []cib.NVSet, name string) (string, bool) {
	for _, s := range sets {
		for _, p := range s.Pairs {
			if p.Name == name {
				return p.Value, true
			}
		}
	}
	return "", false
}

func (d *deriver) options() {
	d.props = map[string]string{}
	for _, s := range d.c.CRMConfig {
		for _, p := range s.Pairs {
			if _, ok := d.props[p.Name]; !ok {
				d.props[p.Name] = p.Value
			}
		}
	}
	prop := func(name, def string) string {
		if v, ok := d.props[name]; ok {
			return v
		}
		return def
	}
	o := &d.cl.Options
	o.StonithEnabled = cib.IsTrue(prop("stonith-enabled", "true"))
	o.SymmetricCluster = cib.IsTrue(prop("symmetric-cluster", "true"))
	o.NoQuorumPolicy = prop("no-quorum-policy", "stop")
	o.MaintenanceMode = cib.IsTrue(prop("maintenance-mode", "false"))
	o.StopAllResources = cib.IsTrue(prop("stop-all-resources", "false"))
	o.StonithTimeoutMS, _ = cib.ParseIntervalMS(prop("stonith-timeout", "60s"))
	o.PriorityFencingDelayMS, _ = cib.ParseIntervalMS(prop("priority-fencing-delay", "0"))
	d.cl.Stack = prop("cluster-infrastructure", "unknown")
	d.cl.DCVersion = prop("dc-version", "")
}

func (d *deriver) indexTimings(root *cibdoc.Element) {
	st := root.Child("status")
	if st == nil {
		return
	}
	for _, ns := range st.All("node_state") {
		node := ns.Attr("uname")
		ns.Walk(func(e *cibdoc.Element) bool {
			if e.Name == "lrm_rsc_op" {
				ex, _ := strconv.Atoi(e.Attr("exec-time"))
				q, _ := strconv.Atoi(e.Attr("queue-time"))
				d.timings[node+"\x00"+e.Attr("id")] = [2]int{ex, q}
				if _, ok := e.Lookup("exec-time"); ok {
					d.timed[node+"\x00"+e.Attr("id")] = true
				}
			}
			return true
		})
	}
}

// truthy interprets the in_ccm / crmd fields, which newer versions record as
// a timestamp instead of a boolean.
func truthy(s, word string) bool {
	if s == word || cib.IsTrue(s) {
		return true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n > 0
}

func (d *deriver) nodes() {
	d.byName = map[string]*Node{}
	states := map[string]cib.NodeState{}
	for _, s := range d.c.Status {
		states[s.ID] = s
		if s.Uname != "" {
			states["\x00"+s.Uname] = s
		}
	}
	startupFencing := cib.IsTrue(d.propDefault("startup-fencing", "true"))
	for _, cn := range d.c.Nodes {
		n := &Node{Name: cn.Uname, ID: cn.ID, Type: cn.Type, FeatureSet: "<3.15.1"}
		if n.Type == "" || n.Type == "normal" {
			n.Type = "member"
		}
		s, seen := states[cn.ID]
		if !seen {
			s, seen = states["\x00"+cn.Uname]
		}
		attrs := map[string]string{}
		for _, set := range cn.Attrs {
			for _, p := range set.Pairs {
				if _, ok := attrs[p.Name]; !ok {
					attrs[p.Name] = p.Value
				}
			}
		}
		if seen {
			for _, set := range s.Transient {
				for _, p := range set.Pairs {
					attrs[p.Name] = p.Value
				}
			}
			shut := attrs["shutdown"] != "" && attrs["shutdown"] != "0"
			term := cib.IsTrue(attrs["terminate"]) || (attrs["terminate"] != "" && attrs["terminate"] != "0" && attrs["terminate"] != "false")
			d.nodeOnline(n, s, shut, term)
		} else if d.cl.Options.StonithEnabled && startupFencing {
			n.Unclean = true
		}
		// The scheduler reads standby and maintenance only for nodes that
		// are up; an offline node reports neither.
		n.Standby = n.Standby || (n.Online && cib.IsTrue(attrs["standby"]))
		n.Maintenance = n.Online && cib.IsTrue(attrs["maintenance"])
		if v := attrs["shutdown"]; v != "" && v != "0" {
			n.Shutdown = true
		}
		if n.ID == d.c.DCUUID && d.c.DCUUID != "" {
			n.IsDC = true
			d.cl.DC, d.cl.DCID = n.Name, n.ID
		}
		var names []string
		for k := range attrs {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			n.Attrs = append(n.Attrs, Attr{k, attrs[k]})
		}
		d.cl.Nodes = append(d.cl.Nodes, n)
		d.byName[n.Name] = n
	}
}

func (d *deriver) propDefault(name, def string) string {
	if v, ok := d.props[name]; ok {
		return v
	}
	return def
}

// nodeOnline decides a node's membership from its node_state the way the
// scheduler does, with and without fencing. shutdown and terminate come
// from the node's transient attributes.
func (d *deriver) nodeOnline(n *Node, s cib.NodeState, shutdown, terminate bool) {
	inCluster := s.HasInCCM && truthy(s.InCCM, "true")
	crmdUp := truthy(s.Crmd, "online")
	n.ExpectedUp = s.Expected == "member"
	if !d.cl.Options.StonithEnabled {
		switch {
		case !inCluster:
		case crmdUp:
			n.Online = s.Join == "member"
		case !n.ExpectedUp:
		default:
			n.Unclean = true
		}
		return
	}
	expected := s.Expected
	if expected == "" {
		expected = "down"
	}
	// With fencing, membership of the cluster layer decides "online"; the
	// controller's state only decides whether the node is clean, pending
	// (which also keeps resources off it, as standby does) or usable.
	n.Online = inCluster
	switch {
	case shutdown:
		// a node shutting down cannot be fenced for being gone
		n.Online = crmdUp
	case !s.HasInCCM:
		n.Unclean = true // never seen by the cluster
	case s.Join == "nack":
		n.Unclean = true
	case !terminate && expected == "down":
		if inCluster || crmdUp {
			n.Pending, n.Standby = true, true
		}
	case terminate && s.Join == "down" && !inCluster && !crmdUp:
		n.Online = false // just fenced
	case !inCluster, !crmdUp, terminate:
		n.Unclean = true
	case s.Join == "member":
	case s.Join == "pending" || s.Join == "down":
		n.Pending, n.Standby = true, true
	default:
		n.Unclean = true
	}
}

// history indexes the lrm_resource entries by id.
func (d *deriver) history() {
	d.hist = map[string][]nodeHistory{}
	d.used = map[string]bool{}
	for _, s := range d.c.Status {
		name := s.Uname
		for _, n := range d.cl.Nodes {
			if n.ID == s.ID {
				name = n.Name
			}
		}
		n := d.byName[name]
		for _, r := range s.Resources {
			d.hist[r.ID] = append(d.hist[r.ID], nodeHistory{node: name, lrm: r})
			if n != nil {
				n.HistoryOrder = append(n.HistoryOrder, r.ID)
			}
		}
	}
}

// meta looks a meta attribute up on the resource, its ancestors and
// rsc_defaults, the way children inherit their parent's meta attributes.
func (d *deriver) meta(chain []*cib.Resource, name string) (string, bool) {
	for i := len(chain) - 1; i >= 0; i-- {
		if v, ok := firstValue(chain[i].Meta, name); ok {
			return v, true
		}
	}
	return firstValue(d.c.RscDefaults, name)
}

func agentOf(class, provider, typ string) string {
	if provider != "" {
		return class + ":" + provider + ":" + typ
	}
	return class + ":" + typ
}

// baseID strips a clone instance suffix.
func baseID(id string) (string, string) {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[:i], id[i+1:]
	}
	return id, ""
}

// resource derives the state of a configured resource (one entry, or one
// per instance for clones handled by the caller).
func (d *deriver) resource(r *cib.Resource, parents []*cib.Resource) []*Resource {
	chain := append(append([]*cib.Resource(nil), parents...), r)
	switch r.Kind {
	case cib.Primitive:
		p := d.newPrimitive(r, chain, r.ID)
		var states []instanceState
		var nodes []string
		for _, h := range d.hist[r.ID] {
			d.used[r.ID] = true
			st, ok := d.interpretOn(h.node, h.lrm.Ops, d.onFail(r))
			if !ok {
				continue
			}
			states = append(states, st)
			nodes = append(nodes, h.node)
		}
		d.apply(p, states, nodes, false)
		if v, _ := d.meta(chain, "multiple-active"); v == "block" && len(p.Nodes) > 1 {
			p.Blocked, p.Managed = true, false
		}
		return []*Resource{p}
	case cib.Group:
		g := d.newContainer(r, chain, r.ID)
		blocked := false
		for _, c := range r.Children {
			rs := d.resource(c, chain)
			for _, x := range rs {
				blocked = blocked || x.Blocked
			}
			g.Children = append(g.Children, rs...)
		}
		if v, _ := d.meta(chain, "multiple-active"); v == "block" && blocked {
			// a member active in several places blocks the whole group
			for _, c := range g.Children {
				c.Blocked, c.Managed = true, false
			}
		}
		return []*Resource{g}
	case cib.Clone, cib.Master:
		return []*Resource{d.clone(r, chain)}
	}
	return nil
}

func (d *deriver) newContainer(r *cib.Resource, chain []*cib.Resource, id string) *Resource {
	res := &Resource{Kind: r.Kind, ID: id, ConfigID: r.ID, Managed: d.managed(chain)}
	res.OwnTargetRole, _ = firstValue(r.Meta, "target-role")
	if v, ok := d.meta(chain, "target-role"); ok {
		res.TargetRole = v
		res.Disabled = strings.EqualFold(v, "Stopped")
	}
	return res
}

func (d *deriver) managed(chain []*cib.Resource) bool {
	if d.cl.Options.MaintenanceMode {
		return false
	}
	if v, ok := d.meta(chain, "maintenance"); ok && cib.IsTrue(v) {
		return false
	}
	if v, ok := d.meta(chain, "is-managed"); ok && !cib.IsTrue(v) {
		return false
	}
	return true
}

func (d *deriver) newPrimitive(r *cib.Resource, chain []*cib.Resource, id string) *Resource {
	p := d.newContainer(r, chain, id)
	p.Kind = cib.Primitive
	p.Agent = agentOf(r.Class, r.Provider, r.Type)
	p.Role = Stopped
	return p
}

// interpretOn replays a history recorded on node. The history of a node
// that is cleanly offline is ignored (ok is false): nothing runs there. On
// a node that is offline and unclean the resources count as active until
// it is fenced, but failures recorded there are not reported.
func (d *deriver) interpretOn(node string, ops []cib.LRMOp, onFail onFailFunc) (st instanceState, ok bool) {
	n := d.byName[node]
	if n != nil && !n.Online && !n.Unclean {
		return instanceState{}, false
	}
	st = interpret(ops, onFail, d.cl.Options.StonithEnabled)
	if n != nil && !n.Online {
		st.failed, st.blocked, st.ignored, st.fence, st.failures = false, false, false, false, nil
	}
	return st, true
}

// onFail returns the configured on-fail lookup for a primitive.
func (d *deriver) onFail(r *cib.Resource) onFailFunc {
	return func(task string, interval int) string {
		for _, o := range r.Ops {
			ms, _ := cib.ParseIntervalMS(o.Interval)
			if o.Name == task && ms == interval {
				return o.OnFail
			}
		}
		if v, ok := firstValue(d.c.OpDefaults, "on-fail"); ok {
			return v
		}
		return ""
	}
}

// apply folds per-node histories into a primitive instance.
func (d *deriver) apply(p *Resource, states []instanceState, nodes []string, promotable bool) {
	for i, st := range states {
		if st.fence {
			if n := d.byName[nodes[i]]; n != nil {
				n.Unclean = true
			}
		}
		if st.failed {
			p.Failed = true
		}
		if st.ignored {
			p.FailureIgnored = true
		}
		if st.blocked {
			p.Blocked = true
			p.Managed = false
		}
		if st.pending != "" {
			p.Pending = st.pending
		}
		if st.role.rank() > 0 {
			p.Nodes = append(p.Nodes, nodes[i])
			if st.role.rank() > p.Role.rank() {
				p.Role = st.role
			}
			if n := d.byName[nodes[i]]; n != nil && n.Maintenance {
				p.Managed = false
			}
		}
	}
	if promotable && p.Role == Started {
		p.Role = Unpromoted
	}
}

// clone derives a clone's instances: active ones from the history, then
// as many stopped ones as clone-max leaves.
func (d *deriver) clone(r *cib.Resource, chain []*cib.Resource) *Resource {
	cl := d.newContainer(r, chain, r.ID)
	cl.Kind = cib.Clone
	unique, _ := d.meta(chain, "globally-unique")
	cl.Unique = cib.IsTrue(unique)
	prom, _ := d.meta(chain, "promotable")
	cl.Promotable = r.Kind == cib.Master || cib.IsTrue(prom)
	max := len(d.c.Nodes)
	if v, ok := d.meta(chain, "clone-max"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			max = n
		}
	}
	cl.CloneMax = max
	child := r.Children[0]
	members := []*cib.Resource{child}
	if child.Kind == cib.Group {
		members = child.Children
	}
	memberSet := map[string]int{}
	for i, m := range members {
		memberSet[m.ID] = i
	}
	// An instance is keyed by its number for unique clones, and by node and
	// number for anonymous ones, whose numbers are not meaningful.
	type inst struct {
		key    string
		num    string
		states [][]instanceState
		nodes  [][]string
	}
	insts := map[string]*inst{}
	var order []string
	var lrmIDs []string
	for id := range d.hist {
		lrmIDs = append(lrmIDs, id)
	}
	sortStrings(lrmIDs)
	for _, id := range lrmIDs {
		base, num := baseID(id)
		mi, ok := memberSet[base]
		if !ok {
			continue
		}
		d.used[id] = true
		m := members[mi]
		for _, h := range d.hist[id] {
			st, ok := d.interpretOn(h.node, h.lrm.Ops, d.onFail(m))
			if !ok {
				continue
			}
			key := num
			if !cl.Unique {
				key = h.node + "\x00" + num
				if st.role.rank() == 0 && !st.failed {
					continue
				}
			}
			in := insts[key]
			if in == nil {
				in = &inst{key: key, num: num, states: make([][]instanceState, len(members)), nodes: make([][]string, len(members))}
				insts[key] = in
				order = append(order, key)
			}
			in.states[mi] = append(in.states[mi], st)
			in.nodes[mi] = append(in.nodes[mi], h.node)
		}
	}
	sortStrings(order)
	used := map[string]bool{}
	build := func(num string, in *inst) *Resource {
		used[num] = true
		suffix := ""
		if cl.Unique {
			suffix = ":" + num
		}
		var out *Resource
		if child.Kind == cib.Group {
			out = d.newContainer(child, append(chain, child), child.ID+":"+num)
			out.Kind = cib.Group
		}
		for mi, m := range members {
			p := d.newPrimitive(m, append(append(chain, child), m)[:len(chain)+1+btoi(child.Kind == cib.Group)], m.ID+suffix)
			p.ConfigID = m.ID
			if in != nil {
				d.apply(p, in.states[mi], in.nodes[mi], cl.Promotable)
			}
			if out == nil {
				return p
			}
			out.Children = append(out.Children, p)
		}
		return out
	}
	var active, stopped []*Resource
	next := 0
	for _, k := range order {
		in := insts[k]
		num := in.num
		if !cl.Unique {
			for used[strconv.Itoa(next)] {
				next++
			}
			num = strconv.Itoa(next)
		}
		res := build(num, in)
		if res.Active() || cl.Unique {
			active = append(active, res)
		}
	}
	if cl.Unique {
		// unique instances are listed by number, active or not
		for i := 0; i < max; i++ {
			if !used[strconv.Itoa(i)] {
				stopped = append(stopped, build(strconv.Itoa(i), nil))
			}
		}
		all := append(active, stopped...)
		sortInstances(all)
		cl.Children = all
	} else {
		n := 0
		for _, a := range active {
			if a.Active() {
				n++
			}
		}
		for i := n; i < max; i++ {
			for used[strconv.Itoa(next)] {
				next++
			}
			stopped = append(stopped, build(strconv.Itoa(next), nil))
		}
		cl.Children = append(active, stopped...)
	}
	for _, c := range cl.Children {
		for _, p := range c.Primitives() {
			cl.Failed = cl.Failed || p.Failed
			cl.FailureIgnored = cl.FailureIgnored || p.FailureIgnored
		}
	}
	return cl
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// orphans lists active resources found in the status but not in the
// configuration.
func (d *deriver) orphans() {
	var ids []string
	for id := range d.hist {
		if !d.used[id] {
			ids = append(ids, id)
		}
	}
	sortStrings(ids)
	for _, id := range ids {
		hs := d.hist[id]
		// with stop-orphan-resources=false the cluster leaves orphans alone
		managed := !d.cl.Options.MaintenanceMode && cib.IsTrue(d.propDefault("stop-orphan-resources", "true"))
		p := &Resource{Kind: cib.Primitive, ID: id, ConfigID: id, Role: Stopped, Orphan: true, Managed: managed,
			Agent: agentOf(hs[0].lrm.Class, hs[0].lrm.Provider, hs[0].lrm.Type)}
		var states []instanceState
		var nodes []string
		for _, h := range hs {
			st, ok := d.interpretOn(h.node, h.lrm.Ops, func(string, int) string { return "" })
			if !ok {
				continue
			}
			states = append(states, st)
			nodes = append(nodes, h.node)
		}
		d.apply(p, states, nodes, false)
		if p.Active() {
			d.cl.Resources = append(d.cl.Resources, p)
		}
	}
}

// failures collects failed operations (once per operation key and node)
// and the fail counts from the nodes' transient attributes.
func (d *deriver) failures() {
	seen := map[string]bool{}
	for _, s := range d.c.Status {
		node := s.Uname
		for _, n := range d.cl.Nodes {
			if n.ID == s.ID {
				node = n.Name
			}
		}
		for _, r := range s.Resources {
			st, ok := d.interpretOn(node, r.Ops, d.onFailByID(r.ID))
			if !ok {
				continue
			}
			for _, op := range st.failures {
				key := op.OperationKey
				if key == "" {
					key = op.ID
				}
				if seen[key+"\x00"+node] {
					continue
				}
				seen[key+"\x00"+node] = true
				t := d.timings[node+"\x00"+op.ID]
				d.cl.Failures = append(d.cl.Failures, Failure{OpKey: key, Node: node, Task: op.Operation, Reason: op.ExitReason,
					RC: op.RC, Status: op.OpStatus, Call: op.CallID, IntervalMS: op.IntervalMS, LastRCChange: op.LastRCChange,
					ExecMS: t[0], QueueMS: t[1], Resource: r.ID, HasOpKey: op.OperationKey != ""})
			}
		}
		d.failCounts(node, s)
	}
}

func (d *deriver) onFailByID(id string) onFailFunc {
	base, _ := baseID(id)
	var found *cib.Resource
	var walk func([]*cib.Resource)
	walk = func(rs []*cib.Resource) {
		for _, r := range rs {
			if r.Kind == cib.Primitive && (r.ID == id || r.ID == base) {
				found = r
			}
			walk(r.Children)
		}
	}
	walk(d.c.Resources)
	if found == nil {
		return func(string, int) string { return "" }
	}
	return d.onFail(found)
}

func (d *deriver) failCounts(node string, s cib.NodeState) {
	type acc struct {
		count    int
		inf      bool
		last     int64
		position int
	}
	per := map[string]*acc{}
	var order []string
	get := func(rsc string) *acc {
		a := per[rsc]
		if a == nil {
			a = &acc{}
			per[rsc] = a
			order = append(order, rsc)
		}
		return a
	}
	for _, set := range s.Transient {
		for _, p := range set.Pairs {
			switch {
			case strings.HasPrefix(p.Name, "fail-count-"):
				rsc := strings.TrimPrefix(p.Name, "fail-count-")
				if i := strings.IndexByte(rsc, '#'); i >= 0 {
					rsc = rsc[:i]
				}
				rsc = d.failRsc(rsc)
				a := get(rsc)
				if strings.EqualFold(p.Value, "INFINITY") || strings.EqualFold(p.Value, "+INFINITY") {
					a.inf = true
				} else if n, err := strconv.Atoi(p.Value); err == nil {
					a.count += n
				}
			case strings.HasPrefix(p.Name, "last-failure-"):
				rsc := strings.TrimPrefix(p.Name, "last-failure-")
				if i := strings.IndexByte(rsc, '#'); i >= 0 {
					rsc = rsc[:i]
				}
				rsc = d.failRsc(rsc)
				a := get(rsc)
				if n, err := strconv.ParseInt(p.Value, 10, 64); err == nil && n > a.last {
					a.last = n
				}
			}
		}
	}
	for _, rsc := range order {
		a := per[rsc]
		if a.count == 0 && !a.inf {
			continue
		}
		fc := FailCount{Node: node, Resource: rsc, Count: a.count, Infinite: a.inf, LastFailure: a.last, Threshold: d.threshold(rsc)}
		if a.inf || a.count >= 1000000 {
			fc.Count, fc.Infinite = 1000000, true
		}
		d.cl.FailCounts = append(d.cl.FailCounts, fc)
	}
}

// failRsc names the resource a fail count belongs to: anonymous clone
// instances share their primitive's name.
func (d *deriver) failRsc(id string) string {
	base, num := baseID(id)
	if num == "" {
		return id
	}
	for _, r := range d.cl.Resources {
		if r.Kind == cib.Clone && !r.Unique {
			for _, p := range r.Primitives() {
				if p.ConfigID == base {
					return base
				}
			}
		}
	}
	return id
}

func (d *deriver) threshold(rsc string) int {
	base, _ := baseID(rsc)
	var chain []*cib.Resource
	var walk func([]*cib.Resource, []*cib.Resource) bool
	walk = func(rs []*cib.Resource, parents []*cib.Resource) bool {
		for _, r := range rs {
			ch := append(append([]*cib.Resource(nil), parents...), r)
			if r.ID == base || r.ID == rsc {
				chain = ch
				return true
			}
			if walk(r.Children, ch) {
				return true
			}
		}
		return false
	}
	walk(d.c.Resources, nil)
	v, ok := d.meta(chain, "migration-threshold")
	if !ok {
		return 1000000
	}
	if strings.Contains(strings.ToUpper(v), "INFINITY") {
		return 1000000
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 1000000
	}
	return n
}

func (d *deriver) countRunning() {
	for _, r := range d.cl.Resources {
		for _, p := range r.Primitives() {
			for _, n := range p.Nodes {
				if node := d.byName[n]; node != nil {
					node.ResourcesRunning++
				}
			}
		}
	}
}

// Node returns the named node, or nil.
func (cl *Cluster) Node(name string) *Node {
	for _, n := range cl.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Find returns the resource (at any depth) whose instance or configuration
// id is id, or nil.
func (cl *Cluster) Find(id string) *Resource {
	var found *Resource
	var walk func([]*Resource)
	walk = func(rs []*Resource) {
		for _, r := range rs {
			if found != nil {
				return
			}
			if r.ID == id {
				found = r
				return
			}
			walk(r.Children)
		}
	}
	walk(cl.Resources)
	return found
}

// String names a failure the way logs do.
func (f Failure) String() string {
	return fmt.Sprintf("%s on %s rc=%d status=%d", f.OpKey, f.Node, f.RC, f.Status)
}

// operationHistory collects, per online node, the operations crm_mon's XML
// lists: everything but pending operations and probes that found nothing.
func (d *deriver) operationHistory() {
	configured := map[string]bool{}
	for _, r := range d.c.Resources {
		var walk func(*cib.Resource)
		walk = func(x *cib.Resource) {
			configured[x.ID] = true
			for _, c := range x.Children {
				walk(c)
			}
		}
		walk(r)
	}
	for _, s := range d.c.Status {
		node := s.Uname
		for _, n := range d.cl.Nodes {
			if n.ID == s.ID {
				node = n.Name
			}
		}
		if n := d.byName[node]; n == nil || !n.Online {
			continue
		}
		nh := NodeHistory{Node: node}
		for _, r := range s.Resources {
			rh := ResourceHistory{ID: r.ID, Threshold: d.threshold(r.ID)}
			base, _ := baseID(r.ID)
			if !configured[r.ID] && configured[base] && d.anonymous(base) {
				rh.ID = base // anonymous instances are reported by their primitive
			}
			// only an orphan still active counts as one here; a stopped orphan
			// is not loaded as a resource at all
			if o := d.cl.Find(r.ID); o != nil && o.Orphan {
				rh.Orphan = true
			}
			for _, fc := range d.cl.FailCounts {
				if fc.Node == node && (fc.Resource == r.ID || fc.Resource == base) {
					rh.FailCount, rh.Infinite, rh.LastFailure = fc.Count, fc.Infinite, fc.LastFailure
				}
			}
			for _, op := range sortedOps(r.Ops) {
				if op.CallID == -1 || op.OpStatus == execPending || op.Operation == "notify" {
					continue
				}
				task := op.Operation
				if isProbe(op) {
					if op.RC == rcNotRunning {
						continue
					}
					task = "probe"
				}
				t := d.timings[node+"\x00"+op.ID]
				rh.Ops = append(rh.Ops, HistoryOp{Call: op.CallID, RC: op.RC, IntervalMS: op.IntervalMS, Task: task,
					LastRCChange: op.LastRCChange, ExecMS: t[0], QueueMS: t[1], Timed: d.timed[node+"\x00"+op.ID]})
			}
			if len(rh.Ops) > 0 {
				nh.Resources = append(nh.Resources, rh)
			}
		}
		d.cl.History = append(d.cl.History, nh)
	}
}

// bans lists the negative location preferences per node, as crm_mon's
// XML does: fixed-node constraints under their own id, rules under the
// rule's id for every node they match.
func (d *deriver) bans() {
	// the scheduler prepends each constraint to its list, so the last
	// configured comes first
	for i := len(d.c.Locations) - 1; i >= 0; i-- {
		l := d.c.Locations[i]
		rsc := l.Rsc
		if rsc == "" {
			continue // patterns and sets are not reported
		}
		promoted := l.Role == "Promoted" || l.Role == "Master"
		if l.Node != "" && l.HasScore {
			if int(l.Score) < 0 {
				d.cl.Bans = append(d.cl.Bans, Ban{ID: l.ID, Resource: rsc, Node: l.Node, Weight: int(l.Score), PromotedOnly: promoted})
			}
			continue
		}
		for _, r := range l.Rules {
			if !r.HasScore || int(r.Score) >= 0 {
				continue
			}
			rp := promoted || r.Role == "Promoted" || r.Role == "Master"
			// the scheduler builds a rule's node list by prepending
			for i := len(d.cl.Nodes) - 1; i >= 0; i-- {
				n := d.cl.Nodes[i]
				ctx := &cib.RuleContext{NodeAttrs: d.ruleAttrs(n)}
				rr := r
				if rr.Eval(ctx) {
					d.cl.Bans = append(d.cl.Bans, Ban{ID: r.ID, Resource: rsc, Node: n.Name, Weight: int(r.Score), PromotedOnly: rp})
				}
			}
		}
	}
}

// ruleAttrs are the attributes a location rule sees for a node.
func (d *deriver) ruleAttrs(n *Node) map[string]string {
	m := map[string]string{"#uname": n.Name, "#id": n.ID, "#kind": "cluster", "#is_dc": "false"}
	if n.IsDC {
		m["#is_dc"] = "true"
	}
	for _, a := range n.Attrs {
		m[a.Name] = a.Value
	}
	return m
}

// anonymous reports whether the primitive id belongs to a clone whose
// instances are interchangeable.
func (d *deriver) anonymous(id string) bool {
	for _, r := range d.cl.Resources {
		if r.Kind == cib.Clone && !r.Unique {
			for _, p := range r.Primitives() {
				if p.ConfigID == id {
					return true
				}
			}
		}
	}
	return false
}
