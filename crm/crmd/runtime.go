package crmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
	"hbgo/crm/lrmproxy"
	"hbgo/crm/tengine"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
	"hbgo/stonith/registry"
)

// Fencer fences a node (reboot, off, on); tengine.StonithFencer is one.
type Fencer interface {
	Fence(ctx context.Context, node, action string) error
}

// Config is what a Runtime needs.
type Config struct {
	// Controller configures the CRM membership and CIB replication
	// (Node, Nodes, timers); a nil Validator gets the CIB model's check.
	Controller controller.Config
	// CIBDir is where cib.xml lives (<state dir>/crm).
	CIBDir string
	// Send hands a message to the daemon's reliable sender. It is called
	// on the loop goroutine only (sends of background work are posted).
	Send func(*wire.Message)
	// Manager configures this node's resource manager (Runner required).
	Manager resourced.ManagerConfig
	// Fencer fences nodes when this node is DC with the devices ha.cf
	// configures; it is tried after the devices registered by this node's
	// stonith-class resources. Nil: only those.
	Fencer Fencer
	// Devices opens the devices of stonith-class resources when they
	// start; default a stonith registry with the standard directories.
	Devices DeviceOpener
	// FenceDelayBase is the base of FenceDelay when no registered device
	// sets pcmk_delay_base; default DefaultFenceDelayBase.
	FenceDelayBase time.Duration
	// Clock times operations (answer timeouts, operation timeouts);
	// default real time.
	Clock resourced.Clock
	// Instance tells apart successive runs of this node (its heartbeat
	// generation) in operation ids and transition keys.
	Instance string
	// Log is the daemon's logger; subsystems are added as "subsys".
	Log *logrus.Entry
	// Version is the dc-version the DC records in the CIB (crm_mon's
	// "Current DC: NODE (version ...)"); default DefaultVersion.
	Version string
}

// DefaultVersion is the dc-version of a Config without one.
const DefaultVersion = "hbgo"

// Work is a result of background work, to be handed back to Do on the
// daemon's loop.
type Work struct {
	fn func(now time.Time) error
}

// ErrClosed is returned by calls into a closed Runtime.
var ErrClosed = errors.New("crm runtime closed")

// Runtime is the crm-mode runtime of one node. Except for Work and the
// Backend, its methods must be called from the daemon's event loop.
type Runtime struct {
	cfg    Config
	self   string
	drv    *controller.Driver
	lrm    *lrmproxy.Node
	proxy  *lrmproxy.Proxy
	work   chan Work
	closed chan struct{}
	log    *logrus.Entry // crmd
	logCIB *logrus.Entry
	logPE  *logrus.Entry
	logTE  *logrus.Entry
	logAtt *logrus.Entry

	mem     controller.Membership
	pending *controller.Schedule // newest schedule not yet run
	tr      *transition          // running transition, nil when idle
	tid     int                  // last transition id
	reqSeq  int
	waiters map[string]func(controller.CommitDone)
	// outstanding counts our own status writes not yet committed; a new
	// transition waits for them so it sees its predecessor's results.
	outstanding int
	syncReq     string // id of the pending membership write, "" when none
	// queue holds work that must wait for our own writes to commit
	// (status writes, ProbeDone after a probe's results).
	queue []func(now time.Time) error
	// leaving is set by Shutdown; shutdownFailed when its request failed.
	leaving, shutdownFailed bool
	// shutDown (DC) holds the members whose shutdown was carried out.
	shutDown map[string]bool
	// synced is the last document and membership found in agreement.
	synced syncKey
	// notBefore delays the next transition after one that failed.
	notBefore time.Time
	// lastRun is when the policy engine last ran (cluster-recheck-interval).
	lastRun time.Time
	// recheck is cluster-recheck-interval as read from recheckDoc.
	recheck    time.Duration
	recheckDoc *cibstore.Doc
	// splitRisk tells the fencer, from the CIB of the running transition,
	// whether a split could make both sides fence (SplitCanFence).
	splitRisk atomic.Bool
}

