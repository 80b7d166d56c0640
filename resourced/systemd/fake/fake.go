package fake

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

const (
	busName      = "org.freedesktop.systemd1"
	managerPath  = dbus.ObjectPath("/org/freedesktop/systemd1")
	managerIface = "org.freedesktop.systemd1.Manager"
	unitIface    = "org.freedesktop.systemd1.Unit"
)

// Behaviour scripts how a unit reacts to jobs. The zero value is a
// well-behaved unit whose jobs finish at once with result "done".
type Behaviour struct {
	// JobDelay is how long a job stays running (the unit sits in
	// activating/deactivating meanwhile).
	JobDelay time.Duration
	// StartResult / StopResult are the JobRemoved results ("" = "done").
	StartResult, StopResult string
	// StartState is the ActiveState after a successful start job
	// ("" = "active"); e.g. "activating" for a unit that never settles.
	StartState string
	// SilentJobs: never emit JobRemoved (the client must time out).
	SilentJobs bool
	// EmitBeforeReply: finish the job and emit JobRemoved before the
	// StartUnit/StopUnit reply is sent.
	EmitBeforeReply bool
}

type unit struct {
	name  string
	path  dbus.ObjectPath
	props *prop.Properties
	b     Behaviour
	known bool
}

// Server is the fake systemd. Its exported methods are safe for
// concurrent use.
type Server struct {
	conn *dbus.Conn

	mu      sync.Mutex
	units   map[string]*unit
	jobs    uint32
	reloads int
	subs    int
	closed  bool // set by Close: no new job goroutines after it
	calls   []string
	changed chan struct{} // closed and replaced on every call
	wg      sync.WaitGroup
}

// Serve connects to the bus at address, claims org.freedesktop.systemd1
// and exports the manager.
func Serve(address string) (*Server, error) {
	conn, err := dbus.Connect(address)
	if err != nil {
		return nil, fmt.Errorf("fake systemd connect: %w", err)
	}
	s := &Server{conn: conn, units: map[string]*unit{}, changed: make(chan struct{})}
	if err := conn.ExportMethodTable(map[string]any{
		"LoadUnit":  s.loadUnit,
		"GetUnit":   s.getUnit,
		"StartUnit": func(name, mode string) (dbus.ObjectPath, *dbus.Error) { return s.job(name, mode, true) },
		"StopUnit":  func(name, mode string) (dbus.ObjectPath, *dbus.Error) { return s.job(name, mode, false) },
		"Reload":    s.reload,
		"Subscribe": s.subscribe,
	}, managerPath, managerIface); err != nil {
		conn.Close()
		return nil, err
	}
	reply, err := conn.RequestName(busName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("fake systemd: cannot own %s: %v (reply %v)", busName, err, reply)
	}
	return s, nil
}

// Close waits for running jobs and drops the connection.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
	return s.conn.Close()
}

// UnitPath returns systemd's object path for a unit name: every byte
// outside [A-Za-z0-9] becomes _xx.
func UnitPath(name string) dbus.ObjectPath {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return managerPath + "/unit/" + dbus.ObjectPath(b.String())
}

// AddUnit defines a unit with its behaviour and initial ActiveState.
func (s *Server) AddUnit(name string, b Behaviour, activeState string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.unitLocked(name)
	if err != nil {
		return err
	}
	u.known, u.b = true, b
	u.props.SetMust(unitIface, "LoadState", "loaded")
	s.setLocked(u, activeState)
	return nil
}

// SetState forces a unit's ActiveState (SubState follows).
func (s *Server) SetState(name, activeState string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.units[name]; ok {
		s.setLocked(u, activeState)
	}
}

// State returns a unit's ActiveState ("" if never loaded).
func (s *Server) State(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.units[name]
	if !ok {
		return ""
	}
	return u.props.GetMust(unitIface, "ActiveState").(string)
}

// Reloads returns how many times Reload was called.
func (s *Server) Reloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reloads
}

