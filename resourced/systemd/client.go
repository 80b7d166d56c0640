package systemd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"hbgo/resourced/ocf"
)

// D-Bus names of systemd's manager API.
const (
	BusName      = "org.freedesktop.systemd1"
	ManagerPath  = dbus.ObjectPath("/org/freedesktop/systemd1")
	ManagerIface = "org.freedesktop.systemd1.Manager"
	UnitIface    = "org.freedesktop.systemd1.Unit"
)

// Sentinel errors.
var (
	// ErrJobFailed: a start/stop job ended with a result other than "done".
	ErrJobFailed = errors.New("systemd job failed")
	// ErrNotSettled: the unit did not reach the state the operation wanted.
	ErrNotSettled = errors.New("unit did not reach the wanted state")
	// ErrClosed: the client was closed or lost its bus connection.
	ErrClosed = errors.New("systemd client closed")
)

// Config tunes a Client. Zero fields take the defaults.
type Config struct {
	// CallTimeout bounds every single D-Bus call (default 5s); the
	// operation's own context bounds the whole operation.
	CallTimeout time.Duration
	// PollInterval is how often a pending ActiveState is re-read
	// (default 500ms).
	PollInterval time.Duration
	// DropInDir is where runtime drop-ins are written (default
	// /run/systemd/system); each unit gets <DropInDir>/<unit>.d/<DropInName>.
	DropInDir  string
	DropInName string // default "50-hbgo.conf"
}

func (c *Config) defaults() {
	if c.CallTimeout <= 0 {
		c.CallTimeout = 5 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.DropInDir == "" {
		c.DropInDir = "/run/systemd/system"
	}
	if c.DropInName == "" {
		c.DropInName = "50-hbgo.conf"
	}
}

// Client drives systemd units over one bus connection. It is safe for
// concurrent use.
type Client struct {
	conn *dbus.Conn
	cfg  Config
	sig  chan *dbus.Signal

	mu      sync.Mutex
	waiters map[dbus.ObjectPath]chan string
	early   map[dbus.ObjectPath]string // JobRemoved seen before anyone waited
	order   []dbus.ObjectPath          // insertion order of early, for eviction
	closed  bool
	done    chan struct{}
}

const maxEarly = 1024

// Dial connects to the bus at address (empty: $DBUS_SYSTEM_BUS_ADDRESS or
// the system bus socket), subscribes to JobRemoved and asks systemd to
// emit signals. ctx bounds the connection set-up.
func Dial(ctx context.Context, address string, cfg Config) (*Client, error) {
	cfg.defaults()
	if address == "" {
		address = os.Getenv("DBUS_SYSTEM_BUS_ADDRESS")
	}
	if address == "" {
		address = "unix:path=/run/dbus/system_bus_socket"
	}
	conn, err := dbus.Dial(address)
	if err != nil {
		return nil, fmt.Errorf("dbus dial %s: %w", address, err)
	}
	// Auth and Hello have no timeout of their own: a broken bus accepts
	// the connection and never answers, so bound them here.
	hello := make(chan error, 1)
	go func() {
		if err := conn.Auth(nil); err != nil {
			hello <- err
			return
		}
		hello <- conn.Hello()
	}()
	select {
	case err = <-hello:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("dbus connect %s: %w", address, err)
	}
	c := &Client{
		conn: conn, cfg: cfg, sig: make(chan *dbus.Signal, 64),
		waiters: map[dbus.ObjectPath]chan string{}, early: map[dbus.ObjectPath]string{},
		done: make(chan struct{}),
	}
	// Listen before any job can be started, so no JobRemoved is missed.
	mctx, cancel := context.WithTimeout(ctx, cfg.CallTimeout)
	defer cancel()
	if err := conn.AddMatchSignalContext(mctx,
		dbus.WithMatchObjectPath(ManagerPath), dbus.WithMatchInterface(ManagerIface),
		dbus.WithMatchMember("JobRemoved")); err != nil {
		conn.Close()
		return nil, fmt.Errorf("dbus AddMatch JobRemoved: %w", err)
	}
	conn.Signal(c.sig)
	go c.dispatch()
	if err := c.manager(mctx, "Subscribe"); err != nil {
		c.Close()
		return nil, fmt.Errorf("systemd Subscribe: %w", err)
	}
	return c, nil
}

// Close drops the bus connection; waiting operations fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	err := c.conn.Close()
	<-c.done
	return err
}

