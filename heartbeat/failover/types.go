package failover

import (
	"sort"
	"strings"
	"time"
)

// Holding is the set of resource groups a node holds, as carried in the
// rsc_hold field: a bit for the node's own (local) groups and one for the
// other node's (foreign) groups. The names are part of the protocol.
type Holding uint8

// Holding values.
const (
	None    Holding = 0
	Local   Holding = 1
	Foreign Holding = 2
	All     Holding = Local | Foreign
)

var holdingNames = [...]string{"none", "local", "foreign", "all"}

func (h Holding) String() string {
	if int(h) < len(holdingNames) {
		return holdingNames[h]
	}
	return "(undefined)"
}

// ParseHolding reads an rsc_hold value. Unknown values read as None, as
// 3.0.6 does (it logs and uses 0).
func ParseHolding(s string) (Holding, bool) {
	for i, n := range holdingNames {
		if n == s {
			return Holding(i), true
		}
	}
	return None, false
}

// swap turns a set seen from one node into the same set seen from the other.
func (h Holding) swap() Holding {
	switch h {
	case Local:
		return Foreign
	case Foreign:
		return Local
	}
	return h
}

// Mode is the failback policy of ha.cf's auto_failback.
type Mode int

// Modes. Legacy is 3.0.6's default when auto_failback is absent.
const (
	Legacy Mode = iota
	AutoFailbackOn
	AutoFailbackOff
)

func (m Mode) nice() bool { return m != Legacy }

// Group is one haresources line as the manager sees it: its key (the first
// resource token) and its home node.
type Group struct {
	Key  string
	Home string
}

// Config is what the machine needs to know about the cluster.
type Config struct {
	Node    string   // the local node name, lower case
	Nodes   []string // every normal (non-ping) node, lower case, including Node
	Mode    Mode
	Groups  []Group
	Stonith bool // a STONITH device can reset the peer from this node
	// Restarting is set when the daemon re-executes itself keeping its
	// resources (3.0.6's -R): the start-up acquisition is skipped.
	Restarting bool
}

// Message is a cluster message as the machine sees it: its type, the
// sending node and its string fields.
type Message struct {
	Type   string
	From   string
	Fields map[string]string
}

// Get returns a field's value, or "".
func (m Message) Get(name string) string { return m.Fields[name] }

// Field is one name=value of an outgoing message, in wire order.
type Field struct{ Name, Value string }

// Outgoing is a cluster message to send. The messaging layer adds the
// common fields (src, seq, hg, ts, ...) after these.
type Outgoing struct {
	Type   string
	Fields []Field
}

// Get returns a field's value, or "".
func (o Outgoing) Get(name string) string {
	for _, f := range o.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func (o Outgoing) String() string {
	var b strings.Builder
	b.WriteString("t=" + o.Type)
	for _, f := range o.Fields {
		b.WriteString(" " + f.Name + "=" + f.Value)
	}
	return b.String()
}

// Message types and field names of the v1 resource protocol: part of the
// protocol, only append.
const (
	TStarting      = "starting"
	TResource      = "resource"
	TAskResources  = "ask_resources"
	TIPRequest     = "ip-request"
	TIPRequestResp = "ip-request-resp"
	THBTakeover    = "hb_takeover"
	TStonith       = "stonith"
	TShutdone      = "shutdone"

	FRscHold  = "rsc_hold"
	FRType    = "rtype"
	FIsStable = "isstable"
	FInfo     = "info"
	FDest     = "dest"
	FIPAddr   = "ipaddr"
	FWeOwn    = "weown"
	FOK       = "ok"
	FNode     = "node"
	FResult   = "result"
	FStatus   = "st"
)

// Results carried by the stonith message.
const (
	StonithOK         = "OK"
	StonithBadHost    = "badhost"
	StonithBad        = "bad"
	StonithNotConfigd = "n_stnth"
	StonithUnneeded   = "unneeded"
)

// Delays of 3.0.6's resource manager.
const (
	// LocalTakeoverDelay is how long a starting node that has heard the
	// peer's resource report waits for the peer to become stable before
	// taking its own groups anyway (RQSTDELAY).
	LocalTakeoverDelay = 10 * time.Second
	// StandbyReplyTimeout is how long an hb_standby request waits for the
	// peer's first answer.
	StandbyReplyTimeout = 10 * time.Second
	// StandbyTimeout bounds a whole standby hand-over.
	StandbyTimeout = time.Hour
	// AutoFailbackRetry is the retry period of a delayed auto failback.
	AutoFailbackRetry = time.Second
	// StonithRetry is the delay before a failed reset is tried again.
	StonithRetry = 5 * time.Second
	// FailedStartStandbyDelay is how long after a failed start the node
	// asks the peer to take the group (ResourceManager's hb_standby).
	FailedStartStandbyDelay = 30 * time.Second
	// FinalShutdownDelay is the pause between our own shutdone and exit.
	FinalShutdownDelay = time.Second
)

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
