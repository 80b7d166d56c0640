package pengine

import (
	"sort"

	"hbgo/crm/score"
)

// promotionScore reads the master-<id> node attribute the resource agent
// sets; -1 when there is none, so nothing is promoted without a preference.
func promotionScore(r *resource, n *node) score.Score {
	if len(r.children) > 0 {
		var total score.Score
		for _, c := range r.children {
			total = score.Add(total, promotionScore(c, n))
		}
		return total
	}
	for _, name := range []string{r.historyName[n], r.id, r.baseID} {
		if name == "" {
			continue
		}
		if v, ok := n.attrs["master-"+name]; ok {
			return score.MustParse(v)
		}
	}
	return -1
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
			prio[inst], sortIdx[inst] = score.NegInfinity, score.NegInfinity
			continue
		}
		next := inst.nextRole
		switch next {
		case RoleStarted, RoleUnknown, RoleUnpromoted:
			if inst.targetRole() == RoleUnpromoted {
				prio[inst] = score.NegInfinity
			} else {
				prio[inst] = promotionScore(inst, chosen)
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
		for _, co := range c.thisWith {
			pri := co.primary
			if co.dependentRole < RoleUnpromoted {
				continue
			}
			pn := allocatedNodeForRole(pri, co.primaryRole)
			attr := co.nodeAttr
			if attr == "" {
				attr = "#id"
			}
			if pn == nil {
				if co.score >= score.Infinity && co.dependentRole == RolePromoted {
					prio[inst] = score.NegInfinity
				}
				continue
			}
			match := false
			for _, x := range pn {
				if x.attrs[attr] == chosen.attrs[attr] {
					match = true
				}
			}
			if !match {
				if co.score >= score.Infinity && co.dependentRole == RolePromoted {
					prio[inst] = score.NegInfinity
				}
				continue
			}
			mult := score.Score(1)
			if co.dependentRole == RoleUnpromoted {
				mult = -1
			}
			prio[inst] = score.Add(mult*co.score, prio[inst])
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
}

func allocatedNodeForRole(r *resource, role Role) []*node {
	var out []*node
	if r.isClone() {
		for _, inst := range r.children {
			if inst.allocatedTo != nil && (role == RoleUnknown || inst.nextRole == role) {
				out = append(out, inst.allocatedTo)
			}
		}
		return out
	}
	if r.allocatedTo != nil && (role == RoleUnknown || r.nextRole == role) {
		out = append(out, r.allocatedTo)
	}
	return out
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
