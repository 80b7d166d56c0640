package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/authkeys"
	"hbgo/crm/crmd"
	"hbgo/hacf"
	"hbgo/heartbeat/api"
	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/ipfail"
	"hbgo/heartbeat/media"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/reliable"
	"hbgo/heartbeat/rscmgr"
	"hbgo/heartbeat/wire"
)

// Fencer resets a node with the configured STONITH device.
type Fencer interface {
	// Reset returns failover.StonithOK, StonithBadHost or StonithBad.
	Reset(ctx context.Context, node string) string
}

// Options is everything the daemon needs; the command builds it from the
// configuration directory and opens the media.
type Options struct {
	Node     string // local node name, lower case
	Config   *hacf.Config
	Keyring  *authkeys.Keyring
	Groups   []failover.Group // haresources lines (key, home)
	Media    []media.Medium   // heartbeat links
	Ping     []media.Medium   // ICMP probers, one per ping / ping_group node
	Clock    clock.Clock
	Log      *logrus.Entry
	UUID     [16]byte
	Gen      uint64          // our generation (hg)
	Resource *rscmgr.Manager // nil: do not manage resources (-M)
	Fencer   Fencer          // nil: no STONITH device
	Version  string
	// Notify is called with systemd notify states ("READY=1").
	Notify func(state string)
	// LoadAvg returns the ld= field; nil reads /proc/loadavg.
	LoadAvg func() string
	// Events, when set, receives membership events (tests observe them).
	Events func(membership.Event)
	// IPFail enables the built-in ipfail policy (two nodes, ping nodes,
	// auto_failback on or off).
	IPFail bool
	// CRM, set with `crm on`, builds the crm-mode runtime given the
	// daemon's reliable sender; Resource must then be nil (haresources is
	// not used in crm mode).
	CRM func(send func(*wire.Message)) (*crmd.Runtime, error)
}

// Daemon is one running node.
type Daemon struct {
	opt   Options
	cfg   *hacf.Config
	log   *logrus.Entry
	clk   clock.Clock
	mem   *membership.Membership
	rel   *reliable.Endpoint
	fo    *failover.Machine
	start time.Time

	localStatus membership.Status
	commUp      bool
	reqnodesTo  string
	reqnodesAt  time.Time
	nextStatus  time.Time
	peerUUID    map[string][]byte
	pingNames   map[string]bool // ping media names
	badAuthLog  map[string]time.Time

	pkts     chan media.Packet
	jobDone  chan failover.JobResult
	fenceRes chan fenceResult
	apiReq   chan apiCall
	stopReq  chan struct{}
	exited   chan struct{}
	jobBusy  bool
	stopping bool
	exitAt   time.Time
	exitNow  bool
	ldValue  string
	ldAt     time.Time
	ipf      *ipfail.Machine
	ipfPeer  string
	crm      *crmd.Runtime
	crmErr   error // fatal error of the crm runtime (CIB write failed)
	// crmLeaveBy bounds a crm-mode shutdown: shutdone goes out then even
	// if the DC has not confirmed that our resources are gone.
	crmLeaveBy time.Time
}

// CRMShutdownLimit bounds how long a crm-mode shutdown waits for the DC
// to move the node's resources away.
const CRMShutdownLimit = 5 * time.Minute

type fenceResult struct{ node, result string }

type apiCall struct {
	fn   func()
	done chan struct{}
}

// ErrConfig reports unusable options.
var ErrConfig = errors.New("daemon configuration")

