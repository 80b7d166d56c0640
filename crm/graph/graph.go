package graph

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind says how an action is carried out.
type Kind int

// Action kinds, named after the graph XML elements.
const (
	// RscOp is an operation of a resource agent on a node (<rsc_op>).
	RscOp Kind = iota
	// CRMEvent is a cluster event: fencing or a node shutdown (<crm_event>).
	CRMEvent
	// Pseudo completes as soon as its inputs have (<pseudo_event>).
	Pseudo
)

// String names the kind as the XML element does.
func (k Kind) String() string {
	switch k {
	case RscOp:
		return "rsc_op"
	case CRMEvent:
		return "crm_event"
	case Pseudo:
		return "pseudo_event"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Tasks used by the graph besides the agent actions (start, stop, monitor,
// promote, demote).
const (
	TaskCancel   = "cancel"      // cancel a recurring operation
	TaskFence    = "stonith"     // fence a node (crm_event)
	TaskShutdown = "do_shutdown" // let a node leave the cluster (crm_event)
	TaskRunning  = "running"     // pseudo: every start of a collective done
	TaskStopped  = "stopped"     // pseudo: every stop of a collective done
)

// Agent names the resource agent of a resource operation.
type Agent struct {
	Class, Provider, Type string
}

// Action is one node of the graph; each action forms its own synapse.
type Action struct {
	ID   int
	Kind Kind
	// Task is the operation: an agent action, or one of the Task constants.
	Task string
	// Resource is the resource instance ("rsc", "rsc:2") of a resource
	// operation, or the collective a pseudo action belongs to.
	Resource string
	// LongID is the clone instance name ("rsc:2") of an anonymous clone
	// instance whose Resource is the primitive id; operation keys use it.
	LongID string
	Agent  Agent
	// Node and NodeUUID are the target node (empty for most pseudo actions).
	Node, NodeUUID string
	// IntervalMS is the interval of a recurring monitor; for a cancel, the
	// interval of the operation cancelled.
	IntervalMS int
	// CancelTask is, for a cancel, the task of the recurring operation.
	CancelTask string
	// TimeoutMS bounds the operation; 0 lets the executor choose.
	TimeoutMS int
	// TargetRC is the OCF exit code that means success (0, 7 for probes, 8
	// for promoted monitors).
	TargetRC int
	// FenceAction is reboot, off or on (fencing only).
	FenceAction string
	// Params are the instance parameters, Meta the extra meta attributes
	// (without the CRM_meta_ prefix; interval, timeout, target rc and fence
	// action are kept in the fields above).
	Params, Meta map[string]string
	// Priority orders runnable actions: higher first.
	Priority int
	// Inputs are the ids of the actions that must complete first.
	Inputs []int
}

// Key is the action's operation key as Pacemaker spells it: RSC_TASK_INTERVAL
// for resource operations (for a cancel, the key of the cancelled
// operation), stonith-NODE-ACTION, do_shutdown-NODE, RSC_TASK_0 for pseudo
// actions of a collective.
func (a *Action) Key() string {
	switch {
	case a.Kind == CRMEvent && a.Task == TaskFence:
		return "stonith-" + a.Node + "-" + a.FenceAction
	case a.Kind == CRMEvent:
		return a.Task + "-" + a.Node
	}
	rsc := a.Resource
	if a.LongID != "" {
		rsc = a.LongID
	}
	switch {
	case a.Task == TaskCancel:
		return OpKey(rsc, a.CancelTask, a.IntervalMS)
	case rsc == "":
		return a.Task
	}
	return OpKey(rsc, a.Task, a.IntervalMS)
}

// String describes the action for logs: "start rsc on node1".
func (a *Action) String() string {
	s := a.Key()
	if a.Task == TaskCancel {
		s = "cancel " + s
	}
	if a.Node != "" {
		s += " on " + a.Node
	}
	return s
}

// OpKey formats an operation key: "rsc_monitor_10000".
func OpKey(rsc, task string, intervalMS int) string {
	return rsc + "_" + task + "_" + strconv.Itoa(intervalMS)
}

// ErrBadKey means an operation or transition key is malformed.
var ErrBadKey = errors.New("malformed key")

// ParseOpKey splits an operation key. The resource id may itself contain
// underscores, so the task is matched from the right against the known
// multi-word tasks (migrate_to, migrate_from, reload-agent...).
func ParseOpKey(key string) (rsc, task string, intervalMS int, err error) {
	i := strings.LastIndexByte(key, '_')
	if i <= 0 {
		return "", "", 0, fmt.Errorf("operation key %q: %w", key, ErrBadKey)
	}
	ms, convErr := strconv.Atoi(key[i+1:])
	if convErr != nil || ms < 0 {
		return "", "", 0, fmt.Errorf("operation key %q: interval: %w", key, ErrBadKey)
	}
	head := key[:i]
	for _, two := range []string{"migrate_to", "migrate_from", "pre_notify", "post_notify", "confirmed-pre_notify", "confirmed-post_notify"} {
		if strings.HasSuffix(head, "_"+two) {
			return head[:len(head)-len(two)-1], two, ms, nil
		}
	}
	j := strings.LastIndexByte(head, '_')
	if j <= 0 || j == len(head)-1 {
		return "", "", 0, fmt.Errorf("operation key %q: %w", key, ErrBadKey)
	}
	return head[:j], head[j+1:], ms, nil
}

// TransitionKey formats "action:transition:target-rc:uuid", the key the
// controller attaches to every operation so that the result can be matched
// to the graph that asked for it.
func TransitionKey(actionID, transitionID, targetRC int, uuid string) string {
	return fmt.Sprintf("%d:%d:%d:%s", actionID, transitionID, targetRC, uuid)
}

// ParseTransitionKey reverses TransitionKey.
func ParseTransitionKey(s string) (actionID, transitionID, targetRC int, uuid string, err error) {
	parts := strings.SplitN(s, ":", 4)
	if len(parts) != 4 {
		return 0, 0, 0, "", fmt.Errorf("transition key %q: %w", s, ErrBadKey)
	}
	var nums [3]int
	for i := range 3 {
		n, convErr := strconv.Atoi(parts[i])
		if convErr != nil {
			return 0, 0, 0, "", fmt.Errorf("transition key %q: %w", s, ErrBadKey)
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], parts[3], nil
}

// TransitionMagic formats "op-status:rc;transition-key", the summary of a
// result stored in transition-magic.
func TransitionMagic(opStatus, rc int, transitionKey string) string {
	return fmt.Sprintf("%d:%d;%s", opStatus, rc, transitionKey)
}

// Graph is one transition.
type Graph struct {
	// TransitionID numbers the transition; it is part of every
	// transition key.
	TransitionID int
	// ClusterDelay, StonithTimeout: the options the graph carries (as CIB
	// durations, e.g. "60s"); BatchLimit bounds parallel actions (0 = none).
	ClusterDelay, StonithTimeout string
	BatchLimit                   int
	// Actions in id order; ids are unique but need not be dense.
	Actions []*Action
}

// Action returns the action with id, or nil.
func (g *Graph) Action(id int) *Action {
	for _, a := range g.Actions {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Sentinel errors of Validate.
var (
	// ErrDuplicateAction: two actions share an id.
	ErrDuplicateAction = errors.New("duplicate action id")
	// ErrUnknownInput: an input names no action of the graph.
	ErrUnknownInput = errors.New("input refers to unknown action")
	// ErrCycle: the ordering edges form a cycle, so nothing on it could run.
	ErrCycle = errors.New("ordering cycle")
)

// Validate checks that ids are unique, inputs exist and edges are acyclic.
func (g *Graph) Validate() error {
	byID := make(map[int]*Action, len(g.Actions))
	for _, a := range g.Actions {
		if _, dup := byID[a.ID]; dup {
			return fmt.Errorf("action %d: %w", a.ID, ErrDuplicateAction)
		}
		byID[a.ID] = a
	}
	for _, a := range g.Actions {
		for _, in := range a.Inputs {
			if _, ok := byID[in]; !ok {
				return fmt.Errorf("action %d (%s) input %d: %w", a.ID, a, in, ErrUnknownInput)
			}
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := make(map[int]int, len(g.Actions))
	var visit func(a *Action) error
	visit = func(a *Action) error {
		color[a.ID] = grey
		for _, in := range a.Inputs {
			switch color[in] {
			case grey:
				return fmt.Errorf("action %d (%s) through %d: %w", a.ID, a, in, ErrCycle)
			case white:
				if err := visit(byID[in]); err != nil {
					return err
				}
			}
		}
		color[a.ID] = black
		return nil
	}
	ids := make([]int, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		if color[id] == white {
			if err := visit(byID[id]); err != nil {
				return err
			}
		}
	}
	return nil
}
