package reliable

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"hbgo/heartbeat/wire"
)

// Defaults of 3.0.6.
const (
	// DefaultHistorySize is how many sent messages are kept for
	// retransmission (MAXMSGHIST).
	DefaultHistorySize = 500
	// DefaultMaxRexmitDelay is ha.cf's max_rexmit_delay default: the
	// repeat interval of NS_rexmit requests and the bound of their first
	// random delay.
	DefaultMaxRexmitDelay = 250 * time.Millisecond
	// AckDivisor: a node acknowledges a source's seq when seq modulo
	// AckDivisor equals that source's trigger, i.e. every tenth message.
	AckDivisor = 10
	// MaxRexmitBatch bounds the retransmissions answering one request.
	MaxRexmitBatch = 50
	// minFirstRexmitDelay lets reordered packets arrive before the first
	// request goes out (used when max_rexmit_delay is at least 100 ms).
	minFirstRexmitDelay = 50 * time.Millisecond
)

// Config parameterises an Endpoint.
type Config struct {
	// Self is the local node name: messages with another "dest" are
	// sequence-tracked but not delivered.
	Self string
	// HistorySize is the retransmission window; 0 means DefaultHistorySize.
	HistorySize int
	// MaxRexmitDelay is ha.cf's max_rexmit_delay; 0 means the default.
	MaxRexmitDelay time.Duration
	// Rand returns a uniform number in [0, n). It draws the first delay of
	// each NS_rexmit request and, unless AckTrigger is set, each source's
	// ack trigger. nil means math/rand/v2.
	Rand func(n int64) int64
	// AckTrigger, when set, fixes the ack trigger (0..9) of a source node.
	AckTrigger func(node string) uint64
}

// Verdict is what to do with a received message.
type Verdict int

// Verdicts of Receive.
const (
	// Deliver: pass the message on to the upper layers.
	Deliver Verdict = iota
	// NotForUs: sequence accounted for, but addressed to another node.
	NotForUs
	// Duplicate: already seen (or stale data from a node declared dead).
	Duplicate
	// Replay: from an older generation than the one last seen.
	Replay
	// Invalid: unreadable seq, hg or ts.
	Invalid
	// Consumed: a reliable-delivery control message (NS_ackmsg, NS_rexmit,
	// NS_nak_rexmit) handled here.
	Consumed
)

var verdictNames = [...]string{"deliver", "not-for-us", "duplicate", "replay", "invalid", "consumed"}

// String names the verdict for logs.
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "verdict?"
}

// Result is the outcome of Receive.
type Result struct {
	Verdict Verdict
	// Restart: the message showed a new generation of its sender (the
	// node restarted); its sequence tracking was reset.
	Restart bool
	// Healed: a node declared dead speaks again in the same generation
	// ("returning after partition").
	Healed bool
	// Recovered: the message was one we had found missing.
	Recovered bool
	// Stale: a status message older than the newest status already
	// accepted from its sender (a retransmitted one, typically). It is
	// still delivered for sequencing, but what it says about the node
	// (status, advertised deadtime) is out of date: 3.0.6 ignores such a
	// status update.
	Stale bool
	// Lost is how many messages this one showed missing ("N lost
	// packet(s) for [node] [last:seq]").
	Lost uint64
	// Resync: the gap was too wide to recover (more than half the
	// history); tracking restarted at this message ("lost a lot of
	// packets!") and nothing is requested.
	Resync bool
	// AllFound: the last missing message from the sender arrived ("No pkts
	// missing from node!").
	AllFound bool
	// Unrecoverable lists seqs the sender said it cannot retransmit
	// (NS_nak_rexmit); they are no longer requested.
	Unrecoverable []uint64
	// Send holds control messages to send: NS_ackmsg, NS_nak_rexmit. They
	// carry only their own fields; the sender adds src, srcuuid, destuuid,
	// hg, ts, ttl and signs, as for any message without seq.
	Send []*wire.Message
	// Resend holds original packets to send again, byte for byte.
	Resend [][]byte
}

