package controller

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"hbgo/crm/cibstore"
)

// Machine is one node's controller. Not safe for concurrent use: the
// driver calls it from one goroutine.
type Machine struct {
	cfg   Config
	self  string
	nodes []string // configured plus met nodes, sorted

	startAt     time.Time
	startupDone bool
	alive       map[string]bool      // heartbeat view, self included
	pings       map[string]bool      // ping nodes reachable
	leftOut     map[string]time.Time // silent nodes left out of offers until
	leftCount   map[string]int       // consecutive offers a node left unanswered
	lastJoinReq time.Time

	mem      Membership
	maxInst  uint64
	accepted offerID // the offer we acked last
	round    *round  // our own offer in progress

	cib          *cibstore.Doc
	awaitingFull bool
	lastSyncReq  time.Time
	lastAnnounce time.Time

	// DC side.
	synced    bool
	pullFrom  string
	pullUntil time.Time
	reported  map[string]cibState
	probed    map[string]bool
	probing   map[string]bool
	queue     []queued
	lastSched schedKey
	answered  map[string]answer // origin/reqid -> result, so resends are not applied twice
	ansOrder  []string

	// Requester side.
	pending []*pendingReq
}

type offerID struct {
	coord string
	inst  uint64
}

type round struct {
	inst     uint64
	members  []string
	acks     map[string]cibState
	deadline time.Time
}

type cibState struct {
	v      cibstore.Version
	digest string
}

type queued struct {
	from  string
	reqid string
	ops   []cibstore.Op
}

type answer struct {
	v   cibstore.Version
	err error
}

// maxBackoffShift caps how long a silent node is left out: RetryInterval
// times 2^maxBackoffShift.
const maxBackoffShift = 4

// maxAnswered bounds the DC's memory of answered requests.
const maxAnswered = 1024

type pendingReq struct {
	reqid    string
	ops      []cibstore.Op
	deadline time.Time
	sentTo   string
}

type schedKey struct {
	inst   uint64
	v      cibstore.Version
	quorum bool
	n      int
}

// New returns the controller of cfg.Node, holding cib (the copy loaded
// from disk, or cibstore.Empty()), started at now.
func New(cfg Config, cib *cibstore.Doc, now time.Time) (*Machine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cib == nil {
		cib = cibstore.Empty()
	}
	m := &Machine{cfg: cfg, self: cfg.Node, startAt: now, cib: cib,
		alive: map[string]bool{cfg.Node: true}, pings: map[string]bool{}, leftOut: map[string]time.Time{},
		leftCount: map[string]int{},
		probed:    map[string]bool{}, probing: map[string]bool{}}
	m.nodes = slices.Clone(cfg.Nodes)
	slices.Sort(m.nodes)
	return m, nil
}

// Membership returns the current local view.
func (m *Machine) Membership() Membership {
	c := m.mem
	c.Members = slices.Clone(c.Members)
	return c
}

// IsDC reports whether this node is the DC of its current membership.
func (m *Machine) IsDC() bool { return m.mem.DC == m.self }

// CIB returns the local copy of the CIB.
func (m *Machine) CIB() *cibstore.Doc { return m.cib }

// NodeUp: the heartbeat layer reports node alive (NodeUp/NodeActive).
func (m *Machine) NodeUp(now time.Time, node string) []Action {
	if node == m.self || m.alive[node] {
		return nil
	}
	m.alive[node] = true
	delete(m.leftOut, node)
	delete(m.leftCount, node)
	if !slices.Contains(m.nodes, node) {
		m.nodes = append(m.nodes, node)
		slices.Sort(m.nodes)
	}
	return m.reconsider(now)
}

// NodeDown: the heartbeat layer declared node dead (or it left).
func (m *Machine) NodeDown(now time.Time, node string) []Action {
	if node == m.self || !m.alive[node] {
		return nil
	}
	delete(m.alive, node)
	delete(m.probed, node)
	delete(m.probing, node)
	var out []Action
	if m.mem.DC == node {
		m.mem.DC = ""
		out = append(out, m.changed())
	}
	return append(out, m.reconsider(now)...)
}

