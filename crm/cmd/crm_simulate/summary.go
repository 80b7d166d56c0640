package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/score"
	"hbgo/crm/status"
)

// change is one line of the transition summary for a resource instance.
type change struct {
	verb    string // Start, Stop, Move, Recover, Restart, Promote, Demote, Re-promote
	id      string // instance id as Pacemaker prints it ("rsc", "rsc:1")
	details string // "node", "a -> b", "Unpromoted -> Promoted node", ...
	reason  string // "due to node availability", or ""
	origin  string // node it is active on now, "" when it starts
}

// reasonUnplaced explains a stop of an instance the scheduler could not
// place anywhere.
const reasonUnplaced = "due to node availability"

// instancePair is a primitive instance before and after the transition.
type instancePair struct {
	cur, next *status.Resource
	// name is what the policy engine's actions call the instance: the
	// primitive id for anonymous clone instances, the instance id otherwise.
	name string
	// id is the instance id Pacemaker prints ("rsc:1").
	id string
}

// pairInstances walks the current and the revised resource trees (which
// have the same shape) and lists the primitive instances in the order
// Pacemaker reports them: configuration order, depth first.
func pairInstances(cur, next []*status.Resource, rank map[string]int) []instancePair {
	var out []instancePair
	var walk func(a, b *status.Resource, anonymous bool, suffix string)
	walk = func(a, b *status.Resource, anonymous bool, suffix string) {
		if a.Kind == cib.Primitive {
			name, id := a.ID, a.ID
			if anonymous {
				name = baseOf(a.ID)
			}
			if suffix != "" {
				id = baseOf(id) + suffix
			}
			out = append(out, instancePair{a, b, name, id})
			return
		}
		anon := anonymous || anonymousClone(a)
		var num []int
		if anonymousClone(a) {
			num = numberInstances(a, rank)
		}
		// Pacemaker reports instances in number order.
		order := make([]int, len(a.Children))
		for i := range order {
			order[i] = i
		}
		if num != nil {
			for i, n := range num {
				order[n] = i
			}
		}
		for _, i := range order {
			sfx := suffix
			switch {
			case num != nil:
				sfx = ":" + strconv.Itoa(num[i])
			case a.Kind == cib.Clone:
				if j := strings.LastIndexByte(a.Children[i].ID, ':'); j >= 0 {
					sfx = a.Children[i].ID[j:]
				}
			}
			walk(a.Children[i], b.Children[i], anon, sfx)
		}
	}
	for i := range cur {
		walk(cur[i], next[i], false, "")
	}
	return out
}

type actionKey struct{ task, rsc, node string }

// summarize lists the transition summary: fencing first, then one change
// per resource instance that starts, stops, moves, restarts or changes role,
// classified the way Pacemaker's scheduler logs its resource actions.
func summarize(c *cib.CIB, cur, next *status.Cluster, res *pengine.Result, rank map[string]int) (fences []string, changes []change) {
	// Pacemaker reports resources in its working order: by priority,
	// highest first, configuration order otherwise.
	prio := priorities(c)
	idx := make([]int, len(cur.Resources))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return prio[cur.Resources[idx[a]].ConfigID] > prio[cur.Resources[idx[b]].ConfigID]
	})
	var curSorted, nextSorted []*status.Resource
	for _, i := range idx {
		curSorted = append(curSorted, cur.Resources[i])
		nextSorted = append(nextSorted, next.Resources[i])
	}
	pairs := pairInstances(curSorted, nextSorted, rank)
	did := map[actionKey]bool{}
	fenced := map[string]bool{}
	fenceWhy := map[string]string{}
	for _, a := range res.Actions {
		switch a.Task {
		case "fence":
			fenced[a.Node] = true
			// Pacemaker lists fencing last node first.
			fenceWhy[a.Node] = fenceReason(c, cur, a.Node, pairs)
			fences = append([]string{fmt.Sprintf("Fence (%s) %s '%s'", a.Fence, a.Node, fenceWhy[a.Node])}, fences...)
		default:
			did[actionKey{a.Task, a.Resource, a.Node}] = true
		}
	}
	z := newReasoner(c, res, next, fenced)
	changed := map[string]bool{}
	type item struct {
		ch change
		p  instancePair
	}
	var items []item
	stopFailed := map[[2]string]bool{}
	for _, st := range c.Status {
		for _, lr := range st.Resources {
			for _, op := range lr.Ops {
				if op.Operation == "stop" && (op.RC != 0 || op.OpStatus != 0) {
					stopFailed[[2]string{baseOf(lr.ID), st.Uname}] = true
					stopFailed[[2]string{lr.ID, st.Uname}] = true
				}
			}
		}
	}
	load := map[string]int{}
	for _, p := range pairs {
		for _, n := range p.cur.Nodes {
			load[n]++
		}
		for _, n := range p.next.Nodes {
			if !contains(p.cur.Nodes, n) {
				load[n]++
			}
		}
	}
	for _, p := range pairs {
		chs := classify(p, did, fenced)
		for i := range chs {
			// A failed stop on a node fenced for leaving the cluster is
			// settled by the fencing: the resource simply moves.
			o := chs[i].origin
			if chs[i].verb == "Recover" && fenced[o] && stopFailed[[2]string{p.name, o}] && !strings.HasSuffix(fenceWhy[o], " failed there") {
				chs[i].verb = "Move"
			}
		}
		if len(chs) == 0 {
			if ch, ok := z.blockedStart(p, cur, res.Scores, load); ok {
				items = append(items, item{ch, p})
				continue
			}
		}
		for _, ch := range chs {
			items = append(items, item{ch, p})
			if ch.verb == "Stop" || ch.verb == "Restart" || ch.verb == "Recover" {
				changed[ch.id] = true
			}
		}
	}
	for _, it := range items {
		if it.ch.verb == "Start" && strings.HasSuffix(it.ch.reason, "(blocked)") {
			changes = append(changes, it.ch)
			continue
		}
		it.ch.reason = z.explain(it.ch, it.p, changed)
		changes = append(changes, it.ch)
	}
	return fences, changes
}

