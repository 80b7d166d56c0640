package status

import "hbgo/crm/cib"

// Role is the role a resource instance has now, named as crm_mon 2.1 does.
type Role string

// Roles a resource instance can be reported in.
const (
	Stopped    Role = "Stopped"
	Started    Role = "Started"
	Unpromoted Role = "Unpromoted"
	Promoted   Role = "Promoted"
)

// rank orders roles so that a later, higher role wins a comparison.
func (r Role) rank() int {
	switch r {
	case Started, Unpromoted:
		return 1
	case Promoted:
		return 2
	}
	return 0
}

// Cluster is the current state of a cluster as read from its CIB.
type Cluster struct {
	Stack      string // cluster-infrastructure, "unknown" when unset
	DC         string // DC's node name, "" when there is none
	DCID       string // DC's node id
	DCVersion  string // dc-version, "" when unset
	HaveQuorum bool
	// Last change of the CIB, from the root element's attributes.
	LastWritten, UpdateUser, UpdateClient, UpdateOrigin string
	Options                                             Options
	Nodes                                               []*Node
	Resources                                           []*Resource // top level, configuration order, then orphans
	Failures                                            []Failure
	FailCounts                                          []FailCount
	History                                             []NodeHistory
	Bans                                                []Ban
}

// Ban is a location constraint (or one node of a location rule) that keeps
// a resource off a node.
type Ban struct {
	ID, Resource, Node string
	Weight             int
	PromotedOnly       bool
}

// Options are the cluster options crm_mon reports.
type Options struct {
	StonithEnabled, SymmetricCluster  bool
	NoQuorumPolicy                    string
	MaintenanceMode, StopAllResources bool
	StonithTimeoutMS                  int
	PriorityFencingDelayMS            int
}

// Node is a configured or seen node and its state.
type Node struct {
	Name, ID, Type                                 string
	Online, Pending, Unclean, Shutdown, ExpectedUp bool
	Standby, StandbyOnFail, Maintenance            bool
	IsDC                                           bool
	FeatureSet                                     string
	// Attrs are the node's transient attributes, in document order.
	Attrs []Attr
	// ResourcesRunning counts the resource instances active on the node.
	ResourcesRunning int
	// HistoryOrder lists the node's lrm_resource ids in document order,
	// the order crm_mon uses for a node's resources.
	HistoryOrder []string
}

// Attr is one node attribute.
type Attr struct{ Name, Value string }

// Resource is a configured resource (or an orphan found only in the
// status) with its current state. Clones carry one child per instance.
type Resource struct {
	Kind     cib.Kind
	ID       string // instance id as crm_mon prints it ("rsc", "rsc:2")
	ConfigID string // id in the configuration, without instance suffix
	Agent    string // class[:provider]:type, primitives only
	Role     Role
	// TargetRole is the configured target-role meta attribute, if any.
	TargetRole string
	// OwnTargetRole is the target-role set on this resource itself, not
	// inherited from a group or clone.
	OwnTargetRole string
	Nodes         []string // nodes the instance is active on
	Children      []*Resource

	Managed, Disabled, Orphan, Blocked bool
	Failed, FailureIgnored             bool
	Unique, Promotable                 bool // clones
	// CloneMax is a clone's clone-max: how many instances it may run.
	CloneMax int
	// Pending is the task of an operation still in flight, if any.
	Pending string
}

// Active reports whether the instance runs anywhere.
func (r *Resource) Active() bool {
	if r.Kind == cib.Primitive {
		return len(r.Nodes) > 0
	}
	for _, c := range r.Children {
		if c.Active() {
			return true
		}
	}
	return false
}

// Primitives returns r's primitive instances, depth first.
func (r *Resource) Primitives() []*Resource {
	if r.Kind == cib.Primitive {
		return []*Resource{r}
	}
	var out []*Resource
	for _, c := range r.Children {
		out = append(out, c.Primitives()...)
	}
	return out
}

// Failure is one failed operation from the status history.
type Failure struct {
	OpKey, Node, Task, Reason string
	RC, Status, Call          int
	IntervalMS                int
	LastRCChange              int64
	ExecMS, QueueMS           int
	Resource                  string
	// HasOpKey is false for old histories without operation_key, where
	// OpKey holds the operation's id instead.
	HasOpKey bool
}

// FailCount is a resource's fail count on one node, for the migration
// summary.
type FailCount struct {
	Node, Resource string
	Count          int
	Threshold      int
	LastFailure    int64
	Infinite       bool
}

// NodeHistory is the operation history crm_mon's XML reports for one node.
type NodeHistory struct {
	Node      string
	Resources []ResourceHistory
}

// ResourceHistory is one resource's reported operations on a node.
type ResourceHistory struct {
	ID          string
	Orphan      bool
	Threshold   int
	FailCount   int  // 0 when there is none
	Infinite    bool // fail count is INFINITY
	LastFailure int64
	Ops         []HistoryOp
}

// HistoryOp is one reported operation.
type HistoryOp struct {
	Call, RC, IntervalMS int
	Task                 string // "probe" for a one-shot monitor
	LastRCChange         int64
	ExecMS, QueueMS      int
	Timed                bool // the history records execution and queue times
}
