package failover

import (
	"fmt"
	"strings"
	"time"
)

// RState is the resource state of the local node in the nice-failback
// start-up handshake (3.0.6's hb_rsc_state).
type RState int

// Resource states, in the order 3.0.6 numbers them (log lines show the number).
const (
	RInit         RState = iota // nothing happened yet
	RStarting                   // we sent `starting`
	RBothStarting               // the peer started at the same time
	RRscRcvd                    // the peer's resource report arrived
	RStable                     // we took what we should
	RShutdown                   // graceful shutdown under way
)

// standbyPhase is the state of the three-phase standby protocol.
type standbyPhase int

const (
	standbyNot   standbyPhase = iota // no hand-over in progress
	standbyMe                        // we asked to give resources up
	standbyOther                     // the peer asked to give resources up
	standbyDone                      // hand-over done, waiting for the last "done"
)

var standbyWords = [...]string{"not", "me", "other", "done"}

// purpose says what a queued job is for, so its completion can be finished.
type purpose int

const (
	pReqOur     purpose = iota // req_our_resources: check our groups
	pGoStandby                 // go_standby: hand over or acquire a set
	pGiveup                    // hb_giveup_resources: release everything
	pMachDown                  // mach_down: take a dead node's groups
	pTake                      // ip-request-resp addressed to us
	pIPRequest                 // ip-request from the peer (legacy mode)
	pHBTakeover                // hb_takeover from the peer
)

type task struct {
	purpose purpose
	job     Job
	node    string  // pMachDown: the dead node; pIPRequest: the requester
	set     Holding // pGoStandby: the rsc_hold of the final "done"
	act     Holding // pGoStandby: the groups acted on, as seen from here
	acquire bool    // pGoStandby: acquiring (true) or giving up
	alone   bool    // pReqOur: no other active node
	msg     Message // pHBTakeover / ip-request-resp source message
}

type peer struct {
	status       string
	anyPackets   bool
	hasResources bool
}

// Machine is the v1 resource manager of one node. It is not safe for
// concurrent use; the daemon calls it from one goroutine.
type Machine struct {
	cfg Config
	now time.Time
	out []Action

	selfq []Message // our own messages, processed after the current input

	commUp             bool
	rstate             RState
	iHold, otherHolds  Holding
	otherStable        bool
	takeoverInProgress bool

	standby         standbyPhase
	standbyDeadline time.Time
	standbyType     Holding

	needsFailback      bool
	needsShutdown      bool
	shutdownInProgress bool
	giveupStarted      bool
	requestedLegacy    bool

	localTakeoverAt time.Time
	autoFailbackAt  time.Time
	exitAt          time.Time
	stonithRetries  map[string]time.Time
	failedStandbys  []timedStandby
	localWorkDone   bool
	foreignWorkDone bool
	announced       bool
	lastAudit       string
	peers           map[string]*peer
	queue           []task
	running         *task
	nextJobID       int
}

type timedStandby struct {
	at  time.Time
	set Holding
}

// New returns the machine for cfg, in its initial state.
func New(cfg Config) *Machine {
	cfg.Node = strings.ToLower(cfg.Node)
	m := &Machine{cfg: cfg, peers: map[string]*peer{}, stonithRetries: map[string]time.Time{}}
	for _, n := range cfg.Nodes {
		n = strings.ToLower(n)
		if n != cfg.Node {
			m.peers[n] = &peer{status: "init"}
		}
	}
	return m
}

// Holding returns the groups this node holds.
func (m *Machine) Holding() Holding { return m.iHold }

// RState returns the start-up handshake state.
func (m *Machine) RState() RState { return m.rstate }

// Status is what `cl_status rscstatus` prints: the holding, or
// "transition" while anything is changing.
func (m *Machine) Status() string {
	if m.isStable() {
		return m.iHold.String()
	}
	return "transition"
}

// ---- inputs ----

// CommUp is called once when every node has been heard from or declared
// dead: the resource logic starts.
func (m *Machine) CommUp(now time.Time) []Action {
	m.begin(now)
	m.commUp = true
	dead := 0
	for _, p := range m.peers {
		if p.status == "dead" {
			dead++
		}
	}
	if dead == 0 {
		m.foreignWorkDone = true
	}
	if m.cfg.Mode.nice() {
		m.send(TStarting)
		m.rstate = RStarting
	} else if !m.cfg.Restarting && !m.requestedLegacy {
		m.requestedLegacy = true
		m.reqOurResources(false)
	}
	return m.end()
}

