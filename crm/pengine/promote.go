package pengine

import (
	"sort"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// promotionScore reads the master-<name> node attribute the resource agent
// sets (a cloned group's instance sums its members). isDefault is true
// when no such attribute counts, in which case the score is 0.
func (ws *workingSet) promotionScore(r *resource, n *node) (s score.Score, isDefault bool) {
	if len(r.children) > 0 {
		isDefault = true
		for _, c := range r.children {
			cs, def := ws.promotionScore(c, n)
			if !def {
				isDefault = false
			}
			s = score.Add(s, cs)
		}
		return s, isDefault
	}
	if !ws.promotionScoreApplies(r, n) {
		return 0, true
	}
	// The name the resource is known by in the history comes first, as
	// crm_attribute --promotion uses it; anonymous instances fall back to
	// the name without instance number.
	names := []string{r.id}
	if h, ok := r.historyName[n]; ok && h != "" {
		names = []string{h}
	} else if h := anyHistoryName(r); h != "" {
		names = []string{h}
	}
	if !r.top().unique {
		names = append(names, r.baseID)
	}
	for _, name := range names {
		if v, ok := n.attrs["master-"+name]; ok {
			return score.MustParse(v), false
		}
	}
	return 0, true
}

// anyHistoryName is a name r was found under in the history, if any.
func anyHistoryName(r *resource) string {
	best := ""
	for _, h := range r.historyName {
		if h != "" && (best == "" || h < best) {
			best = h
		}
	}
	return best
}

// promotionScoreApplies reports whether r's promotion score on n counts:
// for an anonymous clone, when r is the instance active there, or no
// instance is active there but one was probed there; otherwise when
// nothing is known about r anywhere, or r is known on n. The node must
// also be allowed for r.
func (ws *workingSet) promotionScoreApplies(r *resource, n *node) bool {
	clone := r.top()
	applies := false
	if !clone.unique {
		active := activeAnonInstance(clone, r.baseID, n)
		if active == r || (active == nil && anonKnownOn(clone, r.baseID, n)) {
			applies = true
		}
	}
	if !applies {
		if len(r.runningOn) == 0 && len(r.historyName) == 0 {
			applies = true
		} else if _, ok := r.historyName[n]; ok || r.knownOn(n) {
			applies = true
		}
	}
	if !applies {
		return false
	}
	w, ok := r.allowed[n]
	return ok && w >= 0
}

// activeAnonInstance finds the primitive named base (in any instance of
// clone) that is active on n.
func activeAnonInstance(clone *resource, base string, n *node) *resource {
	for _, inst := range clone.children {
		for _, p := range inst.primitives() {
			if p.baseID == base && p.knownOn(n) {
				return p
			}
		}
	}
	return nil
}

// anonKnownOn reports whether any instance's primitive named base has
// history on n.
func anonKnownOn(clone *resource, base string, n *node) bool {
	for _, inst := range clone.children {
		for _, p := range inst.primitives() {
			if _, ok := p.historyName[n]; ok && p.baseID == base {
				return true
			}
		}
	}
	return false
}

// addPromotionScores adds each instance's positive promotion scores to
// its node preferences before the clone is assigned, on nodes that can
// run resources, and raises the instance's priority to its best score
// for the assignment order (reset after roles are chosen).
func (ws *workingSet) addPromotionScores(c *resource) {
	for _, inst := range c.children {
		for _, n := range ws.nodes {
			w, ok := inst.allowed[n]
			if !ok || !n.available() {
				continue
			}
			s, _ := ws.promotionScore(inst, n)
			if s > 0 {
				inst.allowed[n] = score.Add(w, s)
			}
			if int(s) > inst.priority {
				inst.priority = int(s)
			}
		}
	}
}

// setInstanceRoles chooses which instances of a promotable clone are
// promoted.
func (ws *workingSet) setInstanceRoles(c *resource) {
	promotedOn := map[*node]int{}
	prio := map[*resource]score.Score{}
	sortIdx := map[*resource]score.Score{}
	for _, inst := range c.children {
		if inst.nextRole == RoleStarted {
			setRole(inst, RoleUnpromoted)
		}
		chosen := inst.allocatedTo
		if chosen == nil {
			// An instance that will not run keeps the sort index it
			// started with (0), so it sorts ahead of instances whose
			// priority is negative; it is never promoted.
			prio[inst], sortIdx[inst] = score.NegInfinity, 0
			continue
		}
		next := inst.nextRole
		switch next {
		case RoleStarted, RoleUnknown, RoleUnpromoted:
			if inst.targetRole() == RoleUnpromoted || unpromotedAfterFailure(inst) {
				prio[inst] = score.NegInfinity
			} else {
				var def bool
				prio[inst], def = ws.promotionScore(inst, chosen)
				if def {
					// No score: only a location constraint can make
					// the instance eligible.
					prio[inst] = -1
				}
			}
		case RoleStopped:
			prio[inst] = score.NegInfinity
		}
		for _, l := range ws.locations {
			if l.role != RolePromoted {
				continue
			}
			if l.rsc == c || l.rsc == inst {
				if s, ok := l.nodes[chosen]; ok {
					prio[inst] = score.Add(s, prio[inst])
				}
			}
		}
		if inst.kind == cib.Primitive {
			// Only the clone colocations the instance took over when it
			// was assigned count (positive finite ones only when the
			// clone does not cover every node). A cloned group's
			// colocations reach its first member, whose priority does
			// not count for the group instance.
			for _, co := range inst.thisWith {
				if co.dependentRole >= RoleUnpromoted {
					prio[inst] = colocPriority(c, inst, co.primary, co, prio[inst])
				}
			}
		}
		sortIdx[inst] = prio[inst]
		if next == RolePromoted {
			sortIdx[inst] = score.Infinity
		}
	}
	// Merge: add each eligible instance's index to its node, fold in the
	// colocations that involve the promoted role, then read it back.
	table := copyTable(c.allowed)
	for _, inst := range c.children {
		if inst.allocatedTo == nil || sortIdx[inst] < 0 {
			continue
		}
		table[inst.allocatedTo] = score.Add(sortIdx[inst], table[inst.allocatedTo])
	}
	for _, co := range c.thisWith {
		if co.dependentRole == RolePromoted {
			table = ws.mergeWeights(co.primary, table, co.nodeAttr, float64(co.score)/float64(score.Infinity), false, false, co.score != score.Infinity, false)
		}
	}
	for _, co := range c.withThis {
		if co.influence && co.primaryRole == RolePromoted {
			table = ws.mergeWeights(co.dependent, table, co.nodeAttr, float64(co.score)/float64(score.Infinity), false, false, true, true)
		}
	}
	for _, inst := range c.children {
		switch {
		case !inst.managed && inst.nextRole == RolePromoted:
			sortIdx[inst] = score.Infinity
		case inst.allocatedTo == nil || sortIdx[inst] < 0:
		default:
			sortIdx[inst] = table[inst.allocatedTo]
		}
	}
	order := append([]*resource(nil), c.children...)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if sortIdx[a] != sortIdx[b] {
			return sortIdx[a] > sortIdx[b]
		}
		return a.role > b.role
	})
	// Pacemaker keeps the instances in this promotion order (its own
	// merge sort: sort index, current role, then the assignment order
	// comparison); colocations with the clone are later applied instance
	// by instance in it, and a finite one is dropped when it would leave
	// the dependent nowhere to run, so the order matters.
	// An instance without a node keeps Pacemaker's initial sort index, 0,
	// so it sorts ahead of those whose index is negative.
	sortKey := func(r *resource) score.Score {
		if r.allocatedTo == nil {
			return 0
		}
		return sortIdx[r]
	}
	c.children = mergeSortResources(c.children, func(a, b *resource) int {
		switch {
		case sortKey(a) != sortKey(b):
			if sortKey(a) > sortKey(b) {
				return -1
			}
			return 1
		case a.role != b.role:
			if a.role > b.role {
				return -1
			}
			return 1
		}
		return ws.cmpInstance(a, b)
	})
	promoted := 0
	limit := c.promotedMax
	if c.targetRole() == RoleUnpromoted || (!ws.haveQuorum && ws.noQuorumPolicy == "demote") {
		limit = 0
	}
	for _, inst := range order {
		var chosen *node
		if sortIdx[inst] >= 0 && (promoted < limit || !inst.managed) {
			chosen = ws.promotableOn(c, inst, prio[inst], promotedOn)
		}
		if chosen == nil {
			setRole(inst, RoleUnpromoted)
			continue
		}
		if inst.role < RolePromoted && !ws.haveQuorum && ws.noQuorumPolicy == "freeze" {
			setRole(inst, RoleUnpromoted)
			continue
		}
		promotedOn[chosen]++
		setRole(inst, RolePromoted)
		promoted++
	}
	// The promotion scores only ordered the assignment.
	for _, inst := range c.children {
		inst.priority = c.priority
	}
}

