package main

import (
	"fmt"
	"strconv"

	"sort"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/crm/status"
)

// executionOrder lists the actions of g in the order a simulated run
// carries them out, as Pacemaker's graph runner does with every action
// succeeding at once: repeated passes over the actions in id order, each
// firing every action whose inputs have completed (an action fired earlier
// in the same pass counts as completed).
func executionOrder(g *graph.Graph) []*graph.Action {
	done := map[int]bool{}
	var out []*graph.Action
	for len(out) < len(g.Actions) {
		progress := false
		for _, a := range g.Actions {
			if done[a.ID] {
				continue
			}
			ready := true
			for _, in := range a.Inputs {
				if !done[in] {
					ready = false
					break
				}
			}
			if ready {
				done[a.ID] = true
				out = append(out, a)
				progress = true
			}
		}
		if !progress {
			// A cycle: report what could not run rather than loop forever.
			for _, a := range g.Actions {
				if !done[a.ID] {
					out = append(out, a)
				}
			}
			break
		}
	}
	return out
}

// actionLine describes one executed action in crm_simulate's words.
// rsc overrides the resource name of a resource operation when not empty.
func actionLine(a *graph.Action, rsc string) string {
	switch {
	case a.Kind == graph.CRMEvent && a.Task == graph.TaskFence:
		return fmt.Sprintf("Fencing %s (%s)", a.Node, a.FenceAction)
	case a.Kind == graph.CRMEvent:
		return fmt.Sprintf("Cluster action:  %s on %s", a.Task, a.Node)
	case a.Kind == graph.Pseudo:
		return "Pseudo action:   " + a.Key()
	}
	if rsc == "" {
		rsc = a.Resource
		if a.LongID != "" {
			rsc = a.LongID
		}
	}
	task := a.Task
	if a.IntervalMS > 0 {
		task += "=" + strconv.Itoa(a.IntervalMS)
	}
	return fmt.Sprintf("Resource action: %-15s %s on %s", rsc, task, a.Node)
}

// listing is the "Executing Cluster Transition" section: the graph's
// actions in execution order, with what Pacemaker's graph has beyond the
// policy engine's executable actions made visible: anonymous clone
// instances named by instance, stops implied by fencing and the clone
// start/stop markers as pseudo actions, and probes of every resource on
// every online node whose history does not know it.
type listing struct {
	c         *cib.CIB
	cur       *status.Cluster
	pairs     []instancePair
	before    map[[2]string]string // (primitive, node) -> instance active there now
	after     map[[2]string]string // (primitive, node) -> instance active there afterwards
	cloneOf   map[string]string    // primitive id -> top-level clone id
	anonymous map[string]bool      // primitive ids of anonymous clone instances
	// history maps (primitive, node) to the instance name the node's
	// history records; the graph names actions on a node that knows the
	// instance that way.
	history map[[2]string]string
	// containers maps an instance id to the groups and clones around it,
	// innermost first, as their pseudo actions name them.
	containers map[string][]string
}