// NodeStatus records a peer's status as membership sees it (init, up,
// active, dead); it decides whether we are alone when asking for groups.
func (m *Machine) NodeStatus(now time.Time, node, status string) []Action {
	m.begin(now)
	if p := m.peers[strings.ToLower(node)]; p != nil {
		p.status = status
	}
	return m.end()
}

// PeerHeard is called for the first packet of a peer's generation (its
// first contact, or a restart): until it says otherwise it may hold groups.
func (m *Machine) PeerHeard(now time.Time, node string, newGeneration bool) []Action {
	m.begin(now)
	if p := m.peers[strings.ToLower(node)]; p != nil {
		p.anyPackets = true
		if newGeneration {
			p.hasResources = true
		}
	}
	return m.end()
}

// Receive processes a cluster message from a peer. Our own messages are
// processed internally and must not be passed in.
func (m *Machine) Receive(now time.Time, msg Message) []Action {
	m.begin(now)
	msg.From = strings.ToLower(msg.From)
	if msg.From == m.cfg.Node {
		return m.end()
	}
	if p := m.peers[msg.From]; p != nil {
		p.anyPackets = true
	}
	m.dispatch(msg, false)
	return m.end()
}

// NodeDead is called when membership declares a peer dead.
func (m *Machine) NodeDead(now time.Time, node string) []Action {
	m.begin(now)
	node = strings.ToLower(node)
	p := m.peers[node]
	if p == nil {
		return m.end()
	}
	p.status = "dead"
	m.recoverDead(node, p)
	p.anyPackets = false
	return m.end()
}

// JobDone reports the end of the running job.
func (m *Machine) JobDone(now time.Time, r JobResult) []Action {
	m.begin(now)
	t := m.running
	if t == nil || t.job.ID != r.ID {
		m.logf(Err, "result for unknown resource job %d ignored", r.ID)
		return m.end()
	}
	m.running = nil
	m.finish(t, r)
	m.startNext()
	m.shutdownIfNeeded()
	return m.end()
}

// FenceDone reports a STONITH reset: result is StonithOK, StonithBadHost or
// StonithBad.
func (m *Machine) FenceDone(now time.Time, node, result string) []Action {
	m.begin(now)
	node = strings.ToLower(node)
	m.send(TStonith, FNode, node, FResult, result)
	if result == StonithOK {
		m.logf(Info, "node %s now reset.", node)
		m.takeoverFrom(node)
	} else {
		m.logf(Err, "STONITH of %s failed.  Retrying...", node)
		m.stonithRetries[node] = m.now.Add(StonithRetry)
	}
	return m.end()
}

// Shutdown starts a graceful stop: groups are released, the peer told, and
// Exit follows our `shutdone`. It waits for running resource work.
func (m *Machine) Shutdown(now time.Time) []Action {
	m.begin(now)
	m.giveupResources()
	return m.end()
}

// Standby is hb_standby: ask the peer to take the given groups.
func (m *Machine) Standby(now time.Time, set Holding) []Action {
	m.begin(now)
	m.requestStandby(set)
	return m.end()
}

// Takeover is hb_takeover: ask the peer to hand the given groups to us.
func (m *Machine) Takeover(now time.Time, set Holding) []Action {
	m.begin(now)
	m.send(THBTakeover, FRscHold, set.String())
	return m.end()
}

// Tick advances time: the start-up wait, standby timeouts, retries.
func (m *Machine) Tick(now time.Time) []Action {
	m.begin(now)
	if !m.standbyDeadline.IsZero() && !now.Before(m.standbyDeadline) {
		m.standbyDeadline = time.Time{}
		m.otherStable = true
		m.standby = standbyNot
		m.logf(Warn, "No reply to standby request.  Standby request cancelled.")
		m.shutdownIfNeeded()
	}
	if m.cfg.Mode.nice() && m.rstate == RRscRcvd && !m.localTakeoverAt.IsZero() && now.After(m.localTakeoverAt) {
		m.rstate = RStable
		m.reqOurResources(false)
		m.logf(Info, "local resource transition completed.")
		m.sendHeld(true, "")
		m.audit()
	}
	if !m.autoFailbackAt.IsZero() && !now.Before(m.autoFailbackAt) {
		m.autoFailbackAt = time.Time{}
		m.performAutoFailback()
	}
	for _, node := range sortedTimes(m.stonithRetries) {
		if !now.Before(m.stonithRetries[node]) {
			delete(m.stonithRetries, node)
			m.out = append(m.out, Fence{Node: node})
		}
	}
	kept := m.failedStandbys[:0]
	for _, s := range m.failedStandbys {
		if now.Before(s.at) {
			kept = append(kept, s)
			continue
		}
		m.requestStandby(s.set)
	}
	m.failedStandbys = kept
	if !m.exitAt.IsZero() && !now.Before(m.exitAt) {
		m.exitAt = time.Time{}
		m.out = append(m.out, Exit{})
	}
	return m.end()
}