// colocPriority applies a role colocation of a promotable instance's clone
// to the instance's promotion priority, dispatching on the primary's
// variant as Pacemaker does.
func colocPriority(c, inst, pri *resource, co *colocation, prio score.Score) score.Score {
	switch pri.kind {
	case cib.Primitive:
		return primitiveColocPriority(inst, pri, co, prio)
	case cib.Group:
		if len(pri.children) == 0 || pri.provisional {
			return prio
		}
		if !pri.groupColocated {
			if co.score >= score.Infinity {
				return prio
			}
			for _, m := range pri.children {
				prio = colocPriority(c, inst, m, co, prio)
			}
			return prio
		}
		// Mandatory: the whole group must be there (last member);
		// optional: the first member decides.
		m := pri.children[0]
		if co.score >= score.Infinity {
			m = pri.children[len(pri.children)-1]
		}
		return colocPriority(c, inst, m, co, prio)
	}
	// A clone primary.
	if pri.provisional {
		return prio
	}
	if pri.promotable && co.primaryRole != RoleUnknown {
		if co.dependentRole != RolePromoted {
			// Unpromoted dependents are handled like any clone
			// colocation below.
		} else if compatibleInstance(pri, inst.allocatedTo, co.primaryRole) != nil {
			return score.Add(prio, co.score)
		} else if co.score >= score.Infinity {
			return score.NegInfinity
		} else {
			return prio
		}
	}
	if c.interleave && copiesPerNode(c) == copiesPerNode(pri) {
		if p := compatibleInstance(pri, inst.allocatedTo, RoleUnknown); p != nil {
			return colocPriority(c, inst, p, co, prio)
		}
		return prio
	}
	if co.score >= score.Infinity {
		// Mandatory clone colocations restrict nodes, not priorities.
		return prio
	}
	for _, child := range pri.children {
		prio = colocPriority(c, inst, child, co, prio)
	}
	return prio
}

