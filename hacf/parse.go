package hacf

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hbgo/internal/problem"
)

// Options tell Parse about the host it validates for.
type Options struct {
	// File is the name used in problems (default "ha.cf").
	File string
	// NodeName is the local node name (uname -n); it is lower-cased.
	// stonith_host lines for other nodes are skipped, as 3.0.6 does.
	NodeName string
	// Env answers questions about the host; nil means the real one.
	Env Env
}

// style is how a directive's value is handed to its handler.
type style int

const (
	perToken  style = iota // split on space/tab/comma, handler once per token
	wholeLine              // remainder unsplit
)

type handler func(p *parser, ln rawLine, v string)

type directive struct {
	style  style
	record bool // the value is recorded (cl_status hbparameter)
	fn     handler
}

// directives is the table of every name the Debian 3.0.6 build accepts:
// built-in options, whole-line directives and the HBcomm plugins on disk.
var directives map[string]directive

func init() {
	directives = map[string]directive{
		"node":                    {perToken, false, (*parser).node},
		"keepalive":               {perToken, true, timeSetter("keepalive", func(c *Config) *time.Duration { return &c.Keepalive }, 1)},
		"deadtime":                {perToken, true, timeSetter("deadtime", func(c *Config) *time.Duration { return &c.Deadtime }, 0)},
		"warntime":                {perToken, true, (*parser).warntime},
		"initdead":                {perToken, true, timeSetter("initdead", func(c *Config) *time.Duration { return &c.Initdead }, 0)},
		"deadping":                {perToken, true, timeSetter("deadping", func(c *Config) *time.Duration { return &c.Deadping }, 0)},
		"conn_logd_time":          {perToken, true, timeSetter("conn_logd_time", func(c *Config) *time.Duration { return &c.ConnLogdTime }, 1)},
		"hopfudge":                {perToken, true, intRange("hopfudge", func(c *Config) *int { return &c.HopFudge }, 0, 255)},
		"debug":                   {perToken, true, intRange("debug", func(c *Config) *int { return &c.Debug }, 0, 255)},
		"rtprio":                  {perToken, true, (*parser).rtprio},
		"compression_threshold":   {perToken, true, (*parser).compressionThreshold},
		"max_rexmit_delay":        {perToken, true, (*parser).maxRexmitDelay},
		"memreserve":              {perToken, true, intRange("memreserve", func(c *Config) *int { return &c.MemReserve }, 1, 1<<31-1)},
		"udpport":                 {perToken, true, (*parser).udpport},
		"baud":                    {perToken, true, (*parser).baud},
		"auto_failback":           {perToken, true, (*parser).autoFailback},
		"nice_failback":           {perToken, false, (*parser).niceFailbackLine},
		"logfacility":             {perToken, true, (*parser).logfacility},
		"logfile":                 {perToken, true, str(func(c *Config) *string { return &c.LogFile })},
		"debugfile":               {perToken, true, str(func(c *Config) *string { return &c.DebugFile })},
		"coreroot":                {perToken, true, (*parser).coreroot},
		"cluster":                 {perToken, true, str(func(c *Config) *string { return &c.Cluster })},
		"quorum_server":           {perToken, true, (*parser).quorumServer},
		"use_logd":                {perToken, true, boolSetter(func(c *Config) *bool { return &c.UseLogd })},
		"coredumps":               {perToken, true, boolSetter(func(c *Config) *bool { return &c.Coredumps })},
		"syslogmsgfmt":            {perToken, true, boolSetter(func(c *Config) *bool { return &c.SyslogMsgFmt })},
		"log_badpack":             {perToken, true, boolSetter(func(c *Config) *bool { return &c.LogBadPack })},
		"realtime":                {perToken, true, boolSetter(func(c *Config) *bool { return &c.Realtime })},
		"traditional_compression": {perToken, true, (*parser).traditionalCompression},
		"use_apphbd":              {perToken, false, boolSetter(func(c *Config) *bool { return &c.UseAppHBD })},
		"crmd_spawns_pengine":     {perToken, true, boolSetter(func(c *Config) *bool { return &c.CRMDSpawnsPengine })},
		"record_config_changes":   {perToken, true, boolSetter(func(c *Config) *bool { return &c.RecordConfigChanges })},
		"record_pengine_inputs":   {perToken, true, boolSetter(func(c *Config) *bool { return &c.RecordPengineInputs })},
		"enable_config_writes":    {perToken, true, boolSetter(func(c *Config) *bool { return &c.EnableConfigWrites })},
		"hbgenmethod":             {perToken, true, word("hbgenmethod", func(c *Config) *string { return &c.HBGenMethod }, false, "Illegal hb generation method [%s]", "file", "time")},
		"msgfmt":                  {perToken, true, word("msgfmt", func(c *Config) *string { return &c.MsgFmt }, false, "", "classic", "netstring")},
		"uuidfrom":                {perToken, true, word("uuidfrom", func(c *Config) *string { return &c.UUIDFrom }, false, "Invalid uuidfrom directive [%s]", "file", "nodename")},
		"autojoin":                {perToken, true, word("autojoin", func(c *Config) *string { return &c.Autojoin }, true, "Invalid autojoin directive [%s]", "none", "other", "any")},
		"compression":             {perToken, true, (*parser).compression},
		"watchdog":                {perToken, true, (*parser).watchdog},
		"env":                     {perToken, false, (*parser).envVar},
		"pacemaker":               {perToken, true, (*parser).pacemaker},
		"crm":                     {perToken, true, (*parser).pacemaker},
		"crm_daemon_dir":          {perToken, true, (*parser).crmDaemonDir},

		// HBcomm plugins without a line parser: one medium per token.
		"bcast":  {perToken, false, (*parser).bcast},
		"serial": {perToken, false, (*parser).serial},
		"ping":   {perToken, false, (*parser).ping},
		"ping6":  {perToken, false, (*parser).ping6},

		// HBcomm plugins with a line parser (split on blanks only).
		"ucast":      {wholeLine, false, (*parser).ucast},
		"ucast6":     {wholeLine, false, (*parser).ucast6},
		"mcast":      {wholeLine, false, (*parser).mcast},
		"mcast6":     {wholeLine, false, (*parser).mcast6},
		"ping_group": {wholeLine, false, (*parser).pingGroup},

		// Whole-line directives.
		"stonith":      {wholeLine, false, (*parser).stonith},
		"stonith_host": {wholeLine, false, (*parser).stonithHost},
		"respawn":      {wholeLine, false, (*parser).respawn},
		"failfast":     {wholeLine, false, (*parser).failfast},
		"apiauth":      {wholeLine, false, (*parser).apiauth},
	}
}