// New builds a daemon; it does not start sending until Run.
func New(opt Options) (*Daemon, error) {
	if opt.Config == nil || opt.Keyring == nil || opt.Clock == nil || opt.Log == nil {
		return nil, fmt.Errorf("%w: config, keyring, clock and log are required", ErrConfig)
	}
	cfg := opt.Config
	d := &Daemon{opt: opt, cfg: cfg, log: opt.Log, clk: opt.Clock,
		peerUUID: map[string][]byte{}, pingNames: map[string]bool{}, badAuthLog: map[string]time.Time{},
		pkts: make(chan media.Packet, 256), jobDone: make(chan failover.JobResult, 1),
		fenceRes: make(chan fenceResult, 4), apiReq: make(chan apiCall), stopReq: make(chan struct{}, 1),
		exited: make(chan struct{})}
	d.start = d.clk.Now()
	mcfg := membership.Config{Local: opt.Node, Keepalive: cfg.Keepalive, Deadtime: cfg.Deadtime,
		Warntime: cfg.Warntime, Initdead: cfg.Initdead, Deadping: cfg.Deadping}
	for _, n := range cfg.Nodes {
		mcfg.Nodes = append(mcfg.Nodes, n.Name)
	}
	for _, p := range cfg.PingNodes {
		if p.Kind == hacf.PingGroup {
			mcfg.PingGroups = append(mcfg.PingGroups, membership.PingGroup{Name: p.Name, Members: p.Hosts})
		} else {
			mcfg.PingNodes = append(mcfg.PingNodes, p.Name)
		}
	}
	for _, m := range opt.Ping {
		d.pingNames[m.Name()] = true
	}
	mem, err := membership.New(mcfg, d.start)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	d.mem = mem
	d.rel = reliable.New(reliable.Config{Self: opt.Node, MaxRexmitDelay: cfg.MaxRexmitDelay})
	for _, n := range mcfg.Nodes {
		if n != opt.Node {
			d.rel.AddPeer(n)
		}
	}
	mode := failover.Legacy
	switch cfg.AutoFailback {
	case hacf.FailbackOn:
		mode = failover.AutoFailbackOn
	case hacf.FailbackOff:
		mode = failover.AutoFailbackOff
	}
	d.fo = failover.New(failover.Config{Node: opt.Node, Nodes: mcfg.Nodes, Mode: mode, Groups: opt.Groups,
		Stonith: opt.Fencer != nil})
	d.localStatus = membership.StatusInit
	if opt.CRM != nil {
		if opt.Resource != nil {
			return nil, fmt.Errorf("%w: crm mode and the v1 resource manager exclude each other", ErrConfig)
		}
		if d.crm, err = opt.CRM(d.sendReliable); err != nil {
			return nil, fmt.Errorf("%w: crm: %v", ErrConfig, err)
		}
	}
	if opt.IPFail && opt.Resource != nil && mode != failover.Legacy {
		for _, n := range mcfg.Nodes {
			if n != opt.Node {
				d.ipfPeer = n
			}
		}
		if len(mcfg.Nodes) == 2 && len(mcfg.PingNodes)+len(mcfg.PingGroups) > 0 {
			d.ipf = ipfail.New(ipfail.Config{Peer: d.ipfPeer, AutoFailback: mode == failover.AutoFailbackOn, Keepalive: cfg.Keepalive})
			d.log.Info("ipfail: ping-node failover enabled")
		} else {
			d.log.Warn("ipfail needs exactly two nodes and at least one ping node: not enabled")
		}
	}
	return d, nil
}