// primitiveColocPriority is a role colocation with a primitive primary:
// where both are placed together, the score counts (negated for the
// Unpromoted role); a mandatory promoted colocation elsewhere forbids
// promotion.
func primitiveColocPriority(inst, pri *resource, co *colocation, prio score.Score) score.Score {
	if pri.allocatedTo == nil || inst.allocatedTo == nil {
		return prio
	}
	attr := co.nodeAttr
	if attr == "" {
		attr = "#uname"
	}
	if nodeAttr(inst.allocatedTo, attr) != nodeAttr(pri.allocatedTo, attr) {
		if co.score >= score.Infinity && co.dependentRole == RolePromoted {
			return score.NegInfinity
		}
		return prio
	}
	if co.primaryRole != RoleUnknown && co.primaryRole != pri.nextRole {
		return prio
	}
	if co.dependentRole == RoleUnpromoted {
		return score.Add(-co.score, prio)
	}
	return score.Add(co.score, prio)
}

// compatibleInstance finds the instance of clone placed on n (in the given
// role unless RoleUnknown).
func compatibleInstance(clone *resource, n *node, role Role) *resource {
	if n == nil {
		return nil
	}
	for _, c := range clone.children {
		if c.allocatedTo != n {
			continue
		}
		if role != RoleUnknown && c.nextRole != role {
			continue
		}
		return c
	}
	return nil
}

// copiesPerNode is how many instances of a clone one node may hold.
func copiesPerNode(c *resource) int {
	return c.cloneNodeMax
}

func (ws *workingSet) promotableOn(c, inst *resource, prio score.Score, promotedOn map[*node]int) *node {
	n := inst.allocatedTo
	if n == nil {
		return nil
	}
	for _, p := range inst.primitives() {
		if p.allocatedTo == nil {
			return nil
		}
		if !p.managed && p.role != RolePromoted {
			return nil
		}
	}
	if !inst.managed {
		if inst.role != RolePromoted {
			return nil
		}
	} else if prio < 0 {
		return nil
	} else if !n.available() {
		return nil
	}
	if _, ok := c.allowed[n]; !ok {
		return nil
	}
	if promotedOn[n] < c.promotedNodeMax || !inst.managed {
		return n
	}
	return nil
}

// unpromotedAfterFailure reports whether a failed promotion keeps any
// member of the instance unpromoted.
func unpromotedAfterFailure(r *resource) bool {
	for _, p := range r.primitives() {
		if p.unpromotedAfterFailure {
			return true
		}
	}
	return false
}

// setRole sets the next role of an instance and its members.
func setRole(r *resource, role Role) {
	if r.allocatedTo == nil && role != RoleStopped {
		// Stopped members stay stopped; only placed ones take the role.
		for _, c := range r.children {
			setRole(c, role)
		}
		return
	}
	if r.nextRole != RoleStopped || role == RoleStopped {
		r.nextRole = role
	}
	for _, c := range r.children {
		setRole(c, role)
	}
}
