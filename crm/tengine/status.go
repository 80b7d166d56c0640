package tengine

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
)

// OpStatus is the execution status of an operation as the CIB records it
// (op-status), independent of the agent's exit code.
type OpStatus int

// Execution statuses, numbered as Pacemaker's.
const (
	OpPending      OpStatus = -1
	OpDone         OpStatus = 0
	OpCancelled    OpStatus = 1
	OpTimeout      OpStatus = 2
	OpNotSupported OpStatus = 3
	OpError        OpStatus = 4
	OpErrorHard    OpStatus = 5
	OpErrorFatal   OpStatus = 6
	OpNotInstalled OpStatus = 7
)

// Status is the status section: one NodeState per node seen.
type Status struct {
	Nodes []*NodeState
	// lastCall is the highest call id handed out per node: entries get
	// removed (cancelled monitors), ids must not be reused.
	lastCall map[string]int
}

// nextCallID returns the next call id of node n.
func (s *Status) nextCallID(n *NodeState) int {
	if s.lastCall == nil {
		s.lastCall = map[string]int{}
	}
	id := max(s.lastCall[n.Uname], n.maxCallID()) + 1
	s.lastCall[n.Uname] = id
	return id
}

// NodeState is a node_state entry. Only the fields the transition engine
// changes are modelled; transient attributes belong to package attrd.
type NodeState struct {
	ID, Uname                   string
	InCCM, Crmd, Join, Expected string
	// ClearTransient is set when the node was fenced or shut down: its
	// transient attributes are erased when the status is applied.
	ClearTransient bool
	Resources      []*LRMResource
}

// LRMResource is the history of one resource instance on one node.
type LRMResource struct {
	ID, Class, Provider, Type string
	Ops                       []*LRMOp
}

// LRMOp is one lrm_rsc_op entry: the last result of an operation.
type LRMOp struct {
	ID, Operation, OperationKey string
	CallID, RC                  int
	OpStatus                    OpStatus
	IntervalMS                  int
	TransitionKey               string
	TransitionMagic             string
	OnNode, ExitReason          string
	LastRCChange, LastRun       int64
	ExecTimeMS, QueueTimeMS     int
	OpDigest                    string
}

// StatusFromCIB copies the membership and operation history of c.
func StatusFromCIB(c *cib.CIB) *Status {
	s := &Status{}
	for _, ns := range c.Status {
		n := &NodeState{ID: ns.ID, Uname: ns.Uname, InCCM: ns.InCCM, Crmd: ns.Crmd, Join: ns.Join, Expected: ns.Expected}
		for _, lr := range ns.Resources {
			r := &LRMResource{ID: lr.ID, Class: lr.Class, Provider: lr.Provider, Type: lr.Type}
			for _, op := range lr.Ops {
				r.Ops = append(r.Ops, &LRMOp{ID: op.ID, Operation: op.Operation, OperationKey: op.OperationKey,
					CallID: op.CallID, RC: op.RC, OpStatus: OpStatus(op.OpStatus), IntervalMS: op.IntervalMS,
					TransitionKey: op.TransitionKey, TransitionMagic: op.TransitionMagic, OnNode: op.OnNode,
					ExitReason: op.ExitReason, LastRCChange: op.LastRCChange, LastRun: op.LastRun, OpDigest: op.OpDigest})
			}
			n.Resources = append(n.Resources, r)
		}
		s.Nodes = append(s.Nodes, n)
	}
	return s
}

// Node returns the node_state of uname, creating it (with id uuid, or
// uname when uuid is empty) if absent.
func (s *Status) Node(uname, uuid string) *NodeState {
	for _, n := range s.Nodes {
		if n.Uname == uname {
			return n
		}
	}
	if uuid == "" {
		uuid = uname
	}
	n := &NodeState{ID: uuid, Uname: uname, InCCM: "true", Crmd: "online", Join: "member", Expected: "member"}
	s.Nodes = append(s.Nodes, n)
	return n
}