// NextDeadline returns the earliest time Tick has work to do, or zero.
func (m *Machine) NextDeadline() time.Time {
	var d time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (d.IsZero() || t.Before(d)) {
			d = t
		}
	}
	consider(m.standbyDeadline)
	if m.rstate == RRscRcvd && !m.localTakeoverAt.IsZero() {
		consider(m.localTakeoverAt.Add(time.Millisecond))
	}
	consider(m.autoFailbackAt)
	consider(m.exitAt)
	for _, t := range m.stonithRetries {
		consider(t)
	}
	for _, s := range m.failedStandbys {
		consider(s.at)
	}
	return d
}

// ---- plumbing ----

func (m *Machine) begin(now time.Time) {
	m.now = now
	m.out = nil
}

// end processes our own queued messages (as 3.0.6 processes the copies of
// its messages that come back to it) and returns the actions.
func (m *Machine) end() []Action {
	for len(m.selfq) > 0 {
		msg := m.selfq[0]
		m.selfq = m.selfq[1:]
		m.dispatch(msg, true)
	}
	out := m.out
	m.out = nil
	return out
}

func (m *Machine) logf(l Level, format string, args ...any) {
	m.out = append(m.out, Log{Level: l, Text: fmt.Sprintf(format, args...)})
}

// send emits a message and queues its copy for our own processing.
func (m *Machine) send(typ string, kv ...string) {
	o := Outgoing{Type: typ}
	fields := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, Field{kv[i], kv[i+1]})
		fields[kv[i]] = kv[i+1]
	}
	m.out = append(m.out, Send{Msg: o})
	m.selfq = append(m.selfq, Message{Type: typ, From: m.cfg.Node, Fields: fields})
}

func (m *Machine) sendHeld(stable bool, comment string) {
	if !m.cfg.Mode.nice() {
		return
	}
	st := "0"
	if stable {
		st = "1"
	}
	kv := []string{FRscHold, m.iHold.String(), FRType, "full", FIsStable, st}
	if comment != "" {
		kv = append(kv, FInfo, comment)
	}
	m.send(TResource, kv...)
}

func (m *Machine) sendStandby(phase standbyPhase, set Holding) {
	m.send(TAskResources, FRscHold, set.String(), FInfo, standbyWords[phase])
}

func (m *Machine) requestStandby(set Holding) {
	m.logf(Info, "Going standby [%s].", set)
	m.sendStandby(standbyMe, set)
}

func (m *Machine) dispatch(msg Message, fromSelf bool) {
	switch msg.Type {
	case TShutdone:
		m.onShutdone(msg, fromSelf)
		return
	}
	if !m.commUp {
		return // 3.0.6 registers the resource handlers at comm-up
	}
	switch msg.Type {
	case TStarting, TResource:
		m.processResources(msg, fromSelf)
	case TAskResources:
		m.askForResources(msg, fromSelf)
	case TIPRequest:
		if !fromSelf {
			m.enqueue(task{purpose: pIPRequest, msg: msg, node: msg.From})
		}
	case TIPRequestResp:
		if strings.EqualFold(msg.Get(FDest), m.cfg.Node) {
			m.enqueue(task{purpose: pTake, msg: msg})
		}
	case THBTakeover:
		if !fromSelf {
			m.enqueue(task{purpose: pHBTakeover, msg: msg})
		}
	}
}

// keysOf lists group keys in haresources order: home == node when mine is
// true, home != node otherwise (ResourceManager ourkeys / otherkeys).
func (m *Machine) keysOf(set Holding) []string {
	var keys []string
	for _, g := range m.cfg.Groups {
		local := strings.EqualFold(g.Home, m.cfg.Node)
		if (local && set&Local != 0) || (!local && set&Foreign != 0) {
			keys = append(keys, g.Key)
		}
	}
	return keys
}

func (m *Machine) keysHomedOn(node string) []string {
	var keys []string
	for _, g := range m.cfg.Groups {
		if strings.EqualFold(g.Home, node) {
			keys = append(keys, g.Key)
		}
	}
	return keys
}

func (m *Machine) allKeys() []string {
	keys := make([]string, len(m.cfg.Groups))
	for i, g := range m.cfg.Groups {
		keys[i] = g.Key
	}
	return keys
}

