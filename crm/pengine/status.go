package pengine

import (
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// fenceNode marks a node unclean so that it will be fenced.
func (ws *workingSet) fenceNode(n *node, reason string) {
	if !n.unclean {
		n.fenceReason = reason
	}
	n.unclean = true
}

// unpackNodeStates applies node_state membership and transient attributes.
func (ws *workingSet) unpackNodeStates() {
	ctx := &cib.RuleContext{Now: ws.now}
	for i := range ws.cib.Status {
		st := &ws.cib.Status[i]
		n := ws.nodeByIDOrName(st.ID, st.Uname)
		if n == nil || !n.unseen {
			continue
		}
		n.unseen = false
		nvsetsToMap(st.Transient, ctx, n.attrs, true)
		if cib.IsTrue(n.attrs["standby"]) {
			n.standby, n.standbyAttr = true, true
		}
		if cib.IsTrue(n.attrs["maintenance"]) {
			n.maintenance = true
		}
		n.unclean = false
		ws.determineOnline(st, n)
	}
	ws.setBuiltinAttrs()
}

func shutdownRequested(n *node) bool {
	v := n.attrs["shutdown"]
	return v != "" && v != "0"
}

func (ws *workingSet) determineOnline(st *cib.NodeState, n *node) {
	n.shutdown, n.expectedUp = false, false
	if shutdownRequested(n) {
		n.shutdown = true
	} else if strings.EqualFold(st.Expected, "member") {
		n.expectedUp = true
	}
	var online bool
	if !ws.stonithEnabled {
		online = ws.onlineNoFencing(st, n)
	} else {
		online = ws.onlineFencing(st, n)
	}
	n.online = online
}

func isPeerOnline(v string) bool {
	return strings.EqualFold(v, "online") || cib.IsTrue(v)
}

func (ws *workingSet) onlineNoFencing(st *cib.NodeState, n *node) bool {
	switch {
	case !cib.IsTrue(st.InCCM):
	case isPeerOnline(st.Crmd):
		if strings.EqualFold(st.Join, "member") {
			return true
		}
	case !n.expectedUp:
	default:
		ws.fenceNode(n, "peer is unexpectedly down")
	}
	return false
}

func (ws *workingSet) onlineFencing(st *cib.NodeState, n *node) bool {
	term := n.attrs["terminate"]
	doTerminate := cib.IsTrue(term) || (term != "" && term[0] != '0' && term[0] >= '0' && term[0] <= '9')
	inCluster := cib.IsTrue(st.InCCM)
	online := inCluster
	crmdOnline := isPeerOnline(st.Crmd)
	exp := st.Expected
	if exp == "" {
		exp = "down"
	}
	join := strings.ToLower(st.Join)
	switch {
	case n.shutdown:
		online = crmdOnline
	case !st.HasInCCM:
		ws.fenceNode(n, "peer has not been seen by the cluster")
	case join == "nack" || join == "banned":
		ws.fenceNode(n, "peer failed membership criteria")
	case !doTerminate && strings.EqualFold(exp, "down"):
		if inCluster || crmdOnline {
			n.standby, n.pending = true, true
		}
	case doTerminate && join == "down" && !inCluster && !crmdOnline:
		online = false
	case !inCluster:
		ws.fenceNode(n, "peer is no longer part of the cluster")
	case !crmdOnline:
		ws.fenceNode(n, "peer process is no longer available")
	case doTerminate:
		ws.fenceNode(n, "termination was requested")
	case join == "member":
	case join == "pending" || join == "down":
		n.standby, n.pending = true, true
	default:
		ws.fenceNode(n, "peer was in an unknown state")
	}
	return online
}

// historyEntry pairs an lrm_resource with the node it was recorded on.
type historyEntry struct {
	node *node
	lrm  *cib.LRMResource
}

// unpackHistory replays every node's operation history into resource state.
func (ws *workingSet) unpackHistory() {
	var entries []historyEntry
	addFor := func(pred func(*node) bool) {
		for i := range ws.cib.Status {
			st := &ws.cib.Status[i]
			n := ws.nodeByIDOrName(st.ID, st.Uname)
			if n == nil || !pred(n) {
				continue
			}
			for j := range st.Resources {
				entries = append(entries, historyEntry{n, &st.Resources[j]})
			}
		}
	}
	// Online nodes first, as the scheduler processes them, so anonymous
	// clone instances are matched in the same order.
	seen := map[*node]bool{}
	addFor(func(n *node) bool { ok := n.online && !seen[n]; seen[n] = seen[n] || ok; return ok })
	// Offline nodes' history only matters when they can be fenced; without
	// fencing whatever they ran is taken as gone.
	if ws.stonithEnabled {
		addFor(func(n *node) bool { ok := !seen[n]; seen[n] = true; return ok })
	}
	for _, e := range entries {
		ws.unpackLRMResource(e.node, e.lrm)
	}
}

// findForHistory maps an lrm_resource id to the resource (instance) it
// describes, creating orphans as needed.
func (ws *workingSet) findForHistory(n *node, lr *cib.LRMResource) *resource {
	id := lr.ID
	if r, ok := ws.byID[id]; ok && r.kind == cib.Primitive && !(r.parent != nil && r.top().isClone()) {
		return r
	}
	base := id
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		base = id[:i]
	}
	// Locate the configured primitive and the clone it is in, if any.
	var clone *resource
	for _, r := range ws.resources {
		if r.isClone() && containsConfigID(r.cfg, base) {
			clone = r
			break
		}
	}
	if clone == nil {
		return ws.orphan(lr, n)
	}
	if clone.unique {
		if r, ok := ws.byID[id]; ok && r.kind == cib.Primitive {
			return r
		}
		// An instance beyond clone-max: an orphan instance.
		num := -1
		if i := strings.LastIndexByte(id, ':'); i >= 0 {
			num, _ = strconv.Atoi(id[i+1:])
		}
		if num < 0 {
			num = clone.nextInstance
		}
		inst := ws.orphanInstance(clone, num)
		return findPrimitive(inst, base)
	}
	// Anonymous: the instance already active on this node, else the first
	// instance not active anywhere.
	for _, inst := range clone.children {
		for _, p := range inst.primitives() {
			for _, rn := range p.runningOn {
				if rn == n {
					if q := findPrimitive(inst, base); q != nil && len(q.runningOn) == 0 || q != nil && !q.knownOn(n) {
						return q
					}
				}
			}
		}
	}
	for _, inst := range clone.children {
		if inst.orphan {
			continue
		}
		active := false
		for _, p := range inst.primitives() {
			if len(p.runningOn) > 0 {
				active = true
			}
		}
		if !active {
			if q := findPrimitive(inst, base); q != nil {
				return q
			}
		}
	}
	inst := ws.orphanInstance(clone, clone.nextInstance)
	return findPrimitive(inst, base)
}