// Resource returns the history of rsc on n, creating it if absent;
// task is the operation about to be recorded.
func (n *NodeState) Resource(rsc, task string, agent graph.Agent) *LRMResource {
	for _, r := range n.Resources {
		if r.ID == rsc {
			if r.Class == "" {
				r.Class, r.Provider, r.Type = agent.Class, agent.Provider, agent.Type
			}
			return r
		}
	}
	// An anonymous clone instance is named by its primitive id, but older
	// histories keep it under an instance name ("rsc:2"): use that entry.
	// With several such entries (two instances on the node), a stop goes
	// to an active one, a start to an inactive one.
	if !strings.Contains(rsc, ":") {
		var fallback *LRMResource
		for _, r := range n.Resources {
			if base, _, ok := strings.Cut(r.ID, ":"); ok && base == rsc {
				if r.active() != (task == "start") {
					return r
				}
				if fallback == nil {
					fallback = r
				}
			}
		}
		if fallback != nil {
			return fallback
		}
	}
	r := &LRMResource{ID: rsc, Class: agent.Class, Provider: agent.Provider, Type: agent.Type}
	n.Resources = append(n.Resources, r)
	return r
}

// active reports whether the latest operation left the resource running:
// anything but a successful stop or a "not running" monitor (or no history).
func (r *LRMResource) active() bool {
	var last *LRMOp
	for _, o := range r.Ops {
		if o.OpStatus == OpCancelled || o.Operation == "cancel" {
			continue
		}
		if last == nil || o.CallID > last.CallID {
			last = o
		}
	}
	if last == nil {
		return false
	}
	switch {
	case last.OpStatus != OpDone:
		return true
	case last.Operation == "stop" && last.RC == 0, last.Operation == "monitor" && last.RC == 7:
		return false
	}
	return true
}

func (r *LRMResource) op(id string) *LRMOp {
	for _, o := range r.Ops {
		if o.ID == id {
			return o
		}
	}
	return nil
}

func (r *LRMResource) put(op *LRMOp) {
	if old := r.op(op.ID); old != nil {
		if old.RC == op.RC {
			op.LastRCChange = old.LastRCChange
		}
		*old = *op
		return
	}
	r.Ops = append(r.Ops, op)
}

func (r *LRMResource) remove(id string) {
	out := r.Ops[:0]
	for _, o := range r.Ops {
		if o.ID != id {
			out = append(out, o)
		}
	}
	r.Ops = out
}

func (n *NodeState) maxCallID() int {
	m := 0
	for _, r := range n.Resources {
		for _, o := range r.Ops {
			if o.CallID > m {
				m = o.CallID
			}
		}
	}
	return m
}

// OpDigest is the md5 of the operation's parameters rendered as
// <parameters name="value" .../> with the names sorted, the way the
// controller fingerprints the configuration an operation ran with.
func OpDigest(params map[string]string) string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("<parameters")
	for _, k := range names {
		b.WriteString(" " + k + "=\"")
		_ = xml.EscapeText(&b, []byte(params[k]))
		b.WriteString("\"")
	}
	b.WriteString("/>")
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Execution describes one finished operation for Record.
type Execution struct {
	Action       *graph.Action
	Result       OpResult
	TransitionID int
	// UUID is the transition key's last part (the DC's identity).
	UUID string
	// Queued, Started, Finished are when the action was scheduled, handed
	// to the executor and answered.
	Queued, Started, Finished int64 // unix milliseconds
}

