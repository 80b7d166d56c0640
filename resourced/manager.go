package resourced

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/resourced/ocf"
)

// Sentinel errors of the Manager.
var (
	// ErrDuplicateRecurring: a recurring op with the same key exists.
	ErrDuplicateRecurring = errors.New("recurring operation already scheduled")
	// ErrBadInterval: recurring operations need a positive interval.
	ErrBadInterval = errors.New("recurring operation needs an interval")
	// ErrManagerClosed: the Manager no longer accepts operations.
	ErrManagerClosed = errors.New("resource manager closed")
)

// MetaDataFunc returns an agent's meta-data, or (nil, nil) when the class
// has none. (*Executor).MetaData is one.
type MetaDataFunc func(ctx context.Context, a Agent) (*ocf.MetaData, error)

// ManagerConfig configures a Manager.
type ManagerConfig struct {
	Runner Runner
	// MetaData, when set, supplies default timeouts and tells whether an
	// agent offers validate-all (run before every start).
	MetaData MetaDataFunc
	// Workers bounds how many operations run at once (default 4, as
	// cluster-glue's lrmd on two CPUs).
	Workers int
	Clock   Clock // default RealClock
	// OnResult is called with the result of every recurring operation
	// run (from the goroutine that ran it).
	OnResult func(Event)
	Log      *logrus.Entry
}

// Event reports one run of a recurring operation.
type Event struct {
	Op     Op
	Result Result
	At     time.Time
	// Expected is the code the manager expected from the resource's last
	// known state; Recovery classifies Result against it.
	Expected ocf.ExitCode
	Recovery ocf.Recovery
	// Changed is true when RC or Status differ from the previous run of
	// the same recurring op (always true for the first run).
	Changed bool
}

// Manager serialises operations per resource, runs different resources
// concurrently (at most Workers at once) and schedules recurring monitors.
type Manager struct {
	cfg ManagerConfig
	sem chan struct{}

	mu     sync.Mutex
	locks  map[string]*fifoLock
	rec    map[string]*recurring
	rsc    map[string]*rscInfo
	closed bool
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type recurring struct {
	op        Op
	timer     Timer
	cancelled bool
	last      *Result
}

// NewManager returns a Manager; cfg.Runner is required.
func NewManager(cfg ManagerConfig) *Manager {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock()
	}
	if cfg.Log == nil {
		l := logrus.New()
		l.SetOutput(discard{})
		cfg.Log = logrus.NewEntry(l)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Manager{
		cfg: cfg, sem: make(chan struct{}, cfg.Workers),
		locks: map[string]*fifoLock{}, rec: map[string]*recurring{}, rsc: map[string]*rscInfo{},
		ctx: ctx, cancel: cancel,
	}
}

func (m *Manager) lockFor(rsc string) *fifoLock {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.locks[rsc]
	if !ok {
		l = &fifoLock{}
		m.locks[rsc] = l
	}
	return l
}

// Execute runs op once, after every earlier operation of the same resource
// has finished, when a worker is free. Waiting honours ctx.
func (m *Manager) Execute(ctx context.Context, op Op) Result {
	r, _, _ := m.execute(ctx, op)
	return r
}

// execute is Execute also returning the expected code and recovery class
// recorded for the result.
func (m *Manager) execute(ctx context.Context, op Op) (r Result, want ocf.ExitCode, rec ocf.Recovery) {
	r = m.serialised(ctx, op.Resource, func() Result {
		res := m.run(ctx, op)
		want, rec = m.record(op, res, false)
		return res
	})
	return r, want, rec
}

func (m *Manager) serialised(ctx context.Context, rsc string, f func() Result) Result {
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		return failed(StatusCancelled, ocf.ErrGeneric, ErrManagerClosed)
	}
	l := m.lockFor(rsc)
	if err := l.Lock(ctx); err != nil {
		return failed(StatusCancelled, ocf.ErrGeneric, fmt.Errorf("waiting for %s: %w", rsc, err))
	}
	defer l.Unlock()
	return f()
}

// run executes op on a worker slot; the caller holds the resource lock.
func (m *Manager) run(ctx context.Context, op Op) Result {
	select {
	case m.sem <- struct{}{}:
	case <-ctx.Done():
		return failed(StatusCancelled, ocf.ErrGeneric, fmt.Errorf("waiting for a worker: %w", ctx.Err()))
	}
	defer func() { <-m.sem }()
	if op.Timeout <= 0 && m.cfg.MetaData != nil {
		if md, err := m.cfg.MetaData(ctx, op.Agent); err == nil && md != nil {
			if a, ok := md.Action(op.Action); ok {
				op.Timeout = a.Timeout
			}
		}
	}
	r := m.cfg.Runner.Run(ctx, op)
	m.cfg.Log.WithFields(logrus.Fields{
		"rsc": op.Resource, "op": op.Action, "interval": op.Interval,
		"rc": int(r.RC), "status": r.Status.String(),
	}).Debug("operation done")
	return r
}

// Probe runs a monitor with interval 0 to learn the resource's state. As
// Pacemaker does, "not installed" and "not configured" answers (and a
// missing agent) mean "stopped here", not a failure.
func (m *Manager) Probe(ctx context.Context, op Op) Result {
	op.Action, op.Interval = ActionMonitor, 0
	return m.serialised(ctx, op.Resource, func() Result {
		r := m.run(ctx, op)
		if r.Status == StatusNotInstalled || r.Status == StatusDone && (r.RC == ocf.ErrInstalled || r.RC == ocf.ErrConfigured) {
			why := r.ExitReason
			r.ExitReason = fmt.Sprintf("probe answer %v treated as not running", r.RC)
			if why != "" {
				r.ExitReason += ": " + why
			}
			r.Status, r.RC, r.Err = StatusDone, ocf.NotRunning, nil
		}
		m.record(op, r, true)
		return r
	})
}

