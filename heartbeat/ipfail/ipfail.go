// Package ipfail is the ping-node failover policy of Heartbeat's ipfail
// client as a pure state machine, built into the daemon: when this node
// sees fewer ping nodes than its peer it hands its resources over (the
// peer is better connected), and with auto_failback it gives foreign
// groups back once both see the same number. It speaks ipfail's messages
// (num_ping_nodes, you_are_dead, abort_giveup), so it works opposite a
// 3.0.6 node running the original ipfail.
package ipfail

import (
	"strconv"
	"time"
)

// Message types and fields of ipfail: part of the protocol, only append.
const (
	TNumPing     = "num_ping_nodes"
	TYouAreDead  = "you_are_dead"
	TAbortGiveup = "abort_giveup"
	FNumPing     = "num_ping"
)

// Config of the policy.
type Config struct {
	Peer         string        // the other cluster node
	AutoFailback bool          // auto_failback on
	Keepalive    time.Duration // the giveup delay is twice this
}

// Send is a message for the peer (dest=Peer).
type Send struct {
	Type   string
	Fields [][2]string
}

// Standby asks the resource manager to give up a set ("all", "foreign").
type Standby struct{ Set string }

// Log is a line for the log.
type Log struct{ Text string }

// Action is an output of the machine.
type Action interface{ isAction() }

func (Send) isAction()    {}
func (Standby) isAction() {}
func (Log) isAction()     {}

// Machine is the ipfail policy of one node.
type Machine struct {
	cfg         Config
	giveupAt    time.Time // pending delayed giveup, zero if none
	giveupSet   string
	needStandby bool // a giveup came while resources were in transition
	out         []Action
}

// New returns the policy for cfg.
func New(cfg Config) *Machine { return &Machine{cfg: cfg} }

// View is what the machine reads from the node at each input.
type View struct {
	Now       time.Time
	PingCount int  // ping nodes with status "ping"
	Stable    bool // our rscstatus is not "transition"
}

func (m *Machine) logf(s string) { m.out = append(m.out, Log{s}) }

func (m *Machine) flush() []Action {
	out := m.out
	m.out = nil
	return out
}

func (m *Machine) ask(v View) {
	m.logf("Asking other side for ping node count.")
	m.out = append(m.out, Send{Type: TNumPing, Fields: [][2]string{{FNumPing, strconv.Itoa(v.PingCount)}}})
}

func (m *Machine) delayGiveup(set string, v View) {
	d := 2 * m.cfg.Keepalive
	m.logf("Delayed giveup in " + strconv.Itoa(int(d/time.Second)) + " seconds.")
	m.giveupAt, m.giveupSet = v.Now.Add(d), set
}

// PeerJoined: the peer came up (its ipfail joined): compare counts.
func (m *Machine) PeerJoined(v View) []Action {
	m.ask(v)
	return m.flush()
}

// PingNodeUp: a ping node answers again.
func (m *Machine) PingNodeUp(v View) []Action {
	m.logf("A ping node just came up.")
	m.ask(v)
	return m.flush()
}

// LinkDead: a heartbeat link to a node (a ping node's too) died.
func (m *Machine) LinkDead(v View) []Action {
	if v.PingCount == 0 {
		m.logf("We are dead. :<")
	} else {
		m.logf("Checking remote count of ping nodes.")
	}
	m.ask(v)
	return m.flush()
}

// Receive handles an ipfail message from the peer.
func (m *Machine) Receive(typ string, fields map[string]string, v View) []Action {
	switch typ {
	case TNumPing:
		theirs, _ := strconv.Atoi(fields[FNumPing])
		switch {
		case v.PingCount > theirs:
			m.logf("Telling other node that we have more visible ping nodes.")
			m.out = append(m.out, Send{Type: TYouAreDead})
		case v.PingCount < theirs:
			m.logf("Giving up because we have less visible ping nodes.")
			m.delayGiveup("all", v)
		default:
			m.logf("Ping node count is balanced.")
			m.out = append(m.out, Send{Type: TAbortGiveup})
			if !m.giveupAt.IsZero() {
				m.abort()
			} else if m.cfg.AutoFailback && v.Stable {
				m.logf("Giving up foreign resources (auto_failback).")
				m.delayGiveup("foreign", v)
			}
		}
	case TYouAreDead:
		m.logf("Giving up because we were told that we have less ping nodes.")
		m.delayGiveup("all", v)
	case TAbortGiveup:
		m.abort()
	}
	return m.flush()
}

func (m *Machine) abort() {
	if m.giveupAt.IsZero() {
		m.logf("No giveup timer to abort.")
		return
	}
	m.logf("Aborted delayed giveup")
	m.giveupAt = time.Time{}
}

// PeerStable: the peer reported a stable resource state (a resource
// message without info and isstable=1); a giveup that had to wait is
// reconsidered by comparing counts again.
func (m *Machine) PeerStable(v View) []Action {
	if m.needStandby {
		m.needStandby = false
		m.ask(v)
	}
	return m.flush()
}

// Tick runs a due giveup.
func (m *Machine) Tick(v View) []Action {
	if m.giveupAt.IsZero() || v.Now.Before(m.giveupAt) {
		return nil
	}
	m.giveupAt = time.Time{}
	m.logf("giveup() called (timeout worked)")
	if v.Stable {
		m.out = append(m.out, Standby{Set: m.giveupSet})
		m.needStandby = false
	} else {
		m.needStandby = true
	}
	return m.flush()
}

// NextDeadline is when Tick has work, zero if never.
func (m *Machine) NextDeadline() time.Time { return m.giveupAt }