// priorities reads the priority meta attribute of the top-level
// resources (rsc_defaults apply where a resource sets none).
func priorities(c *cib.CIB) map[string]int {
	def := 0
	for _, set := range c.RscDefaults {
		for _, p := range set.Pairs {
			if p.Name == "priority" {
				if v, ok := score.Parse(p.Value); ok {
					def = int(v)
				}
			}
		}
	}
	out := map[string]int{}
	for _, r := range c.Resources {
		out[r.ID] = def
		for _, set := range r.Meta {
			for _, p := range set.Pairs {
				if p.Name == "priority" {
					if v, ok := score.Parse(p.Value); ok {
						out[r.ID] = int(v)
					}
				}
			}
		}
	}
	return out
}

// fenceReason says why a node is fenced, in Pacemaker's words: a failed
// stop (or an operation configured with on-fail=fence) of a resource on
// the node, or else how the node's membership entry looks.
func fenceReason(c *cib.CIB, cl *status.Cluster, node string, pairs []instancePair) string {
	var st *cib.NodeState
	for i := range c.Status {
		if c.Status[i].Uname == node {
			st = &c.Status[i]
		}
	}
	switch {
	case st == nil:
		return "node is unclean"
	case !st.HasInCCM:
		return "peer has not been seen by the cluster"
	case st.InCCM != "true":
		return "peer is no longer part of the cluster"
	case st.Crmd != "online":
		return "peer process is no longer available"
	case st.Join != "member":
		return "peer failed Pacemaker membership criteria"
	}
	if id := fencingFailure(c, st); id != "" {
		// An anonymous instance recorded without its number is named by
		// the instance active on the node.
		for _, p := range pairs {
			if p.name == id && p.id != id && contains(p.cur.Nodes, node) {
				id = p.id
			}
		}
		return id + " failed there"
	}
	for _, r := range cl.Resources {
		for _, p := range r.Primitives() {
			if p.Failed && len(p.Nodes) == 1 && p.Nodes[0] == node {
				return p.ID + " failed there"
			}
		}
	}
	return "node is unclean"
}

// fencingFailure names the resource history entry on a node whose last
// failure calls for fencing: a failed stop, or a failed operation whose
// definition says on-fail=fence.
func fencingFailure(c *cib.CIB, st *cib.NodeState) string {
	onFail := map[string]map[string]string{} // primitive -> op name -> on-fail
	var walk func(rs []*cib.Resource)
	walk = func(rs []*cib.Resource) {
		for _, r := range rs {
			if r.Kind == cib.Primitive {
				m := map[string]string{}
				for _, op := range r.Ops {
					m[op.Name] = op.OnFail
				}
				onFail[r.ID] = m
			}
			walk(r.Children)
		}
	}
	walk(c.Resources)
	for _, lr := range st.Resources {
		for _, op := range lr.Ops {
			if op.RC == 0 && op.OpStatus == 0 || op.RC == 7 && op.Operation == "monitor" && op.IntervalMS == 0 || op.RC == 8 {
				continue
			}
			if op.Operation == "stop" || onFail[baseOf(lr.ID)][op.Operation] == "fence" {
				return lr.ID
			}
		}
	}
	return ""
}

func firstNode(r *status.Resource) string {
	if len(r.Nodes) == 0 {
		return ""
	}
	return r.Nodes[0]
}

