package pengine

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"hbgo/crm/cib"
)

// NodeState is a node in the cluster state after the transition.
type NodeState struct {
	Name                          string
	Online, Pending               bool
	Standby, Maintenance, Unclean bool
}

// ResourceState is one active resource instance after the transition.
type ResourceState struct {
	ID, Node                           string
	Role                               Role
	Failed, Blocked, Unmanaged, Orphan bool
}

// Action is one executable action of the transition.
type Action struct {
	Task     string // start, stop, promote, demote, fence, shutdown
	Resource string // empty for fence and shutdown
	Node     string
	Fence    string // reboot, off or on (fence only)
}

// AllocationScore is one allocation score, for crm_simulate -s: the scores a
// resource had on each node when it was placed.
type AllocationScore struct {
	Stage          string // "pcmk__native_allocate" or "pcmk__clone_allocate"
	Resource, Node string
	Value          string
}

// Result is what Schedule computes.
type Result struct {
	Nodes     []NodeState       // every configured node, after the transition
	Resources []ResourceState   // active instances after the transition
	Actions   []Action          // fencing, shutdowns, then resource actions
	Scores    []AllocationScore // node scores at assignment time
}

// ErrNilCIB is returned by Schedule when it is given no CIB.
var ErrNilCIB = errors.New("schedule: nil CIB")

// Schedule computes the transition for c at time now (the CIB's
// execution-date, when present, takes precedence). It does not modify c.
// Stages, in order: unpack nodes and history, apply locations, stickiness
// and failure thresholds, assign resources, create actions, order them and
// propagate which ones are required and runnable.
func Schedule(c *cib.CIB, now time.Time) (*Result, error) {
	if c == nil {
		return nil, ErrNilCIB
	}
	if c.ExecutionDate != "" {
		if secs, err := strconv.ParseInt(c.ExecutionDate, 10, 64); err == nil {
			now = time.Unix(secs, 0).UTC()
		}
	}
	ws, err := newWorkingSet(c, now)
	if err != nil {
		return nil, err
	}
	ws.unpackNodeStates()
	ws.unpackHistory()
	ws.finishUnpack()
	ws.applyLocations()
	ws.unpackColocations()
	ws.groupInternalColocations()
	ws.assignAll()
	ws.sortInstancesByNumber()
	ws.createActions()
	ws.internalOrderings()
	ws.userOrderings()
	ws.propagate()
	return ws.result(), nil
}

// sortInstancesByNumber puts every clone's instances back in instance
// number order once resources are assigned. Pacemaker does this when it
// schedules probes (whenever some node is up and clean), and interleaved
// orderings pair each instance with the first instance of the other clone
// on the same node in this order.
func (ws *workingSet) sortInstancesByNumber() {
	probing := false
	for _, n := range ws.nodes {
		if n.online && !n.unclean {
			probing = true
		}
	}
	if !probing {
		return
	}
	for _, r := range ws.all {
		if r.isClone() {
			r.children = mergeSortResources(r.children, func(a, b *resource) int {
				return cmpInts(instanceNumber(a), instanceNumber(b))
			})
		}
	}
}

// finishUnpack settles roles after all history has been read.
func (ws *workingSet) finishUnpack() {
	for _, r := range ws.all {
		if r.kind != cib.Primitive {
			continue
		}
		if r.role == RoleUnknown {
			r.role = RoleStopped
		}
		if len(r.runningOn) == 0 && r.role > RoleStopped {
			r.role = RoleStopped
		}
		if tr := r.targetRole(); tr != RoleUnknown && (r.nextRole == RoleUnknown || tr < r.nextRole) {
			r.nextRole = tr
		}
		if r.orphan && ws.stopOrphans {
			r.nextRole = RoleStopped
		}
	}
	// A primitive active on more than one node is recovered as its
	// multiple-active setting says.
	for _, r := range ws.all {
		if r.kind != cib.Primitive || cleanActive(r) < 2 {
			continue
		}
		switch r.multiActive {
		case "block":
			r.managed, r.blocked = false, true
			if p := r.parent; p != nil && p.kind == cib.Group && p.multiActive == "block" {
				for _, c := range p.children {
					c.managed, c.blocked = false, true
				}
			}
		case "stop_only":
			r.nextRole = RoleStopped
		}
	}
	// (A group's or clone's target-role reaches its members through meta
	// attribute inheritance, where a member's own setting wins.)
	for _, r := range ws.all {
		if r.kind != cib.Primitive && len(r.children) > 0 {
			// A group is as active as its members.
			for _, p := range r.primitives() {
				for _, n := range p.runningOn {
					if !r.knownOn(n) {
						r.runningOn = append(r.runningOn, n)
					}
				}
				if p.role > r.role {
					r.role = p.role
				}
			}
		}
	}
}

// recordScores remembers r's node scores at assignment time.
func (ws *workingSet) recordScores(stage string, r *resource) {
	for _, n := range ws.nodes {
		v, ok := r.allowed[n]
		if !ok {
			continue
		}
		ws.scores = append(ws.scores, AllocationScore{Stage: stage, Resource: r.id, Node: n.uname, Value: v.String()})
	}
}

