package hacf

import (
	"net"
	"strconv"
	"time"
)

// Param is one directive's value as written in ha.cf (or the default that
// 3.0.6 records when the directive is absent), with the line it came from.
// cl_status hbparameter reports Raw.
type Param struct {
	Raw  string
	Line int // 0 for a default
}

// Node is a cluster member declared by a node line (name lower-cased).
type Node struct {
	Name string
	Line int
}

// MediumKind names a heartbeat communication plugin.
type MediumKind string

// The media kinds of the Debian 3.0.6 build.
const (
	Bcast  MediumKind = "bcast"
	Ucast  MediumKind = "ucast"
	Mcast  MediumKind = "mcast"
	Ucast6 MediumKind = "ucast6"
	Mcast6 MediumKind = "mcast6"
	Serial MediumKind = "serial"
)

// Medium is one heartbeat path to the peers.
type Medium struct {
	Kind  MediumKind
	Line  int
	Iface string // interface name, or the tty device for Serial
	// Port is the UDP port (bcast/ucast: fixed when the plugin's first line
	// was parsed; mcast: from the line). 0 for serial.
	Port   int
	Group  net.IP // mcast/mcast6 group
	TTL    int    // mcast TTL / mcast6 hops
	Loop   bool   // mcast loopback
	Peer   string // ucast/ucast6 target as written
	PeerIP net.IP // ucast/ucast6 target as resolved at parse time
	Baud   int    // serial speed
}

// PingKind names a ping-node plugin.
type PingKind string

// Ping-node kinds.
const (
	Ping      PingKind = "ping"
	Ping6     PingKind = "ping6"
	PingGroup PingKind = "ping_group"
)

// PingNode is a pseudo node whose liveness is an ICMP answer.
type PingNode struct {
	Kind  PingKind
	Name  string   // the host for ping/ping6, the group name for ping_group
	Hosts []string // members (ping/ping6: just Name)
	Line  int
}

// AutoFailback is the v1 failback policy.
type AutoFailback int

// Failback policies.
const (
	FailbackLegacy AutoFailback = iota
	FailbackOn
	FailbackOff
)

// String returns the ha.cf spelling: on, off or legacy.
func (a AutoFailback) String() string {
	switch a {
	case FailbackOn:
		return "on"
	case FailbackOff:
		return "off"
	}
	return "legacy"
}

// Stonith is the single device of a `stonith TYPE FILE` line.
type Stonith struct {
	Type, ConfigFile string
	Line             int
}

// StonithHost is a `stonith_host FROM TYPE PARAMS` line that applies to
// the local node (lines for other nodes are ignored as 3.0.6 does).
type StonithHost struct {
	From, Type, Params string
	Line               int
}

// Child is a respawn or failfast client process.
type Child struct {
	User     string
	Command  string // full path
	Args     []string
	FailFast bool
	Line     int
}

// APIAuth says who may sign on as an API client.
type APIAuth struct {
	Client string
	UIDs   []string
	GIDs   []string
	Line   int // 0 for a built-in default
}

// EnvVar is exported to children as HA_<Name>=<Value>.
type EnvVar struct {
	Name, Value string
	Line        int
}