// Endpoint is the reliable-delivery state of one node.
type Endpoint struct {
	cfg    Config
	seq    uint64 // last seq we assigned
	hist   history
	peers  map[string]*peer
	limit  uint64 // flow-control limit: half the history
	minRex time.Duration
}

// peer is what we track about one sending node (3.0.6's seqtrack).
type peer struct {
	name         string
	generation   uint64
	lastSeq      uint64 // 0: nothing seen since start or reset
	statusSeq    uint64 // seq of the last status message accepted
	missing      []uint64
	firstMissing uint64
	ackTrigger   uint64
	ackSeq       uint64 // how far it acknowledged our messages
	dead         bool
	rexmitDue    map[uint64]time.Time // pending NS_rexmit per missing seq
}

// New returns an Endpoint with nothing sent and no node known.
func New(cfg Config) *Endpoint {
	if cfg.HistorySize <= 0 {
		cfg.HistorySize = DefaultHistorySize
	}
	if cfg.MaxRexmitDelay <= 0 {
		cfg.MaxRexmitDelay = DefaultMaxRexmitDelay
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Int64N
	}
	e := &Endpoint{cfg: cfg, hist: newHistory(cfg.HistorySize), peers: map[string]*peer{},
		limit: uint64(cfg.HistorySize / 2)}
	if cfg.MaxRexmitDelay >= 2*minFirstRexmitDelay {
		e.minRex = minFirstRexmitDelay
	}
	return e
}

// AddPeer declares a cluster node (from ha.cf, ourselves included) so that
// it counts for history release even before it speaks.
func (e *Endpoint) AddPeer(name string) { e.peer(name) }

func (e *Endpoint) peer(name string) *peer {
	p := e.peers[name]
	if p == nil {
		p = &peer{name: name, rexmitDue: map[uint64]time.Time{}}
		if e.cfg.AckTrigger != nil {
			p.ackTrigger = e.cfg.AckTrigger(name) % AckDivisor
		} else {
			p.ackTrigger = uint64(e.cfg.Rand(AckDivisor))
		}
		e.peers[name] = p
	}
	return p
}

// SetDead records the membership verdict on a node: a dead node is not
// asked for retransmissions and does not hold back history release.
func (e *Endpoint) SetDead(name string, dead bool) {
	p := e.peer(name)
	p.dead = dead
	if dead {
		clear(p.rexmitDue)
	}
}

// NextSeq assigns the sequence number of the next reliable message.
func (e *Endpoint) NextSeq() uint64 {
	e.seq++
	return e.seq
}

// Sent records the signed bytes of our message seq for retransmission.
// raw is kept, not copied: do not modify it afterwards.
func (e *Endpoint) Sent(seq uint64, raw []byte) { e.hist.add(seq, raw) }

// Congested reports 3.0.6's flow-control condition: more than half the
// history is not yet acknowledged by every live node; clients should be
// paused.
func (e *Endpoint) Congested() bool { return e.hist.hiSeq-e.hist.ackSeq > e.limit }

// AckedSeq is how far every live node acknowledged our messages.
func (e *Endpoint) AckedSeq() uint64 { return e.hist.ackSeq }

// HistoryLen is the number of sent messages held for retransmission.
func (e *Endpoint) HistoryLen() int { return e.hist.len() }

// Missing returns the seqs currently missing from node, ascending.
func (e *Endpoint) Missing(node string) []uint64 {
	p := e.peers[node]
	if p == nil {
		return nil
	}
	out := slices.Clone(p.missing)
	slices.Sort(out)
	return out
}

func (e *Endpoint) forUs(m *wire.Message) bool {
	to, ok := m.Get(wire.FieldDest)
	return !ok || to == e.cfg.Self
}