// Start runs validate-all (when the agent's meta-data offers it) and then
// start, both in one turn of the resource's queue. A failing validation
// is returned and start is not attempted.
func (m *Manager) Start(ctx context.Context, op Op) Result {
	op.Action = ActionStart
	return m.serialised(ctx, op.Resource, func() Result {
		if m.cfg.MetaData != nil {
			md, err := m.cfg.MetaData(ctx, op.Agent)
			if err == nil && md != nil && md.HasAction(ActionValidate) {
				v := op
				v.Action, v.Interval, v.Timeout = ActionValidate, 0, 0
				if r := m.run(ctx, v); r.Status != StatusDone || r.RC != ocf.Success {
					r.ExitReason = "validate-all: " + r.ExitReason
					m.record(op, r, false) // the start failed
					return r
				}
			}
		}
		r := m.run(ctx, op)
		m.record(op, r, false)
		return r
	})
}

// Stop cancels the resource's recurring operations and then runs stop.
func (m *Manager) Stop(ctx context.Context, op Op) Result {
	m.CancelResource(op.Resource)
	op.Action, op.Interval = ActionStop, 0
	return m.Execute(ctx, op)
}

// StartRecurring schedules op (normally a monitor) every op.Interval on
// the Manager's clock, the first run one interval from now. Each run goes
// through the resource's queue; the next run is armed when a run ends.
func (m *Manager) StartRecurring(op Op) error {
	return m.StartRecurringAfter(op, op.Interval)
}

// StartRecurringAfter is StartRecurring with the first run after first
// (0: at once, as Pacemaker's executor does; or an op's start-delay).
func (m *Manager) StartRecurringAfter(op Op, first time.Duration) error {
	if op.Interval <= 0 {
		return fmt.Errorf("%w: %s", ErrBadInterval, op.Key())
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrManagerClosed
	}
	key := op.Key()
	if _, ok := m.rec[key]; ok {
		return fmt.Errorf("%w: %s", ErrDuplicateRecurring, key)
	}
	r := &recurring{op: op}
	m.rec[key] = r
	m.armLocked(r, first)
	return nil
}

func (m *Manager) armLocked(r *recurring, d time.Duration) {
	r.timer = m.cfg.Clock.AfterFunc(d, func() { m.fire(r) })
}

func (m *Manager) fire(r *recurring) {
	m.mu.Lock()
	if r.cancelled || m.closed {
		m.mu.Unlock()
		return
	}
	m.wg.Add(1)
	m.mu.Unlock()
	defer m.wg.Done()

	res, want, rec := m.execute(m.ctx, r.op)

	m.mu.Lock()
	if r.cancelled || m.closed {
		m.mu.Unlock()
		return
	}
	ev := Event{Op: r.op, Result: res, At: m.cfg.Clock.Now(), Expected: want, Recovery: rec}
	ev.Changed = r.last == nil || r.last.RC != res.RC || r.last.Status != res.Status
	r.last = &res
	// Re-arm before reporting, so an observer sees the next run scheduled.
	m.armLocked(r, r.op.Interval)
	m.mu.Unlock()
	if m.cfg.OnResult != nil {
		m.cfg.OnResult(ev)
	}
}

// CancelRecurring stops the recurring op with that key (see Op.Key); a run
// in progress finishes but is not reported. It reports whether one existed.
func (m *Manager) CancelRecurring(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rec[key]
	if ok {
		m.cancelLocked(key, r)
	}
	return ok
}

// CancelResource cancels every recurring op of a resource and returns how
// many there were.
func (m *Manager) CancelResource(rsc string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for key, r := range m.rec {
		if r.op.Resource == rsc {
			m.cancelLocked(key, r)
			n++
		}
	}
	return n
}

func (m *Manager) cancelLocked(key string, r *recurring) {
	r.cancelled = true
	if r.timer != nil {
		r.timer.Stop()
	}
	delete(m.rec, key)
}

// Recurring returns the keys of the scheduled recurring ops.
func (m *Manager) Recurring() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.rec))
	for k := range m.rec {
		out = append(out, k)
	}
	return out
}

// Close cancels all recurring ops, cancels the runs they started and waits
// for those to end. Later calls fail with ErrManagerClosed.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	for key, r := range m.rec {
		m.cancelLocked(key, r)
	}
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// fifoLock is a mutex that hands over in arrival order and whose Lock
// can be abandoned through a context.
type fifoLock struct {
	mu      sync.Mutex
	held    bool
	waiters []chan struct{}
}

// Lock takes the lock, queueing behind earlier callers; it gives up
// with ctx's error when ctx ends first.
func (l *fifoLock) Lock(ctx context.Context) error {
	l.mu.Lock()
	if !l.held {
		l.held = true
		l.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	l.waiters = append(l.waiters, ch)
	l.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, w := range l.waiters {
			if w == ch {
				l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
				return ctx.Err()
			}
		}
		// Ownership was handed to us while we gave up: pass it on.
		l.unlockLocked()
		return ctx.Err()
	}
}

// Unlock hands the lock to the oldest waiter, or frees it.
func (l *fifoLock) Unlock() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unlockLocked()
}

func (l *fifoLock) unlockLocked() {
	if len(l.waiters) == 0 {
		l.held = false
		return
	}
	ch := l.waiters[0]
	l.waiters = l.waiters[1:]
	close(ch)
}