// Directives returns every directive name ha.cf accepts, for documentation
// and tests.
func Directives() []string {
	out := make([]string, 0, len(directives))
	for n := range directives {
		out = append(out, n)
	}
	return out
}

// maxLine is the most characters 3.0.6 reads as one line (its fgets buffer
// is 5120 bytes; measured on the real daemon).
const maxLine = 5119

// parser carries the state 3.0.6 keeps while reading ha.cf.
type parser struct {
	cfg      *Config
	probs    problem.List
	env      Env
	file     string
	nodeName string

	// Each UDP plugin fixes its port when its first line is parsed.
	bcastPort, ucastPort, ucast6Port int
	firstUDPLine                     int // first bcast/ucast line, for the udpport advice
	baudSeen                         int
	watchdogSeen                     int
	pacemakerSeen                    int
	niceFailback                     bool // 3.0.6's internal flag, set by a boolean auto_failback
	apiClients                       map[string]int
}

// ParseFile reads and parses the ha.cf at path.
func ParseFile(path string, opt Options) (*Config, problem.List) {
	if opt.File == "" {
		opt.File = path
	}
	f, err := os.Open(path)
	if err != nil {
		var l problem.List
		l.Errorf(opt.File, 0, "", "ha.cf must exist and be readable", "cannot open config file: %v", err)
		return nil, l
	}
	defer f.Close()
	return Parse(f, opt)
}