// NodeRestarted: the heartbeat layer saw a new generation of a live node.
// It is a leave and a join at once: the node lost its state (it is probed
// again and will ask to join) but never left the view, so no one takes
// over the DC role for an instant.
func (m *Machine) NodeRestarted(now time.Time, node string) []Action {
	if node == m.self {
		return nil
	}
	if !m.alive[node] {
		return m.NodeUp(now, node)
	}
	delete(m.probed, node)
	delete(m.probing, node)
	delete(m.leftOut, node)
	delete(m.leftCount, node)
	var out []Action
	if m.mem.DC == node {
		m.mem.DC = ""
		out = append(out, m.changed())
	}
	return append(out, m.reconsider(now)...)
}

// PingUp and PingDown report a ping node's reachability.
func (m *Machine) PingUp(now time.Time, name string) []Action { return m.setPing(now, name, true) }

// PingDown: see PingUp.
func (m *Machine) PingDown(now time.Time, name string) []Action { return m.setPing(now, name, false) }

func (m *Machine) setPing(now time.Time, name string, up bool) []Action {
	if m.pings[name] == up {
		return nil
	}
	m.pings[name] = up
	if !m.IsDC() {
		return nil
	}
	q := m.quorum(m.mem.Members)
	if q == m.mem.Quorum {
		return nil
	}
	m.mem.Quorum = q
	out := []Action{Send{Msg{Type: MsgQuorum, Instance: m.mem.Instance, Quorum: q}}, m.changed()}
	return append(out, m.maybeSchedule()...)
}

func (m *Machine) quorum(members []string) bool {
	up := 0
	for _, p := range m.cfg.PingNodes {
		if m.pings[p] {
			up++
		}
	}
	return Quorum(m.nodes, members, len(m.cfg.PingNodes), up)
}

func (m *Machine) changed() Action { return MembershipChanged{m.Membership()} }

func (m *Machine) aliveList() []string {
	return slices.Sorted(maps.Keys(m.alive))
}

func (m *Machine) best() string { return Best(m.cfg.Priority, m.aliveList()) }

func (m *Machine) send(msg Msg) Action { return Send{msg} }

// reconsider is the one place deciding whether to coordinate, step down,
// or ask to join.
func (m *Machine) reconsider(now time.Time) []Action {
	best := m.best()
	var out []Action
	if best != m.self {
		if m.IsDC() {
			m.mem.DC = ""
			m.resetDC()
			out = append(out, m.changed())
		}
		m.round = nil
		member := m.mem.DC == best && slices.Contains(m.mem.Members, m.self)
		if !member && (m.lastJoinReq.IsZero() || now.Sub(m.lastJoinReq) >= m.cfg.RetryInterval) {
			m.lastJoinReq = now
			out = append(out, m.send(Msg{Type: MsgJoinRequest, To: best, MaxInstance: m.maxInst}))
		}
		return out
	}
	if !m.startupDone {
		all := true
		for _, n := range m.cfg.Nodes {
			all = all && m.alive[n]
		}
		if !all && now.Sub(m.startAt) < m.cfg.StartupWait {
			return out
		}
		m.startupDone = true
	}
	want := m.candidates(now)
	if m.IsDC() && slices.Equal(m.mem.Members, want) {
		if m.round != nil && !slices.Equal(m.round.members, want) {
			// The change that started the round was undone: keep the
			// membership we have and serve the requests that waited.
			// (A round over the same members re-forms it on purpose.)
			m.round = nil
			out = append(out, m.drain(now)...)
		}
		return out
	}
	if m.round != nil && slices.Equal(m.round.members, want) {
		return out
	}
	return append(out, m.startRound(now, want)...)
}

// candidates are the live nodes minus those left out for silence.
func (m *Machine) candidates(now time.Time) []string {
	var out []string
	for _, n := range m.aliveList() {
		if until, ok := m.leftOut[n]; ok && now.Before(until) && n != m.self {
			continue
		}
		out = append(out, n)
	}
	return out
}

func (m *Machine) own() cibState { return cibState{m.cib.Version(), m.cib.Digest()} }

func (m *Machine) startRound(now time.Time, members []string) []Action {
	m.maxInst++
	r := &round{inst: m.maxInst, members: members, acks: map[string]cibState{m.self: m.own()},
		deadline: now.Add(m.cfg.JoinTimeout)}
	m.round = r
	m.accepted = offerID{m.self, r.inst}
	out := []Action{m.send(Msg{Type: MsgJoinOffer, Instance: r.inst, Members: members})}
	return append(out, m.maybeConfirm(now)...)
}

