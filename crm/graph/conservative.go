package graph

import (
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
)

// Conservative is the Orderer used until the policy engine exports its own
// edges. It orders more than strictly needed, never less than the rules
// below, which are those Pacemaker always applies:
//
//   - fencing first: fence actions run one after another, in result order,
//     and every other action waits for them (Build adds that edge);
//   - per resource instance: demote < stop < start < promote (a move stops
//     on the old node before it starts on the new one);
//   - within a promotable clone, every demote < every promote, so that two
//     instances are never promoted at once during a switch-over;
//   - groups: member stops in reverse member order, starts in member order,
//     and every member stop before any member start;
//   - per node: every stop before any start, and a shutdown after every
//     stop and demote there;
//   - rsc_order constraints without resource sets, between every
//     primitive of the first and then resources (clone interleaving is
//     not applied: all instances wait for all instances).
//
// Instances of anonymous clones share their primitive's id, so they are
// told apart by node and are otherwise independent of each other; groups
// inside a clone are ordered per node.
type Conservative struct {
	// CIB tells group and clone membership; nil applies only the rules
	// that need none.
	CIB *cib.CIB
}

// inverse maps an action to the one that undoes it.
var inverse = map[string]string{"start": "stop", "stop": "start", "promote": "demote", "demote": "promote"}

// stage ranks the per-instance order demote < stop < start < promote.
var stage = map[string]int{"demote": 0, "stop": 1, "start": 2, "promote": 3}

// Orderings implements Orderer.
func (o Conservative) Orderings(r *pengine.Result) []Ordering {
	x := newConfigIndex(o.CIB)
	var out []Ordering
	seen := map[Ordering]bool{}
	add := func(first, then ActionRef) {
		if first == then {
			return
		}
		e := Ordering{First: first, Then: then}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	refs := make([]ActionRef, len(r.Actions))
	for i, a := range r.Actions {
		refs[i] = ActionRef{Task: a.Task, Resource: a.Resource, Node: a.Node}
	}
	// Fencing in sequence.
	var lastFence *ActionRef
	for i := range refs {
		if refs[i].Task == "fence" {
			if lastFence != nil {
				add(*lastFence, refs[i])
			}
			lastFence = &refs[i]
		}
	}
	// instanceKey tells instances apart: anonymous clone instances by node.
	instanceKey := func(a ActionRef) string {
		base := baseID(a.Resource)
		if x.inClone[base] && !x.uniqueOf[base] && base == a.Resource {
			return a.Resource + "@" + a.Node
		}
		return a.Resource
	}
	// cloneOf returns the enclosing clone's id, or "".
	cloneOf := func(id string) string {
		for p := x.parent[baseID(id)]; p != nil; p = x.parent[p.ID] {
			if p.Kind == cib.Clone || p.Kind == cib.Master {
				return p.ID
			}
		}
		return ""
	}
	for _, a := range refs {
		sa, ok := stage[a.Task]
		if !ok || a.Resource == "" {
			continue
		}
		for _, b := range refs {
			sb, ok := stage[b.Task]
			if !ok || b.Resource == "" {
				continue
			}
			switch {
			case instanceKey(a) == instanceKey(b) && sa < sb:
				add(a, b)
			case a.Task == "demote" && b.Task == "promote" && cloneOf(a.Resource) != "" && cloneOf(a.Resource) == cloneOf(b.Resource):
				add(a, b)
			case a.Node == b.Node && a.Task == "stop" && b.Task == "start":
				add(a, b)
			}
		}
	}
	// Groups.
	for _, g := range x.groups {
		perNode := x.inClone[g.ID]
		pos := map[string]int{}
		for i, m := range g.Children {
			pos[m.ID] = i
		}
		member := func(a ActionRef) (int, bool) {
			i, ok := pos[baseID(a.Resource)]
			return i, ok
		}
		for _, a := range refs {
			ia, ok := member(a)
			if !ok {
				continue
			}
			for _, b := range refs {
				ib, ok := member(b)
				if !ok || (perNode && a.Node != b.Node) {
					continue
				}
				switch {
				case a.Task == "stop" && b.Task == "stop" && ia > ib:
					add(a, b)
				case a.Task == "start" && b.Task == "start" && ia < ib:
					add(a, b)
				case a.Task == "stop" && b.Task == "start":
					add(a, b)
				}
			}
		}
	}
	// rsc_order constraints (plain ones; resource sets are not read): the
	// first action of every primitive under First before the then action
	// of every primitive under Then, and, when symmetrical, the inverse
	// actions the other way round. Serialize orders only forbid
	// parallelism and are left out. Build drops any edge that would close
	// a cycle with the rules above.
	if o.CIB != nil {
		for _, ord := range o.CIB.Orders {
			if ord.First == "" || ord.Then == "" || strings.EqualFold(ord.Kind, "Serialize") {
				continue
			}
			fa, ta := ord.FirstAction, ord.ThenAction
			if fa == "" {
				fa = "start"
			}
			if ta == "" {
				ta = fa
			}
			firsts, thens := x.members[ord.First], x.members[ord.Then]
			link := func(fromTask string, from map[string]bool, toTask string, to map[string]bool) {
				for _, a := range refs {
					if a.Task != fromTask || !from[baseID(a.Resource)] {
						continue
					}
					for _, b := range refs {
						if b.Task == toTask && to[baseID(b.Resource)] {
							add(a, b)
						}
					}
				}
			}
			link(fa, firsts, ta, thens)
			if ord.Symmetrical == "" || cib.IsTrue(ord.Symmetrical) {
				if fi, ti := inverse[fa], inverse[ta]; fi != "" && ti != "" {
					link(ti, thens, fi, firsts)
				}
			}
		}
	}
	// Shutdown after the node has been emptied.
	for _, s := range refs {
		if s.Task != "shutdown" {
			continue
		}
		for _, a := range refs {
			if a.Node == s.Node && (a.Task == "stop" || a.Task == "demote") {
				add(a, s)
			}
		}
	}
	return out
}