// Parse reads ha.cf from r with 3.0.6's lexical rules and directive
// semantics, checking each value as 3.0.6 does while parsing (including
// the checks that ask the host: interfaces, names, users, programs,
// plugins). It then fills in the defaults. The cross-checks that 3.0.6
// makes after parsing are in Validate.
func Parse(r io.Reader, opt Options) (*Config, problem.List) {
	p := &parser{
		cfg:        Default(),
		env:        opt.Env,
		file:       opt.File,
		nodeName:   lower(opt.NodeName),
		apiClients: map[string]int{},
	}
	if p.env == nil {
		p.env = &OSEnv{}
	}
	if p.file == "" {
		p.file = "ha.cf"
	}
	p.cfg.File = p.file
	// Start from the defaults but forget the computed ones: they depend
	// on what the file sets.
	for _, n := range []string{"warntime", "initdead", "deadping", "udpport"} {
		delete(p.cfg.Params, n)
	}
	p.cfg.UDPPort = 0

	br := bufio.NewReaderSize(r, 64*1024)
	for num := 1; ; num++ {
		s, err := br.ReadString('\n')
		if len(s) > maxLine {
			name := "line"
			if ln, ok := cutLine(num, s[:maxLine]); ok {
				name = ln.name
			}
			p.probs.Warnf(p.file, num, name, fmt.Sprintf("keep lines under %d characters", maxLine),
				"line is %d characters long; 3.0.6 reads it in pieces of %d, each parsed as a line of its own", len(s), maxLine)
		}
		// 3.0.6 reads with fgets into a fixed buffer: the rest of an
		// over-long line is parsed as a further line.
		for s != "" {
			chunk := s[:min(len(s), maxLine)]
			s = s[len(chunk):]
			if ln, ok := cutLine(num, chunk); ok {
				p.line(ln)
			}
		}
		if err != nil {
			if err != io.EOF {
				p.probs.Errorf(p.file, num, "", "", "read error: %v", err)
			}
			break
		}
	}
	p.finish()
	return p.cfg, p.probs
}

func (p *parser) errorf(ln rawLine, hint, format string, args ...any) {
	p.probs.Errorf(p.file, ln.num, ln.name, hint, format, args...)
}

func (p *parser) warnf(ln rawLine, hint, format string, args ...any) {
	p.probs.Warnf(p.file, ln.num, ln.name, hint, format, args...)
}

func (p *parser) line(ln rawLine) {
	if ln.name == "udp" {
		p.warnf(ln, "write bcast", "directive 'udp' is an old alias of 'bcast'")
		ln.name = "bcast"
	}
	d, ok := directives[ln.name]
	if !ok {
		p.errorf(ln, illegalHint(ln.name), "illegal directive (3.0.6: Illegal directive [%s])", ln.name)
		return
	}
	if d.style == wholeLine {
		d.fn(p, ln, strings.TrimRight(ln.rest, blanks))
		return
	}
	for _, tok := range optionTokens(ln.rest) {
		n := len(p.probs.Errors())
		d.fn(p, ln, tok)
		if d.record && len(p.probs.Errors()) == n {
			key := ln.name
			if key == "crm" {
				key = "pacemaker" // one setting under two names
			}
			p.cfg.Params[key] = Param{Raw: tok, Line: ln.num}
		}
	}
}

func illegalHint(name string) string {
	if k, _, ok := strings.Cut(name, "="); ok {
		if _, known := directives[k]; known {
			return "write `" + k + " VALUE` with a blank, not ="
		}
	}
	if _, known := directives[lower(name)]; known {
		return "directive names are case-sensitive: write " + lower(name)
	}
	switch name {
	case "hbaping", "tipc", "rds":
		return "this media plugin is not shipped with the Debian 3.0.6 build"
	case "normalpoll":
		return "not compiled into the Debian 3.0.6 build; remove it"
	}
	return "remove the line or fix the spelling"
}

// builtinAPIAuth are the API clients 3.0.6 authorises after parsing unless
// ha.cf has its own apiauth line for them.
var builtinAPIAuth = []APIAuth{
	{Client: "ipfail", UIDs: []string{"hacluster"}},
	{Client: "ccm", UIDs: []string{"hacluster"}},
	{Client: "ping", GIDs: []string{"haclient"}},
	{Client: "lha-snmpagent", UIDs: []string{"root"}},
	{Client: "anon", UIDs: []string{"root"}, GIDs: []string{"haclient"}},
}