// ---- the job queue: one resource child at a time ----

func (m *Machine) enqueue(t task) {
	m.queue = append(m.queue, t)
	m.startNext()
}

func (m *Machine) startNext() {
	for m.running == nil && len(m.queue) > 0 {
		t := m.queue[0]
		m.queue = m.queue[1:]
		if !m.prepare(&t) {
			continue // nothing to run for this one
		}
		m.nextJobID++
		t.job.ID = m.nextJobID
		m.running = &t
		m.out = append(m.out, RunJob{Job: t.job})
	}
}

// prepare turns a queued task into a job; false means it needs none.
func (m *Machine) prepare(t *task) bool {
	switch t.purpose {
	case pTake:
		key := t.msg.Get(FIPAddr)
		m.logf(Info, "received ip-request-resp %s %s %s", key, t.msg.Get(FOK), t.msg.Get(FWeOwn))
		if t.msg.Get(FOK) != "OK" || key == "" {
			return false
		}
		t.job = Job{Name: "ip-request-resp", Kind: TakeGroups, Keys: []string{key}}
	case pIPRequest:
		key := t.msg.Get(FIPAddr)
		if key == "" {
			return false
		}
		t.job = Job{Name: "ip-request", Kind: ReleaseIfOwned, Keys: []string{key}}
	case pHBTakeover:
		set, _ := ParseHolding(t.msg.Get(FRscHold))
		m.requestStandby(set.swap())
		return false
	case pMachDown:
		if t.node == m.cfg.Node {
			return false
		}
		keys := m.keysHomedOn(t.node)
		for _, k := range keys {
			m.logf(Info, "Taking over resource group %s", k)
		}
		t.job = Job{Name: "status", Kind: TakeGroups, Keys: keys}
	}
	return true
}

func (m *Machine) finish(t *task, r JobResult) {
	if t.job.Kind == TakeGroups {
		for _, k := range r.Failed {
			set := Foreign
			for _, g := range m.cfg.Groups {
				if g.Key == k && strings.EqualFold(g.Home, m.cfg.Node) {
					set = Local
				}
			}
			m.logf(Crit, "Giving up resources due to failure of %s", k)
			m.failedStandbys = append(m.failedStandbys, timedStandby{at: m.now.Add(FailedStartStandbyDelay), set: set})
		}
	}
	switch t.purpose {
	case pReqOur:
		for _, k := range r.NotRunning {
			if m.cfg.Mode.nice() || t.alone {
				m.send(TIPRequestResp, FDest, m.cfg.Node, FIPAddr, k, FWeOwn, "yes", FOK, "OK")
			} else {
				m.send(TIPRequest, FIPAddr, k)
			}
		}
		if len(t.job.Keys) == 0 {
			m.logf(Info, "No local resources [ResourceManager listkeys %s] to acquire.", m.cfg.Node)
		} else {
			m.logf(Info, "Local Resource acquisition completed.")
		}
		m.sendHeld(true, "req_our_resources()")
		m.localWorkDone = true
		m.announce("req_our_resources")
	case pTake:
		m.localWorkDone = true
		m.announce("ip-request-resp")
	case pIPRequest:
		weown := "no"
		if r.Owned {
			weown = "yes"
		}
		m.send(TIPRequestResp, FDest, t.node, FIPAddr, t.job.Keys[0], FWeOwn, weown, FOK, "OK")
	case pMachDown:
		if m.cfg.Mode.nice() {
			m.logf(Info, "mach_down: nice_failback: foreign resources acquired")
			m.send(TResource, FRscHold, Foreign.String(), FInfo, "mach_down")
		} else if m.anyDead() {
			m.foreignWorkDone = true
			m.announce("status")
		}
		m.logf(Info, "mach_down takeover complete for node %s.", t.node)
	case pGoStandby:
		what := "release"
		if t.acquire {
			what = "acquisition"
		}
		m.logf(Info, "%s HA resource %s completed (standby).", t.act, what)
		m.sendStandby(standbyDone, t.set)
	case pGiveup:
		m.logf(Info, "All HA resources relinquished.")
		m.send(TShutdone, FStatus, "dead")
	}
}

func (m *Machine) anyDead() bool {
	for _, p := range m.peers {
		if p.status == "dead" {
			return true
		}
	}
	return false
}

func sortedTimes(m map[string]time.Time) []string {
	b := map[string]bool{}
	for k := range m {
		b[k] = true
	}
	return sortedKeys(b)
}
