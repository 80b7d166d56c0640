package pengine

import (
	"math"
	"sort"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// resourceLocation adds s to r's preference for n (all nodes when n is nil).
func (ws *workingSet) resourceLocation(r *resource, n *node, s score.Score) {
	if n == nil {
		for _, nn := range ws.nodes {
			ws.resourceLocation(r, nn, s)
		}
		return
	}
	if cur, ok := r.allowed[n]; ok {
		r.allowed[n] = score.Add(cur, s)
	} else {
		r.allowed[n] = s
	}
}

// sortedAllowed returns the nodes r may use, best first.
func (ws *workingSet) sortedAllowed(r *resource, table map[*node]score.Score, active *node) []*node {
	var out []*node
	for _, n := range ws.nodes {
		if _, ok := table[n]; ok {
			out = append(out, n)
		}
	}
	ws.sortNodes(out, table, active)
	return out
}

func (ws *workingSet) sortNodes(nodes []*node, table map[*node]score.Score, active *node) {
	sort.SliceStable(nodes, func(i, j int) bool {
		a, b := nodes[i], nodes[j]
		sa, sb := score.NegInfinity, score.NegInfinity
		if a.available() {
			sa = table[a]
		}
		if b.available() {
			sb = table[b]
		}
		if sa != sb {
			return sa > sb
		}
		if ws.placementStrategy != "minimal" {
			if a.numResources != b.numResources {
				return a.numResources < b.numResources
			}
			if active != nil && a == active {
				return true
			}
			if active != nil && b == active {
				return false
			}
		}
		return a.uname < b.uname
	})
}

// applyLocations unpacks rsc_location constraints, the symmetric default,
// stickiness and failure thresholds into allowed-node scores.
func (ws *workingSet) applyLocations() {
	if ws.symmetric {
		for _, r := range ws.all {
			ws.resourceLocation(r, nil, 0)
		}
	}
	for i := range ws.cib.Locations {
		ws.unpackLocation(&ws.cib.Locations[i])
	}
	for _, l := range ws.locations {
		if l.role != RoleUnknown {
			continue
		}
		ws.applyLocationRule(l.rsc, l.nodes, l.order)
	}
	// Stickiness and failure thresholds, per primitive.
	for _, r := range ws.all {
		if r.kind != cib.Primitive {
			continue
		}
		if r.managed && r.stickiness > 0 && len(r.runningOn) == 1 {
			n := r.runningOn[0]
			if _, ok := r.allowed[n]; ws.symmetric || ok {
				ws.resourceLocation(r, n, r.stickiness)
			}
		}
		// A resource whose failures are ignored ignores the threshold too.
		if r.migThreshold > 0 && !r.failIgnored {
			for _, n := range ws.nodes {
				if fc := ws.failCount(r, n); fc > 0 && fc >= r.migThreshold {
					t := ws.failTarget(r)
					ws.applyLocationRule(t, map[*node]score.Score{n: score.NegInfinity}, []*node{n})
				}
			}
		}
	}
}

// applyLocationRule applies per-node scores to r the way each resource
// variant does: groups pass the scores to their first member only (the
// others see the nodes with score 0), clones to every instance.
func (ws *workingSet) applyLocationRule(r *resource, scores map[*node]score.Score, order []*node) {
	for _, n := range order {
		ws.resourceLocation(r, n, scores[n])
	}
	switch r.kind {
	case cib.Group:
		for i, c := range r.children {
			if i == 0 || !r.groupColocated {
				ws.applyLocationRule(c, scores, order)
			} else {
				zero := map[*node]score.Score{}
				for _, n := range order {
					zero[n] = 0
				}
				ws.applyLocationRule(c, zero, order)
			}
		}
	case cib.Clone, cib.Master:
		for _, c := range r.children {
			ws.applyLocationRule(c, scores, order)
		}
	}
}

// constraintRole reads a constraint's role filter. Started and Unpromoted
// mean the same as no role: every active instance matches, so only
// Promoted narrows a constraint down. ok is false for a role that is not
// valid; Pacemaker ignores such a constraint.
func constraintRole(s string) (role Role, ok bool) {
	switch r := parseRole(s); r {
	case RoleUnknown:
		return r, s == ""
	case RoleStarted, RoleUnpromoted:
		return RoleUnknown, true
	default:
		return r, true
	}
}

func (ws *workingSet) unpackLocation(l *cib.Location) {
	r := ws.byID[l.Rsc]
	if r == nil || (r.parent != nil && r.parent.isClone()) {
		return
	}
	if l.Node != "" {
		role, ok := constraintRole(l.Role)
		if !ok {
			return
		}
		lr := locationRule{id: l.ID, rsc: r, role: role, nodes: map[*node]score.Score{}}
		n := ws.nodeByName(l.Node)
		if n == nil || !l.HasScore {
			return
		}
		lr.nodes[n] = l.Score
		lr.order = []*node{n}
		ws.locations = append(ws.locations, lr)
		return
	}
	for ri := range l.Rules {
		rule := &l.Rules[ri]
		// With rules, only each rule's own role counts: the role on the
		// rsc_location element applies to the node/score form alone.
		role, ok := constraintRole(rule.Role)
		if !ok {
			continue
		}
		rr := locationRule{id: l.ID, rsc: r, role: role, nodes: map[*node]score.Score{}}
		for _, n := range ws.nodes {
			ctx := &cib.RuleContext{NodeAttrs: n.attrs, Now: ws.now}
			if !rule.Eval(ctx) {
				continue
			}
			s := rule.Score
			if rule.ScoreAttribute != "" {
				// A matching node without the attribute gets -INFINITY.
				s = score.NegInfinity
				if v, ok := n.attrs[rule.ScoreAttribute]; ok {
					s = score.MustParse(v)
				}
			} else if !rule.HasScore {
				s = 0
			}
			if rule.Op == cib.Or && (!n.online || n.shutdown) {
				// Pacemaker adds an "or" rule's score to the node's own
				// weight, which is -INFINITY for a node that is down or
				// shutting down ("and" rules overwrite it instead).
				s = score.NegInfinity
			}
			rr.nodes[n] = s
			rr.order = append(rr.order, n)
		}
		ws.locations = append(ws.locations, rr)
	}
}

// unpackColocations turns rsc_colocation constraints into colocation
// records on both resources.
func (ws *workingSet) unpackColocations() {
	for _, c := range ws.cib.Colocations {
		dep, pri := ws.byID[c.Rsc], ws.byID[c.WithRsc]
		if dep == nil || pri == nil || dep == pri {
			continue
		}
		if (dep.parent != nil && dep.parent.isClone()) || (pri.parent != nil && pri.parent.isClone()) {
			continue
		}
		ws.addColocation(c.ID, dep, pri, parseRole(c.RscRole), parseRole(c.WithRscRole), c.Score, c.NodeAttribute,
			c.Influence == "" || cib.IsTrue(c.Influence))
	}
}

func (ws *workingSet) addColocation(id string, dep, pri *resource, depRole, priRole Role, s score.Score, attr string, influence bool) {
	if s == 0 {
		return
	}
	if depRole == RoleStarted && !dep.top().promotable {
		depRole = RoleUnknown
	}
	if priRole == RoleStarted && !pri.top().promotable {
		priRole = RoleUnknown
	}
	if depRole == RoleStarted {
		depRole = RoleUnknown
	}
	if priRole == RoleStarted {
		priRole = RoleUnknown
	}
	c := &colocation{id: id, dependent: dep, primary: pri, dependentRole: depRole, primaryRole: priRole,
		score: s, nodeAttr: attr, influence: influence}
	ws.colocations = append(ws.colocations, c)
	addThisWith(dep, c)
	addWithThis(pri, c)
}

// variantRank orders resource kinds as Pacemaker's colocation lists do:
// clones before groups before primitives.
func variantRank(r *resource) int {
	switch r.kind {
	case cib.Group:
		return 1
	case cib.Clone, cib.Master:
		return 2
	}
	return 0
}

// colocationBefore compares the resources x and y on the side a colocation
// list is sorted by: higher priority first, then clones, groups and
// primitives, promotable clones before plain ones, then by id.
func colocationBefore(x, y *resource) int {
	switch {
	case x.priority != y.priority:
		if x.priority > y.priority {
			return -1
		}
		return 1
	case variantRank(x) != variantRank(y):
		if variantRank(x) > variantRank(y) {
			return -1
		}
		return 1
	case x.isClone() && x.promotable != y.promotable:
		if x.promotable {
			return -1
		}
		return 1
	}
	return strings.Compare(x.id, y.id)
}

// insertColocation inserts c into list in sorted position. A constraint
// goes before the first one that does not sort before it, so constraints
// between the same pair end up in reverse order of configuration: that
// order decides which of them is dropped when a finite score would leave
// the dependent nowhere to run.
func insertColocation(list []*colocation, c *colocation, side func(*colocation) *resource) []*colocation {
	i := 0
	for i < len(list) && colocationBefore(side(c), side(list[i])) > 0 {
		i++
	}
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = c
	return list
}

// addThisWith adds c to r's "this with" list, sorted by primary.
func addThisWith(r *resource, c *colocation) {
	r.thisWith = insertColocation(r.thisWith, c, func(x *colocation) *resource { return x.primary })
}

// addWithThis adds c to r's "with this" list, sorted by dependent.
func addWithThis(r *resource, c *colocation) {
	r.withThis = insertColocation(r.withThis, c, func(x *colocation) *resource { return x.dependent })
}

// groupInternalColocations makes each member of a colocated group follow
// the previous one.
func (ws *workingSet) groupInternalColocations() {
	for _, r := range ws.all {
		if r.kind != cib.Group || !r.groupColocated {
			continue
		}
		for i := 1; i < len(r.children); i++ {
			ws.addColocation("group:internal_colocation", r.children[i], r.children[i-1], RoleUnknown, RoleUnknown,
				score.Infinity, "", true)
		}
	}
}

func copyTable(t map[*node]score.Score) map[*node]score.Score {
	out := make(map[*node]score.Score, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

func anyAvailable(t map[*node]score.Score) bool {
	for n, s := range t {
		if s >= 0 && n.available() {
			return true
		}
	}
	return false
}

func nodeAttr(n *node, attr string) string {
	if attr == "" {
		attr = "#uname"
	}
	return n.attrs[attr]
}

// mergeWeights folds the preferences of r (and, recursively, of what is
// colocated with it) into nodes, scaled by factor, as Pacemaker does when it
// lets dependents influence a primary's placement.
func (ws *workingSet) mergeWeights(r *resource, nodes map[*node]score.Score, attr string, factor float64, init, forward, rollback, positive bool) map[*node]score.Score {
	if r.merging {
		return nodes
	}
	r.merging = true
	defer func() { r.merging = false }()
	var work map[*node]score.Score
	if r.kind == cib.Group && len(r.children) > 0 {
		// A group contributes through one member: the last when the table
		// starts from the resource's own scores, else the first, whose
		// internal colocations pull in the rest.
		member := r.children[0]
		if init {
			member = r.children[len(r.children)-1]
		}
		work = ws.mergeWeights(member, nodes, attr, factor, init, forward, rollback, positive)
	} else if init {
		work = copyTable(r.allowed)
	} else {
		work = copyTable(nodes)
		ws.addMatchingScores(work, r, attr, factor, positive)
	}
	if anyAvailable(work) {
		mult := 1.0
		if factor < 0 {
			mult = -1
		}
		list := r.withThis
		if forward {
			list = r.thisWith
		} else if r.kind == cib.Group && len(r.children) > 0 {
			// What is colocated with a group is found on its last member
			// once the group is assigned; before that, only the last
			// member's own list counts.
			list = r.children[len(r.children)-1].withThis
		}
		for _, c := range list {
			other := c.dependent
			if forward {
				other = c.primary
			} else if !c.influence {
				continue
			}
			work = ws.mergeWeights(other, work, c.nodeAttr, mult*float64(c.score)/float64(score.Infinity), false, forward, true, positive)
		}
	} else if rollback {
		return nodes
	}
	return work
}

func (ws *workingSet) addMatchingScores(work map[*node]score.Score, r *resource, attr string, factor float64, positive bool) {
	for _, n := range ws.nodes {
		cur, ok := work[n]
		if !ok {
			continue
		}
		best := score.NegInfinity
		found := false
		val := nodeAttr(n, attr)
		for _, m := range ws.nodes {
			s, ok := r.allowed[m]
			if !ok || !m.available() || nodeAttr(m, attr) != val {
				continue
			}
			if !found || s > best {
				best, found = s, true
			}
		}
		if factor < 0 && best < 0 {
			continue
		}
		wf := factor * float64(best)
		w := int64(math.Floor(wf + 0.5))
		if wf < 0 {
			w = int64(math.Ceil(wf - 0.5))
		}
		if w == 0 && best != 0 {
			if factor > 0 {
				w = 1
			} else if factor < 0 {
				w = -1
			}
		}
		ns := score.Add(score.Clamp(w), cur)
		if positive && ns < 0 && cur >= 0 {
			continue
		}
		work[n] = ns
	}
}

// colocationAffects decides whether a colocation changes the dependent's
// node scores now.
func colocationAffects(dep, pri *resource, c *colocation) bool {
	if pri.provisional {
		return false
	}
	if !dep.provisional {
		return false
	}
	// A role-specific colocation only matters when the role is the one
	// the resource is going to have. Pacemaker 2.1.5 reverses the test for
	// anti-colocations: they are skipped when the role matches and count
	// for every other role (so a rsc-role=Promoted anti-colocation pushes
	// away instances that are merely started).
	if c.score > 0 {
		if c.dependentRole != RoleUnknown && c.dependentRole != dep.nextRole {
			return false
		}
		if c.primaryRole != RoleUnknown && c.primaryRole != pri.nextRole {
			return false
		}
	}
	if c.score < 0 {
		if c.dependentRole != RoleUnknown && c.dependentRole == dep.nextRole {
			return false
		}
		if c.primaryRole != RoleUnknown && c.primaryRole == pri.nextRole {
			return false
		}
	}
	return true
}

// applyColocation adjusts the dependent's scores for where the primary was
// placed.
func (ws *workingSet) applyColocation(dep, pri *resource, c *colocation) {
	switch pri.kind {
	case cib.Group:
		if len(pri.children) == 0 {
			return
		}
		if c.score >= score.Infinity {
			ws.applyColocation(dep, pri.children[len(pri.children)-1], c)
		} else {
			ws.applyColocation(dep, pri.children[0], c)
		}
		return
	case cib.Clone, cib.Master:
		ws.applyCloneColocation(dep, pri, c)
		return
	}
	if !colocationAffects(dep, pri, c) {
		return
	}
	attr := c.nodeAttr
	if attr == "" {
		attr = "#id"
	}
	var value string
	if pri.allocatedTo != nil {
		value = pri.allocatedTo.attrs[attr]
	} else if c.score < 0 {
		return
	}
	work := copyTable(dep.allowed)
	for n, w := range work {
		switch {
		case pri.allocatedTo == nil:
			work[n] = score.Add(-c.score, w)
		case n.attrs[attr] == value:
			if c.score < score.Infinity {
				work[n] = score.Add(c.score, w)
			}
		case c.score >= score.Infinity:
			work[n] = score.Add(-c.score, w)
		}
	}
	if c.score <= score.NegInfinity || c.score >= score.Infinity || anyAvailable(work) {
		dep.allowed = work
	}
}

// applyCloneColocation places a dependent relative to a clone's instances.
func (ws *workingSet) applyCloneColocation(dep, clone *resource, c *colocation) {
	if clone.provisional || !dep.provisional {
		return
	}
	// Interleaved clone instances pair with the instance on the same node
	// (Pacemaker refuses to interleave clones that allow different numbers
	// of instances per node and colocates them as plain clones).
	if dep.cloneInstance && dep.parent != nil && dep.parent.isClone() && dep.parent.interleave && copiesPerNode(dep.parent) == copiesPerNode(clone) {
		for _, n := range ws.sortedAllowed(dep, dep.allowed, nil) {
			for _, inst := range clone.children {
				if inst.allocatedTo == n && (c.primaryRole == RoleUnknown || c.primaryRole == inst.nextRole) {
					ws.applyInstanceColocation(dep, inst, c)
					return
				}
			}
		}
		if c.score >= score.Infinity {
			for n := range dep.allowed {
				dep.allowed[n] = score.NegInfinity
			}
		}
		return
	}
	if clone.promotable && c.primaryRole != RoleUnknown && c.score < score.Infinity {
		// Role-specific preference for a promotable clone: every instance
		// that will have the role adds the score to the dependent's nodes
		// matching its node, whatever the dependent's own role.
		attr := c.nodeAttr
		if attr == "" {
			attr = "#uname"
		}
		for _, inst := range clone.children {
			if inst.allocatedTo == nil || inst.nextRole != c.primaryRole {
				continue
			}
			value := nodeAttr(inst.allocatedTo, attr)
			for n, w := range dep.allowed {
				if nodeAttr(n, attr) == value {
					dep.allowed[n] = score.Add(w, c.score)
				}
			}
		}
		return
	}
	if c.score >= score.Infinity || (c.primaryRole != RoleUnknown && c.score > 0) {
		hosts := map[*node]bool{}
		for _, inst := range clone.children {
			if inst.allocatedTo == nil || inst.blocked {
				continue
			}
			if c.primaryRole != RoleUnknown && inst.nextRole != c.primaryRole {
				continue
			}
			hosts[inst.allocatedTo] = true
		}
		if c.score >= score.Infinity {
			for n := range dep.allowed {
				if !hosts[n] {
					dep.allowed[n] = score.NegInfinity
				}
			}
		} else {
			for _, n := range ws.nodes {
				if hosts[n] {
					if _, ok := dep.allowed[n]; ok {
						dep.allowed[n] = score.Add(dep.allowed[n], c.score)
					}
				}
			}
		}
		return
	}
	for _, inst := range clone.children {
		ws.applyInstanceColocation(dep, inst, c)
	}
}

func (ws *workingSet) applyInstanceColocation(dep, inst *resource, c *colocation) {
	if inst.kind == cib.Group {
		ws.applyColocation(dep, inst, c)
		return
	}
	saved := inst.provisional
	ws.applyColocation(dep, inst, c)
	inst.provisional = saved
}