// finish applies the defaults that depend on what was set.
func (p *parser) finish() {
	c := p.cfg
	for _, a := range builtinAPIAuth {
		if _, set := p.apiClients[a.Client]; !set {
			c.APIAuth = append(c.APIAuth, a)
		}
	}
	if c.UDPPort == 0 {
		c.UDPPort = p.defaultPort()
	}
	c.computeDefaults()
}

func (p *parser) defaultPort() int {
	if port, ok := p.env.ServicePort("ha-cluster"); ok && port > 0 {
		return port
	}
	return DefaultPort
}

// --- value helpers -------------------------------------------------------

const timeHint = "a number of seconds, or a number followed by ms or us (no 's'/'sec'/'min' suffix)"

func timeSetter(name string, field func(*Config) *time.Duration, min int64) handler {
	return func(p *parser, ln rawLine, v string) {
		ms, ok := ParseMsec(v)
		if !ok {
			p.errorf(ln, timeHint, "invalid time value %q (3.0.6 fails silently)", v)
			return
		}
		if ms < min {
			p.errorf(ln, "use a value greater than 0", "%s must be greater than 0, got %q (3.0.6 fails silently)", name, v)
			return
		}
		*field(p.cfg) = time.Duration(ms) * time.Millisecond
	}
}

func (p *parser) warntime(ln rawLine, v string) {
	ms, ok := ParseMsec(v)
	if !ok || ms <= 0 {
		p.errorf(ln, timeHint+"; must be > 0", "Warn time [%s] is invalid", v)
		return
	}
	p.cfg.Warntime = time.Duration(ms) * time.Millisecond
}

func intRange(name string, field func(*Config) *int, min, max int) handler {
	return func(p *parser, ln rawLine, v string) {
		n := Atoi(v)
		if n < min || n > max {
			p.errorf(ln, fmt.Sprintf("use an integer from %d to %d", min, max), "%s %q out of range (3.0.6 fails silently)", name, v)
			return
		}
		*field(p.cfg) = n
	}
}

func str(field func(*Config) *string) handler {
	return func(p *parser, ln rawLine, v string) { *field(p.cfg) = v }
}

func boolSetter(field func(*Config) *bool) handler {
	return func(p *parser, ln rawLine, v string) {
		b, ok := ParseBool(v)
		if !ok {
			p.errorf(ln, "use on/off, yes/no, true/false, y/n or 1/0", "invalid boolean %q (3.0.6 fails silently)", v)
			return
		}
		*field(p.cfg) = b
	}
}

// word accepts one of a fixed set of words; fold makes the comparison
// case-insensitive (the value is then stored lower-cased).
func word(name string, field func(*Config) *string, fold bool, msg3 string, allowed ...string) handler {
	return func(p *parser, ln rawLine, v string) {
		w := v
		if fold {
			w = lower(v)
		}
		for _, a := range allowed {
			if w == a {
				*field(p.cfg) = w
				return
			}
		}
		hint := "use one of: " + strings.Join(allowed, ", ")
		if !fold {
			hint += " (case-sensitive)"
		}
		if msg3 == "" {
			p.errorf(ln, hint, "invalid %s %q (3.0.6 fails silently)", name, v)
			return
		}
		p.errorf(ln, hint, msg3, v)
	}
}

// --- directives ------------------------------------------------------------

// 3.0.6's static limits, measured on the real daemon: at most 100 nodes
// counting ping nodes, node names cut to 100 characters, at most 64 media
// counting ping nodes ("Too many media specified (> 64)"), and at most 63
// ucast lines (the 64th crashes it).
const (
	maxNodes    = 100
	maxNodeName = 100
	maxMedia    = 64
	maxUcast    = 63
)

