package pengine

import (
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

type action struct {
	rsc      *resource
	task     string
	node     *node
	optional bool
	runnable bool
	pseudo   bool
	// unexpected marks the stop of an extra copy under
	// multiple-active=stop_unexpected: it does not restart the copy that
	// stays.
	unexpected bool
}

// orderFlags say how an ordering propagates requiredness and runnability.
type orderFlags uint

const (
	impliesThen          orderFlags = 1 << iota // first required → then required
	impliesFirst                                // inverse ordering; only its runnability effect is modelled (see applyOrdering)
	runnableLeft                                // first unrunnable → then unrunnable
	restart                                     // same-resource stop→start restart handling
	promotedImpliesFirst                        // then required and rsc promoted → first required
	asymmetrical                                // first unrunnable → then unrunnable unless then is already active
)

// ordering links a task of one resource to a task of another (or the
// same) resource. sameNode limits it to instances placed on one node
// (interleaved clones).
type ordering struct {
	first, then         *resource
	firstTask, thenTask string
	flags               orderFlags
	// minFirst, when > 0, makes a clone "first" runnable only when at least
	// that many instances are (clone-min, require-all=false); such
	// orderings are never interleaved.
	minFirst int
}

func (ws *workingSet) newAction(r *resource, task string, n *node, optional bool) *action {
	a := &action{rsc: r, task: task, node: n, optional: optional, runnable: n != nil}
	if r != nil {
		// Like Pacemaker, runnability only asks whether the node is up
		// and has joined; standby, and even being unclean while still
		// up, only affect placement (an unmanaged resource stays
		// assigned to such a node, and its start does not hold back
		// what is ordered after it).
		if n != nil && task != "stop" && task != "demote" && (!n.online || n.pending) {
			a.runnable = false
		}
		if task == "stop" || task == "demote" {
			if n != nil && n.unclean {
				if ws.willFence(n) {
					a.pseudo = true
				} else {
					a.runnable = false
				}
			} else if n != nil && !n.online {
				// The node is down (cleanly or about to be fenced): the
				// stop needs no action there.
				a.pseudo = true
			}
		} else if !ws.haveQuorum && a.runnable && r.meta["requires"] != "nothing" {
			switch ws.noQuorumPolicy {
			case "stop", "suicide":
				a.runnable = false
			case "freeze":
				if len(r.runningOn) == 0 || r.nextRole > r.role {
					a.runnable = false
				}
			case "demote":
				// Promotable instances keep running unpromoted (the
				// promotion limit is zero); everything else stops.
				if !r.top().promotable || len(r.runningOn) == 0 || r.nextRole > r.role {
					a.runnable = false
				}
			}
		}
	}
	ws.actions = append(ws.actions, a)
	if r != nil {
		r.actionList = append(r.actionList, a)
	}
	return a
}

// willFence reports whether the node is going to be fenced.
func (ws *workingSet) willFence(n *node) bool {
	return n.unclean && ws.canFence(n) && ws.anyManaged()
}

func (ws *workingSet) canFence(n *node) bool {
	if !ws.stonithEnabled || !ws.haveStonithResource {
		return false
	}
	if ws.haveQuorum || ws.noQuorumPolicy == "ignore" {
		return true
	}
	return n != nil && n.online
}

func (ws *workingSet) anyManaged() bool {
	for _, r := range ws.all {
		if r.kind == cib.Primitive && r.managed {
			return true
		}
	}
	return false
}

func (r *resource) failedOn(n *node) bool { return r.stopNodesFailed[n] }

// createActions creates start/stop/promote/demote actions for every
// primitive, required or optional as the assignment demands.
func (ws *workingSet) createActions() {
	for _, r := range ws.all {
		if r.kind != cib.Primitive {
			continue
		}
		next := r.allocatedTo
		nextRole := r.nextRole
		if next == nil {
			nextRole = RoleStopped
		}
		multiply := cleanActive(r) > 1
		stopUnexpected := multiply && r.multiActive == "stop_unexpected" && next != nil && r.knownOn(next)
		if stopUnexpected {
			multiply = false
		}
		// An instance found promoted or unpromoted that is to run as a
		// plain Started resource (its clone is not promotable) has no
		// direct way there: it is demoted if needed, stopped and started.
		roleRestart := nextRole == RoleStarted && r.role >= RoleUnpromoted
		restartOn := map[*node]bool{}
		for _, n := range r.runningOn {
			need := next == nil || n != next || r.failedOn(n) || r.changedOn[n] || multiply || nextRole == RoleStopped || roleRestart
			if stopUnexpected && n != next {
				stop := ws.newAction(r, "stop", n, false)
				stop.unexpected = true
				continue
			}
			if need && n == next && !multiply {
				restartOn[n] = true
			}
			if r.role == RolePromoted {
				ws.newAction(r, "demote", n, !(need || nextRole < RolePromoted || r.demoteRecover) || !r.managed)
			}
			ws.newAction(r, "stop", n, !need || (!r.managed && (!r.blocked || ws.maintenanceMode)))
		}
		startNeeded := next != nil && nextRole >= RoleStarted && (!r.knownOn(next) || restartOn[next] || multiply)
		start := ws.newAction(r, "start", next, !startNeeded || !r.managed)
		if next == nil || ws.waitsForProbe(r) {
			start.runnable = false
		}
		if next != nil && nextRole == RolePromoted {
			promoteNeeded := r.role < RolePromoted || startNeeded || r.demoteRecover
			ws.newAction(r, "promote", next, !promoteNeeded || !r.managed)
		} else if r.top().promotable {
			// Pacemaker orders every instance's promote before the
			// clone's "promoted", which creates a promote with no node
			// for instances that stay unpromoted: never runnable, so
			// whatever waits on this instance's promotion cannot run.
			ws.newAction(r, "promote", nil, true)
		}
		switch {
		case r.blocked:
			// A blocked resource can be neither stopped nor started, and
			// whatever must follow its stop waits forever.
			for _, a := range r.actionList {
				a.runnable = false
			}
		case !r.managed:
			for _, a := range r.actionList {
				a.optional = true
			}
		}
	}
}

// waitsForProbe reports whether r, active nowhere, must wait for a probe
// that cannot run: Pacemaker orders a resource's start after its probes,
// and a probe on a node that is up but still pending (not yet joined) is
// unrunnable, which holds back the start. Clone instances are left out:
// there the probe holds back the whole clone, per instance chosen.
func (ws *workingSet) waitsForProbe(r *resource) bool {
	if len(r.runningOn) > 0 || r.orphan || (r.parent != nil && r.top().isClone()) {
		return false
	}
	if !cib.IsTrue(option(ws.opts, "enable-startup-probes", "true")) {
		return false
	}
	for _, n := range ws.nodes {
		if !n.online || n.unclean || !n.pending {
			continue
		}
		if _, known := r.historyName[n]; !known {
			return true
		}
	}
	return false
}

func (r *resource) actionsFor(task string) []*action {
	var out []*action
	for _, a := range r.actionList {
		if a.task == task {
			out = append(out, a)
		}
	}
	return out
}

// internalOrderings adds the orderings every primitive and group implies.
func (ws *workingSet) internalOrderings() {
	for _, r := range ws.all {
		switch r.kind {
		case cib.Primitive:
			ws.orders = append(ws.orders,
				&ordering{first: r, then: r, firstTask: "stop", thenTask: "start", flags: impliesThen | restart},
				&ordering{first: r, then: r, firstTask: "demote", thenTask: "stop", flags: promotedImpliesFirst},
				&ordering{first: r, then: r, firstTask: "start", thenTask: "promote", flags: runnableLeft})
		case cib.Group:
			if !r.groupOrdered {
				continue
			}
			for i := 1; i < len(r.children); i++ {
				prev, cur := r.children[i-1], r.children[i]
				ws.orders = append(ws.orders,
					&ordering{first: prev, then: cur, firstTask: "start", thenTask: "start", flags: impliesThen | runnableLeft},
					&ordering{first: cur, then: prev, firstTask: "stop", thenTask: "stop", flags: restart},
					&ordering{first: prev, then: cur, firstTask: "promote", thenTask: "promote", flags: runnableLeft | impliesThen},
					&ordering{first: cur, then: prev, firstTask: "demote", thenTask: "demote", flags: impliesFirst})
			}
		}
	}
}

func inverseTask(t string) string {
	switch t {
	case "start":
		return "stop"
	case "stop":
		return "start"
	case "promote":
		return "demote"
	case "demote":
		return "promote"
	}
	return ""
}

// userOrderings unpacks rsc_order constraints.
func (ws *workingSet) userOrderings() {
	// Pacemaker drops an ordering between two actions that an earlier
	// constraint (in document order, forward or inverse) already orders:
	// every user ordering carries its "optional" bit, so the later one
	// counts as a duplicate whatever its kind.
	claimed := map[[4]string]bool{}
	claim := func(first *resource, fa string, then *resource, ta string) bool {
		k := [4]string{first.id, fa, then.id, ta}
		if claimed[k] {
			return false
		}
		claimed[k] = true
		return true
	}
	for _, o := range ws.cib.Orders {
		first, then := ws.byID[o.First], ws.byID[o.Then]
		if first == nil || then == nil {
			continue
		}
		fa, ta := o.FirstAction, o.ThenAction
		if fa == "" {
			fa = "start"
		}
		if ta == "" {
			ta = fa
		}
		kind := o.Kind
		switch {
		case kind == "" && o.HasScore && o.Score == 0:
			kind = "Optional"
		case strings.EqualFold(kind, "Optional"):
			kind = "Optional"
		case strings.EqualFold(kind, "Serialize"):
			kind = "Serialize"
		default:
			// Unset or unknown kinds are mandatory.
			kind = "Mandatory"
		}
		sym := true
		if o.Symmetrical != "" {
			sym = cib.IsTrue(o.Symmetrical)
		}
		if kind != "Mandatory" {
			// Optional and serializing orders never change which actions
			// run, except for the deprecated restart-type=restart, which
			// makes a restart of first restart then. They still take the
			// action pair (Serialize is never symmetrical).
			if claim(first, fa, then, ta) && kind == "Optional" && then.meta["restart-type"] == "restart" {
				ws.orders = append(ws.orders, &ordering{first: first, then: then, firstTask: fa, thenTask: ta, flags: impliesThen})
			}
			if kind == "Optional" && sym {
				if fi, ti := inverseTask(fa), inverseTask(ta); fi != "" && ti != "" {
					if claim(then, ti, first, fi) && first.meta["restart-type"] == "restart" {
						ws.orders = append(ws.orders, &ordering{first: then, then: first, firstTask: ti, thenTask: fi, flags: impliesFirst})
					}
				}
			}
			continue
		}
		var flags orderFlags
		if sym {
			flags = impliesThen
			if fa == "start" || fa == "promote" {
				flags |= runnableLeft
			}
		} else {
			flags = asymmetrical
		}
		ord := &ordering{first: first, then: then, firstTask: fa, thenTask: ta, flags: flags}
		if first.isClone() {
			if o.RequireAll != "" && !cib.IsTrue(o.RequireAll) {
				ord.minFirst = 1
			} else if m := metaInt(first.meta, 0, "clone-min"); m > 0 {
				ord.minFirst = m
			}
			if ord.minFirst > 0 {
				// The "one or more" gate only passes runnability on.
				ord.flags &^= impliesThen
			}
		}
		// (A clone-min gate orders through a pseudo-action of its own, so
		// it never duplicates another constraint.)
		if ord.minFirst > 0 || claim(first, fa, then, ta) {
			ws.orders = append(ws.orders, ord)
		}
		if sym && ord.minFirst == 0 {
			fi, ti := inverseTask(fa), inverseTask(ta)
			if fi != "" && ti != "" && claim(then, ti, first, fi) {
				ws.orders = append(ws.orders, &ordering{first: then, then: first, firstTask: ti, thenTask: fi, flags: impliesFirst})
			}
		}
	}
}

// summary describes a resource's actions for one task: whether any is
// required and whether the task can happen (all/any instances runnable).
func summary(r *resource, task string) (required, runnable, exists bool) {
	switch r.kind {
	case cib.Primitive:
		as := r.actionsFor(task)
		runnable = true
		for _, a := range as {
			exists = true
			if !a.optional {
				required = true
			}
			if !a.runnable {
				runnable = false
			}
		}
		return required, runnable, exists
	case cib.Group:
		runnable = true
		for _, c := range r.children {
			req, run, ex := summary(c, task)
			if !ex {
				continue
			}
			exists = true
			required = required || req
			runnable = runnable && run
		}
		return required, runnable, exists
	}
	// Clones: runnable when any instance is.
	any := false
	for _, c := range r.children {
		req, run, ex := summary(c, task)
		if !ex {
			continue
		}
		exists = true
		required = required || req
		if run && (task != "start" && task != "promote" || c.allocatedTo != nil) {
			any = true
		}
	}
	return required, any || !exists, exists
}

// apply changes every action of a task below r; it reports whether
// anything changed.
func apply(r *resource, task string, f func(*action) bool) bool {
	changed := false
	if r.kind == cib.Primitive {
		for _, a := range r.actionsFor(task) {
			if f(a) {
				changed = true
			}
		}
		return changed
	}
	for _, c := range r.children {
		if apply(c, task, f) {
			changed = true
		}
	}
	return changed
}

func setRequired(a *action) bool {
	if a.optional && a.rsc != nil && !a.rsc.managed {
		// An unmanaged resource's action that becomes necessary can never
		// be carried out: whatever waits for it waits forever.
		a.optional = false
		a.runnable = false
		return true
	}
	if a.optional {
		a.optional = false
		return true
	}
	return false
}

func setUnrunnable(a *action) bool {
	if a.runnable {
		a.runnable = false
		return true
	}
	return false
}

// propagate applies every ordering until nothing changes.
func (ws *workingSet) propagate() {
	for iter := 0; iter < 1000; iter++ {
		changed := false
		for _, o := range ws.orders {
			if ws.applyOrdering(o) {
				changed = true
			}
		}
		if ws.blockColocationDependents() {
			changed = true
		}
		if !changed {
			return
		}
	}
}

// blockColocationDependents keeps a resource that must run with another
// from starting (or being promoted) when the other cannot. As in
// Pacemaker, only colocations whose primary is a top-level primitive or
// clone count (a group hands its colocations to its members when it is
// assigned), a clone blocks only when every instance has an unrunnable
// action of that kind, and a failed promotion blocks only colocations with
// the promoted role. It reports whether anything changed.
func (ws *workingSet) blockColocationDependents() bool {
	changed := false
	for _, c := range ws.colocations {
		if c.score < score.Infinity || c.primary.parent != nil || c.primary.kind == cib.Group {
			continue
		}
		for _, task := range []string{"start", "promote"} {
			if task == "promote" && c.primaryRole != RolePromoted {
				continue
			}
			if !cannotReach(c.primary, task) {
				continue
			}
			block := "start"
			if c.dependentRole == RolePromoted {
				block = "promote"
			}
			if apply(c.dependent, block, setUnrunnable) {
				changed = true
			}
		}
	}
	return changed
}

// cannotReach reports whether r has an action of the task that cannot run
// and, for a clone, whether every instance has one.
func cannotReach(r *resource, task string) bool {
	switch r.kind {
	case cib.Primitive:
		if r.parent != nil && r.parent.isClone() {
			// Every clone instance has a start: the clone's own
			// orderings create one, without a node, for an instance
			// that gets none otherwise, and that one cannot run.
			for _, a := range r.actionsFor(task) {
				if a.node != nil && !r.blocked && a.runnable {
					return false
				}
			}
			return true
		}
		for _, a := range r.actionsFor(task) {
			// Pacemaker creates no start for a resource that stays
			// stopped or for a blocked one that stays where it is.
			if a.node == nil || r.blocked {
				continue
			}
			if !a.runnable {
				return true
			}
		}
		return false
	case cib.Group:
		_, run, ex := summary(r, task)
		return ex && !run
	}
	if len(r.children) == 0 {
		return false
	}
	for _, inst := range r.children {
		if !cannotReach(inst, task) {
			return false
		}
	}
	return true
}

func (ws *workingSet) applyOrdering(o *ordering) bool {
	if o.minFirst == 0 && canInterleave(o) {
		return ws.applyInterleaved(o)
	}
	fReq, fRun, fEx := summary(o.first, o.firstTask)
	if o.minFirst > 0 {
		fRun = runnableInstances(o.first, o.firstTask) >= o.minFirst
	}
	if !fEx && o.firstTask == "promote" && (o.first.isClone() || !o.first.top().promotable) {
		// A promotion that nobody carries out (the resource is not
		// promotable, or no instance of the clone gets promoted) never
		// becomes runnable: the ordering waits on it forever.
		fEx, fRun, fReq = true, false, false
	}
	tReq, tRun, tEx := summary(o.then, o.thenTask)
	if !fEx || !tEx {
		return false
	}
	changed := false
	if o.flags&restart != 0 && o.first == o.then {
		// Stops implied by fencing do not force a start elsewhere to
		// become a restart.
		fReq = false
		for _, a := range o.first.actionsFor(o.firstTask) {
			if !a.optional && !a.pseudo && !a.unexpected {
				fReq = true
			}
		}
	}
	if o.flags&restart != 0 {
		// Same primitive: stop → start.
		if tReq {
			changed = apply(o.first, o.firstTask, setRequired) || changed
		}
		if !tRun && o.then.managed && o.first == o.then {
			changed = apply(o.first, o.firstTask, setRequired) || changed
		}
		allReq, run, _ := summary(o.first, o.firstTask)
		fRun = run
		if allReq && !fRun {
			changed = apply(o.then, o.thenTask, setUnrunnable) || changed
		}
	}
	if o.flags&impliesThen != 0 && fReq {
		changed = apply(o.then, o.thenTask, func(a *action) bool {
			if a.node == nil && (a.task == "start" || a.task == "promote") {
				return false
			}
			// A clone only forces what follows it on the nodes where its
			// own instances change.
			// (Clone "then" actions have no node, so they see the
			// clone-wide requiredness.)
			if o.first.isClone() && !o.then.isClone() && !requiredOn(o.first, o.firstTask, a.node) {
				return false
			}
			// Pacemaker passes an ordering on to a clone's instances
			// only where their action can run.
			if o.then.isClone() && !a.runnable {
				return false
			}
			return setRequired(a)
		}) || changed
	}
	// A required "then" does not make an implies-first "first" required:
	// Pacemaker 2.1.5 only requires it when the first resource's summary
	// flags already say so, which for the orderings built here (inverse
	// user orderings, group member demotions) never adds anything; the
	// stop that must precede a restart comes from the restart flag.
	if o.flags&(impliesFirst|impliesThen) != 0 && fReq && !fRun && !merelyUnmanaged(o.first) && !o.first.isClone() {
		// What must happen first cannot: neither can what follows.
		// (Not for a clone: its own actions are pseudo-actions of a
		// managed resource, so an instance that cannot act does not
		// hold back what follows the clone.)
		changed = apply(o.then, o.thenTask, setUnrunnable) || changed
	}
	if o.flags&promotedImpliesFirst != 0 && tReq && o.first.role == RolePromoted {
		changed = apply(o.first, o.firstTask, setRequired) || changed
	}
	if o.flags&asymmetrical != 0 && !fRun {
		// Only what would newly happen is held back; an instance that
		// simply stays where it is keeps running.
		changed = apply(o.then, o.thenTask, func(a *action) bool {
			return !a.optional && setUnrunnable(a)
		}) || changed
	}
	if o.flags&runnableLeft != 0 && !fRun {
		changed = apply(o.then, o.thenTask, setUnrunnable) || changed
	}
	return changed
}

// requiredOn reports whether any action of task below r on n is required.
func requiredOn(r *resource, task string, n *node) bool {
	found := false
	apply(r, task, func(a *action) bool {
		if a.node == n && !a.optional {
			found = true
		}
		return false
	})
	return found
}

// canInterleave reports whether an ordering between two clones pairs their
// instances node by node (interleave=true on the clone that acts second).
func canInterleave(o *ordering) bool {
	if o.first == o.then || !o.first.isClone() || !o.then.isClone() {
		return false
	}
	r := o.then
	if o.thenTask == "stop" || o.thenTask == "demote" {
		r = o.first
	}
	return r.interleave
}

// applyInterleaved applies an ordering instance by instance: each instance
// of the second clone depends on the first clone's instance on its node.
func (ws *workingSet) applyInterleaved(o *ordering) bool {
	current := o.thenTask == "stop" || o.thenTask == "demote"
	changed := false
	for _, inst := range o.then.children {
		n := inst.allocatedTo
		if current {
			n = inst.currentNode()
			if len(inst.runningOn) == 0 {
				ns := instanceNodes(inst)
				if len(ns) > 0 {
					n = ns[0]
				}
			}
		}
		if n == nil {
			continue
		}
		var partner *resource
		for _, f := range o.first.children {
			fn := f.allocatedTo
			if current {
				ns := instanceNodes(f)
				fn = nil
				if len(ns) > 0 {
					fn = ns[0]
				}
			}
			if fn == n {
				partner = f
				break
			}
		}
		if partner == nil {
			if !current && o.flags&(runnableLeft|impliesThen) != 0 {
				changed = apply(inst, o.thenTask, setUnrunnable) || changed
			}
			continue
		}
		sub := &ordering{first: partner, then: inst, firstTask: o.firstTask, thenTask: o.thenTask, flags: o.flags}
		if ws.applyOrdering(sub) {
			changed = true
		}
	}
	return changed
}

// runnableInstances counts the clone instances whose task can happen
// (for start: instances that will be active).
func runnableInstances(c *resource, task string) int {
	n := 0
	for _, inst := range c.children {
		_, run, ex := summary(inst, task)
		if ex && run && (task != "start" && task != "promote" || inst.allocatedTo != nil) {
			n++
		}
	}
	return n
}

// cleanActive counts the nodes a resource is active on that are not about
// to be fenced; copies on unclean nodes go away with the node.
func cleanActive(r *resource) int {
	n := 0
	for _, x := range r.runningOn {
		if !x.unclean {
			n++
		}
	}
	return n
}

// merelyUnmanaged reports whether every primitive below r is unmanaged
// without being blocked: such resources are left alone, and constraints
// do not wait for them.
func merelyUnmanaged(r *resource) bool {
	for _, p := range r.primitives() {
		if p.managed || p.blocked {
			return false
		}
	}
	return true
}