// dispatch routes JobRemoved signals to the operation waiting for the job.
func (c *Client) dispatch() {
	defer close(c.done)
	for s := range c.sig {
		if s.Name != ManagerIface+".JobRemoved" || len(s.Body) < 4 {
			continue
		}
		job, ok1 := s.Body[1].(dbus.ObjectPath)
		result, ok2 := s.Body[3].(string)
		if !ok1 || !ok2 {
			continue
		}
		c.mu.Lock()
		if ch, ok := c.waiters[job]; ok {
			ch <- result
			delete(c.waiters, job)
		} else {
			c.early[job] = result
			c.order = append(c.order, job)
			if len(c.order) > maxEarly {
				delete(c.early, c.order[0])
				c.order = c.order[1:]
			}
		}
		c.mu.Unlock()
	}
	// The connection is gone: wake every waiter.
	c.mu.Lock()
	for job, ch := range c.waiters {
		close(ch)
		delete(c.waiters, job)
	}
	c.closed = true
	c.mu.Unlock()
}

// waitJob waits for the JobRemoved of job and returns its result.
func (c *Client) waitJob(ctx context.Context, job dbus.ObjectPath) (string, error) {
	c.mu.Lock()
	if res, ok := c.early[job]; ok {
		delete(c.early, job)
		c.mu.Unlock()
		return res, nil
	}
	if c.closed {
		c.mu.Unlock()
		return "", ErrClosed
	}
	ch := make(chan string, 1)
	c.waiters[job] = ch
	c.mu.Unlock()
	select {
	case res, ok := <-ch:
		if !ok {
			return "", ErrClosed
		}
		return res, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.waiters, job)
		c.mu.Unlock()
		return "", fmt.Errorf("waiting for %s: %w", job, ctx.Err())
	}
}

func (c *Client) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.cfg.CallTimeout)
}

func (c *Client) manager(ctx context.Context, method string, args ...any) error {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	return c.conn.Object(BusName, ManagerPath).CallWithContext(cctx, ManagerIface+"."+method, 0, args...).Err
}

func (c *Client) managerPath(ctx context.Context, method string, args ...any) (dbus.ObjectPath, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	var p dbus.ObjectPath
	err := c.conn.Object(BusName, ManagerPath).CallWithContext(cctx, ManagerIface+"."+method, 0, args...).Store(&p)
	return p, err
}

func (c *Client) unitProp(ctx context.Context, unit dbus.ObjectPath, name string) (string, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	var v dbus.Variant
	err := c.conn.Object(BusName, unit).CallWithContext(cctx, "org.freedesktop.DBus.Properties.Get", 0, UnitIface, name).Store(&v)
	if err != nil {
		return "", err
	}
	s, ok := v.Value().(string)
	if !ok {
		return "", fmt.Errorf("%s.%s is %s, not a string", unit, name, v.Signature())
	}
	return s, nil
}

// load returns the unit's object path and LoadState.
func (c *Client) load(ctx context.Context, unit string) (dbus.ObjectPath, string, error) {
	path, err := c.managerPath(ctx, "LoadUnit", unit)
	if err != nil {
		return "", "", fmt.Errorf("LoadUnit %s: %w", unit, err)
	}
	ls, err := c.unitProp(ctx, path, "LoadState")
	if err != nil {
		return "", "", fmt.Errorf("%s LoadState: %w", unit, err)
	}
	return path, ls, nil
}