// New builds the runtime and loads the CIB from cfg.CIBDir; now is the
// daemon's start time.
func New(cfg Config, now time.Time) (*Runtime, error) {
	if cfg.Send == nil || cfg.Log == nil || cfg.Manager.Runner == nil {
		return nil, fmt.Errorf("crmd: Send, Log and Manager.Runner are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = resourced.RealClock()
	}
	if cfg.Instance == "" {
		cfg.Instance = strconv.FormatInt(now.UnixNano(), 36)
	}
	if cfg.Controller.Validator == nil {
		cfg.Controller.Validator = func(d *cibstore.Doc) error {
			_, err := ParseCIB(d)
			return err
		}
	}
	r := &Runtime{cfg: cfg, self: cfg.Controller.Node, work: make(chan Work, 256), closed: make(chan struct{}),
		waiters: map[string]func(controller.CommitDone){}, shutDown: map[string]bool{}}
	sub := func(s string) *logrus.Entry { return cfg.Log.WithField("subsys", s) }
	r.log, r.logCIB, r.logPE, r.logTE, r.logAtt = sub("crmd"), sub("cib"), sub("pengine"), sub("tengine"), sub("attrd")
	doc := controller.LoadCIB(cfg.CIBDir, r.logCIB)
	m, err := controller.New(cfg.Controller, doc, now)
	if err != nil {
		return nil, err
	}
	r.drv = controller.NewDriver(m, cfg.CIBDir, effects{r}, r.log)
	if cfg.Devices == nil {
		cfg.Devices = &registry.Registry{Log: sub("stonithd")}
	}
	if cfg.FenceDelayBase == 0 {
		cfg.FenceDelayBase = DefaultFenceDelayBase
	}
	devices := newDeviceTable(cfg.Devices)
	mc := cfg.Manager
	mc.Runner = stonithRunner{next: mc.Runner, table: devices}
	mc.MetaData = metaDataSkippingStonith(mc.MetaData)
	if mc.Clock == nil {
		mc.Clock = cfg.Clock
	}
	if mc.Log == nil {
		mc.Log = sub("lrmd")
	}
	r.lrm = lrmproxy.NewNode(lrmproxy.NodeConfig{Self: r.self, Manager: mc, Send: r.sendAsync,
		OnLocalEvent: func(ev resourced.Event) {
			r.post(func(now time.Time) error { r.recurringEvent(now, r.self, ev); return nil })
		},
		Log: sub("lrmd")})
	local := &tengine.LRMExecutor{Managers: map[string]*resourced.Manager{r.self: r.lrm.Manager()}}
	local.Fencer = loggingFencer{nodeFencer{self: r.self, nodes: cfg.Controller.Nodes, splitRisk: &r.splitRisk, table: devices, fallback: cfg.Fencer,
		delayBase: cfg.FenceDelayBase, clock: cfg.Clock, log: sub("stonithd")}, sub("stonithd")}
	r.proxy = lrmproxy.NewProxy(lrmproxy.ProxyConfig{Self: r.self, Local: local, Send: r.sendAsync, Clock: cfg.Clock,
		Instance: cfg.Instance,
		OnEvent: func(node string, ev resourced.Event) {
			// Deliver runs on the loop already; posting keeps one path.
			r.post(func(now time.Time) error { r.recurringEvent(now, node, ev); return nil })
		},
		Log: sub("lrmd")})
	return r, nil
}

// Work returns the channel of finished background work; the daemon's
// loop receives from it and calls Do.
func (r *Runtime) Work() <-chan Work { return r.work }

// Do runs a Work item on the loop. An error is fatal (the CIB could not
// be written: controller.ErrWriteFailed).
func (r *Runtime) Do(now time.Time, w Work) error {
	if w.fn == nil {
		return nil
	}
	if err := w.fn(now); err != nil {
		return err
	}
	return r.after(now)
}

// post queues fn for the loop; it gives up once the runtime is closed.
func (r *Runtime) post(fn func(now time.Time) error) {
	select {
	case r.work <- Work{fn}:
	case <-r.closed:
	}
}

// sendAsync is the Send of the goroutines of lrmproxy: the message goes out
// from the loop.
func (r *Runtime) sendAsync(w *wire.Message) error {
	select {
	case <-r.closed:
		return ErrClosed
	default:
	}
	r.post(func(time.Time) error { r.cfg.Send(w); return nil })
	return nil
}

// Close stops the transition in progress and the resource manager
// (recurring monitors end; resources are left as they are).
func (r *Runtime) Close() {
	select {
	case <-r.closed:
		return
	default:
	}
	close(r.closed)
	if r.tr != nil {
		r.tr.cancel()
	}
	r.lrm.Close()
}

// HeartbeatEvent passes on a heartbeat membership event.
func (r *Runtime) HeartbeatEvent(now time.Time, ev membership.Event) error {
	if !ev.Local && ev.Type == membership.TypeNormal {
		r.proxy.HeartbeatEvent(ev)
	}
	if err := r.drv.HeartbeatEvent(now, ev); err != nil {
		return err
	}
	return r.after(now)
}

// Handles reports whether a received message type belongs to the crm
// runtime.
func Handles(t string) bool { return controller.IsController(t) || lrmproxy.IsLRM(t) }

// Deliver handles a received controller or LRM message; messages for
// another node are dropped. The error is fatal only when it wraps
// controller.ErrWriteFailed; a malformed message is logged and dropped.
func (r *Runtime) Deliver(now time.Time, w *wire.Message) error {
	if to := w.Value(wire.FieldDest); to != "" && to != r.self {
		return nil
	}
	t := w.Type()
	switch {
	case controller.IsController(t):
		if err := r.drv.Deliver(now, w); err != nil {
			if errors.Is(err, controller.ErrWriteFailed) {
				return err
			}
			return nil
		}
	case lrmproxy.ForDC(t):
		if err := r.proxy.Deliver(w); err != nil {
			r.log.WithError(err).Debug("dropping LRM message")
		}
	case lrmproxy.IsLRM(t):
		if r.refuseWhileLeaving(w) {
			return nil
		}
		if err := r.lrm.Deliver(w); err != nil {
			r.log.WithError(err).Debug("dropping LRM message")
		}
	default:
		return nil
	}
	return r.after(now)
}

// Tick passes time; call it every keepalive.
func (r *Runtime) Tick(now time.Time) error {
	if err := r.drv.Tick(now); err != nil {
		return err
	}
	return r.after(now)
}

// Membership returns the current CRM membership.
func (r *Runtime) Membership() controller.Membership { return r.drv.Machine().Membership() }

// CIB returns this node's replica of the CIB.
func (r *Runtime) CIB() *cibstore.Doc { return r.drv.Machine().CIB() }

// IsDC reports whether this node is the DC.
func (r *Runtime) IsDC() bool { return r.drv.Machine().IsDC() }

// Idle reports whether no transition runs nor waits (tests use it).
func (r *Runtime) Idle() bool {
	return r.tr == nil && r.pending == nil && r.outstanding == 0 && len(r.queue) == 0
}

// TransitionID returns the id of the last transition started.
func (r *Runtime) TransitionID() int { return r.tid }

// after follows a change of membership after any call into the driver.
func (r *Runtime) after(now time.Time) error {
	mem := r.drv.Machine().Membership()
	if !mem.Equal(r.mem) {
		r.membershipChanged(mem)
	}
	// Our own writes (membership, results) produce more actions; a few
	// rounds settle them (the rest waits for the next call).
	for range 32 {
		again, err := r.kick(now)
		if err != nil || !again {
			return err
		}
	}
	return nil
}

func (r *Runtime) membershipChanged(mem controller.Membership) {
	old := r.mem
	r.mem = mem
	for n := range r.shutDown {
		if !slices.Contains(mem.Members, n) {
			delete(r.shutDown, n)
		}
	}
	r.lrm.SetDC(mem.DC)
	if old.DC == r.self && mem.DC != r.self {
		r.log.WithField("node", r.self).Warn("no longer the DC: stopping the transition engine")
		r.stopTransition("lost the DC role")
		r.pending = nil
	}
	if mem.DC == r.self && mem.DC != old.DC {
		r.log.WithFields(logrus.Fields{"node": r.self, "instance": mem.Instance}).Info("this node is now the DC")
	}
}

// request asks for a CIB change; done (optional) sees its end.
func (r *Runtime) request(now time.Time, why string, ops []cibstore.Op, done func(controller.CommitDone)) (string, error) {
	r.reqSeq++
	id := fmt.Sprintf("%s-%s-%d", r.self, r.cfg.Instance, r.reqSeq)
	if done != nil {
		r.waiters[id] = done
	}
	r.logCIB.WithFields(logrus.Fields{"req": id, "ops": len(ops)}).Debugf("CIB change requested: %s", why)
	return id, r.drv.Request(now, id, ops)
}

// effects implements controller.Effects on the loop goroutine.
type effects struct{ r *Runtime }

func (e effects) Send(w *wire.Message) error { e.r.cfg.Send(w); return nil }
func (e effects) Schedule(s controller.Schedule) {
	// Decided in after(): nothing re-enters the driver from here.
	e.r.pending = &s
}
func (e effects) Probe(node string) { e.r.probe(node) }
func (e effects) Committed(c controller.CommitDone) {
	if w := e.r.waiters[c.ReqID]; w != nil {
		delete(e.r.waiters, c.ReqID)
		w(c)
	}
}

type loggingFencer struct {
	f   Fencer
	log *logrus.Entry
}

func (l loggingFencer) Fence(ctx context.Context, node, action string) error {
	l.log.WithField("node", node).Infof("fencing %s (%s)", node, action)
	err := l.f.Fence(ctx, node, action)
	if err != nil {
		l.log.WithField("node", node).WithError(err).Error("fencing failed")
	} else {
		l.log.WithField("node", node).Infof("%s fenced", node)
	}
	return err
}
