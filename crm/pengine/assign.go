package pengine

import (
	"sort"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// assignAll places every top-level resource. Resources are taken in
// configuration order, stably sorted by priority; only the utilization
// placement strategies use the finer ordering by scores.
func (ws *workingSet) assignAll() {
	order := append([]*resource(nil), ws.resources...)
	if ws.placementStrategy == "default" {
		sort.SliceStable(order, func(i, j int) bool { return order[i].priority > order[j].priority })
	} else {
		ws.sortByScores(order)
	}
	for _, r := range order {
		ws.assign(r, nil)
	}
}

func (ws *workingSet) sortByScores(order []*resource) {
	nodes := append([]*node(nil), ws.nodes...)
	base := map[*node]score.Score{}
	for _, n := range nodes {
		base[n] = 0
	}
	ws.sortNodes(nodes, base, nil)
	merged := map[*resource]map[*node]score.Score{}
	for _, r := range order {
		merged[r] = ws.mergeWeights(r, nil, "", 1, true, true, false, false)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.priority != b.priority {
			return a.priority > b.priority
		}
		ma, mb := merged[a], merged[b]
		sa, sb := score.NegInfinity, score.NegInfinity
		if cn := a.currentNode(); cn != nil {
			if v, ok := ma[cn]; ok {
				sa = v
			}
		}
		if cn := b.currentNode(); cn != nil {
			if v, ok := mb[cn]; ok {
				sb = v
			}
		}
		if sa != sb {
			return sa > sb
		}
		for _, n := range nodes {
			x, ok1 := ma[n]
			y, ok2 := mb[n]
			if !ok1 {
				x = score.NegInfinity
			}
			if !ok2 {
				y = score.NegInfinity
			}
			if x != y {
				return x > y
			}
		}
		return false
	})
}

func (ws *workingSet) assign(r *resource, prefer *node) *node {
	switch r.kind {
	case cib.Group:
		return ws.assignGroup(r, prefer)
	case cib.Clone, cib.Master:
		ws.assignClone(r)
		return nil
	}
	return ws.assignPrimitive(r, prefer)
}

func (ws *workingSet) assignGroup(g *resource, prefer *node) *node {
	if !g.provisional {
		return g.allocatedTo
	}
	if g.allocating || len(g.children) == 0 {
		return nil
	}
	g.allocating = true
	first, last := g.children[0], g.children[len(g.children)-1]
	for _, c := range g.thisWith {
		addThisWith(first, c)
	}
	// Members follow the first through the internal colocations, which an
	// unmanaged member that stays put breaks: every member after one gets
	// the group's mandatory colocations itself.
	anyUnmanaged := !first.managed
	for _, m := range g.children[1:] {
		if anyUnmanaged {
			for _, c := range g.thisWith {
				if c.score >= score.Infinity {
					addThisWith(m, c)
				}
			}
		} else if !m.managed {
			anyUnmanaged = true
		}
	}
	g.thisWith = nil
	for _, c := range g.withThis {
		addWithThis(last, c)
	}
	g.withThis = nil
	var groupNode *node
	for _, c := range g.children {
		n := ws.assignPrimitive(c, prefer)
		if groupNode == nil {
			groupNode = n
		}
	}
	g.nextRole = first.nextRole
	g.allocating, g.provisional = false, false
	if g.groupColocated {
		g.allocatedTo = groupNode
	}
	return g.allocatedTo
}

func (ws *workingSet) assignPrimitive(r *resource, prefer *node) *node {
	if r.parent != nil && !r.parent.allocating && !r.parent.isClone() {
		ws.assign(r.parent, prefer)
	}
	if !r.provisional {
		return r.allocatedTo
	}
	if r.allocating {
		return nil
	}
	r.allocating = true
	for _, c := range r.thisWith {
		var archive map[*node]score.Score
		if c.dependentRole >= RolePromoted || (c.score < 0 && c.score > score.NegInfinity) {
			archive = copyTable(r.allowed)
		}
		ws.assign(c.primary, nil)
		ws.applyColocation(r, c.primary, c)
		if archive != nil && !anyAvailable(r.allowed) {
			r.allowed = archive
		}
	}
	for _, c := range r.withThis {
		if !c.influence {
			continue
		}
		r.allowed = ws.mergeWeights(c.dependent, r.allowed, c.nodeAttr, float64(c.score)/float64(score.Infinity), false, false, true, false)
	}
	if r.nextRole == RoleStopped {
		ws.resourceLocation(r, nil, score.NegInfinity)
	} else if r.nextRole > r.role && !ws.haveQuorum && ws.noQuorumPolicy == "freeze" {
		r.nextRole = r.role
	}
	if ws.stonithEnabled && !ws.haveStonithResource && r.managed {
		// Fencing is enabled but no device is configured: Pacemaker
		// unmanages every resource at assignment (nothing starts or
		// stops); the final state does not show them as unmanaged.
		r.managed = false
		r.unmanagedNoFencing = true
	}
	switch {
	case !r.managed:
		r.nextRole = r.role
		ws.finalize(r, r.currentNode(), true)
	case ws.stopAll:
		ws.finalize(r, nil, true)
	default:
		ws.chooseNode(r, prefer)
	}
	r.allocating = false
	return r.allocatedTo
}