func (r *resource) knownOn(n *node) bool {
	for _, x := range r.runningOn {
		if x == n {
			return true
		}
	}
	return false
}

func containsConfigID(cr *cib.Resource, id string) bool {
	if cr.ID == id && cr.Kind == cib.Primitive {
		return true
	}
	for _, c := range cr.Children {
		if containsConfigID(c, id) {
			return true
		}
	}
	return false
}

func findPrimitive(r *resource, base string) *resource {
	for _, p := range r.primitives() {
		if p.baseID == base {
			return p
		}
	}
	return nil
}

func (ws *workingSet) orphanInstance(clone *resource, num int) *resource {
	if num >= clone.nextInstance {
		clone.nextInstance = num + 1
	}
	inst, err := ws.instantiate(clone.cfg.Children[0], clone, ":"+strconv.Itoa(num))
	if err != nil {
		return nil
	}
	inst.orphan = true
	for _, p := range inst.primitives() {
		p.orphan = true
	}
	clone.children = append(clone.children, inst)
	return inst
}

func (ws *workingSet) orphan(lr *cib.LRMResource, n *node) *resource {
	if r, ok := ws.byID[lr.ID]; ok && r.orphan {
		return r
	}
	cr := &cib.Resource{Kind: cib.Primitive, ID: lr.ID, Class: lr.Class, Provider: lr.Provider, Type: lr.Type}
	if cr.Type == "" {
		cr.Type = "unknown"
	}
	r := &resource{id: lr.ID, baseID: lr.ID, kind: cib.Primitive, cfg: cr, class: cr.Class, provider: cr.Provider,
		typ: cr.Type, allowed: map[*node]score.Score{}, provisional: true,
		instanceCount: map[*node]int{}, orphan: true}
	_ = ws.initResource(r, nil)
	if !ws.stopOrphans {
		r.managed = false
	}
	ws.byID[r.id] = r
	ws.all = append(ws.all, r)
	ws.resources = append(ws.resources, r)
	return r
}

// targetRC reads the expected return code from a transition key
// "action:transition:target_rc:uuid"; -1 when absent.
func targetRC(op *cib.LRMOp) int {
	parts := strings.Split(op.TransitionKey, ":")
	if len(parts) < 3 {
		return -1
	}
	v, err := strconv.Atoi(parts[2])
	if err != nil {
		return -1
	}
	return v
}

