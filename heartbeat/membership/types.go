package membership

import (
	"errors"
	"fmt"
	"time"
)

// Status is a node status string as Heartbeat shows it (cl_status
// nodestatus).
type Status string

// Node statuses.
const (
	// StatusInit: never heard since we started (also what a peer reports
	// in its first heartbeat after its own start).
	StatusInit Status = "init"
	// StatusUp: heard, not yet fully joined.
	StatusUp Status = "up"
	// StatusActive: fully up.
	StatusActive Status = "active"
	// StatusDead: declared dead by us, or left cleanly.
	StatusDead Status = "dead"
	// StatusPing: a ping node that answers.
	StatusPing Status = "ping"
)

// LinkStatus is the status of one link (node, medium).
type LinkStatus string

// Link statuses.
const (
	LinkStatusUp   LinkStatus = "up"
	LinkStatusDead LinkStatus = "dead"
)

// NodeType tells cluster nodes from ping pseudo nodes.
type NodeType string

// Node types, named as cl_status nodetype prints them.
const (
	TypeNormal NodeType = "normal"
	TypePing   NodeType = "ping"
)

// EventKind is the kind of an Event.
type EventKind int

// Event kinds.
const (
	// NodeUp: a node that was never heard or dead is heard again. For
	// ping nodes Status is StatusPing.
	NodeUp EventKind = iota + 1
	// NodeActive: a node's reported status became active.
	NodeActive
	// NodeStatusChanged: a live node reported another status (e.g. up
	// after init, or init after a restart).
	NodeStatusChanged
	// NodeDead: a node was declared dead; Reason says why.
	NodeDead
	// NodeRestarted: a node's generation increased (Generation, OldGeneration).
	NodeRestarted
	// LinkUp: the first packet from a node on a medium, or the first after
	// the link was dead.
	LinkUp
	// LinkDead: no packet from the node on the medium for our deadtime.
	LinkDead
	// LateHeartbeat: a heartbeat arrived Gap after the previous one, and
	// Gap exceeds warntime.
	LateHeartbeat
	// NodeLeft: the node announced a clean stop (shutdone). Its NodeDead
	// (reason shutdown) follows when its dead time runs out.
	NodeLeft
)

var kindNames = map[EventKind]string{
	NodeUp: "NodeUp", NodeActive: "NodeActive", NodeStatusChanged: "NodeStatusChanged",
	NodeDead: "NodeDead", NodeRestarted: "NodeRestarted", LinkUp: "LinkUp",
	LinkDead: "LinkDead", LateHeartbeat: "LateHeartbeat", NodeLeft: "NodeLeft",
}

// String returns the kind's name.
func (k EventKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "EventKind(?)"
}

// DeathReason says why a node was declared dead.
type DeathReason string

// Death reasons.
const (
	// ReasonDeadtime: silent for its dead time (the advertised dt).
	ReasonDeadtime DeathReason = "deadtime"
	// ReasonInitdead: never heard within initdead after our start.
	ReasonInitdead DeathReason = "initdead"
	// ReasonDeadping: a ping node silent for deadping.
	ReasonDeadping DeathReason = "deadping"
	// ReasonShutdown: the node had announced a clean stop (shutdone)
	// before falling silent; no fencing is needed.
	ReasonShutdown DeathReason = "shutdown"
)

// Event is one change of the membership view.
type Event struct {
	Kind EventKind
	Node string
	Type NodeType
	// Local is true for events about our own node.
	Local bool
	// Medium is set for link events and for the packet that caused a node
	// event.
	Medium string
	// Status is the node's status after the event (node events), or
	// LinkStatus as a string for link events.
	Status Status
	// Reason is set for NodeDead.
	Reason DeathReason
	// Gap is the measured interval for LateHeartbeat, and the silence that
	// led to NodeDead / LinkDead.
	Gap time.Duration
	// Generation and OldGeneration are set for NodeRestarted.
	Generation, OldGeneration uint64
	// At is the input time that produced the event.
	At time.Time
}

// Heartbeat is a status message (t=status) from a cluster node, already
// decoded and authenticated. Other message types do not count as
// heartbeats; the lab captures' death times match status-only timing.
type Heartbeat struct {
	Node   string // src=, lower-cased node name
	Medium string // link it arrived on
	Status Status // st=: init, up or active
	// DeadTime is the sender's advertised dt; 0 if absent.
	DeadTime time.Duration
	// Generation is hg=; 0 if absent (not checked).
	Generation uint64
	At         time.Time
}

// PingReply is an ICMP echo reply from a ping target.
type PingReply struct {
	Target string // the address pinged, as in ha.cf
	Medium string // name of the ping medium
	At     time.Time
}

// Errors returned for inputs that are rejected without changing state.
var (
	// ErrUnknownNode: the heartbeat names a node not in the configuration.
	ErrUnknownNode = errors.New("membership: unknown node")
	// ErrStaleGeneration: the heartbeat carries a generation lower than
	// one already seen from that node (a replay or a clock step backwards).
	ErrStaleGeneration = errors.New("membership: stale generation")
	// ErrNotPingTarget: an echo reply from an address that is no ping node
	// or ping group member.
	ErrNotPingTarget = errors.New("membership: not a ping target")
	// ErrBadConfig: Config is unusable (see Config.Validate).
	ErrBadConfig = errors.New("membership: bad config")
)

// String renders the event on one line, fields that are set only.
func (e Event) String() string {
	s := e.Kind.String() + " " + e.Node
	if e.Type == TypePing {
		s += " (ping)"
	}
	switch e.Kind {
	case LinkUp, LinkDead:
		s += " link=" + e.Medium
	default:
		s += " status=" + string(e.Status)
	}
	if e.Reason != "" {
		s += " reason=" + string(e.Reason)
	}
	if e.Kind == NodeRestarted {
		s += fmt.Sprintf(" gen=%d->%d", e.OldGeneration, e.Generation)
	}
	if e.Gap != 0 {
		s += " gap=" + e.Gap.String()
	}
	return s
}