func (ws *workingSet) chooseNode(r *resource, prefer *node) {
	ws.recordScores("pcmk__native_allocate", r)
	nodes := ws.sortedAllowed(r, r.allowed, r.currentNode())
	var chosen, best *node
	if len(nodes) > 0 {
		best = nodes[0]
	}
	if prefer != nil && len(nodes) > 0 {
		if w, ok := r.allowed[prefer]; ok && w >= r.allowed[best] && prefer.available() {
			chosen = prefer
		}
	}
	if chosen == nil && best != nil {
		chosen = best
		uniqueClone := r.parent != nil && r.parent.isClone() && r.parent.unique
		if !uniqueClone && r.allowed[chosen] > 0 && chosen.available() {
			if running := r.currentNode(); running != nil && running.available() {
				for _, n := range nodes[1:] {
					if r.allowed[n] != r.allowed[chosen] {
						break
					}
					if n == running {
						chosen = n
					}
				}
			}
		}
	}
	ws.finalize(r, chosen, false)
}

// finalize records the assignment (or that the resource stays stopped).
func (ws *workingSet) finalize(r *resource, chosen *node, force bool) {
	if !force && chosen != nil && (r.allowed[chosen] < 0 || !chosen.available()) {
		chosen = nil
	}
	r.provisional = false
	r.allocatedTo = chosen
	if chosen == nil {
		r.nextRole = RoleStopped
		return
	}
	chosen.numResources++
	if r.nextRole == RoleUnknown {
		if r.top().promotable {
			r.nextRole = RoleUnpromoted
		} else {
			r.nextRole = RoleStarted
		}
	}
}

// ---- clones ----

func (ws *workingSet) assignClone(c *resource) {
	if !c.provisional || c.allocating {
		return
	}
	if c.promotable {
		ws.addPromotionScores(c)
	}
	c.allocating = true
	for _, co := range c.thisWith {
		ws.assign(co.primary, nil)
	}
	for _, co := range c.withThis {
		if !co.influence {
			continue
		}
		c.allowed = ws.mergeWeights(co.dependent, c.allowed, co.nodeAttr, float64(co.score)/float64(score.Infinity), false, false, true, true)
	}
	ws.recordScores("pcmk__clone_allocate", c)
	ws.sortInstances(c)
	ws.distribute(c)
	if c.promotable {
		ws.setInstanceRoles(c)
	}
	c.provisional, c.allocating = false, false
}

func instanceFailed(r *resource) bool {
	for _, p := range r.primitives() {
		if p.failed {
			return true
		}
	}
	return false
}