// Config is a parsed ha.cf with defaults applied.
type Config struct {
	File string

	Nodes     []Node
	Keepalive time.Duration
	Deadtime  time.Duration
	Warntime  time.Duration
	Initdead  time.Duration
	Deadping  time.Duration
	HopFudge  int
	UDPPort   int
	Baud      int
	Media     []Medium
	PingNodes []PingNode

	AutoFailback AutoFailback

	LogFacility  string // "" when absent; "none" is kept as written
	LogFile      string
	DebugFile    string
	UseLogd      bool
	ConnLogdTime time.Duration
	Debug        int
	Coredumps    bool
	CoreRoot     string
	SyslogMsgFmt bool
	LogBadPack   bool
	Realtime     bool
	RTPrio       int // 0 when absent

	HBGenMethod            string
	MsgFmt                 string
	Compression            string
	CompressionThreshold   int // KB
	TraditionalCompression bool
	MaxRexmitDelay         time.Duration
	MemReserve             int // KB

	Cluster      string
	QuorumServer string
	Autojoin     string // none, other, any (lower-cased)
	UUIDFrom     string
	Watchdog     string

	Stonith      *Stonith
	StonithHosts []StonithHost
	Children     []Child
	APIAuth      []APIAuth
	Env          []EnvVar
	UseAppHBD    bool

	// Pacemaker is the pacemaker/crm value as written ("false" by default);
	// PacemakerOn says whether it enables Pacemaker mode (haresources is
	// then ignored).
	Pacemaker           string
	PacemakerOn         bool
	CRMDaemonDir        string
	CRMDSpawnsPengine   bool
	RecordConfigChanges bool
	RecordPengineInputs bool
	EnableConfigWrites  bool

	// Params holds every recorded directive's raw value (last one wins),
	// plus the defaults 3.0.6 records.
	Params map[string]Param
}

// Param returns the value cl_status hbparameter would report for name.
// crm is the historical name of pacemaker and reads the same value.
func (c *Config) Param(name string) (string, bool) {
	if name == "crm" {
		name = "pacemaker"
	}
	p, ok := c.Params[name]
	return p.Raw, ok
}

// ManagesResources reports whether heartbeat itself runs haresources
// (v1 mode), i.e. Pacemaker is off.
func (c *Config) ManagesResources() bool { return !c.PacemakerOn }

// HasNode reports whether name (compared case-insensitively) is declared.
func (c *Config) HasNode(name string) bool {
	n := lower(name)
	for _, x := range c.Nodes {
		if x.Name == n {
			return true
		}
	}
	return false
}

// DefaultEntry is one row of `heartbeat -D`.
type DefaultEntry struct{ Name, Default, Description string }

// Defaults returns the table `heartbeat -D` prints: the values 3.0.6
// records for absent directives.
func Defaults() []DefaultEntry {
	out := make([]DefaultEntry, len(defaultParams))
	for i, d := range defaultParams {
		out[i] = DefaultEntry{d.name, d.raw, d.desc}
	}
	return out
}

var defaultParams = []struct{ name, raw, desc string }{
	{"cluster", "linux-ha", "the name of cluster"},
	{"hopfudge", "1", "# of hops above cluster size"},
	{"keepalive", "1000ms", "keepalive time"},
	{"deadtime", "30000ms", "node deadtime"},
	{"baud", "19200", "baud rate"},
	{"auto_failback", "legacy", "auto failback"},
	{"hbgenmethod", "file", "protocol generation computation method"},
	{"realtime", "true", "enable realtime behavior?"},
	{"msgfmt", "classic", "message format in the wire"},
	{"conn_logd_time", "60", "the interval to reconnect to logd"},
	{"log_badpack", "true", "warn about bad packets"},
	{"syslogmsgfmt", "true", "log to files in syslog format"},
	{"coredumps", "true", "enable Linux-HA core dumps"},
	{"pacemaker", "false", "enable Pacemaker resource management"},
	{"autojoin", "none", "set automatic join mode/style"},
	{"uuidfrom", "file", "set the source for uuid"},
	{"compression", "zlib", "set compression module"},
	{"compression_threshold", "2", "set compression threshold"},
	{"traditional_compression", "no", "set traditional_compression"},
	{"max_rexmit_delay", "250", "set the maximum rexmit delay time"},
	{"record_config_changes", "on", "record changes to the cib (valid only with: pacemaker on)"},
	{"record_pengine_inputs", "on", "record the input used by the policy engine (valid only with: pacemaker on)"},
	{"enable_config_writes", "on", "write configuration changes to disk (valid only with: pacemaker on)"},
	{"memreserve", "6500", "number of kbytes to preallocate in heartbeat"},
}