// Record stores the result of a resource operation as the controller
// would: recurring operations under their key (RSC_monitor_10000), others
// as RSC_last_0, every failure also as RSC_last_failure_0. A successful
// cancel removes the recurring entry it cancelled. Call ids continue from
// the node's highest.
func (s *Status) Record(e Execution) *LRMOp {
	a := e.Action
	if a.Kind != graph.RscOp {
		return nil
	}
	n := s.Node(a.Node, a.NodeUUID)
	r := n.Resource(a.Resource, a.Task, a.Agent)
	if a.Task == graph.TaskCancel {
		if e.Result.Succeeded(0) {
			// Remember the removed entry's call id so it is not reused.
			if s.lastCall == nil {
				s.lastCall = map[string]int{}
			}
			s.lastCall[n.Uname] = max(s.lastCall[n.Uname], n.maxCallID())
			r.remove(graph.OpKey(a.Resource, a.CancelTask, a.IntervalMS))
		}
		return nil
	}
	// History is kept under the resource id, not an instance's long id.
	key := graph.OpKey(a.Resource, a.Task, a.IntervalMS)
	tkey := graph.TransitionKey(a.ID, e.TransitionID, a.TargetRC, e.UUID)
	op := &LRMOp{
		Operation:       a.Task,
		OperationKey:    key,
		CallID:          s.nextCallID(n),
		RC:              e.Result.RC,
		OpStatus:        e.Result.Status,
		IntervalMS:      a.IntervalMS,
		TransitionKey:   tkey,
		TransitionMagic: graph.TransitionMagic(int(e.Result.Status), e.Result.RC, tkey),
		OnNode:          a.Node,
		ExitReason:      e.Result.ExitReason,
		LastRCChange:    e.Finished / 1000,
		LastRun:         e.Started / 1000,
		ExecTimeMS:      int(e.Finished - e.Started),
		QueueTimeMS:     int(e.Started - e.Queued),
		OpDigest:        OpDigest(a.Params),
	}
	if a.IntervalMS > 0 {
		op.ID = key
	} else {
		op.ID = a.Resource + "_last_0"
	}
	r.put(op)
	if !e.Result.Succeeded(a.TargetRC) {
		// Each failure is a new event: its entry takes this failure's
		// times even when the previous failure had the same code.
		f := *op
		f.ID = a.Resource + "_last_failure_0"
		f.LastRCChange = e.Finished / 1000
		if old := r.op(f.ID); old != nil {
			*old = f
		} else {
			r.Ops = append(r.Ops, &f)
		}
	}
	return op
}

// NodeDown records that uname left the cluster (fenced or shut down): it is
// no longer a member and its history and transient attributes are erased,
// as nothing can be running there any more.
func (s *Status) NodeDown(uname, uuid string) {
	n := s.Node(uname, uuid)
	n.InCCM, n.Crmd, n.Join, n.Expected = "false", "offline", "down", "down"
	n.Resources = nil
	n.ClearTransient = true
}

// ApplyTo writes the status into c: membership and operation history of
// every node in s replace those in c.Status (node_states are added when
// missing); transient attributes are kept unless cleared.
func (s *Status) ApplyTo(c *cib.CIB) {
	for _, n := range s.Nodes {
		var ns *cib.NodeState
		for i := range c.Status {
			if c.Status[i].Uname == n.Uname {
				ns = &c.Status[i]
				break
			}
		}
		if ns == nil {
			c.Status = append(c.Status, cib.NodeState{ID: n.ID, Uname: n.Uname})
			ns = &c.Status[len(c.Status)-1]
		}
		ns.InCCM, ns.Crmd, ns.Join, ns.Expected, ns.HasInCCM = n.InCCM, n.Crmd, n.Join, n.Expected, true
		if n.ClearTransient {
			ns.Transient = nil
		}
		ns.Resources = nil
		for _, r := range n.Resources {
			lr := cib.LRMResource{ID: r.ID, Class: r.Class, Provider: r.Provider, Type: r.Type}
			for _, o := range r.Ops {
				lr.Ops = append(lr.Ops, cib.LRMOp{ID: o.ID, Operation: o.Operation, OperationKey: o.OperationKey,
					CallID: o.CallID, RC: o.RC, OpStatus: int(o.OpStatus), IntervalMS: o.IntervalMS,
					TransitionKey: o.TransitionKey, TransitionMagic: o.TransitionMagic, OnNode: o.OnNode,
					LastRCChange: o.LastRCChange, LastRun: o.LastRun, ExitReason: o.ExitReason, OpDigest: o.OpDigest})
			}
			ns.Resources = append(ns.Resources, lr)
		}
	}
}

