package controller

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cibstore"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
)

// Effects are the side effects a Driver performs for its Machine. The
// daemon implements them; tests use fakes.
type Effects interface {
	// Send hands a message to the heartbeat layer's reliable delivery
	// (the daemon's sendReliable): to everybody, or to the node named in
	// its dest field.
	Send(*wire.Message) error
	// Schedule runs the policy engine on the CIB and executes the
	// transition (DC only); a newer call supersedes an unfinished one.
	Schedule(Schedule)
	// Probe starts probing every resource on a node; the daemon calls
	// Driver.ProbeDone once the results are in the CIB.
	Probe(node string)
	// Committed reports the end of a Request to the client that made it.
	Committed(CommitDone)
}

// Driver carries out a Machine's actions: it is the edge between the pure
// controller and the daemon (disk, network, policy engine). Like the
// Machine it is not safe for concurrent use; the daemon calls it from its
// event loop.
type Driver struct {
	m   *Machine
	dir string
	fx  Effects
	log *logrus.Entry
	// Save persists the CIB; cibstore.Save by default.
	Save func(dir string, d *cibstore.Doc) error
}

// ErrWriteFailed is returned by the Driver when the CIB could not be
// saved. The actions after the write were dropped (nothing announced the
// change or reported it done), but memory and disk now disagree: the
// daemon must treat it as fatal, as Heartbeat 2.x's failfast cib did.
var ErrWriteFailed = errors.New("CIB write failed")

// LoadCIB reads the CIB under dir for a starting node and always returns
// one to start with: no file gives an empty CIB; a file failing its digest
// check is moved aside by cibstore and gives an empty CIB too (the DC sends
// a full copy on join), logged as an error; a torn save recovered from
// cib.xml.last and a file without digest are logged as warnings.
func LoadCIB(dir string, log *logrus.Entry) *cibstore.Doc {
	l, err := cibstore.Load(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		log.WithField("dir", dir).Info("no CIB on disk; starting with an empty one")
		return cibstore.Empty()
	case err != nil:
		log.WithError(err).Error("CIB on disk rejected; starting with an empty one")
		return cibstore.Empty()
	case l.Recovered != "":
		log.WithField("dir", dir).Warn(l.Recovered)
	case l.Unsigned:
		log.WithField("dir", dir).Warn("CIB on disk has no digest file; accepted")
	}
	return l.Doc
}

// NewDriver returns a driver for m saving the CIB under dir.
func NewDriver(m *Machine, dir string, fx Effects, log *logrus.Entry) *Driver {
	return &Driver{m: m, dir: dir, fx: fx, log: log.WithField("node", m.self), Save: cibstore.Save}
}

// Machine returns the driven machine, for read-only queries.
func (d *Driver) Machine() *Machine { return d.m }

// Run carries out acts in order. A failed write stops it (see
// ErrWriteFailed); a failed send is logged and the rest goes on, as the
// protocol recovers from lost messages.
func (d *Driver) Run(acts []Action) error {
	for _, a := range acts {
		switch a := a.(type) {
		case WriteCIB:
			if err := d.Save(d.dir, a.Doc.ForDisk()); err != nil {
				return fmt.Errorf("%w: %w", ErrWriteFailed, err)
			}
		case Send:
			w, err := Encode(a.Msg)
			if err == nil {
				err = d.fx.Send(w)
			}
			if err != nil {
				d.log.WithError(err).WithField("type", a.Msg.Type).Warn("cannot send controller message")
			}
		case Schedule:
			d.fx.Schedule(a)
		case ProbeNode:
			d.fx.Probe(a.Node)
		case CommitDone:
			d.fx.Committed(a)
		case MembershipChanged:
			mem := a.Membership
			d.log.WithFields(logrus.Fields{"instance": mem.Instance, "members": mem.Members, "dc": mem.DC,
				"quorum": mem.Quorum}).Info("CRM membership changed")
		default:
			return fmt.Errorf("controller: unknown action %T", a)
		}
	}
	return nil
}

// Deliver decodes a controller message received from the heartbeat layer
// and feeds it to the machine. A malformed message is returned as an
// error and otherwise ignored.
func (d *Driver) Deliver(now time.Time, w *wire.Message) error {
	msg, err := Decode(w)
	if err != nil {
		d.log.WithError(err).Debug("dropping controller message")
		return err
	}
	return d.Run(d.m.Receive(now, msg))
}

// Tick passes time; call it every keepalive or so.
func (d *Driver) Tick(now time.Time) error { return d.Run(d.m.Tick(now)) }

// HeartbeatEvent passes on a heartbeat membership event.
func (d *Driver) HeartbeatEvent(now time.Time, ev membership.Event) error {
	return d.Run(d.m.HeartbeatEvent(now, ev))
}

// Request asks for a CIB change; the answer comes through Effects.Committed.
func (d *Driver) Request(now time.Time, reqid string, ops []cibstore.Op) error {
	return d.Run(d.m.Request(now, reqid, ops))
}

// ProbeDone reports that the probe of node has finished.
func (d *Driver) ProbeDone(now time.Time, node string) error {
	return d.Run(d.m.ProbeDone(now, node))
}