// DefaultPort is the UDP port used when neither udpport nor /etc/services
// (ha-cluster/udp) gives one.
const DefaultPort = 694

// DefaultCoreRoot is where core dumps go unless coreroot says otherwise.
const DefaultCoreRoot = "/var/lib/heartbeat/cores"

// Default returns the configuration 3.0.6 uses when ha.cf sets nothing but
// nodes and media: every default of `heartbeat -D` plus the computed
// warntime, initdead and deadping.
func Default() *Config {
	c := &Config{
		Keepalive:            time.Second,
		Deadtime:             30 * time.Second,
		HopFudge:             1,
		UDPPort:              DefaultPort,
		Baud:                 19200,
		AutoFailback:         FailbackLegacy,
		ConnLogdTime:         60 * time.Second,
		Coredumps:            true,
		CoreRoot:             DefaultCoreRoot,
		SyslogMsgFmt:         true,
		LogBadPack:           true,
		Realtime:             true,
		HBGenMethod:          "file",
		MsgFmt:               "classic",
		Compression:          "zlib",
		CompressionThreshold: 2,
		MaxRexmitDelay:       250 * time.Millisecond,
		MemReserve:           6500,
		Cluster:              "linux-ha",
		Autojoin:             "none",
		UUIDFrom:             "file",
		Pacemaker:            "false",
		CRMDSpawnsPengine:    true,
		RecordConfigChanges:  true,
		RecordPengineInputs:  true,
		EnableConfigWrites:   true,
		Params:               map[string]Param{},
	}
	for _, d := range defaultParams {
		c.Params[d.name] = Param{Raw: d.raw}
	}
	// debug is recorded as 0 too, though -D does not list it.
	c.Params["debug"] = Param{Raw: "0"}
	c.computeDefaults()
	return c
}

// ForTests returns a valid configuration with short timers for tests of
// other packages: nodes n1 and n2, bcast on lo-test, keepalive 100ms,
// deadtime 500ms, warntime 250ms, initdead 1s, auto_failback on.
func ForTests() *Config {
	c := Default()
	c.Nodes = []Node{{Name: "n1"}, {Name: "n2"}}
	c.Media = []Medium{{Kind: Bcast, Iface: "lo-test", Port: DefaultPort}}
	c.AutoFailback = FailbackOn
	c.setTime("keepalive", &c.Keepalive, 100*time.Millisecond)
	c.setTime("deadtime", &c.Deadtime, 500*time.Millisecond)
	c.setTime("warntime", &c.Warntime, 250*time.Millisecond)
	c.setTime("initdead", &c.Initdead, time.Second)
	c.setTime("deadping", &c.Deadping, 500*time.Millisecond)
	c.Params["auto_failback"] = Param{Raw: "on"}
	return c
}

func (c *Config) setTime(name string, field *time.Duration, d time.Duration) {
	*field = d
	c.Params[name] = Param{Raw: msString(d)}
}

func msString(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

// computeDefaults fills warntime, initdead, deadping and udpport when they
// were not given, with 3.0.6's formulas.
func (c *Config) computeDefaults() {
	if _, ok := c.Params["warntime"]; !ok {
		c.setTime("warntime", &c.Warntime, c.Deadtime/2)
	}
	if _, ok := c.Params["initdead"]; !ok {
		var d time.Duration
		switch {
		case c.Deadtime > 10*time.Second:
			d = c.Deadtime
		case c.Deadtime < 6*time.Second:
			d = 12 * time.Second
		default:
			d = 2 * c.Deadtime
		}
		c.setTime("initdead", &c.Initdead, d)
	}
	if _, ok := c.Params["deadping"]; !ok {
		c.setTime("deadping", &c.Deadping, c.Deadtime)
	}
	if _, ok := c.Params["udpport"]; !ok {
		c.Params["udpport"] = Param{Raw: strconv.Itoa(c.UDPPort)}
	}
}