func (m *Machine) maybeConfirm(now time.Time) []Action {
	r := m.round
	if r == nil {
		return nil
	}
	for _, n := range r.members {
		if _, ok := r.acks[n]; !ok {
			return nil
		}
	}
	m.round = nil
	wasDC := m.IsDC()
	if !wasDC {
		m.resetDC()
	}
	for n := range m.probed {
		if !slices.Contains(r.members, n) {
			delete(m.probed, n)
		}
	}
	m.mem = Membership{Instance: r.inst, Members: r.members, DC: m.self, Quorum: m.quorum(r.members)}
	m.reported = r.acks
	m.awaitingFull = false
	out := []Action{m.send(Msg{Type: MsgJoinConfirm, Instance: r.inst, Members: r.members, Quorum: m.mem.Quorum}), m.changed()}

	// The newest CIB wins; ours on ties.
	holder, hv := m.self, m.cib.Version()
	for _, n := range r.members {
		if st := r.acks[n]; st.v.Newer(hv) {
			holder, hv = n, st.v
		}
	}
	if holder == m.self {
		m.synced = true
		out = append(out, m.pushFull()...)
	} else {
		m.synced, m.pullFrom, m.pullUntil = false, holder, now.Add(m.cfg.JoinTimeout)
		out = append(out, m.send(Msg{Type: MsgCIBSyncReq, To: holder, Instance: r.inst}))
	}
	for _, n := range r.members {
		if !m.probed[n] && !m.probing[n] {
			m.probing[n] = true
			out = append(out, ProbeNode{n})
		}
	}
	// Our own pending requests are now ours to commit.
	for _, p := range m.pending {
		if p.sentTo != m.self {
			p.sentTo = m.self
			m.queue = append(m.queue, queued{from: m.self, reqid: p.reqid, ops: p.ops})
		}
	}
	out = append(out, m.drain(now)...)
	return append(out, m.maybeSchedule()...)
}

// resetDC forgets DC-only state (on becoming or ceasing to be DC).
func (m *Machine) resetDC() {
	m.synced, m.pullFrom = false, ""
	m.reported = nil
	clear(m.probed)
	clear(m.probing)
	m.queue = nil
	m.lastSched = schedKey{}
	m.answered, m.ansOrder = nil, nil
	for _, p := range m.pending {
		if p.sentTo == m.self {
			p.sentTo = ""
		}
	}
}

// pushFull sends a full copy to every member whose copy differs from ours.
func (m *Machine) pushFull() []Action {
	own := m.own()
	var out []Action
	for _, n := range m.mem.Members {
		if n == m.self || m.reported[n] == own {
			continue
		}
		m.reported[n] = own
		out = append(out, m.send(Msg{Type: MsgCIBFull, To: n, Instance: m.mem.Instance, CIB: m.cib}))
	}
	return out
}

func (m *Machine) maybeSchedule() []Action {
	if !m.IsDC() || !m.synced || m.round != nil {
		return nil
	}
	for _, n := range m.mem.Members {
		if !m.probed[n] {
			return nil
		}
	}
	k := schedKey{m.mem.Instance, m.cib.Version(), m.mem.Quorum, len(m.mem.Members)}
	if k == m.lastSched {
		return nil
	}
	m.lastSched = k
	return []Action{Schedule{Doc: m.cib, Membership: m.Membership()}}
}

// ProbeDone: the probe the DC asked for on node has finished and its
// results are in the CIB status.
func (m *Machine) ProbeDone(now time.Time, node string) []Action {
	if !m.IsDC() || !m.probing[node] {
		return nil
	}
	delete(m.probing, node)
	m.probed[node] = true
	return m.maybeSchedule()
}