func (ws *workingSet) result() *Result {
	res := &Result{Scores: ws.scores}
	fenced := map[*node]bool{}
	var fenceNodes []*node
	for _, n := range ws.nodes {
		if ws.willFence(n) {
			fenced[n] = true
			fenceNodes = append(fenceNodes, n)
		}
	}
	for _, n := range fenceNodes {
		res.Actions = append(res.Actions, Action{Task: "fence", Node: n.uname, Fence: ws.stonithAction})
	}
	for _, n := range ws.nodes {
		if n.online && n.shutdown && !fenced[n] && ws.stopsRunnable(n) {
			res.Actions = append(res.Actions, Action{Task: "shutdown", Node: n.uname})
		}
	}
	for _, n := range ws.nodes {
		st := NodeState{Name: n.uname}
		if fenced[n] {
			// Fencing takes the node down; its attributes stay, but its
			// resource history goes, and with it a standby that only an
			// on-fail=standby failure implied.
			st.Standby = n.standbyAttr
			st.Maintenance = n.maintenance
			res.Nodes = append(res.Nodes, st)
			continue
		}
		st.Online = n.online
		st.Pending = n.pending
		st.Standby = n.standbyAttr || n.standbyOnFail
		st.Maintenance = n.maintenance
		st.Unclean = n.unclean
		res.Nodes = append(res.Nodes, st)
	}
	for _, a := range ws.actions {
		if a.rsc == nil || a.optional || !a.runnable || a.pseudo || a.node == nil {
			continue
		}
		res.Actions = append(res.Actions, Action{Task: a.task, Resource: displayID(a.rsc), Node: a.node.uname})
	}
	for _, r := range ws.all {
		if r.kind != cib.Primitive {
			continue
		}
		res.Resources = append(res.Resources, ws.finalStates(r, fenced)...)
	}
	return res
}

// displayID is the name the normalized output uses: anonymous clone
// instances lose their ":N".
func displayID(r *resource) string {
	if r.cloneInstance && !r.top().unique {
		return r.baseID
	}
	return r.id
}

func did(r *resource, task string, n *node) (*action, bool) {
	for _, a := range r.actionList {
		if a.task == task && a.node == n {
			return a, !a.optional && a.runnable
		}
	}
	return nil, false
}

func (ws *workingSet) finalStates(r *resource, fenced map[*node]bool) []ResourceState {
	type placed struct {
		n      *node
		role   Role
		failed bool
	}
	var out []placed
	startRole := RoleStarted
	if r.top().promotable {
		startRole = RoleUnpromoted
	}
	for _, n := range r.runningOn {
		if fenced[n] {
			continue
		}
		if _, ok := did(r, "stop", n); ok {
			continue
		}
		role := r.role
		if role == RoleStarted && r.top().promotable {
			role = RoleUnpromoted
		}
		if _, ok := did(r, "demote", n); ok {
			role = RoleUnpromoted
		}
		if _, ok := did(r, "promote", n); ok {
			role = RolePromoted
		}
		out = append(out, placed{n, role, r.failedOn(n)})
	}
	if n := r.allocatedTo; n != nil {
		if _, ok := did(r, "start", n); ok {
			role := startRole
			if _, ok := did(r, "promote", n); ok {
				role = RolePromoted
			}
			out = append(out, placed{n, role, false})
		}
	}
	// A failure stays visible on every remaining line while the node it
	// happened on still holds the resource unrecovered.
	failedRemains := false
	for _, p := range out {
		if p.failed {
			failedRemains = true
		}
	}
	var states []ResourceState
	for _, p := range out {
		st := ResourceState{ID: displayID(r), Node: p.n.uname, Role: p.role, Orphan: r.orphan}
		st.Failed = failedRemains
		if r.blocked {
			st.Blocked = true
		} else if (!r.managed && !r.unmanagedNoFencing) || p.n.maintenance {
			st.Unmanaged = true
		}
		states = append(states, st)
	}
	return states
}

// Normalized renders the result in the corpus's normalized line format,
// sorted bytewise.
func (r *Result) Normalized() []string {
	var lines []string
	for _, n := range r.Nodes {
		if n.Pending {
			lines = append(lines, "node "+n.Name+" pending")
			continue
		}
		l := "node " + n.Name
		if n.Online {
			l += " online"
		} else {
			l += " offline"
		}
		if n.Standby {
			l += " standby"
		}
		if n.Maintenance {
			l += " maintenance"
		}
		if n.Unclean {
			l += " unclean"
		}
		lines = append(lines, l)
	}
	for _, s := range r.Resources {
		l := strings.Join([]string{"rsc", s.ID, s.Node, s.Role.String()}, " ")
		if s.Failed {
			l += " failed"
		}
		if s.Blocked {
			l += " blocked"
		} else if s.Unmanaged {
			l += " unmanaged"
		}
		if s.Orphan {
			l += " orphan"
		}
		lines = append(lines, l)
	}
	for _, a := range r.Actions {
		switch a.Task {
		case "fence":
			lines = append(lines, "fence "+a.Node+" "+a.Fence)
		case "shutdown":
			lines = append(lines, "shutdown "+a.Node)
		default:
			lines = append(lines, a.Task+" "+a.Resource+" "+a.Node)
		}
	}
	sort.Strings(lines)
	return lines
}

// stopsRunnable reports whether every required stop on n can run; the
// shutdown of a node waits for them.
func (ws *workingSet) stopsRunnable(n *node) bool {
	for _, a := range ws.actions {
		if a.node == n && a.task == "stop" && !a.optional && !a.runnable {
			return false
		}
	}
	return true
}