// WaitCall waits until a manager call starting with prefix (e.g.
// "StartUnit demo.service") has been received, or timeout passes.
func (s *Server) WaitCall(prefix string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, c := range s.calls {
			if strings.HasPrefix(c, prefix) {
				s.mu.Unlock()
				return true
			}
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

func (s *Server) recordLocked(call string) {
	s.calls = append(s.calls, call)
	close(s.changed)
	s.changed = make(chan struct{})
}

// Calls returns the manager calls received, as "Method arg..." strings.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func subState(active string) string {
	switch active {
	case "active":
		return "running"
	case "inactive":
		return "dead"
	case "activating":
		return "start"
	case "deactivating":
		return "stop"
	case "failed":
		return "failed"
	case "reloading":
		return "reload"
	}
	return active
}

func (s *Server) setLocked(u *unit, active string) {
	u.props.SetMust(unitIface, "ActiveState", active)
	u.props.SetMust(unitIface, "SubState", subState(active))
}

// unitLocked returns the unit object, exporting it (as not-found) on first
// use, as LoadUnit does for unknown names.
func (s *Server) unitLocked(name string) (*unit, error) {
	if u, ok := s.units[name]; ok {
		return u, nil
	}
	u := &unit{name: name, path: UnitPath(name)}
	p, err := prop.Export(s.conn, u.path, prop.Map{unitIface: {
		"Id":          {Value: name},
		"LoadState":   {Value: "not-found", Writable: true},
		"ActiveState": {Value: "inactive", Writable: true},
		"SubState":    {Value: "dead", Writable: true},
	}})
	if err != nil {
		return nil, err
	}
	u.props = p
	s.units[name] = u
	return u, nil
}

func (s *Server) loadUnit(name string) (dbus.ObjectPath, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked("LoadUnit " + name)
	u, err := s.unitLocked(name)
	if err != nil {
		return "", dbus.MakeFailedError(err)
	}
	return u.path, nil
}

func (s *Server) getUnit(name string) (dbus.ObjectPath, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked("GetUnit " + name)
	if u, ok := s.units[name]; ok && u.known {
		return u.path, nil
	}
	return "", dbus.NewError("org.freedesktop.systemd1.NoSuchUnit", []any{"Unit " + name + " not loaded."})
}

func (s *Server) reload() *dbus.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked("Reload")
	s.reloads++
	return nil
}

func (s *Server) subscribe() *dbus.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked("Subscribe")
	s.subs++
	return nil
}

func (s *Server) job(name, mode string, start bool) (dbus.ObjectPath, *dbus.Error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", dbus.NewError("org.freedesktop.DBus.Error.NoServer", []any{"fake systemd is closing"})
	}
	// The job's goroutine is counted under mu, before the call becomes
	// visible to WaitCall, so Close's Wait never races with this Add.
	s.wg.Add(1)
	method := "StopUnit"
	if start {
		method = "StartUnit"
	}
	s.recordLocked(method + " " + name + " " + mode)
	u, ok := s.units[name]
	if !ok || !u.known {
		s.wg.Done()
		s.mu.Unlock()
		return "", dbus.NewError("org.freedesktop.systemd1.NoSuchUnit", []any{"Unit " + name + " not found."})
	}
	s.jobs++
	id := s.jobs
	jobPath := dbus.ObjectPath(fmt.Sprintf("%s/job/%d", managerPath, id))
	b := u.b
	result, final := b.StopResult, "inactive"
	if start {
		result, final = b.StartResult, "active"
		if b.StartState != "" {
			final = b.StartState
		}
	}
	if result == "" {
		result = "done"
	}
	if result != "done" {
		final = "failed"
		if !start {
			final = "active"
		}
	}
	if start {
		s.setLocked(u, "activating")
	} else {
		s.setLocked(u, "deactivating")
	}
	s.mu.Unlock()

	finish := func() {
		s.mu.Lock()
		s.setLocked(u, final)
		s.mu.Unlock()
		if !b.SilentJobs {
			_ = s.conn.Emit(managerPath, managerIface+".JobRemoved", id, jobPath, name, result)
		}
	}
	if b.EmitBeforeReply {
		finish()
		s.wg.Done()
		return jobPath, nil
	}
	go func() {
		defer s.wg.Done()
		if b.JobDelay > 0 {
			time.Sleep(b.JobDelay) // the fake's own job duration, not a test wait
		}
		finish()
	}()
	return jobPath, nil
}