const (
	execPending   = -1
	execDone      = 0
	execCancelled = 1
	execTimeout   = 2
	execNotSupp   = 3
	execError     = 4
	execErrHard   = 5
	execErrFatal  = 6
	execNotInst   = 7
)

// onFailFor finds the failure policy configured for an operation.
func (ws *workingSet) onFailFor(r *resource, task string, intervalMS int) onFail {
	var val string
	found := false
	for _, op := range r.cfg.Ops {
		if op.Name != task {
			continue
		}
		ms, _ := cib.ParseIntervalMS(op.Interval)
		if ms != intervalMS {
			continue
		}
		if op.OnFail != "" {
			val, found = op.OnFail, true
		} else {
			m := map[string]string{}
			nvsetsToMap(op.Meta, &cib.RuleContext{Now: ws.now}, m, false)
			if v, ok := m["on-fail"]; ok {
				val, found = v, true
			}
		}
		break
	}
	if !found {
		m := map[string]string{}
		nvsetsToMap(ws.cib.OpDefaults, &cib.RuleContext{Now: ws.now, HasOp: true, OpName: task, OpInterval: intervalMS}, m, false)
		if v, ok := m["on-fail"]; ok {
			val, found = v, true
		}
	}
	if found {
		if f, ok := parseOnFail(val); ok {
			if f == failDemote && task != "promote" && !(task == "monitor" && r.top().promotable) {
				f = failRecover
			}
			if f == failFence && !ws.stonithEnabled {
				f = failStop
			}
			return f
		}
	}
	if task == "stop" {
		if ws.stonithEnabled {
			return failFence
		}
		return failBlock
	}
	return failRecover
}

func (r *resource) setActive() {
	if r.top().promotable {
		r.role = RoleUnpromoted
	} else {
		r.role = RoleStarted
	}
}

// unpackLRMResource replays one resource's history on one node.
func (ws *workingSet) unpackLRMResource(n *node, lr *cib.LRMResource) {
	if len(lr.Ops) == 0 {
		return
	}
	r := ws.findForHistory(n, lr)
	if r == nil {
		return
	}
	ops := append([]cib.LRMOp(nil), lr.Ops...)
	sort.SliceStable(ops, func(i, j int) bool {
		a, b := ops[i].CallID, ops[j].CallID
		if a < 0 && b >= 0 {
			return false
		}
		if b < 0 && a >= 0 {
			return true
		}
		return a < b
	})
	if r.historyName == nil {
		r.historyName = map[*node]string{}
	}
	r.historyName[n] = lr.ID
	saved := r.role
	r.role = RoleUnknown
	fail := failIgnore
	var lastFailure *cib.LRMOp
	for i := range ops {
		ws.unpackOp(r, n, &ops[i], &fail, &lastFailure)
	}
	ws.processState(r, n, fail)
	if r.role > RoleStopped && activeStartWithoutDigest(ops) {
		if r.changedOn == nil {
			r.changedOn = map[*node]bool{}
		}
		r.changedOn[n] = true
	}
	if tr := r.targetRole(); tr != RoleUnknown {
		if r.nextRole == RoleUnknown || tr < r.nextRole {
			r.nextRole = tr
		}
	}
	if saved > r.role {
		r.role = saved
	}
}

func (ws *workingSet) unpackOp(r *resource, n *node, op *cib.LRMOp, fail *onFail, lastFailure **cib.LRMOp) {
	task := op.Operation
	status := op.OpStatus
	rc := op.RC
	target := targetRC(op)
	isProbe := task == "monitor" && op.IntervalMS == 0
	if task == "notify" || task == "meta-data" || task == "cancel" || task == "delete" {
		return
	}
	if status == execCancelled {
		return
	}
	// Done or error: the expected result decides whether it failed.
	// Degraded results count as their healthy counterparts.
	switch rc {
	case 190:
		rc = 0
	case 191:
		rc = 8
	}
	if status == execDone || status == execError {
		status = ws.determineOpStatus(r, n, task, rc, target, isProbe, op.IntervalMS, fail)
	}
	switch status {
	case execPending:
		switch task {
		case "start", "migrate_from":
			r.setActiveIfLower(RoleStarted)
		case "promote":
			r.role = RolePromoted
		case "monitor":
			if r.role < RoleStarted {
				r.setActive()
			}
		}
	case execDone:
		ws.updateState(r, task, rc, op, fail, *lastFailure)
	default:
		f := ws.onFailFor(r, task, op.IntervalMS)
		// A missing agent cannot be ignored.
		if f == failIgnore && status != execNotInst {
			ws.updateState(r, task, target, op, fail, *lastFailure)
			r.failIgnored = true
			return
		}
		*lastFailure = op
		ws.opFailure(r, n, task, rc, op, fail, isProbe)
		switch status {
		case execErrHard, execNotInst:
			ws.ban(ws.failTarget(r), n)
		case execErrFatal:
			for _, nn := range ws.nodes {
				ws.ban(ws.failTarget(r), nn)
			}
		}
	}
}