// Run drives the node until a graceful shutdown completes (nil) or ctx
// ends (ctx.Err(): an abrupt stop, resources left as they are).
func (d *Daemon) Run(ctx context.Context) error {
	defer close(d.exited)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var crmWork <-chan crmd.Work
	if d.crm != nil {
		defer d.crm.Close()
		crmWork = d.crm.Work()
	}
	for _, m := range append(append([]media.Medium{}, d.opt.Media...), d.opt.Ping...) {
		go d.pump(ctx, m)
	}
	d.log.Infof("Starting heartbeat %s", d.opt.Version)
	d.log.Infof("heartbeat: version %s, node %s, generation %d", d.opt.Version, d.opt.Node, d.opt.Gen)
	now := d.clk.Now()
	// 3.0.6 sends init, then up twice at once.
	d.sendStatus(now)
	d.setLocalStatus(membership.StatusUp, now)
	d.sendStatus(now)
	d.sendStatus(now)
	d.nextStatus = now.Add(d.cfg.Keepalive)
	timer := d.clk.NewTimer(d.cfg.Keepalive)
	defer timer.Stop()
	for {
		now := d.clk.Now()
		d.onTime(now)
		if d.finished() {
			d.log.Infof("%s Heartbeat shutdown complete.", d.opt.Node)
			return nil
		}
		if d.crmErr != nil {
			d.log.WithError(d.crmErr).Error("crm: fatal error, exiting")
			return d.crmErr
		}
		timer.Reset(d.nextWake(now))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p := <-d.pkts:
			d.handlePacket(p)
		case <-timer.C():
		case r := <-d.jobDone:
			d.jobBusy = false
			d.applyFailover(d.fo.JobDone(d.clk.Now(), r))
		case f := <-d.fenceRes:
			d.applyFailover(d.fo.FenceDone(d.clk.Now(), f.node, f.result))
		case c := <-d.apiReq:
			c.fn()
			close(c.done)
		case <-d.stopReq:
			d.beginShutdown()
		case w := <-crmWork:
			d.crmCheck(d.crm.Do(d.clk.Now(), w))
		}
	}
}