func instanceNodes(r *resource) []*node {
	var out []*node
	seen := map[*node]bool{}
	for _, p := range r.primitives() {
		for _, n := range p.runningOn {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// sortInstances orders a clone's instances for assignment the way
// Pacemaker does, with the same merge sort (GLib's list sort), because its
// comparison treats some pairs as equal that are not equal to a third one:
// the algorithm, not only the comparison, decides the order.
func (ws *workingSet) sortInstances(c *resource) {
	c.children = mergeSortResources(c.children, func(a, b *resource) int { return ws.cmpInstance(a, b) })
}

// mergeSortResources sorts list stably: the first half (rounded up) and the
// rest are sorted separately and merged, taking from the first half while
// cmp says its element is not greater.
func mergeSortResources(list []*resource, cmp func(a, b *resource) int) []*resource {
	if len(list) < 2 {
		return list
	}
	mid := (len(list) + 1) / 2
	left := mergeSortResources(append([]*resource(nil), list[:mid]...), cmp)
	right := mergeSortResources(append([]*resource(nil), list[mid:]...), cmp)
	out := make([]*resource, 0, len(list))
	i, j := 0, 0
	for i < len(left) && j < len(right) {
		if cmp(left[i], right[j]) <= 0 {
			out = append(out, left[i])
			i++
		} else {
			out = append(out, right[j])
			j++
		}
	}
	out = append(out, left[i:]...)
	return append(out, right[j:]...)
}

// needsFencing reports whether recovering r from a lost node waits for
// fencing (requires=fencing, the default while fencing is enabled).
func (ws *workingSet) needsFencing(r *resource) bool {
	for _, p := range r.primitives() {
		if p.class == "stonith" || !ws.stonithEnabled {
			return false
		}
		switch p.meta["requires"] {
		case "", "fencing", "unfencing":
			return true
		}
		return false
	}
	return false
}

// activeOn returns the node an instance counts as active on and on how
// many nodes it is active. A resource that does not need fencing counts
// as active on its first node that is up and clean.
func (ws *workingSet) activeOn(r *resource) (*node, int) {
	nodes := instanceNodes(r)
	if len(nodes) == 0 {
		return nil, 0
	}
	if !ws.needsFencing(r) {
		for _, n := range nodes {
			if n.online && !n.unclean {
				return n, len(nodes)
			}
		}
	}
	return nodes[0], len(nodes)
}

func instanceNumber(r *resource) int {
	n := 0
	for i := len(r.id) - 1; i >= 0; i-- {
		if r.id[i] == ':' {
			for _, ch := range r.id[i+1:] {
				if ch < '0' || ch > '9' {
					break
				}
				n = n*10 + int(ch-'0')
			}
			break
		}
	}
	return n
}

func cmpInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpInstance is Pacemaker's assignment order of two clone instances:
// active ones on fewer nodes first, then those not active on a node they
// may no longer use, higher priority, active before inactive (two inactive
// ones are equal), current node usable, current node allowed for the
// clone, not failed, higher colocation score on the current node, lower
// instance number.
func (ws *workingSet) cmpInstance(a, b *resource) int {
	na, ca := ws.activeOn(a)
	nb, cb := ws.activeOn(b)
	if ca > 0 && cb > 0 && ca != cb {
		return cmpInts(ca, cb)
	}
	allowedA, allowedB := true, true
	if na != nil {
		if w, ok := a.allowed[na]; !ok || w < 0 {
			na, allowedA = nil, false
		}
	}
	if nb != nil {
		if w, ok := b.allowed[nb]; !ok || w < 0 {
			nb, allowedB = nil, false
		}
	}
	if allowedA != allowedB {
		if allowedA {
			return -1
		}
		return 1
	}
	if a.priority != b.priority {
		return -cmpInts(a.priority, b.priority)
	}
	switch {
	case na == nil && nb == nil:
		return 0
	case na == nil:
		return 1
	case nb == nil:
		return -1
	}
	if na.available() != nb.available() {
		if na.available() {
			return -1
		}
		return 1
	}
	clone := a.parent
	_, topA := clone.allowed[na]
	_, topB := clone.allowed[nb]
	switch {
	case !topA && !topB:
		return 0
	case !topA:
		return 1
	case !topB:
		return -1
	}
	if fa, fb := instanceFailed(a), instanceFailed(b); fa != fb {
		if fa {
			return 1
		}
		return -1
	}
	if sa, sb := ws.parentColocationScore(a, na), ws.parentColocationScore(b, nb); sa != sb {
		if sa > sb {
			return -1
		}
		return 1
	}
	return cmpInts(instanceNumber(a), instanceNumber(b))
}

// parentColocationScore is the score the clone's own colocations give an
// instance's current node.
func (ws *workingSet) parentColocationScore(inst *resource, n *node) score.Score {
	// The node's own weight starts the sum: Pacemaker takes nodes that
	// are down or shutting down out of contention with -INFINITY.
	base := score.Score(0)
	if !n.online || n.shutdown {
		base = score.NegInfinity
	}
	table := map[*node]score.Score{n: base}
	clone := inst.parent
	for _, co := range clone.thisWith {
		table = ws.mergeWeights(co.primary, table, co.nodeAttr, float64(co.score)/float64(score.Infinity), false, false, false, false)
	}
	for _, co := range clone.withThis {
		if !co.influence {
			continue
		}
		table = ws.mergeWeights(co.dependent, table, co.nodeAttr, float64(co.score)/float64(score.Infinity), false, false, false, true)
	}
	return table[n]
}

func (ws *workingSet) distribute(c *resource) {
	available := 0
	for _, n := range ws.nodes {
		c.instanceCount[n] = 0
		if n.available() {
			available++
		}
	}
	max := c.cloneMax
	allColoc := max < available
	loopMax := 1
	if available > 0 && max/available > 1 {
		loopMax = max / available
	}
	allocated := 0
	for _, inst := range c.children {
		if allocated >= max {
			break
		}
		nodes := instanceNodes(inst)
		if len(nodes) == 0 || !inst.provisional || instanceFailed(inst) || inst.orphan {
			continue
		}
		cn := nodes[0]
		if !cn.available() {
			continue
		}
		if w, ok := c.allowed[cn]; ok && w < 0 {
			continue
		}
		if c.instanceCount[cn] >= loopMax {
			continue
		}
		if ws.assignInstance(c, inst, cn, allColoc) != nil {
			allocated++
		}
	}
	for _, inst := range c.children {
		if !inst.provisional {
			continue
		}
		if allocated >= max || inst.orphan {
			for _, p := range append([]*resource{inst}, inst.primitives()...) {
				ws.resourceLocation(p, nil, score.NegInfinity)
			}
			ws.assign(inst, nil)
			continue
		}
		if ws.assignInstance(c, inst, nil, allColoc) != nil {
			allocated++
		}
	}
}

func (ws *workingSet) assignInstance(c, inst *resource, prefer *node, allColoc bool) *node {
	if !inst.provisional {
		return inst.allocatedTo
	}
	if inst.allocating {
		return nil
	}
	// The clone's own colocations apply to each instance. Like
	// Pacemaker, every assignment attempt appends them again, so an
	// instance whose preferred-node attempt failed sees them twice.
	for _, co := range c.thisWith {
		if allColoc || co.score < 0 || co.score >= score.Infinity {
			ws.attachThisWith(inst, co)
		}
	}
	for _, co := range c.withThis {
		if co.influence && (allColoc || co.score < 0) {
			ws.attachWithThis(inst, co)
		}
	}
	if prefer != nil {
		if w, ok := inst.allowed[prefer]; !ok || w < 0 {
			return nil
		}
		if inst.kind == cib.Group && len(inst.children) > 0 {
			if w, ok := inst.children[0].allowed[prefer]; !ok || w < 0 {
				return nil
			}
		}
	}
	ws.limitInstance(c, inst)
	backup := snapshotAllowed(inst)
	chosen := ws.assignSubtree(inst, prefer)
	if chosen != nil && prefer != nil && chosen != prefer {
		restoreAllowed(inst, backup)
		unassign(inst)
		return nil
	}
	if chosen != nil {
		c.instanceCount[chosen]++
	}
	return chosen
}

func (ws *workingSet) attachThisWith(inst *resource, co *colocation) {
	target := inst
	if inst.kind == cib.Group && len(inst.children) > 0 {
		target = inst.children[0]
	}
	cp := *co
	cp.dependent = target
	addThisWith(target, &cp)
}

func (ws *workingSet) attachWithThis(inst *resource, co *colocation) {
	target := inst
	if inst.kind == cib.Group && len(inst.children) > 0 {
		target = inst.children[len(inst.children)-1]
	}
	addWithThis(target, co)
}

// limitInstance bans nodes the clone does not allow or that already hold
// clone-node-max instances.
func (ws *workingSet) limitInstance(c, inst *resource) {
	for _, p := range append([]*resource{inst}, inst.primitives()...) {
		for n := range p.allowed {
			w, ok := c.allowed[n]
			switch {
			case !n.available() || inst.orphan || !ok || w < 0:
				// A node the clone itself scores below zero is closed to
				// every instance, whatever the instance's own score.
				p.allowed[n] = score.NegInfinity
			case c.instanceCount[n] >= c.cloneNodeMax:
				p.allowed[n] = score.NegInfinity
			}
		}
	}
}

func snapshotAllowed(r *resource) map[*resource]map[*node]score.Score {
	m := map[*resource]map[*node]score.Score{r: copyTable(r.allowed)}
	for _, c := range r.children {
		m[c] = copyTable(c.allowed)
	}
	return m
}

func restoreAllowed(r *resource, m map[*resource]map[*node]score.Score) {
	for k, v := range m {
		k.allowed = v
	}
}

func unassign(r *resource) {
	for _, x := range append([]*resource{r}, r.children...) {
		if x.allocatedTo != nil && !x.provisional {
			x.allocatedTo.numResources--
		}
		x.allocatedTo = nil
		x.provisional = true
		x.nextRole = RoleUnknown
		if x.targetRoleStopped() {
			x.nextRole = RoleStopped
		}
	}
}

func (r *resource) targetRoleStopped() bool { return r.targetRole() == RoleStopped }

// assignSubtree assigns an instance (primitive or group) directly.
func (ws *workingSet) assignSubtree(inst *resource, prefer *node) *node {
	if inst.kind == cib.Group {
		return ws.assignGroup(inst, prefer)
	}
	return ws.assignPrimitive(inst, prefer)
}