// Receive runs a message (signature already verified, sender a cluster
// node) through reliable delivery. Feed our own outgoing messages too, as
// 3.0.6 does: that is where the acknowledgements of our own messages seen
// on the wire come from; their echoes from a broadcast medium then come
// back as Duplicate.
func (e *Endpoint) Receive(now time.Time, m *wire.Message) Result {
	typ := m.Type()
	src := m.Value(wire.FieldSrc)
	if strings.HasPrefix(typ, wire.NoSeqPrefix) {
		switch {
		case typ == wire.TypeNakRexmit:
			// Whoever it is addressed to, the packet is gone for good.
			return e.handleNak(src, m)
		case !e.forUs(m):
			return Result{Verdict: NotForUs}
		case typ == wire.TypeAck:
			e.handleAck(src, m)
			return Result{Verdict: Consumed}
		case typ == wire.TypeRexmit:
			return e.handleRexmit(now, src, m)
		}
		return Result{Verdict: Deliver}
	}
	seq, err := m.Seq()
	if err != nil || seq == 0 || src == "" {
		return Result{Verdict: Invalid}
	}
	var gen uint64
	if m.Has(wire.FieldGeneration) {
		if gen, err = m.Generation(); err != nil {
			return Result{Verdict: Invalid}
		}
	}
	p := e.peer(src)
	keep := Deliver
	if !e.forUs(m) {
		keep = NotForUs
	}
	if gen < p.generation {
		return Result{Verdict: Replay}
	}
	var res Result
	restart := false
	isStatus := typ == wire.TypeStatus
	if isStatus {
		// Only status messages move a node's generation.
		switch {
		case gen == p.generation && gen > 0 && p.dead:
			if seq <= p.statusSeq {
				return Result{Verdict: Duplicate} // stale data
			}
			res.Healed = true
		case gen > p.generation:
			restart = true
			res.Restart = p.generation > 0 // a first sight is no restart
			e.resetPeer(p)
			p.statusSeq = 0
		}
		p.generation = gen
	}
	res.Verdict = e.sequence(now, p, seq, keep, restart || res.Healed, m, &res)
	if isStatus && res.Verdict == keep {
		if seq > p.statusSeq {
			p.statusSeq = seq
		} else {
			res.Stale = true
		}
	}
	return res
}

// sequence is 3.0.6's per-sender sequence check: in order, duplicate, gap
// (record missing seqs, schedule requests), or older (a missing one
// arriving, a restart, or a duplicate). It fills res and returns the
// verdict; keep is the verdict for an accepted message.
func (e *Endpoint) sequence(now time.Time, p *peer, seq uint64, keep Verdict, fresh bool, m *wire.Message, res *Result) Verdict {
	switch {
	case p.lastSeq == 0 || seq == p.lastSeq+1:
		p.lastSeq = seq
		res.Send = e.ackIfNeeded(p, seq, res.Send)
		return keep
	case seq == p.lastSeq:
		return Duplicate
	case seq > p.lastSeq:
		res.Lost = seq - p.lastSeq - 1
		if res.Lost > e.limit {
			// Too far behind to catch up: start over from here.
			e.resetPeer(p)
			p.lastSeq = seq
			res.Resync = true
			return keep
		}
		if p.firstMissing == 0 || p.firstMissing > p.lastSeq+1 {
			p.firstMissing = p.lastSeq + 1
		}
		for k := p.lastSeq + 1; k < seq; k++ {
			e.addMissing(p, k, now)
		}
		p.lastSeq = seq
		return keep
	}
	// Older than the last one seen.
	if found, allFound, ack := e.fill(p, seq); found {
		res.Recovered, res.AllFound = true, allFound
		res.Send = append(res.Send, ack...)
		return keep
	}
	if fresh {
		// A restarted or returning node: take its numbering from here.
		if _, err := m.Timestamp(); err != nil {
			return Invalid
		}
		res.Send = e.ackIfNeeded(p, seq, res.Send)
		e.resetPeer(p)
		p.lastSeq = seq
		return keep
	}
	return Duplicate
}

// resetPeer forgets the sequence tracking of a node (restart, or too many
// lost): missing list, pending requests, acknowledgements.
func (e *Endpoint) resetPeer(p *peer) {
	p.missing = p.missing[:0]
	clear(p.rexmitDue)
	p.firstMissing = 0
	p.lastSeq = 0
	p.ackSeq = 0
}