func (d *Daemon) pump(ctx context.Context, m media.Medium) {
	for {
		select {
		case <-ctx.Done():
			return
		case p, ok := <-m.Packets():
			if !ok {
				d.log.WithField("medium", m.Name()).Warn("medium closed")
				return
			}
			select {
			case d.pkts <- p:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Shutdown asks for a graceful stop (SIGTERM): groups are released and
// handed to the peer, then Run returns.
func (d *Daemon) Shutdown() {
	select {
	case d.stopReq <- struct{}{}:
	default:
	}
}

// Done is closed when Run has returned.
func (d *Daemon) Done() <-chan struct{} { return d.exited }

func (d *Daemon) beginShutdown() {
	if d.stopping {
		return
	}
	d.stopping = true
	if d.crm != nil {
		// crm mode: the DC moves our resources away first; onTime sends
		// shutdone once it has (or the time limit passed).
		d.log.Info("Heartbeat shutdown in progress: waiting for the DC to move our resources away.")
		d.crmLeaveBy = d.clk.Now().Add(CRMShutdownLimit)
		d.crmCheck(d.crm.Shutdown(d.clk.Now()))
		return
	}
	if d.opt.Resource == nil {
		d.log.Info("Heartbeat shutdown in progress.")
		// Without resources, shutdone goes out at once.
		d.sendCluster(failover.Outgoing{Type: failover.TShutdone, Fields: []failover.Field{{Name: failover.FStatus, Value: "dead"}}})
		d.exitAt = d.clk.Now().Add(failover.FinalShutdownDelay)
		return
	}
	d.applyFailover(d.fo.Shutdown(d.clk.Now()))
}

func (d *Daemon) finished() bool { return d.exitNow }

// crmCheck keeps the first fatal error of the crm runtime; Run stops on it.
func (d *Daemon) crmCheck(err error) {
	if err != nil && d.crmErr == nil {
		d.crmErr = err
	}
}

// nextWake is how long the loop may sleep: until the next status message
// or the earliest deadline of a state machine.
func (d *Daemon) nextWake(now time.Time) time.Duration {
	next := d.nextStatus
	consider := func(t time.Time, ok bool) {
		if ok && !t.IsZero() && t.Before(next) {
			next = t
		}
	}
	consider(d.mem.NextDeadline())
	consider(d.rel.NextDeadline())
	t := d.fo.NextDeadline()
	consider(t, !t.IsZero())
	consider(d.exitAt, !d.exitAt.IsZero())
	consider(d.crmLeaveBy, d.stopping && d.crm != nil && d.exitAt.IsZero())
	if d.ipf != nil {
		t := d.ipf.NextDeadline()
		consider(t, !t.IsZero())
	}
	if !d.commUp && !d.reqnodesAt.IsZero() {
		consider(d.reqnodesAt.Add(time.Second), true)
	}
	w := next.Sub(now)
	if w < time.Millisecond {
		w = time.Millisecond
	}
	return w
}

// onTime runs everything due at now.
func (d *Daemon) onTime(now time.Time) {
	if !now.Before(d.nextStatus) {
		d.sendStatus(now)
		d.nextStatus = d.nextStatus.Add(d.cfg.Keepalive)
		if d.nextStatus.Before(now) {
			d.nextStatus = now.Add(d.cfg.Keepalive)
		}
		d.sendPings(now)
		if d.crm != nil {
			d.crmCheck(d.crm.Tick(now))
		}
	}
	d.membershipEvents(d.mem.Tick(now))
	for _, m := range d.rel.Tick(now) {
		d.sendControl(m)
	}
	if !d.commUp {
		d.checkCommUp(now)
	}
	d.applyFailover(d.fo.Tick(now))
	if d.ipf != nil {
		d.applyIPFail(d.ipf.Tick(d.ipfailView(now)))
	}
	if d.crm != nil && d.stopping && d.exitAt.IsZero() {
		if done := d.crm.ShutdownDone(); done || !now.Before(d.crmLeaveBy) {
			if !done {
				d.log.Warn("the DC did not confirm our shutdown in time; leaving anyway")
			}
			d.sendCluster(failover.Outgoing{Type: failover.TShutdone, Fields: []failover.Field{{Name: failover.FStatus, Value: "dead"}}})
			d.exitAt = now.Add(failover.FinalShutdownDelay)
		}
	}
	if !d.exitAt.IsZero() && !now.Before(d.exitAt) {
		d.exitNow = true
	}
}

// call runs fn on the loop goroutine (API requests).
func (d *Daemon) call(fn func()) error {
	c := apiCall{fn: fn, done: make(chan struct{})}
	select {
	case d.apiReq <- c:
	case <-d.exited:
		return errors.New("heartbeat is stopping")
	}
	select {
	case <-c.done:
		return nil
	case <-d.exited:
		return errors.New("heartbeat is stopping")
	}
}

// Snapshot implements api.Handler.
func (d *Daemon) Snapshot() api.Snapshot {
	var s api.Snapshot
	_ = d.call(func() { s = d.snapshot() })
	return s
}

// Standby implements api.Handler (hb_standby).
func (d *Daemon) Standby(set string) error {
	h, ok := failover.ParseHolding(set)
	if !ok || h == failover.None {
		return fmt.Errorf("wrong resources(%s)", set)
	}
	return d.call(func() { d.applyFailover(d.fo.Standby(d.clk.Now(), h)) })
}

// Takeover implements api.Handler (hb_takeover).
func (d *Daemon) Takeover(set string) error {
	if set == "failback" { // passed on unchanged, as 3.0.6's script does
		return d.call(func() {
			d.sendCluster(failover.Outgoing{Type: failover.THBTakeover, Fields: []failover.Field{{Name: failover.FRscHold, Value: set}}})
		})
	}
	h, ok := failover.ParseHolding(set)
	if !ok || h == failover.None {
		return fmt.Errorf("wrong resources(%s)", set)
	}
	return d.call(func() { d.applyFailover(d.fo.Takeover(d.clk.Now(), h)) })
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "0.00 0.00 0.00 1/1 1"
	}
	return strings.TrimSpace(string(b))
}

// WithCRM runs fn with the crm runtime on the loop goroutine (status
// queries of tests and tools); it returns an error without crm mode.
func (d *Daemon) WithCRM(fn func(*crmd.Runtime)) error {
	if d.crm == nil {
		return errors.New("not in crm mode")
	}
	return d.call(func() { fn(d.crm) })
}