func newListing(c *cib.CIB, cur *status.Cluster, pairs []instancePair, rank map[string]int) *listing {
	l := &listing{c: c, cur: cur, pairs: pairs, before: map[[2]string]string{}, after: map[[2]string]string{},
		cloneOf: map[string]string{}, anonymous: map[string]bool{}, history: map[[2]string]string{}, containers: map[string][]string{}}
	for _, st := range c.Status {
		for _, lr := range st.Resources {
			// Kept as recorded, with or without an instance number.
			l.history[[2]string{baseOf(lr.ID), st.Uname}] = lr.ID
		}
	}
	var walk func(r *status.Resource, outer []string, suffix string)
	walk = func(r *status.Resource, outer []string, suffix string) {
		switch {
		case r.Kind == cib.Primitive:
			id := r.ID
			if suffix != "" {
				id = baseOf(id) + suffix
			}
			l.containers[id] = outer
			if _, ok := l.containers[baseOf(id)]; !ok {
				// Instances recorded without a number: the first
				// instance's containers stand for them.
				l.containers[baseOf(id)] = outer
			}
		case r.Kind == cib.Group:
			name := r.ID
			if suffix != "" {
				name = baseOf(name) + suffix
			}
			for _, ch := range r.Children {
				walk(ch, append([]string{name}, outer...), suffix)
			}
		default:
			num := []int(nil)
			if anonymousClone(r) {
				num = numberInstances(r, rank)
			}
			for i, ch := range r.Children {
				sfx := ""
				if j := strings.LastIndexByte(ch.ID, ':'); j >= 0 {
					sfx = ch.ID[j:]
				}
				if num != nil {
					sfx = ":" + strconv.Itoa(num[i])
				}
				walk(ch, append([]string{r.ID}, outer...), sfx)
			}
		}
	}
	for _, r := range cur.Resources {
		walk(r, nil, "")
	}
	for _, p := range pairs {
		if p.name != p.id {
			l.anonymous[p.name] = true
		}
		for _, n := range p.cur.Nodes {
			l.before[[2]string{p.name, n}] = p.id
		}
		for _, n := range p.next.Nodes {
			l.after[[2]string{p.name, n}] = p.id
		}
	}
	for _, r := range cur.Resources {
		if r.Kind != cib.Clone {
			continue
		}
		for _, p := range r.Primitives() {
			l.cloneOf[baseOf(p.ID)] = r.ID
		}
	}
	return l
}

// instance names a resource operation's target instance.
func (l *listing) instance(a *graph.Action) string {
	rsc := a.Resource
	if a.LongID != "" {
		rsc = baseOf(a.LongID)
	}
	if !l.anonymous[rsc] {
		if a.LongID != "" {
			return a.LongID
		}
		return rsc
	}
	// The node's history names the instance, numbered or not.
	k := [2]string{rsc, a.Node}
	if h, ok := l.history[k]; ok && !(a.Task == "monitor" && a.IntervalMS == 0) {
		return h
	}
	if a.LongID != "" {
		return a.LongID
	}
	first, second := l.after, l.before
	switch a.Task {
	case "stop", "demote", graph.TaskCancel:
		first, second = l.before, l.after
	}
	if id, ok := first[k]; ok {
		return id
	}
	if id, ok := second[k]; ok {
		return id
	}
	return a.Resource + ":0"
}

type step struct {
	line       string
	containers []string // groups and clones around the instance, innermost first
	task       string
	inst, node string
	probe      bool
	// follows is set for a recurring monitor placed right after the
	// action that put its instance in its role.
	follows bool
}

func (l *listing) lines(g *graph.Graph) []string {
	var steps []step
	probed := map[[2]string]bool{}
	stops := map[[2]string]bool{}
	for _, a := range g.Actions {
		if a.Kind == graph.RscOp && a.Task == "stop" {
			stops[[2]string{a.Resource, a.Node}] = true
		}
	}
	for _, a := range executionOrder(g) {
		switch {
		case a.Kind == graph.Pseudo:
			// Markers are drawn from the resource actions below.
			continue
		case a.Kind == graph.CRMEvent:
			steps = append(steps, step{line: actionLine(a, "")})
			if a.Task == graph.TaskFence {
				steps = append(steps, l.impliedStops(a.Node)...)
			}
			continue
		case a.Task == graph.TaskCancel && stops[[2]string{a.Resource, a.Node}]:
			// A stop ends the recurring operations without a cancel.
			continue
		}
		inst := l.instance(a)
		if a.Task == "monitor" && a.IntervalMS == 0 {
			probed[[2]string{inst, a.Node}] = true
		}
		steps = append(steps, step{line: actionLine(a, inst), containers: l.containersOf(inst, a.Resource), task: a.Task,
			inst: inst, node: a.Node, probe: a.Task == "monitor" && a.IntervalMS == 0})
	}
	steps = append(l.probes(probed), steps...)
	steps = l.orderProbes(steps)
	steps = l.missingMonitors(steps)
	return shutdownsFirst(markContainers(attachMonitors(steps)))
}

// containersOf lists the groups and clones around an instance.
func (l *listing) containersOf(inst, rsc string) []string {
	if cs, ok := l.containers[inst]; ok {
		return cs
	}
	return l.containers[rsc]
}

