package lrmproxy

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/tengine"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// DefaultCacheSize is how many answers a Node remembers for repeated
// requests.
const DefaultCacheSize = 1024

// NodeConfig configures a Node.
type NodeConfig struct {
	// Self is this node's name.
	Self string
	// Manager configures the node's resource manager; its OnResult, when
	// set, is still called after the Node has looked at the event.
	Manager resourced.ManagerConfig
	// Send hands a message to the reliable sender; it must be safe for
	// concurrent use.
	Send func(*wire.Message) error
	// OnLocalEvent receives the events meant for the DC while this node
	// is the DC (nothing goes over the network then).
	OnLocalEvent func(ev resourced.Event)
	// CacheSize bounds the remembered answers; default DefaultCacheSize.
	CacheSize int
	Log       *logrus.Entry
}

// Node is the executing side on every node: it runs the requests it
// receives through its resource manager and answers them, and reports the
// changed results of recurring monitors to the current DC.
type Node struct {
	cfg    NodeConfig
	m      *resourced.Manager
	clock  resourced.Clock
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	dc      string
	callID  int64
	running map[string]bool // op ids being executed
	answers map[string]Msg  // op id -> answer sent
	order   []string        // answers' ids, oldest first
	wg      sync.WaitGroup
}

// NewNode returns a Node and starts its resource manager (Manager).
// cfg.Self, cfg.Send and cfg.Manager.Runner are required.
func NewNode(cfg NodeConfig) *Node {
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	if cfg.Log == nil {
		l := logrus.New()
		l.SetLevel(logrus.PanicLevel)
		cfg.Log = logrus.NewEntry(l)
	}
	n := &Node{cfg: cfg, running: map[string]bool{}, answers: map[string]Msg{}}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	mc := cfg.Manager
	next := mc.OnResult
	mc.OnResult = func(ev resourced.Event) {
		n.recurring(ev)
		if next != nil {
			next(ev)
		}
	}
	if mc.Clock == nil {
		mc.Clock = resourced.RealClock()
	}
	n.clock = mc.Clock
	n.m = resourced.NewManager(mc)
	return n
}

// Manager returns the node's resource manager (the DC runs its own
// operations through it, e.g. with a tengine.LRMExecutor).
func (n *Node) Manager() *resourced.Manager { return n.m }

// SetDC names the current DC ("" when there is none): events go to it
// from now on. Answers always go to the node that asked.
func (n *Node) SetDC(name string) {
	n.mu.Lock()
	n.dc = name
	n.mu.Unlock()
}

// Close cancels the running requests and closes the manager.
func (n *Node) Close() {
	n.cancel()
	n.m.Close()
	n.wg.Wait()
}

// Deliver handles a received crm_lrm_exec or crm_lrm_cancel. It returns at
// once: the operation runs in its own goroutine and its answer is sent
// when it ends. A request whose op id was already answered is answered
// again from the cache; one still running is ignored (its answer comes).
func (n *Node) Deliver(w *wire.Message) error {
	m, err := Decode(w)
	if err != nil {
		return err
	}
	if m.Type != MsgExec && m.Type != MsgCancel {
		return fmt.Errorf("%w: %s", ErrWrongSide, m.Type)
	}
	log := n.cfg.Log.WithFields(logrus.Fields{"node": m.From, "resource": m.Resource, "op": m.OpID})
	n.mu.Lock()
	if a, ok := n.answers[m.OpID]; ok {
		n.mu.Unlock()
		a.To = m.From
		log.Debug("repeated request answered from cache")
		n.send(a, log)
		return nil
	}
	if n.running[m.OpID] {
		n.mu.Unlock()
		log.Debug("repeated request still running")
		return nil
	}
	n.running[m.OpID] = true
	n.mu.Unlock()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		a := n.execute(m)
		n.mu.Lock()
		delete(n.running, m.OpID)
		n.remember(a)
		n.mu.Unlock()
		n.send(a, log)
	}()
	return nil
}