type xStatus struct {
	XMLName xml.Name     `xml:"status"`
	Nodes   []xNodeState `xml:"node_state"`
}

type xNodeState struct {
	ID       string `xml:"id,attr"`
	Uname    string `xml:"uname,attr"`
	InCCM    string `xml:"in_ccm,attr"`
	Crmd     string `xml:"crmd,attr"`
	Join     string `xml:"join,attr"`
	Expected string `xml:"expected,attr"`
	LRM      xLRM   `xml:"lrm"`
}

type xLRM struct {
	ID        string         `xml:"id,attr"`
	Resources []xLRMResource `xml:"lrm_resources>lrm_resource"`
}

type xLRMResource struct {
	ID       string   `xml:"id,attr"`
	Type     string   `xml:"type,attr"`
	Class    string   `xml:"class,attr"`
	Provider string   `xml:"provider,attr,omitempty"`
	Ops      []xLRMOp `xml:"lrm_rsc_op"`
}

type xLRMOp struct {
	ID              string `xml:"id,attr"`
	OperationKey    string `xml:"operation_key,attr"`
	Operation       string `xml:"operation,attr"`
	DebugOrigin     string `xml:"crm-debug-origin,attr"`
	CRMFeatureSet   string `xml:"crm_feature_set,attr"`
	TransitionKey   string `xml:"transition-key,attr"`
	TransitionMagic string `xml:"transition-magic,attr"`
	ExitReason      string `xml:"exit-reason,attr"`
	OnNode          string `xml:"on_node,attr"`
	CallID          int    `xml:"call-id,attr"`
	RC              int    `xml:"rc-code,attr"`
	OpStatus        int    `xml:"op-status,attr"`
	Interval        int    `xml:"interval,attr"`
	LastRun         string `xml:"last-run,attr,omitempty"`
	LastRCChange    int64  `xml:"last-rc-change,attr"`
	ExecTime        int    `xml:"exec-time,attr"`
	QueueTime       int    `xml:"queue-time,attr"`
	OpDigest        string `xml:"op-digest,attr"`
}

// WriteXML writes the status section as the CIB holds it.
func (s *Status) WriteXML(w io.Writer) error {
	x := xStatus{}
	for _, n := range s.Nodes {
		xn := xNodeState{ID: n.ID, Uname: n.Uname, InCCM: n.InCCM, Crmd: n.Crmd, Join: n.Join, Expected: n.Expected, LRM: xLRM{ID: n.ID}}
		for _, r := range n.Resources {
			xr := xLRMResource{ID: r.ID, Type: r.Type, Class: r.Class, Provider: r.Provider}
			for _, o := range r.Ops {
				xo := xLRMOp{ID: o.ID, OperationKey: o.OperationKey, Operation: o.Operation, DebugOrigin: "do_update_resource",
					CRMFeatureSet: graph.FeatureSet, TransitionKey: o.TransitionKey, TransitionMagic: o.TransitionMagic,
					ExitReason: o.ExitReason, OnNode: o.OnNode, CallID: o.CallID, RC: o.RC, OpStatus: int(o.OpStatus),
					Interval: o.IntervalMS, LastRCChange: o.LastRCChange, ExecTime: o.ExecTimeMS, QueueTime: o.QueueTimeMS, OpDigest: o.OpDigest}
				if o.IntervalMS == 0 {
					xo.LastRun = strconv.FormatInt(o.LastRun, 10)
				}
				xr.Ops = append(xr.Ops, xo)
			}
			xn.LRM.Resources = append(xn.LRM.Resources, xr)
		}
		x.Nodes = append(x.Nodes, xn)
	}
	out, err := xml.MarshalIndent(x, "", "  ")
	if err != nil {
		return fmt.Errorf("encode status: %w", err)
	}
	_, err = w.Write(append(out, '\n'))
	return err
}