// classify turns an instance's actions into its summary line(s); a stop on
// a node being fenced is implied by the fencing.
func classify(p instancePair, did map[actionKey]bool, fenced map[string]bool) []change {
	// Where the status shows the instance but the scheduler neither stops
	// it nor keeps it (a node that is gone without fencing, a failure it
	// ignores), the scheduler took it as stopped.
	var active []string
	for _, n := range p.cur.Nodes {
		if fenced[n] || did[actionKey{"stop", p.name, n}] || contains(p.next.Nodes, n) {
			active = append(active, n)
		}
	}
	curRsc := *p.cur
	curRsc.Nodes = active
	if len(active) == 0 {
		curRsc.Role = status.Stopped
	}
	p.cur = &curRsc
	cur, next := firstNode(p.cur), firstNode(p.next)
	if cur == "" && next == "" {
		return nil
	}
	// A failure that blocks the resource is resolved by fencing its node.
	if !p.cur.Managed && !(p.cur.Blocked && fenced[cur]) {
		return nil
	}
	role, nextRole := p.cur.Role, p.next.Role
	if cur != "" && role == status.Stopped {
		role = status.Started
	}
	if next == "" {
		nextRole = status.Stopped
	}
	has := func(task, node string) bool {
		if node == "" {
			return false
		}
		if (task == "stop" || task == "demote") && fenced[node] {
			return true
		}
		return did[actionKey{task, p.name, node}]
	}
	start, stop := has("start", next), has("stop", cur)
	promote, demote := has("promote", next), has("demote", cur)
	moving := cur != "" && next != "" && cur != next
	mk := func(verb, origin, dest, reason string) change {
		return change{verb: verb, id: p.id, details: details(role, nextRole, origin, dest), reason: reason, origin: origin}
	}
	if role == nextRole {
		switch {
		case !start && p.cur.Disabled && !p.cur.Blocked && cur != "" && contains(p.next.Nodes, cur) && !stop:
			// Told to stop, yet still running afterwards: the stop
			// cannot run.
			return []change{mk("Stop", cur, "", reasonUnplaced+" (blocked)")}
		case !start:
			if demote && promote {
				return []change{mk("Re-promote", cur, next, "")}
			}
			return nil
		case moving && p.cur.Failed:
			return []change{mk("Recover", cur, next, "")}
		case moving:
			return []change{mk("Move", cur, next, "")}
		case p.cur.Failed:
			return []change{mk("Recover", cur, "", "")}
		}
		return []change{mk("Restart", cur, next, "")}
	}
	switch {
	case nextRole == status.Stopped:
		var out []change
		for _, n := range p.cur.Nodes {
			if has("stop", n) {
				out = append(out, mk("Stop", n, "", reasonUnplaced))
			}
		}
		return out
	case stop && p.cur.Failed:
		return []change{mk("Recover", cur, next, "")}
	case moving:
		return []change{mk("Move", cur, next, "")}
	case start && promote:
		return []change{mk("Promote", cur, next, "")}
	case start:
		return []change{mk("Start", cur, next, "")}
	case promote:
		return []change{mk("Promote", cur, next, "")}
	case demote:
		return []change{mk("Demote", cur, next, "")}
	}
	return nil
}

// details is the parenthesised part of a summary line.
func details(role, nextRole status.Role, origin, dest string) string {
	// Roles are shown when either side is a promotable role.
	needRole := role == status.Unpromoted || role == status.Promoted || nextRole == status.Promoted
	sameHost := origin != "" && origin == dest
	sameRole := role == nextRole
	switch {
	case needRole && origin == "":
		return fmt.Sprintf("%s -> %s %s", role, nextRole, dest)
	case origin == "":
		return dest
	case needRole && dest == "":
		return fmt.Sprintf("%s %s", role, origin)
	case dest == "":
		return origin
	case needRole && sameRole && sameHost:
		return fmt.Sprintf("%s %s", role, origin)
	case sameRole && sameHost:
		return origin
	case needRole && sameRole:
		return fmt.Sprintf("%s -> %s %s", origin, dest, role)
	case sameRole:
		return origin + " -> " + dest
	case sameHost:
		return fmt.Sprintf("%s -> %s %s", role, nextRole, origin)
	}
	return fmt.Sprintf("%s %s -> %s %s", role, origin, nextRole, dest)
}

// formatChanges aligns the summary lines as Pacemaker does: the resource
// column widens to the longest id plus two as soon as an id longer than the
// current width is seen (starting at 5), the details column to the longest
// details; the widths are settled over all lines before any is printed.
func formatChanges(changes []change) []string {
	rscWidth, detailWidth := 5, 5
	for _, c := range changes {
		if len(c.id) > rscWidth {
			rscWidth = len(c.id) + 2
		}
		if len(c.details) > detailWidth {
			detailWidth = len(c.details)
		}
	}
	var out []string
	for _, c := range changes {
		l := fmt.Sprintf("%-8s   %-*s   ( %*s )", c.verb, rscWidth, c.id, detailWidth, c.details)
		if c.reason != "" {
			l += "  " + c.reason
		}
		out = append(out, l)
	}
	return out
}
