package main

import (
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/score"
	"hbgo/crm/status"
)

// reasoner explains, as Pacemaker's summary does after "due to", why an
// instance stops or restarts when its own placement does not say: an
// ordering whose first resource cannot run ("unrunnable X start") or is
// itself restarted ("required X start"), or the group member before it.
type reasoner struct {
	parent  map[string]*cib.Resource // resource id -> enclosing group or clone
	kind    map[string]cib.Kind
	members map[string][]string // group id -> member ids
	orders  []cib.Order
	// optional marks orders that only order (kind Optional or score 0):
	// they explain restarts, not stops.
	optional map[string]bool
	// cloneMin marks clones with clone-min set: orders after them go
	// through a "clone-one-or-more" pseudo action.
	cloneMin map[string]int
	// instances counts, per clone, the instances active afterwards.
	instances map[string]int
	// explicitStop is set when the CIB sets no-quorum-policy=stop itself.
	explicitStop bool
	coloc        map[[2]string]bool // (dependent, primary) with a positive score
	started      map[string]bool    // ids (and their ancestors) with a start in the transition
	running      map[string]bool    // ids (and their ancestors) active afterwards
	next         *status.Cluster
	fenced       map[string]bool
}

func newReasoner(c *cib.CIB, res *pengine.Result, next *status.Cluster, fenced map[string]bool) *reasoner {
	z := &reasoner{parent: map[string]*cib.Resource{}, kind: map[string]cib.Kind{}, members: map[string][]string{},
		optional: map[string]bool{}, cloneMin: map[string]int{}, instances: map[string]int{},
		coloc: map[[2]string]bool{}, started: map[string]bool{}, running: map[string]bool{}, next: next, fenced: fenced}
	var walk func(rs []*cib.Resource, parent *cib.Resource)
	walk = func(rs []*cib.Resource, parent *cib.Resource) {
		for _, r := range rs {
			z.kind[r.ID] = r.Kind
			for _, set := range r.Meta {
				for _, p := range set.Pairs {
					if v, ok := score.Parse(p.Value); ok && p.Name == "clone-min" && v > 0 {
						z.cloneMin[r.ID] = int(v)
					}
				}
			}
			if parent != nil {
				z.parent[r.ID] = parent
				if parent.Kind == cib.Group {
					z.members[parent.ID] = append(z.members[parent.ID], r.ID)
				}
			}
			walk(r.Children, r)
		}
	}
	walk(c.Resources, nil)
	for _, o := range c.Orders {
		if len(o.Sets) > 0 || strings.EqualFold(o.Kind, "Serialize") {
			continue
		}
		if strings.EqualFold(o.Kind, "Optional") || (o.Kind == "" && o.HasScore && o.Score == 0) {
			z.optional[o.ID] = true
		}
		if o.FirstAction != "" && o.FirstAction != "start" || o.ThenAction != "" && o.ThenAction != "start" {
			continue
		}
		z.orders = append(z.orders, o)
	}
	for _, set := range c.CRMConfig {
		for _, p := range set.Pairs {
			if p.Name == "no-quorum-policy" && p.Value == "stop" {
				z.explicitStop = true
			}
		}
	}
	for _, co := range c.Colocations {
		if co.Score > 0 {
			z.coloc[[2]string{co.Rsc, co.WithRsc}] = true
		}
	}
	mark := func(m map[string]bool, id string) {
		for id != "" {
			m[id] = true
			p := z.parent[id]
			if p == nil {
				break
			}
			id = p.ID
		}
	}
	for _, a := range res.Actions {
		if a.Task == "start" {
			mark(z.started, baseOf(a.Resource))
		}
	}
	for _, s := range res.Resources {
		mark(z.running, baseOf(s.ID))
		if p := z.parent[baseOf(s.ID)]; p != nil && p.Kind != cib.Group {
			z.instances[p.ID]++
		}
	}
	// A clone with fewer instances than clone-min counts as not running
	// for what is ordered after it.
	for id, min := range z.cloneMin {
		if z.instances[id] < min {
			delete(z.running, id)
		}
	}
	return z
}

// chain is the resource and its enclosing groups and clones, innermost
// first.
func (z *reasoner) chain(id string) []string {
	out := []string{id}
	for p := z.parent[id]; p != nil; p = z.parent[p.ID] {
		out = append(out, p.ID)
	}
	return out
}

// describe names the start of an ordering's first resource as Pacemaker
// does: "rsc start", "group running", or the clone-one-or-more pseudo
// action of an order after a clone that needs only some instances.
func (z *reasoner) describe(o cib.Order) string {
	switch {
	case z.cloneMin[o.First] > 0 || strings.EqualFold(o.RequireAll, "false"):
		return "clone-one-or-more:" + o.ID
	case z.kind[o.First] == cib.Primitive:
		return o.First + " start"
	}
	return o.First + " running"
}

func (z *reasoner) nodeOK(node string) bool {
	n := z.next.Node(node)
	return n != nil && !z.fenced[node] && n.Online && !n.Standby && !n.Unclean && !n.Maintenance
}