// Request asks for a change to the CIB. The answer is a CommitDone with
// the same reqid, possibly in the returned actions.
func (m *Machine) Request(now time.Time, reqid string, ops []cibstore.Op) []Action {
	for _, p := range m.pending {
		if p.reqid == reqid {
			return []Action{CommitDone{ReqID: reqid, Err: ErrDuplicateRequest}}
		}
	}
	p := &pendingReq{reqid: reqid, ops: ops, deadline: now.Add(m.cfg.RequestTimeout)}
	m.pending = append(m.pending, p)
	switch {
	case m.IsDC():
		p.sentTo = m.self
		m.queue = append(m.queue, queued{from: m.self, reqid: reqid, ops: ops})
		return m.drain(now)
	case m.mem.DC != "":
		p.sentTo = m.mem.DC
		return []Action{m.send(Msg{Type: MsgCIBRequest, To: m.mem.DC, ReqID: reqid, Patch: &cibstore.Patch{Ops: ops}})}
	}
	return nil
}

// drain commits queued requests when the DC's CIB is settled.
func (m *Machine) drain(now time.Time) []Action {
	if !m.IsDC() || !m.synced || m.round != nil {
		return nil
	}
	var out []Action
	q := m.queue
	m.queue = nil
	for _, r := range q {
		out = append(out, m.commit(now, r)...)
	}
	return append(out, m.maybeSchedule()...)
}

func (m *Machine) commit(now time.Time, r queued) []Action {
	var out []Action
	key := r.from + "/" + r.reqid
	a, seen := m.answered[key]
	if !seen {
		nd, p, err := cibstore.Apply(m.cib, r.ops, m.cfg.Validator)
		switch {
		case errors.Is(err, cibstore.ErrNoChange):
			err = nil
		case err == nil:
			m.cib = nd
			out = append(out, WriteCIB{nd}, m.send(Msg{Type: MsgCIBDiff, Instance: m.mem.Instance, Patch: &p}))
		}
		a = answer{m.cib.Version(), err}
		m.remember(key, a)
	}
	v, err := a.v, a.err
	if r.from == m.self {
		return append(out, m.finish(r.reqid, v, err)...)
	}
	rc := RCOK
	if err != nil {
		rc = err.Error()
	}
	return append(out, m.send(Msg{Type: MsgCIBReply, To: r.from, ReqID: r.reqid, RC: rc, Version: v}))
}

// remember records an answer. Answers survive new memberships while this
// node stays DC; a new DC starts afresh, so a request resent across a DC
// failover may be applied again (the ops are idempotent).
func (m *Machine) remember(key string, a answer) {
	if m.answered == nil {
		m.answered = map[string]answer{}
	}
	m.answered[key] = a
	m.ansOrder = append(m.ansOrder, key)
	if len(m.ansOrder) > maxAnswered {
		delete(m.answered, m.ansOrder[0])
		m.ansOrder = m.ansOrder[1:]
	}
}

func (m *Machine) finish(reqid string, v cibstore.Version, err error) []Action {
	for i, p := range m.pending {
		if p.reqid == reqid {
			m.pending = slices.Delete(m.pending, i, i+1)
			return []Action{CommitDone{ReqID: reqid, Version: v, Err: err}}
		}
	}
	return nil
}

// Tick handles time: offers without answer, a pull that does not come,
// requests without answer, the start-up wait, join retries.
func (m *Machine) Tick(now time.Time) []Action {
	var out []Action
	for n, until := range m.leftOut {
		if !now.Before(until) {
			delete(m.leftOut, n)
		}
	}
	if r := m.round; r != nil && !now.Before(r.deadline) {
		for _, n := range r.members {
			if _, ok := r.acks[n]; !ok {
				// Back off for a node that keeps silent (e.g. it runs
				// heartbeat without crm): each retry holds CIB writes for
				// up to JoinTimeout.
				m.leftCount[n]++
				m.leftOut[n] = now.Add(m.cfg.RetryInterval << min(m.leftCount[n]-1, maxBackoffShift))
			}
		}
		m.round = nil
	}
	if m.IsDC() && !m.synced && m.pullFrom != "" && !now.Before(m.pullUntil) {
		// The newest copy did not come: carry on with ours.
		m.synced, m.pullFrom = true, ""
		out = append(out, m.pushFull()...)
		out = append(out, m.drain(now)...)
	}
	for i := 0; i < len(m.pending); {
		p := m.pending[i]
		if now.Before(p.deadline) {
			i++
			continue
		}
		m.pending = slices.Delete(m.pending, i, i+1)
		m.queue = slices.DeleteFunc(m.queue, func(q queued) bool { return q.from == m.self && q.reqid == p.reqid })
		out = append(out, CommitDone{ReqID: p.reqid, Err: ErrRequestTimeout})
	}
	if m.IsDC() && m.synced && m.round == nil && len(m.mem.Members) > 1 && now.Sub(m.lastAnnounce) >= m.cfg.RetryInterval {
		m.lastAnnounce = now
		st := m.own()
		out = append(out, m.send(Msg{Type: MsgCIBVersion, Instance: m.mem.Instance, Version: st.v, Digest: st.digest}))
	}
	out = append(out, m.reconsider(now)...)
	// A round that ended without a new membership releases the queue.
	return append(out, m.drain(now)...)
}