// states reads ActiveState and SubState.
func (c *Client) states(ctx context.Context, path dbus.ObjectPath, r *Result) error {
	as, err := c.unitProp(ctx, path, "ActiveState")
	if err != nil {
		return fmt.Errorf("ActiveState: %w", err)
	}
	r.ActiveState = as
	r.SubState, _ = c.unitProp(ctx, path, "SubState")
	return nil
}

// IsPending reports whether an ActiveState is a transition, not an answer.
func IsPending(activeState string) bool {
	switch activeState {
	case "activating", "deactivating", "reloading", "refreshing":
		return true
	}
	return false
}

// MonitorRC maps a settled ActiveState to an OCF code: active (and
// reloading) is running, inactive and failed are stopped, anything else
// is a generic error.
func MonitorRC(activeState string) ocf.ExitCode {
	switch activeState {
	case "active", "reloading", "refreshing":
		return ocf.Success
	case "inactive", "failed", "dead":
		return ocf.NotRunning
	}
	return ocf.ErrGeneric
}

// settle re-reads ActiveState until it is no longer pending or ctx ends.
// It returns ctx's error (with r.Pending set) when time ran out.
func (c *Client) settle(ctx context.Context, path dbus.ObjectPath, r *Result) error {
	tick := time.NewTicker(c.cfg.PollInterval)
	defer tick.Stop()
	for {
		if err := c.states(ctx, path, r); err != nil {
			if ctx.Err() != nil {
				if stillRunning(r.ActiveState) {
					r.Pending = false
					return nil
				}
				r.Pending = IsPending(r.ActiveState)
				return ctx.Err()
			}
			return err
		}
		if !IsPending(r.ActiveState) {
			r.Pending = false
			return nil
		}
		r.Pending = true
		select {
		case <-ctx.Done():
			if stillRunning(r.ActiveState) {
				r.Pending = false
				return nil
			}
			r.Detail = fmt.Sprintf("unit still %s/%s", r.ActiveState, r.SubState)
			return fmt.Errorf("%w: still %s: %w", ErrNotSettled, r.ActiveState, ctx.Err())
		case <-tick.C:
		}
	}
}

// stillRunning: a unit that reloads is running; when the deadline comes
// while it reloads (even during the last query) that is the answer.
func stillRunning(activeState string) bool {
	return activeState == "reloading" || activeState == "refreshing"
}

func notInstalled(loadState string) (ocf.ExitCode, bool) {
	switch loadState {
	case "not-found", "masked":
		return ocf.ErrInstalled, true
	case "error", "bad-setting":
		return ocf.ErrConfigured, true
	}
	return 0, false
}

// Monitor reports whether the unit runs: 0 running, 7 stopped, 5 when no
// such unit exists. Pending states are re-read until they settle or ctx
// ends (then Result.Pending is set and ctx's error returned).
func (c *Client) Monitor(ctx context.Context, unit string) (Result, error) {
	var r Result
	path, ls, err := c.load(ctx, unit)
	if err != nil {
		return r, err
	}
	r.LoadState = ls
	if rc, bad := notInstalled(ls); bad {
		r.RC, r.Detail = rc, "unit "+unit+" is "+ls
		return r, nil
	}
	if err := c.settle(ctx, path, &r); err != nil {
		r.RC = ocf.ErrGeneric
		return r, err
	}
	r.RC = MonitorRC(r.ActiveState)
	if r.ActiveState == "failed" {
		r.Detail = "unit " + unit + " failed (" + r.SubState + ")"
	}
	return r, nil
}

// Start writes the cluster drop-in, reloads systemd when the drop-in
// changed, queues StartUnit(unit, "replace"), waits for the job's
// JobRemoved and then for the unit to settle. Success means active.
func (c *Client) Start(ctx context.Context, unit string) (Result, error) {
	return c.change(ctx, unit, "StartUnit")
}