func (e *Endpoint) addMissing(p *peer, k uint64, now time.Time) {
	if len(p.missing) >= e.cfg.HistorySize-1 {
		// Full: replace the lowest missing seq, as 3.0.6 does.
		i := 0
		for j, s := range p.missing {
			if s < p.missing[i] {
				i = j
			}
		}
		delete(p.rexmitDue, p.missing[i])
		p.missing[i] = k
	} else {
		p.missing = append(p.missing, k)
	}
	if !p.dead {
		p.rexmitDue[k] = now.Add(e.firstRexmitDelay())
	}
}

func (e *Endpoint) firstRexmitDelay() time.Duration {
	span := int64(e.cfg.MaxRexmitDelay - e.minRex)
	return e.minRex + time.Duration(e.cfg.Rand(span+1))
}

// fill handles the arrival of an older seq: if it was missing, it is no
// longer, and an ack may be due. allFound reports the list became empty.
func (e *Endpoint) fill(p *peer, seq uint64) (found, allFound bool, send []*wire.Message) {
	i := slices.Index(p.missing, seq)
	if i < 0 {
		return false, false, nil
	}
	p.missing = slices.Delete(p.missing, i, i+1)
	delete(p.rexmitDue, seq)
	if len(p.missing) == 0 {
		allFound = true
		// 3.0.6 clears first_missing_seq here, before the check below,
		// so filling the last gap sends no ack (the capture agrees).
		p.firstMissing = 0
	}
	if seq != p.firstMissing {
		return true, allFound, nil
	}
	old := p.firstMissing
	p.firstMissing = 0
	for _, s := range p.missing {
		if p.firstMissing == 0 || s < p.firstMissing {
			p.firstMissing = s
		}
	}
	upTo := p.lastSeq
	if p.firstMissing != 0 {
		upTo = p.firstMissing - 1
	}
	ackSeq, ok := lastTriggerAtOrBelow(upTo, p.ackTrigger)
	if ok && ackSeq >= old {
		send = e.ackIfNeeded(p, ackSeq, nil)
	}
	return true, allFound, send
}

// lastTriggerAtOrBelow is the largest n <= upTo with n%AckDivisor ==
// trigger.
func lastTriggerAtOrBelow(upTo, trigger uint64) (uint64, bool) {
	if upTo < trigger {
		return 0, false
	}
	return upTo - (upTo-trigger)%AckDivisor, true
}

// ackIfNeeded appends an NS_ackmsg for seq of p when seq is p's trigger
// and no earlier message of p is missing.
func (e *Endpoint) ackIfNeeded(p *peer, seq uint64, send []*wire.Message) []*wire.Message {
	if (p.firstMissing != 0 && seq > p.firstMissing) || seq%AckDivisor != p.ackTrigger {
		return send
	}
	m := wire.New(wire.TypeAck)
	m.Set(wire.FieldDest, p.name)
	m.SetUint(wire.FieldAckSeq, seq, 16)
	return append(send, m)
}

// handleAck processes an NS_ackmsg addressed to us: the sender has all our
// messages up to ackseq; what every live node has can be released.
func (e *Endpoint) handleAck(src string, m *wire.Message) {
	if m.Value(wire.FieldDest) != e.cfg.Self || src == "" {
		return
	}
	ack, err := m.AckSeq()
	if err != nil {
		return
	}
	p := e.peer(src)
	if ack == p.ackSeq || ack <= e.hist.ackSeq || ack > e.hist.hiSeq || ack < p.ackSeq {
		return // duplicate, late, or beyond what we sent
	}
	p.ackSeq = ack
	newAck := e.hist.ackSeq
	live := 0
	var minSeq uint64
	for _, q := range e.peers {
		if q.dead {
			continue
		}
		if live == 0 || q.ackSeq < minSeq {
			minSeq = q.ackSeq
		}
		live++
	}
	switch {
	case live == 0:
		return
	case live < 2:
		// Alone: keep the window from filling up.
		if e.hist.hiSeq-newAck >= e.limit {
			newAck = e.hist.hiSeq - (e.limit - 1)
		}
	case minSeq > 0:
		newAck = minSeq
	}
	if newAck > e.hist.ackSeq {
		e.hist.ackSeq = newAck
		e.hist.release(newAck)
	}
}

