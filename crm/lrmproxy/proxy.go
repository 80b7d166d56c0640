package lrmproxy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/graph"
	"hbgo/crm/tengine"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// DefaultMargin is added to an operation's timeout before the DC gives up
// waiting for the node's answer: the node enforces the timeout itself and
// answers with a timed-out result, so the margin covers the message delays.
const DefaultMargin = 10 * time.Second

// ErrWrongSide is returned by Deliver for a message the other side handles
// (requests go to Node, answers and events to Proxy); see ForDC.
var ErrWrongSide = errors.New("LRM proxy message for the other side")

// ForDC reports whether an LRM proxy message type is handled by the DC's
// Proxy (answers and events) rather than by Node (requests).
func ForDC(t string) bool { return t == string(MsgResult) || t == string(MsgEvent) }

// ProxyConfig configures a Proxy.
type ProxyConfig struct {
	// Self is the DC's node name; its operations run through Local.
	Self string
	// Local runs the DC's own operations and all fencing (for instance a
	// tengine.LRMExecutor over the DC's Node.Manager and a StonithFencer).
	Local tengine.Executor
	// Send hands a message to the reliable sender; it must be safe for
	// concurrent use.
	Send func(*wire.Message) error
	// Clock fires the answer timeouts; default real time.
	Clock resourced.Clock
	// Margin is added to each operation's timeout; default DefaultMargin.
	Margin time.Duration
	// Instance tells apart the op ids of successive runs of the DC (e.g.
	// its heartbeat generation); default the start time in nanoseconds.
	Instance string
	// OnEvent receives the changed results of recurring monitors that
	// nodes report (tengine.Status.RecordRecurring takes them).
	OnEvent func(node string, ev resourced.Event)
	Log     *logrus.Entry
}

// Proxy is the DC side: a tengine.Executor that runs each operation on its
// target node over the cluster messaging. It is safe for concurrent use.
type Proxy struct {
	cfg     ProxyConfig
	mu      sync.Mutex
	seq     uint64
	pending map[string]*pendingOp
	dead    map[string]bool
}

type pendingOp struct {
	node  string
	done  chan tengine.OpResult // buffered 1: the first completion wins
	timer resourced.Timer
}

// NewProxy returns a Proxy; cfg.Self, cfg.Local and cfg.Send are required.
func NewProxy(cfg ProxyConfig) *Proxy {
	if cfg.Clock == nil {
		cfg.Clock = resourced.RealClock()
	}
	if cfg.Margin <= 0 {
		cfg.Margin = DefaultMargin
	}
	if cfg.Instance == "" {
		cfg.Instance = strconv.FormatInt(cfg.Clock.Now().UnixNano(), 36)
	}
	if cfg.Log == nil {
		l := logrus.New()
		l.SetLevel(logrus.PanicLevel)
		cfg.Log = logrus.NewEntry(l)
	}
	return &Proxy{cfg: cfg, pending: map[string]*pendingOp{}, dead: map[string]bool{}}
}

// Fence fences through the local executor: the DC runs the fencing devices.
func (p *Proxy) Fence(ctx context.Context, node, action string) error {
	return p.cfg.Local.Fence(ctx, node, action)
}

// RunOp runs a on node: locally for the DC's own node, otherwise by
// sending crm_lrm_exec (crm_lrm_cancel for a cancel) and waiting for the
// answer, the timeout plus margin, the node's death or ctx.
func (p *Proxy) RunOp(ctx context.Context, node string, a *graph.Action) tengine.OpResult {
	if node == p.cfg.Self {
		return p.cfg.Local.RunOp(ctx, node, a)
	}
	m := requestFor(a)
	m.To = node
	timeout := time.Duration(a.TimeoutMS) * time.Millisecond
	if timeout <= 0 {
		timeout = tengine.DefaultOpTimeout
	}

	p.mu.Lock()
	if p.dead[node] {
		p.mu.Unlock()
		return lost(node, "is dead")
	}
	p.seq++
	m.OpID = fmt.Sprintf("%s-%s-%d", p.cfg.Self, p.cfg.Instance, p.seq)
	op := &pendingOp{node: node, done: make(chan tengine.OpResult, 1)}
	p.pending[m.OpID] = op
	// Armed under the lock so that complete never sees a pending op
	// without its timer.
	op.timer = p.cfg.Clock.AfterFunc(timeout+p.cfg.Margin, func() {
		p.complete(m.OpID, "", tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpTimeout,
			ExitReason: fmt.Sprintf("no answer from %s within %s", node, timeout+p.cfg.Margin)})
	})
	p.mu.Unlock()

	log := p.cfg.Log.WithFields(logrus.Fields{"node": node, "resource": a.Resource, "op": m.OpID})
	w, err := Encode(m)
	if err == nil {
		err = p.cfg.Send(w)
	}
	if err != nil {
		log.WithError(err).Warn("cannot send operation request")
		p.complete(m.OpID, "", tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpError, ExitReason: "send: " + err.Error()})
	} else {
		log.WithField("action", a.Task).Debug("operation requested")
	}
	select {
	case r := <-op.done:
		return r
	case <-ctx.Done():
		p.complete(m.OpID, "", tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpCancelled, ExitReason: ctx.Err().Error()})
		return <-op.done
	}
}