func (r *resource) setActiveIfLower(role Role) {
	if r.role < role {
		r.setActive()
	}
}

// failTarget is the resource a failure-related ban applies to: anonymous
// clone instances share their clone's bans.
func (ws *workingSet) failTarget(r *resource) *resource {
	if r.parent != nil && r.top().isClone() && !r.top().unique {
		return r.top()
	}
	return r
}

// bans recorded during unpacking, applied once placement starts.
func (ws *workingSet) ban(r *resource, n *node) {
	ws.locations = append(ws.locations, locationRule{id: "ban", rsc: r, nodes: map[*node]score.Score{n: score.NegInfinity}, order: []*node{n}})
}

func (ws *workingSet) determineOpStatus(r *resource, n *node, task string, rc, target int, isProbe bool, interval int, fail *onFail) int {
	result := execDone
	if target >= 0 && target != rc {
		result = execError
	}
	switch rc {
	case 0:
		if isProbe && target == 7 {
			result = execDone
		}
	case 7:
		if isProbe || target == rc || !r.managed {
			result = execDone
			r.role = RoleStopped
			*fail = failIgnore
			r.nextRole, r.unpromotedAfterFailure = RoleUnknown, false
		}
	case 8:
		if isProbe && rc != target {
			result = execDone
		}
		r.role = RolePromoted
	case 9, 10:
		r.role = RolePromoted
		result = execError
	case 6:
		result = execErrFatal
	case 3:
		if interval > 0 {
			result = execNotSupp
			break
		}
		fallthrough
	case 5, 2, 4:
		if task == "stop" && !ws.canFence(n) {
			result = execError
		} else {
			result = execErrHard
		}
	default:
		if result == execDone {
			result = execError
		}
	}
	return result
}

func (ws *workingSet) updateState(r *resource, task string, rc int, op *cib.LRMOp, fail *onFail, lastFailure *cib.LRMOp) {
	clear := false
	switch {
	case rc == 7:
		clear = true
	case rc == 5:
		r.role = RoleStopped
	case task == "monitor":
		if lastFailure != nil && opKey(lastFailure) == opKey(op) {
			clear = true
		}
		if r.role < RoleStarted {
			r.setActive()
		}
	case task == "start":
		r.role = RoleStarted
		if r.top().promotable {
			r.role = RoleUnpromoted
		}
		clear = true
	case task == "stop":
		r.role = RoleStopped
		clear = true
	case task == "promote":
		r.role = RolePromoted
		clear = true
	case task == "demote":
		if *fail == failDemote {
			clear = true
		}
		r.role = RoleUnpromoted
	case task == "migrate_from":
		r.role = RoleStarted
		clear = true
	case task == "migrate_to":
		// The source keeps it until migrate_from succeeds elsewhere.
		if r.role < RoleStarted {
			r.setActive()
		}
	default:
		if r.role < RoleStarted {
			r.setActive()
		}
	}
	if clear {
		switch *fail {
		case failStop, failFence, failMigrate, failStandby:
		default:
			*fail = failIgnore
			r.nextRole, r.unpromotedAfterFailure = RoleUnknown, false
		}
	}
}

func opKey(op *cib.LRMOp) string {
	return op.Operation + "_" + strconv.Itoa(op.IntervalMS)
}

func (ws *workingSet) opFailure(r *resource, n *node, task string, rc int, op *cib.LRMOp, fail *onFail, isProbe bool) {
	f := ws.onFailFor(r, task, op.IntervalMS)
	if task == "stop" {
		ws.ban(r, n)
	}
	if f == failStop {
		// The failure's role is Stopped: the resource (for an anonymous
		// clone, the whole clone) is kept from starting anywhere, even
		// when the node it failed on is fenced afterwards.
		if r.nextRole < RoleStopped {
			r.nextRole = RoleStopped
		}
		t := r
		if r.parent != nil && r.top().isClone() && !r.top().unique {
			t = r.top()
		}
		everywhere := locationRule{id: "on-fail-stop", rsc: t, nodes: map[*node]score.Score{}}
		for _, nn := range ws.nodes {
			everywhere.nodes[nn] = score.NegInfinity
			everywhere.order = append(everywhere.order, nn)
		}
		ws.locations = append(ws.locations, everywhere)
	}
	switch task {
	case "promote":
		r.role = RolePromoted
		// A failed promotion's role after failure is Unpromoted (unless
		// on-fail=stop made it Stopped): the instance is recovered but
		// cannot be promoted again in this transition.
		if r.nextRole < RoleUnpromoted && f != failStop {
			r.nextRole = RoleUnpromoted
			r.unpromotedAfterFailure = true
		}
	case "demote":
		switch {
		case f == failBlock:
			r.role = RolePromoted
			r.nextRole = RoleStopped
		case rc == 7:
			r.role = RoleStopped
		default:
			r.role = RoleUnpromoted
		}
	}
	// A probe or stop that finds no agent means the resource cannot be
	// running there.
	if (isProbe || task == "stop") && (rc == 5 || op.OpStatus == execNotInst) {
		r.role = RoleStopped
	} else if r.role < RoleStarted {
		r.setActive()
	}
	if f > *fail {
		*fail = f
	}
}