// remember caches an answer, dropping the oldest beyond CacheSize. Called
// with mu held.
func (n *Node) remember(a Msg) {
	n.answers[a.OpID] = a
	n.order = append(n.order, a.OpID)
	for len(n.order) > n.cfg.CacheSize {
		delete(n.answers, n.order[0])
		n.order = n.order[1:]
	}
}

func (n *Node) send(m Msg, log *logrus.Entry) {
	w, err := Encode(m)
	if err == nil {
		err = n.cfg.Send(w)
	}
	if err != nil {
		log.WithError(err).Warn("cannot send")
	}
}

// execute runs one request, as tengine.LRMExecutor does locally, and
// builds the answer.
func (n *Node) execute(m Msg) Msg {
	n.mu.Lock()
	n.callID++
	call := n.callID
	n.mu.Unlock()
	ans := Msg{Type: MsgResult, To: m.From, OpID: m.OpID, CallID: call}
	op := resourced.Op{Resource: m.Resource, Agent: resourced.Agent{Class: resourced.Class(m.Class), Provider: m.Provider, Type: m.AgentType},
		Action: m.Action, Params: m.Params, Meta: m.Meta, Interval: time.Duration(m.IntervalMS) * time.Millisecond,
		Timeout: time.Duration(m.TimeoutMS) * time.Millisecond}
	if m.Type == MsgCancel {
		n.m.CancelRecurring(op.Key())
		ans.OpStatus = int(tengine.OpDone)
		return ans
	}
	start := n.clock.Now()
	var r resourced.Result
	switch {
	case op.Action == resourced.ActionStart:
		r = n.m.Start(n.ctx, op)
	case op.Action == resourced.ActionStop:
		r = n.m.Stop(n.ctx, op)
	case op.IsProbe():
		r = n.m.Probe(n.ctx, op)
	default:
		r = n.m.Execute(n.ctx, op)
	}
	res := tengine.FromResourcedResult(r)
	if op.Interval > 0 && res.Succeeded(m.TargetRC) {
		// The first run was the one above; the manager keeps it going.
		if err := n.m.StartRecurring(op); err != nil && !errors.Is(err, resourced.ErrDuplicateRecurring) {
			res = tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpError, ExitReason: err.Error()}
		}
	}
	ans.RC, ans.OpStatus, ans.ExitReason = res.RC, int(res.Status), res.ExitReason
	ans.ExecMS = r.Duration.Milliseconds()
	if q := n.clock.Now().Sub(start) - r.Duration; q > 0 {
		ans.QueueMS = q.Milliseconds()
	}
	return ans
}

// recurring forwards a changed recurring-monitor result to the current DC.
func (n *Node) recurring(ev resourced.Event) {
	if !ev.Changed {
		return
	}
	n.mu.Lock()
	dc := n.dc
	n.mu.Unlock()
	log := n.cfg.Log.WithFields(logrus.Fields{"resource": ev.Op.Resource, "dc": dc})
	switch dc {
	case "":
		log.Warn("recurring monitor changed, no DC to tell")
		return
	case n.cfg.Self:
		if n.cfg.OnLocalEvent != nil {
			n.cfg.OnLocalEvent(ev)
		}
		return
	}
	n.send(EventMsg(dc, ev), log)
}

// EventMsg builds the crm_lrm_event telling dc about ev.
func EventMsg(dc string, ev resourced.Event) Msg {
	return Msg{Type: MsgEvent, To: dc, Resource: ev.Op.Resource, Class: string(ev.Op.Agent.Class), Provider: ev.Op.Agent.Provider,
		AgentType: ev.Op.Agent.Type, Action: ev.Op.Action, IntervalMS: ev.Op.Interval.Milliseconds(), TimeoutMS: ev.Op.Timeout.Milliseconds(),
		RC: int(ev.Result.RC), RStatus: int(ev.Result.Status), ExitReason: ev.Result.ExitReason, ExecMS: ev.Result.Duration.Milliseconds(),
		ExpectedRC: int(ev.Expected), AtMS: ev.At.UnixMilli()}
}

var _ tengine.Executor = (*Proxy)(nil)