// impliedStops are the stops a fencing of node stands for.
func (l *listing) impliedStops(node string) []step {
	var out []step
	for _, p := range l.pairs {
		if contains(p.cur.Nodes, node) {
			out = append(out, step{line: "Pseudo action:   " + p.id + "_stop_0", containers: l.containersOf(p.id, p.name), task: "stop"})
		}
	}
	return out
}

// probes lists the probes Pacemaker schedules that the graph lacks: every
// primitive on every online, clean node whose history does not know it.
func (l *listing) probes(done map[[2]string]bool) []step {
	if maint := l.cur.Options.MaintenanceMode; maint {
		return nil
	}
	known := map[[2]string]bool{}
	for _, st := range l.c.Status {
		for _, lr := range st.Resources {
			known[[2]string{lr.ID, st.Uname}] = true
			known[[2]string{baseOf(lr.ID), st.Uname}] = true
		}
	}
	var out []step
	seen := map[string]bool{}
	for _, p := range l.pairs {
		if seen[p.id] || (l.anonymous[p.name] && seen[p.name]) {
			continue
		}
		seen[p.id], seen[p.name] = true, true
		for _, n := range l.cur.Nodes {
			id := p.id
			if l.anonymous[p.name] {
				id = l.instance(&graph.Action{Resource: p.name, Node: n.Name, Task: "monitor"})
			}
			if !n.Online || n.Unclean || n.Pending || n.Maintenance || known[[2]string{p.name, n.Name}] || done[[2]string{id, n.Name}] {
				continue
			}
			out = append(out, step{line: fmt.Sprintf("Resource action: %-15s monitor on %s", id, n.Name), task: "monitor", inst: id, node: n.Name, probe: true})
		}
	}
	return out
}

// missingMonitors adds, after the probes, the recurring monitors of
// instances that keep running where they are but whose history lacks
// them (a monitor added to the configuration, or never started): the
// scheduler starts those too.
func (l *listing) missingMonitors(steps []step) []step {
	prims := map[string]*cib.Resource{}
	var walk func(rs []*cib.Resource)
	walk = func(rs []*cib.Resource) {
		for _, r := range rs {
			if r.Kind == cib.Primitive {
				prims[r.ID] = r
			}
			walk(r.Children)
		}
	}
	walk(l.c.Resources)
	recorded := map[[3]string]bool{} // primitive, node, interval
	for _, st := range l.c.Status {
		for _, lr := range st.Resources {
			for _, op := range lr.Ops {
				if op.Operation == "monitor" && op.IntervalMS > 0 {
					recorded[[3]string{baseOf(lr.ID), st.Uname, strconv.Itoa(op.IntervalMS)}] = true
				}
			}
		}
	}
	touched := map[[2]string]bool{} // instance, node with a role change or a recurring op already
	at := 0
	for i, s := range steps {
		if s.probe {
			at = i + 1
		}
		if s.inst != "" && s.task != "" && !s.probe {
			touched[[2]string{s.inst, s.node}] = true
		}
	}
	var add []step
	for _, p := range l.pairs {
		cfg := prims[baseOf(p.name)]
		if cfg == nil || !p.cur.Managed {
			continue
		}
		for _, n := range p.next.Nodes {
			if !contains(p.cur.Nodes, n) || touched[[2]string{p.id, n}] {
				continue
			}
			for _, op := range cfg.Ops {
				ms, ok := cib.ParseIntervalMS(op.Interval)
				if op.Name != "monitor" || !ok || ms == 0 || op.Enabled == "false" || !roleMatches(op.Role, p.next.Role) {
					continue
				}
				if recorded[[3]string{baseOf(p.name), n, strconv.Itoa(ms)}] {
					continue
				}
				add = append(add, step{line: fmt.Sprintf("Resource action: %-15s monitor=%d on %s", p.id, ms, n), task: "monitor", inst: p.id, node: n})
			}
		}
	}
	out := append([]step{}, steps[:at]...)
	out = append(out, add...)
	return append(out, steps[at:]...)
}

// roleMatches reports whether an operation defined for role applies to
// an instance in role r.
func roleMatches(role string, r status.Role) bool {
	switch role {
	case "Master", "Promoted":
		return r == status.Promoted
	case "Slave", "Unpromoted":
		return r == status.Unpromoted
	}
	return r != status.Promoted
}