// Receive handles a controller message from a peer.
func (m *Machine) Receive(now time.Time, msg Msg) []Action {
	if msg.From == m.self || msg.From == "" {
		return nil
	}
	switch msg.Type {
	case MsgJoinOffer:
		return m.onOffer(now, msg)
	case MsgJoinNack:
		m.maxInst = max(m.maxInst, msg.MaxInstance)
		if r := m.round; r != nil && msg.Instance == r.inst {
			return m.startRound(now, r.members)
		}
	case MsgJoinAck:
		if r := m.round; r != nil && msg.Instance == r.inst && slices.Contains(r.members, msg.From) {
			r.acks[msg.From] = cibState{msg.Version, msg.Digest}
			delete(m.leftCount, msg.From)
			return m.maybeConfirm(now)
		}
	case MsgJoinConfirm:
		return m.onConfirm(now, msg)
	case MsgJoinRequest:
		return m.onJoinRequest(now, msg)
	case MsgQuorum:
		if msg.From == m.mem.DC && msg.Instance == m.mem.Instance && msg.Quorum != m.mem.Quorum {
			m.mem.Quorum = msg.Quorum
			return []Action{m.changed()}
		}
	case MsgCIBRequest:
		if m.IsDC() && slices.Contains(m.mem.Members, msg.From) && msg.Patch != nil {
			dup := slices.ContainsFunc(m.queue, func(q queued) bool { return q.from == msg.From && q.reqid == msg.ReqID })
			if !dup {
				m.queue = append(m.queue, queued{from: msg.From, reqid: msg.ReqID, ops: msg.Patch.Ops})
			}
			return m.drain(now)
		}
	case MsgCIBReply:
		for _, p := range m.pending {
			if p.reqid == msg.ReqID && p.sentTo == msg.From {
				var err error
				if msg.RC != RCOK {
					err = fmt.Errorf("%w: %s", ErrRefused, msg.RC)
				}
				return m.finish(msg.ReqID, msg.Version, err)
			}
		}
	case MsgCIBDiff:
		return m.onDiff(now, msg)
	case MsgCIBVersion:
		if msg.From != m.mem.DC || msg.Instance != m.mem.Instance || m.IsDC() {
			return nil
		}
		if st := m.own(); st.v == msg.Version && st.digest == msg.Digest {
			m.awaitingFull = false
			return nil
		}
		// Diffs sent before this announcement arrived before it, so the
		// copies really differ: ask again even if a request is out (it
		// or its answer may have been lost).
		if !m.awaitingFull || now.Sub(m.lastSyncReq) >= m.cfg.RetryInterval {
			return m.askFull(now, "version announcement differs")
		}
	case MsgCIBFull:
		return m.onFull(now, msg)
	case MsgCIBSyncReq:
		dcAsks := msg.From == m.mem.DC && msg.Instance == m.mem.Instance
		memberAsks := m.IsDC() && msg.Instance == m.mem.Instance && slices.Contains(m.mem.Members, msg.From)
		if dcAsks || memberAsks {
			return []Action{m.send(Msg{Type: MsgCIBFull, To: msg.From, Instance: m.mem.Instance, CIB: m.cib})}
		}
	}
	return nil
}