func (p *parser) node(ln rawLine, v string) {
	name := lower(v)
	if len(name) > maxNodeName {
		p.warnf(ln, "use the output of `uname -n`", "node name %q is longer than %d characters; 3.0.6 truncates it", v, maxNodeName)
		name = name[:maxNodeName]
	}
	if !p.roomForNode(ln) {
		return
	}
	p.cfg.Nodes = append(p.cfg.Nodes, Node{Name: name, Line: ln.num})
}

// roomForNode enforces the node table size, shared by cluster and ping
// nodes.
func (p *parser) roomForNode(ln rawLine) bool {
	if len(p.cfg.Nodes)+len(p.cfg.PingNodes) >= maxNodes {
		p.errorf(ln, "at most 100 nodes, ping nodes included", "too many nodes")
		return false
	}
	return true
}

// roomForMedium enforces the media table size; ping nodes are media too.
func (p *parser) roomForMedium(ln rawLine) bool {
	if len(p.cfg.Media)+len(p.cfg.PingNodes) >= maxMedia {
		p.errorf(ln, "at most 64 media, ping nodes included", "Too many media specified (> 64)")
		return false
	}
	if ln.name == string(Ucast) {
		n := 0
		for _, m := range p.cfg.Media {
			if m.Kind == Ucast {
				n++
			}
		}
		if n >= maxUcast {
			p.errorf(ln, "at most 63 ucast lines; use bcast or mcast for larger clusters", "too many ucast media (3.0.6 crashes on the 64th)")
			return false
		}
	}
	return true
}

func (p *parser) rtprio(ln rawLine, v string) {
	n := Atoi(v)
	if n < 1 || n > 99 {
		p.errorf(ln, "use an integer from 1 to 99", "Illegal realtime priority [%s]", v)
		return
	}
	p.cfg.RTPrio = n
}

func (p *parser) compressionThreshold(ln rawLine, v string) {
	n := Atoi(v)
	if n <= 0 {
		p.errorf(ln, "a size in KB greater than 0", "compression threshold (%s) invalid", v)
		return
	}
	p.cfg.CompressionThreshold = n
}

func (p *parser) maxRexmitDelay(ln rawLine, v string) {
	n := Atoi(v)
	if n <= 0 {
		p.errorf(ln, "milliseconds, greater than 0", "Invalid max_rexmit_delay time(%s)", v)
		return
	}
	p.cfg.MaxRexmitDelay = time.Duration(n) * time.Millisecond
}

func (p *parser) traditionalCompression(ln rawLine, v string) {
	b, ok := ParseBool(v)
	if !ok {
		p.errorf(ln, "use yes or no", "set_traditional_compression: invalid directive value %q", v)
		return
	}
	p.cfg.TraditionalCompression = b
}

func (p *parser) udpport(ln rawLine, v string) {
	n := Atoi(v)
	if n <= 0 {
		p.errorf(ln, "a port number greater than 0 (service names are not accepted)", "invalid port [%s] specified", v)
		return
	}
	if n > 65535 {
		p.warnf(ln, "use a port from 1 to 65535", "port %d is out of range; 3.0.6 accepts it and uses %d", n, n&0xffff)
	}
	if p.firstUDPLine > 0 {
		p.warnf(ln, fmt.Sprintf("move udpport above line %d", p.firstUDPLine),
			"udpport comes after a bcast/ucast line; those media keep the port they already chose")
	}
	if svc, ok := p.env.ServiceName(n); ok && svc != "ha-cluster" {
		p.warnf(ln, "pick a port not registered in /etc/services", "port %d is registered for service %s", n, svc)
	}
	p.cfg.UDPPort = n
}

var baudRates = map[string]int{"9600": 9600, "19200": 19200, "38400": 38400, "57600": 57600, "115200": 115200, "230400": 230400, "460800": 460800}

func (p *parser) baud(ln rawLine, v string) {
	if p.baudSeen > 0 {
		p.errorf(ln, fmt.Sprintf("keep only one baud line (first on line %d)", p.baudSeen), "Baudrate multiply specified")
		return
	}
	b, ok := baudRates[v]
	if !ok {
		p.errorf(ln, "use 9600, 19200, 38400, 57600, 115200, 230400 or 460800", "invalid baudrate [%s] specified", v)
		return
	}
	p.baudSeen = ln.num
	p.cfg.Baud = b
}