// orderProbes puts every probe first, resource by resource in report
// order, each on the nodes in reverse node order, as Pacemaker's graph
// lists them.
func (l *listing) orderProbes(steps []step) []step {
	var probes, rest []step
	for _, s := range steps {
		if s.probe {
			probes = append(probes, s)
		} else {
			rest = append(rest, s)
		}
	}
	rscRank := map[string]int{}
	for i, p := range l.pairs {
		if _, ok := rscRank[p.id]; !ok {
			rscRank[p.id] = i
		}
	}
	nodeRank := map[string]int{}
	for i, n := range l.cur.Nodes {
		nodeRank[n.Name] = i
	}
	sort.SliceStable(probes, func(a, b int) bool {
		ra, rb := rankOf(rscRank, probes[a].inst), rankOf(rscRank, probes[b].inst)
		if ra != rb {
			return ra < rb
		}
		return nodeRank[probes[a].node] > nodeRank[probes[b].node]
	})
	return append(probes, rest...)
}

func rankOf(m map[string]int, k string) int {
	if v, ok := m[k]; ok {
		return v
	}
	return len(m)
}

// attachMonitors moves each recurring monitor right after the last start,
// promote or demote of its instance on its node before it.
func attachMonitors(steps []step) []step {
	var out []step
	for _, s := range steps {
		if s.task != "monitor" || s.probe {
			out = append(out, s)
			continue
		}
		at := -1
		for i := len(out) - 1; i >= 0; i-- {
			o := out[i]
			if o.inst == s.inst && o.node == s.node && (o.task == "start" || o.task == "promote" || o.task == "demote") {
				at = i
				break
			}
		}
		if at < 0 {
			out = append(out, s)
			continue
		}
		for at+1 < len(out) && out[at+1].follows {
			at++
		}
		s.follows = true
		out = append(out[:at+1], append([]step{s}, out[at+1:]...)...)
	}
	return out
}

// shutdownsFirst moves each node shutdown before the "stopped" markers
// just ahead of it: once the node's last stop is done, Pacemaker's graph
// runner reaches the shutdown before those markers.
func shutdownsFirst(lines []string) []string {
	out := append([]string(nil), lines...)
	for i := range out {
		if !strings.HasPrefix(out[i], "Cluster action:  do_shutdown") {
			continue
		}
		for j := i; j > 0 && strings.HasPrefix(out[j-1], "Pseudo action:") && strings.HasSuffix(out[j-1], "_stopped_0"); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// markContainers brackets the instance actions of each group and clone
// with its pseudo actions: NAME_stop_0 before the first stop inside it,
// NAME_stopped_0 after the last, and likewise start/running,
// promote/promoted, demote/demoted. Inner containers' markers nest inside
// the outer ones.
func markContainers(steps []step) []string {
	done := map[string]string{"stop": "stopped", "start": "running", "promote": "promoted", "demote": "demoted"}
	type span struct{ first, last, depth int }
	spans := map[[2]string]*span{}
	var keys [][2]string
	for i, s := range steps {
		if done[s.task] == "" {
			continue
		}
		for d, c := range s.containers {
			k := [2]string{c, s.task}
			if sp := spans[k]; sp != nil {
				sp.last = i
				continue
			}
			spans[k] = &span{i, i, d}
			keys = append(keys, k)
		}
	}
	// Outer containers open first and close last.
	sort.SliceStable(keys, func(a, b int) bool { return spans[keys[a]].depth > spans[keys[b]].depth })
	beforeAt := map[int][]string{}
	afterAt := map[int][]string{}
	for _, k := range keys {
		sp := spans[k]
		beforeAt[sp.first] = append(beforeAt[sp.first], "Pseudo action:   "+k[0]+"_"+k[1]+"_0")
	}
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		last := spans[k].last
		for last+1 < len(steps) && steps[last+1].follows {
			last++
		}
		afterAt[last] = append(afterAt[last], "Pseudo action:   "+k[0]+"_"+done[k[1]]+"_0")
	}
	var out []string
	for i, s := range steps {
		out = append(out, beforeAt[i]...)
		out = append(out, s.line)
		out = append(out, afterAt[i]...)
	}
	return out
}