// processState records where the resource is active after its history on a
// node has been replayed, and applies the failure policy.
func (ws *workingSet) processState(r *resource, n *node, fail onFail) {
	if r.role == RoleUnknown {
		return
	}
	if n.unclean {
		fail = failIgnore
	}
	saved := fail
	switch fail {
	case failFence:
		ws.fenceNode(n, r.id+" failed there")
	case failStandby:
		n.standby, n.standbyOnFail = true, true
	case failBlock:
		r.managed = false
		r.blocked = true
	case failMigrate:
		ws.ban(r, n)
	case failStop:
		r.nextRole = RoleStopped
	}
	if r.role != RoleStopped && n.maintenance {
		// Nothing on a node in maintenance is touched.
		r.managed = false
	}
	if r.role != RoleStopped {
		if !r.knownOn(n) {
			r.runningOn = append(r.runningOn, n)
			if !r.managed {
				// An unmanaged resource prefers where it is with INFINITY;
				// what is colocated with it sees that preference.
				ws.locations = append(ws.locations, locationRule{id: "not_managed_default", rsc: r,
					nodes: map[*node]score.Score{n: score.Infinity}, order: []*node{n}})
			}
		}
		switch saved {
		case failIgnore:
		case failDemote:
			// Recovered by demoting: no restart.
			r.failed = true
			if r.role == RolePromoted {
				r.demoteRecover = true
			}
		default:
			r.failed = true
			if r.stopNodesFailed == nil {
				r.stopNodesFailed = map[*node]bool{}
			}
			r.stopNodesFailed[n] = true
		}
	}
}

// failCount sums the fail-count attributes recorded for r on n:
// "fail-count-ID" (old style) and "fail-count-ID#op_interval". Anonymous
// clone instances count every instance number's attributes.
func (ws *workingSet) failCount(r *resource, n *node) int {
	anonymous := r.parent != nil && r.top().isClone() && !r.top().unique
	total := 0
	for k, v := range n.attrs {
		rest, ok := strings.CutPrefix(k, "fail-count-")
		if !ok {
			continue
		}
		name, opKey, _ := strings.Cut(rest, "#")
		if anonymous {
			if i := strings.LastIndexByte(name, ':'); i >= 0 {
				name = name[:i]
			}
			if name != r.baseID {
				continue
			}
		} else if name != r.id {
			continue
		}
		if opKey != "" && ws.ignoredFailure(r, opKey) {
			continue
		}
		total = int(score.Add(score.Score(total), score.MustParse(v)))
	}
	return total
}

// ignoredFailure reports whether a per-operation fail count ("monitor_10000")
// belongs to an operation configured with on-fail=ignore.
func (ws *workingSet) ignoredFailure(r *resource, opKey string) bool {
	i := strings.LastIndexByte(opKey, '_')
	if i < 0 {
		return false
	}
	ms, err := strconv.Atoi(opKey[i+1:])
	if err != nil {
		return false
	}
	return ws.onFailFor(r, opKey[:i], ms) == failIgnore
}

// activeStartWithoutDigest reports whether the start (or promotion) that
// made the resource active carries no parameter digest. Pacemaker then
// cannot confirm the parameters are unchanged and restarts the resource.
func activeStartWithoutDigest(ops []cib.LRMOp) bool {
	last := -1
	for i, op := range ops {
		if op.IntervalMS != 0 || op.OpStatus != execDone {
			continue
		}
		switch op.Operation {
		case "start", "migrate_from":
			if op.RC == 0 {
				last = i
			}
		case "stop":
			if op.RC == 0 {
				last = -1
			}
		}
	}
	return last >= 0 && ops[last].OpDigest == ""
}