// requestFor builds the request (without To and OpID) for a.
func requestFor(a *graph.Action) Msg {
	// The resource name is the one the local executor uses
	// (tengine.ToResourcedOp), so recurring-op keys agree on every node.
	rsc := a.Resource
	if a.Task == graph.TaskCancel {
		return Msg{Type: MsgCancel, Resource: rsc, Action: a.CancelTask, IntervalMS: int64(a.IntervalMS)}
	}
	return Msg{Type: MsgExec, TransitionKey: a.Key(), Resource: rsc, Class: a.Agent.Class, Provider: a.Agent.Provider,
		AgentType: a.Agent.Type, Action: a.Task, IntervalMS: int64(a.IntervalMS), TimeoutMS: int64(a.TimeoutMS),
		TargetRC: a.TargetRC, Params: a.Params, Meta: a.Meta}
}

func lost(node, why string) tengine.OpResult {
	return tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpError, ExitReason: "node " + node + " " + why}
}

// complete finishes a pending op once; from, when set, must be its node.
func (p *Proxy) complete(id, from string, r tengine.OpResult) bool {
	p.mu.Lock()
	op := p.pending[id]
	if op == nil || (from != "" && from != op.node) {
		p.mu.Unlock()
		return false
	}
	delete(p.pending, id)
	p.mu.Unlock()
	op.timer.Stop()
	op.done <- r
	return true
}

// Pending returns how many operations on node await an answer.
func (p *Proxy) Pending(node string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, op := range p.pending {
		if op.node == node {
			n++
		}
	}
	return n
}

// Deliver handles a received crm_lrm_result or crm_lrm_event. Answers to
// unknown or finished operations (late, or repeated) are ignored.
func (p *Proxy) Deliver(w *wire.Message) error {
	m, err := Decode(w)
	if err != nil {
		return err
	}
	switch m.Type {
	case MsgResult:
		r := tengine.OpResult{RC: m.RC, Status: tengine.OpStatus(m.OpStatus), ExitReason: m.ExitReason}
		if !p.complete(m.OpID, m.From, r) {
			p.cfg.Log.WithFields(logrus.Fields{"node": m.From, "op": m.OpID}).Debug("answer to no pending operation")
		}
		return nil
	case MsgEvent:
		if p.cfg.OnEvent != nil {
			p.cfg.OnEvent(m.From, EventOf(m))
		}
		return nil
	}
	return fmt.Errorf("%w: %s", ErrWrongSide, m.Type)
}

// EventOf rebuilds the resource manager's event from a crm_lrm_event.
func EventOf(m Msg) resourced.Event {
	op := resourced.Op{Resource: m.Resource, Agent: resourced.Agent{Class: resourced.Class(m.Class), Provider: m.Provider, Type: m.AgentType},
		Action: m.Action, Interval: time.Duration(m.IntervalMS) * time.Millisecond, Timeout: time.Duration(m.TimeoutMS) * time.Millisecond}
	res := resourced.Result{RC: ocf.ExitCode(m.RC), Status: resourced.Status(m.RStatus), ExitReason: m.ExitReason,
		Duration: time.Duration(m.ExecMS) * time.Millisecond}
	want := ocf.ExitCode(m.ExpectedRC)
	return resourced.Event{Op: op, Result: res, At: time.UnixMilli(m.AtMS), Expected: want,
		Recovery: resourced.Recovery(op, res, want), Changed: true}
}

// HeartbeatEvent follows the membership: when a node dies or restarts,
// its pending operations complete as failed (the requests are lost with
// it), and until it is up again new ones fail at once.
func (p *Proxy) HeartbeatEvent(ev membership.Event) {
	switch ev.Kind {
	case membership.NodeDead, membership.NodeRestarted:
		p.NodeLost(ev.Node, ev.Kind == membership.NodeDead)
	case membership.NodeUp, membership.NodeActive:
		p.mu.Lock()
		delete(p.dead, ev.Node)
		p.mu.Unlock()
	}
}

// NodeLost completes node's pending operations as failed; dead marks the
// node so that later requests fail at once until it is up again.
func (p *Proxy) NodeLost(node string, dead bool) int {
	p.mu.Lock()
	if dead {
		p.dead[node] = true
	}
	var ids []string
	for id, op := range p.pending {
		if op.node == node {
			ids = append(ids, id)
		}
	}
	p.mu.Unlock()
	n := 0
	for _, id := range ids {
		if p.complete(id, "", lost(node, "lost")) {
			n++
		}
	}
	if n > 0 {
		p.cfg.Log.WithField("node", node).Warnf("%d pending operations lost", n)
	}
	return n
}