// Stop queues StopUnit(unit, "replace"), waits for the job and for the
// unit to settle, then removes the drop-in. Stopping a unit that does not
// exist succeeds (it is not running).
func (c *Client) Stop(ctx context.Context, unit string) (Result, error) {
	return c.change(ctx, unit, "StopUnit")
}

func (c *Client) change(ctx context.Context, unit, method string) (Result, error) {
	var r Result
	path, ls, err := c.load(ctx, unit)
	if err != nil {
		return r, err
	}
	r.LoadState = ls
	starting := method == "StartUnit"
	if rc, bad := notInstalled(ls); bad {
		if !starting {
			r.RC, r.Detail = ocf.Success, "unit "+unit+" is "+ls+"; nothing to stop"
			return r, nil
		}
		r.RC, r.Detail = rc, "unit "+unit+" is "+ls
		return r, nil
	}
	if starting {
		changed, err := c.writeDropIn(unit)
		if err != nil {
			return r, err
		}
		if changed {
			if err := c.manager(ctx, "Reload"); err != nil {
				return r, fmt.Errorf("systemd Reload: %w", err)
			}
		}
	}
	job, err := c.managerPath(ctx, method, unit, "replace")
	if err != nil {
		return r, fmt.Errorf("%s %s: %w", method, unit, err)
	}
	res, err := c.waitJob(ctx, job)
	if err != nil {
		r.RC = ocf.ErrGeneric
		_ = c.states(context.WithoutCancel(ctx), path, &r)
		r.Pending = IsPending(r.ActiveState)
		return r, err
	}
	if res != "done" {
		r.RC, r.Detail = ocf.ErrGeneric, fmt.Sprintf("%s %s: job %s", method, unit, res)
		_ = c.states(ctx, path, &r)
		return r, nil
	}
	if err := c.settle(ctx, path, &r); err != nil {
		r.RC = ocf.ErrGeneric
		return r, err
	}
	want := ocf.Success
	if !starting {
		want = ocf.NotRunning
	}
	if got := MonitorRC(r.ActiveState); got != want {
		r.RC, r.Detail = ocf.ErrGeneric, fmt.Sprintf("%s %s: unit is %s/%s after the job", method, unit, r.ActiveState, r.SubState)
		return r, nil
	}
	r.RC = ocf.Success
	if !starting {
		if removed, err := c.removeDropIn(unit); err != nil {
			return r, err
		} else if removed {
			if err := c.manager(ctx, "Reload"); err != nil {
				return r, fmt.Errorf("systemd Reload: %w", err)
			}
		}
	}
	return r, nil
}

// DropInPath returns the path of the cluster drop-in for unit.
func (c *Client) DropInPath(unit string) string {
	return filepath.Join(c.cfg.DropInDir, unit+".d", c.cfg.DropInName)
}

// DropIn returns the drop-in text for unit: systemd must not restart a unit
// the cluster manages, and must stop the cluster before it at shutdown.
func DropIn(unit string) string {
	s := "[Unit]\nDescription=Cluster Controlled " + unit + "\nBefore=heartbeat.service hbgo.service\n"
	if filepath.Ext(unit) == ".service" {
		s += "\n[Service]\nRestart=no\n"
	}
	return s
}

func (c *Client) writeDropIn(unit string) (bool, error) {
	p := c.DropInPath(unit)
	want := DropIn(unit)
	if old, err := os.ReadFile(p); err == nil && string(old) == want {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return false, fmt.Errorf("drop-in for %s: %w", unit, err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(want), 0o644); err != nil {
		return false, fmt.Errorf("drop-in for %s: %w", unit, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return false, fmt.Errorf("drop-in for %s: %w", unit, err)
	}
	return true, nil
}

func (c *Client) removeDropIn(unit string) (bool, error) {
	p := c.DropInPath(unit)
	err := os.Remove(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("drop-in for %s: %w", unit, err)
	}
	_ = os.Remove(filepath.Dir(p)) // only if empty
	return true, nil
}
