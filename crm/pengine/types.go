package pengine

import (
	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// Role is the role of a resource instance.
type Role int

// Roles in Pacemaker's order: a higher role implies the lower ones.
const (
	RoleUnknown Role = iota
	RoleStopped
	RoleStarted
	RoleUnpromoted
	RolePromoted
)

// String names the role as the normalized output prints it.
func (r Role) String() string {
	switch r {
	case RoleStopped:
		return "Stopped"
	case RoleStarted:
		return "Started"
	case RoleUnpromoted:
		return "Unpromoted"
	case RolePromoted:
		return "Promoted"
	}
	return "Unknown"
}

func parseRole(s string) Role {
	switch s {
	case "Stopped", "stopped":
		return RoleStopped
	case "Started", "started":
		return RoleStarted
	case "Slave", "Unpromoted", "slave", "unpromoted":
		return RoleUnpromoted
	case "Master", "Promoted", "master", "promoted":
		return RolePromoted
	}
	return RoleUnknown
}

type node struct {
	idx                  int
	id, uname            string
	attrs                map[string]string
	online, unclean      bool
	standby, pending     bool
	shutdown, expectedUp bool
	maintenance, unseen  bool
	standbyOnFail        bool
	standbyAttr          bool
	isDC                 bool
	numResources         int
	fenceReason          string
}

// available reports whether the node can run resources.
func (n *node) available() bool {
	return n.online && !n.shutdown && !n.unclean && !n.standby && !n.maintenance
}

// onFail is a failure-handling policy, ordered by severity as Pacemaker
// compares them.
type onFail int

const (
	failIgnore onFail = iota
	failDemote
	failRecover
	failMigrate
	failBlock
	failStop
	failStandby
	failFence
)

func parseOnFail(s string) (onFail, bool) {
	switch s {
	case "ignore", "nothing":
		return failIgnore, true
	case "demote":
		return failDemote, true
	case "restart":
		return failRecover, true
	case "block":
		return failBlock, true
	case "stop":
		return failStop, true
	case "standby":
		return failStandby, true
	case "fence":
		return failFence, true
	case "migrate":
		return failMigrate, true
	}
	return failRecover, false
}

// resource is one resource of the working set: a primitive, a group, a
// clone, or a clone instance (a primitive or group named "ID:N").
type resource struct {
	id       string // instance name as printed (":N" kept)
	baseID   string // configured id
	kind     cib.Kind
	cfg      *cib.Resource
	parent   *resource
	children []*resource

	class, provider, typ string
	meta, params         map[string]string

	priority      int
	stickiness    score.Score
	migThreshold  int
	multiActive   string // multiple-active recovery
	managed       bool
	orphan        bool // in the status section only
	failed        bool
	blocked       bool // failed in a way Pacemaker will not touch
	failIgnored   bool // a failure was ignored (on-fail=ignore)
	demoteRecover bool // promoted-role failure with on-fail=demote
	// unpromotedAfterFailure: a failed promote left the role after
	// failure at Unpromoted, so the instance is not promoted again now.
	unpromotedAfterFailure bool
	// unmanagedNoFencing: unmanaged only because fencing is enabled
	// without any fencing device (not shown as unmanaged).
	unmanagedNoFencing bool
	unique             bool // globally unique (clone instances keep their number)
	promotable         bool
	cloneInstance      bool

	// State from the history, and the assignment being computed.
	role, nextRole  Role
	runningOn       []*node
	stopNodesFailed map[*node]bool   // nodes where it failed and needs recovery
	historyName     map[*node]string // lrm_resource id it was found under
	changedOn       map[*node]bool   // active start recorded without a parameter digest
	allowed         map[*node]score.Score
	provisional     bool
	allocating      bool
	merging         bool
	allocatedTo     *node

	thisWith []*colocation // constraints where this resource is the dependent
	withThis []*colocation // constraints where this resource is the primary

	// Clone settings and bookkeeping.
	cloneMax, cloneNodeMax       int
	promotedMax, promotedNodeMax int
	interleave, ordered          bool
	instanceCount                map[*node]int
	nextInstance                 int

	// Group settings.
	groupColocated, groupOrdered bool

	actionList []*action
}

func (r *resource) isClone() bool { return r.kind == cib.Clone || r.kind == cib.Master }

// top returns the outermost ancestor.
func (r *resource) top() *resource {
	for r.parent != nil {
		r = r.parent
	}
	return r
}

// currentNode is the first node the resource is active on.
func (r *resource) currentNode() *node {
	if len(r.runningOn) == 0 {
		return nil
	}
	return r.runningOn[0]
}

// primitives lists the leaf resources below r (r itself for a primitive).
func (r *resource) primitives() []*resource {
	if r.kind == cib.Primitive {
		return []*resource{r}
	}
	var out []*resource
	for _, c := range r.children {
		out = append(out, c.primitives()...)
	}
	return out
}

type colocation struct {
	id                         string
	dependent, primary         *resource
	dependentRole, primaryRole Role
	score                      score.Score
	nodeAttr                   string
	influence                  bool
}