// orderReason finds a mandatory ordering on the instance (or a container)
// whose first resource explains the change.
func (z *reasoner) orderReason(base string, stopping bool) string {
	ch := z.chain(base)
	for _, o := range z.orders {
		for _, id := range ch {
			if o.Then != id {
				continue
			}
			if stopping && (z.optional[o.ID] || z.coloc[[2]string{id, o.First}]) {
				// An optional order stops nothing; with a colocation
				// the placement explains the stop.
				continue
			}
			switch {
			case stopping && !z.running[o.First]:
				return "due to unrunnable " + z.describe(o)
			case z.started[o.First]:
				return "due to required " + z.describe(o)
			}
		}
	}
	return ""
}

// previousMember is the group member ordered before base, with the
// instance suffix of the change, or "".
func (z *reasoner) previousMember(base, suffix string) string {
	g := z.parent[base]
	if g == nil || g.Kind != cib.Group {
		return ""
	}
	ms := z.members[g.ID]
	for i, m := range ms {
		if m == base && i > 0 {
			return ms[i-1] + suffix
		}
	}
	return ""
}

// explain fills in the reason of a Stop or Restart change of instance p
// on the node it is active on.
func (z *reasoner) explain(ch change, p instancePair, changed map[string]bool) string {
	base := baseOf(p.name)
	suffix := ""
	if p.id != base {
		suffix = strings.TrimPrefix(p.id, base)
		if !strings.HasPrefix(suffix, ":") {
			suffix = ""
		}
	}
	switch ch.verb {
	case "Stop":
		if ch.reason != reasonUnplaced || !z.nodeOK(ch.origin) {
			return ch.reason
		}
		if prev := z.previousMember(base, suffix); prev != "" && changed[prev] {
			if r := z.groupHeadReason(base); r == reasonUnplaced || r == "" {
				return ch.reason
			}
			return "due to required " + prev + " start"
		}
		if r := z.orderReason(base, true); r != "" {
			return r
		}
		return ch.reason
	case "Restart":
		if prev := z.previousMember(base, suffix); prev != "" && (changed[prev] || z.started[baseOf(prev)]) {
			return "due to required " + prev + " start"
		}
		return z.orderReason(base, false)
	}
	return ch.reason
}

// groupHeadReason is the ordering reason of the first member of base's
// group.
func (z *reasoner) groupHeadReason(base string) string {
	g := z.parent[base]
	if g == nil {
		return ""
	}
	ms := z.members[g.ID]
	if len(ms) == 0 {
		return ""
	}
	return z.orderReason(ms[0], true)
}

// blockedStart reports the start Pacemaker lists as blocked for an
// instance that stays stopped: the scheduler placed it (a node with the
// best non-negative allocation score that can run resources) but an
// ordering on something that cannot run, or the lack of quorum, keeps the
// start from running.
func (z *reasoner) blockedStart(p instancePair, cur *status.Cluster, scores []pengine.AllocationScore, load map[string]int) (change, bool) {
	if len(p.cur.Nodes) > 0 || len(p.next.Nodes) > 0 || !p.cur.Managed || p.cur.Disabled || p.cur.Orphan {
		return change{}, false
	}
	last := map[string]score.Score{}
	var order []string
	for _, s := range scores {
		if s.Resource != p.id || s.Stage != "pcmk__native_allocate" {
			continue
		}
		v, ok := score.Parse(s.Value)
		if !ok {
			continue
		}
		if _, seen := last[s.Node]; !seen {
			order = append(order, s.Node)
		}
		last[s.Node] = v
	}
	best, bestScore := "", score.Score(-1)
	// Equal scores go to the node with fewer resources, as the scheduler
	// balances them.
	for _, n := range order {
		v := last[n]
		if !z.nodeOK(n) || v < bestScore || v < 0 {
			continue
		}
		if best == "" || v > bestScore || load[n] < load[best] {
			best, bestScore = n, v
		}
	}
	if best == "" {
		return change{}, false
	}
	reason := ""
	switch {
	case !cur.HaveQuorum && cur.Options.NoQuorumPolicy == "freeze":
		reason = "due to quorum freeze (blocked)"
	case !cur.HaveQuorum && cur.Options.NoQuorumPolicy == "stop" && z.explicitStop:
		// Only seen in the corpus with the policy set explicitly.
		reason = "due to no quorum (blocked)"
	default:
		for _, o := range z.orders {
			if z.optional[o.ID] {
				continue
			}
			// An instance of a clone ordered after a whole clone is not
			// placed at all; with clone-min or require-all=false it is.
			if z.kind[o.First] != cib.Primitive && z.kind[o.First] != cib.Group && z.cloneMin[o.First] == 0 &&
				!strings.EqualFold(o.RequireAll, "false") && p.name != p.id {
				continue
			}
			for _, id := range z.chain(baseOf(p.name)) {
				// Colocated with what cannot run, it is not placed either.
				if o.Then == id && !z.running[o.First] && reason == "" && !z.coloc[[2]string{id, o.First}] {
					reason = "due to unrunnable " + z.describe(o) + " (blocked)"
				}
			}
		}
	}
	if reason == "" {
		return change{}, false
	}
	return change{verb: "Start", id: p.id, details: best, reason: reason}, true
}