func (m *Machine) onOffer(now time.Time, msg Msg) []Action {
	x := msg.From
	if !m.alive[x] || m.best() != x || !slices.Contains(msg.Members, m.self) {
		return nil // reconsider asks the right node to let us in
	}
	id := offerID{x, msg.Instance}
	if msg.Instance <= m.maxInst && m.accepted != id {
		return []Action{m.send(Msg{Type: MsgJoinNack, To: x, Instance: msg.Instance, MaxInstance: m.maxInst, Reason: "stale instance"})}
	}
	m.maxInst = max(m.maxInst, msg.Instance)
	m.accepted = id
	m.startupDone = true
	m.round = nil
	st := m.own()
	return []Action{m.send(Msg{Type: MsgJoinAck, To: x, Instance: msg.Instance, Version: st.v, Digest: st.digest})}
}

func (m *Machine) onConfirm(now time.Time, msg Msg) []Action {
	m.maxInst = max(m.maxInst, msg.Instance)
	m.startupDone = true
	x := msg.From
	if m.accepted != (offerID{x, msg.Instance}) || !slices.Contains(msg.Members, m.self) || m.best() != x {
		return m.reconsider(now)
	}
	if m.IsDC() {
		m.resetDC()
	}
	m.mem = Membership{Instance: msg.Instance, Members: slices.Clone(msg.Members), DC: x, Quorum: msg.Quorum}
	m.awaitingFull = false
	out := []Action{m.changed()}
	// Resend every pending request: the DC may have ignored it while we
	// were not a member, and it answers a request it already applied from
	// its memory of answers.
	for _, p := range m.pending {
		p.sentTo = x
		out = append(out, m.send(Msg{Type: MsgCIBRequest, To: x, ReqID: p.reqid, Patch: &cibstore.Patch{Ops: p.ops}}))
	}
	return out
}

func (m *Machine) onJoinRequest(now time.Time, msg Msg) []Action {
	m.maxInst = max(m.maxInst, msg.MaxInstance)
	m.startupDone = true
	delete(m.leftOut, msg.From)
	delete(m.leftCount, msg.From)
	if m.best() != m.self || !m.alive[msg.From] {
		return nil
	}
	if r := m.round; r != nil && slices.Contains(r.members, msg.From) {
		// It may have ignored the offer before it saw us: repeat it.
		return []Action{m.send(Msg{Type: MsgJoinOffer, Instance: r.inst, Members: r.members})}
	}
	if m.round == nil && m.IsDC() && slices.Contains(m.mem.Members, msg.From) {
		// It missed our confirm: form the membership again.
		return m.startRound(now, m.candidates(now))
	}
	return m.reconsider(now)
}

func (m *Machine) askFull(now time.Time, why string) []Action {
	m.awaitingFull = true
	m.lastSyncReq = now
	return []Action{m.send(Msg{Type: MsgCIBSyncReq, To: m.mem.DC, Instance: m.mem.Instance, Reason: why})}
}

func (m *Machine) onDiff(now time.Time, msg Msg) []Action {
	if msg.From != m.mem.DC || msg.Instance != m.mem.Instance || msg.Patch == nil || m.awaitingFull {
		return nil
	}
	if !msg.Patch.To.Newer(m.cib.Version()) {
		return nil // already have it
	}
	nd, err := cibstore.ApplyPatch(m.cib, *msg.Patch)
	if err != nil {
		return m.askFull(now, err.Error())
	}
	m.cib = nd
	return []Action{WriteCIB{nd}}
}

func (m *Machine) onFull(now time.Time, msg Msg) []Action {
	if msg.CIB == nil || msg.Instance != m.mem.Instance {
		return nil
	}
	if m.IsDC() && msg.From == m.pullFrom && !m.synced {
		var out []Action
		if msg.CIB.Version().Newer(m.cib.Version()) {
			m.cib = msg.CIB
			out = append(out, WriteCIB{msg.CIB})
		}
		m.reported[msg.From] = cibState{msg.CIB.Version(), msg.CIB.Digest()}
		m.synced, m.pullFrom = true, ""
		out = append(out, m.pushFull()...)
		out = append(out, m.drain(now)...)
		return append(out, m.maybeSchedule()...)
	}
	if msg.From == m.mem.DC && !m.IsDC() {
		m.awaitingFull = false
		if msg.CIB.Equal(m.cib) {
			return nil
		}
		m.cib = msg.CIB
		return []Action{WriteCIB{msg.CIB}}
	}
	return nil
}