// handleRexmit answers another node's NS_rexmit with the original bytes of
// each asked message still held, or NS_nak_rexmit when it is gone.
func (e *Endpoint) handleRexmit(now time.Time, src string, m *wire.Message) Result {
	res := Result{Verdict: Consumed}
	first, err1 := m.FirstSeq()
	last, err2 := m.LastSeq()
	if src == "" || err1 != nil || err2 != nil || first == 0 || last < first {
		res.Verdict = Invalid
		return res
	}
	p := e.peer(src)
	accept := e.cfg.MaxRexmitDelay - 10*time.Millisecond
	for seq := first; seq <= last; seq++ {
		switch {
		case seq <= p.ackSeq:
			continue // it told us it has it
		case seq > e.hist.hiSeq:
			continue // we restarted and it has not noticed yet
		case seq <= e.hist.lowSeq:
			res.Send = append(res.Send, nak(seq, src, "seqno too low"))
			continue
		}
		s := e.hist.get(seq)
		if s == nil {
			res.Send = append(res.Send, nak(seq, src, "seqno not found"))
			continue
		}
		if !s.lastRexmit.IsZero() && now.Sub(s.lastRexmit) < accept {
			continue // just sent again; the request crossed it
		}
		if len(res.Resend) >= MaxRexmitBatch {
			break
		}
		s.lastRexmit = now
		res.Resend = append(res.Resend, s.raw)
	}
	return res
}

func nak(seq uint64, to, reason string) *wire.Message {
	m := wire.New(wire.TypeNakRexmit)
	m.SetUint(wire.FieldFirstSeq, seq, 16) // hex here, unlike NS_rexmit
	m.Set(wire.FieldDest, to)
	m.Set(wire.FieldComment, reason)
	return m
}

// handleNak: the sender cannot retransmit firstseq; stop asking.
func (e *Endpoint) handleNak(src string, m *wire.Message) Result {
	seq, err := m.Uint(wire.FieldFirstSeq, 16)
	p := e.peers[src]
	if err != nil || seq == 0 || p == nil {
		return Result{Verdict: Invalid}
	}
	res := Result{Verdict: Consumed}
	if found, allFound, ack := e.fill(p, seq); found {
		res.Unrecoverable = []uint64{seq}
		res.AllFound = allFound
		res.Send = ack
	}
	return res
}

// Tick returns the NS_rexmit requests due at now, one per missing seq
// (firstseq = lastseq, decimal), and schedules each again MaxRexmitDelay
// later; requests stop when the seq arrives, the node is declared dead or
// restarts.
func (e *Endpoint) Tick(now time.Time) []*wire.Message {
	var out []*wire.Message
	names := make([]string, 0, len(e.peers))
	for n := range e.peers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := e.peers[n]
		if len(p.rexmitDue) == 0 {
			continue
		}
		seqs := make([]uint64, 0, len(p.rexmitDue))
		for s, due := range p.rexmitDue {
			if !due.After(now) {
				seqs = append(seqs, s)
			}
		}
		slices.Sort(seqs)
		for _, s := range seqs {
			m := wire.New(wire.TypeRexmit)
			m.Set(wire.FieldDest, p.name)
			m.SetUint(wire.FieldFirstSeq, s, 10)
			m.SetUint(wire.FieldLastSeq, s, 10)
			out = append(out, m)
			p.rexmitDue[s] = now.Add(e.cfg.MaxRexmitDelay)
		}
	}
	return out
}

// NextDeadline is when Tick has something to do; ok is false when no
// request is pending.
func (e *Endpoint) NextDeadline() (t time.Time, ok bool) {
	for _, p := range e.peers {
		for _, due := range p.rexmitDue {
			if !ok || due.Before(t) {
				t, ok = due, true
			}
		}
	}
	return t, ok
}