func (p *parser) autoFailback(ln rawLine, v string) {
	if b, ok := ParseBool(v); ok {
		p.niceFailback = true
		if b {
			p.cfg.AutoFailback = FailbackOn
		} else {
			p.cfg.AutoFailback = FailbackOff
		}
		return
	}
	if lower(v) == "legacy" {
		p.niceFailback = false
		p.cfg.AutoFailback = FailbackLegacy
		return
	}
	p.errorf(ln, "use on, off or legacy", "invalid auto_failback value %q (3.0.6 fails silently)", v)
}

// niceFailbackLine reproduces 3.0.6: the obsolete directive is translated by
// looking at the current internal flag rather than at its own value, so
// `nice_failback on` before any auto_failback gives legacy.
func (p *parser) niceFailbackLine(ln rawLine, v string) {
	_, ok := ParseBool(v)
	p.warnf(ln, "replace it with auto_failback on|off|legacy", "nice_failback is obsolete")
	to := "legacy"
	if p.niceFailback {
		to = "off"
	}
	p.autoFailback(ln, to)
	p.cfg.Params["auto_failback"] = Param{Raw: to, Line: ln.num}
	if !ok {
		p.errorf(ln, "use on or off (better: auto_failback)", "invalid boolean %q (3.0.6 fails silently)", v)
	}
}

// facilities are the syslog facility names cluster-glue accepts
// (case-sensitive), plus "none".
var facilities = map[string]bool{
	"auth": true, "authpriv": true, "cron": true, "daemon": true, "ftp": true,
	"kern": true, "lpr": true, "mail": true, "news": true, "security": true,
	"syslog": true, "user": true, "uucp": true, "local0": true, "local1": true,
	"local2": true, "local3": true, "local4": true, "local5": true, "local6": true,
	"local7": true, "mark": true, "none": true,
}

func (p *parser) logfacility(ln rawLine, v string) {
	if !facilities[v] {
		p.errorf(ln, "use a lower-case syslog facility such as daemon or local0..local7, or none", "Log facility(%s) not valid", v)
		return
	}
	p.cfg.LogFacility = v
}

// coreroot must be an absolute path (the real daemon refused "." and
// "cores"); a missing directory is accepted.
func (p *parser) coreroot(ln rawLine, v string) {
	if !strings.HasPrefix(v, "/") {
		p.errorf(ln, "give an absolute directory, e.g. /var/lib/heartbeat/cores", "Invalid core directory [%s]", v)
		return
	}
	p.cfg.CoreRoot = v
}

func (p *parser) quorumServer(ln rawLine, v string) {
	p.cfg.QuorumServer = v
	p.cfg.Cluster = v
	p.cfg.Params["cluster"] = Param{Raw: v, Line: ln.num}
}

func (p *parser) compression(ln rawLine, v string) {
	if !p.env.CompressionModule(v) {
		p.errorf(ln, "use zlib or bz2", "Compression module(%s) not found", v)
		return
	}
	p.cfg.Compression = v
}

func (p *parser) watchdog(ln rawLine, v string) {
	if p.watchdogSeen > 0 {
		p.errorf(ln, fmt.Sprintf("keep only one watchdog line (first on line %d)", p.watchdogSeen), "Watchdog device multiply specified")
		return
	}
	p.watchdogSeen = ln.num
	p.cfg.Watchdog = v
	if !p.env.Exists(v) {
		p.warnf(ln, "load the softdog or hardware watchdog module", "watchdog device %s does not exist now; heartbeat opens it at start-up", v)
	}
}

func (p *parser) envVar(ln rawLine, v string) {
	name, val, ok := strings.Cut(v, "=")
	if ok && name == "" {
		p.errorf(ln, "write env NAME=VALUE", "set_env: invalid nvpair(%s)", v)
		return
	}
	if !ok {
		p.warnf(ln, "write env NAME=VALUE", "env value %q has no '='; 3.0.6 accepts it but exports nothing useful", v)
	}
	p.cfg.Env = append(p.cfg.Env, EnvVar{Name: name, Value: val, Line: ln.num})
}
