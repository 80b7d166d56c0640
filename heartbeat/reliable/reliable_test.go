package reliable

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hbgo/heartbeat/wire"
)

var t0 = time.Unix(1795318971, 0)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// msg builds a reliable message from src: typ, seq, hg (hex fields as 3.0.6
// writes them) plus extra name=value pairs.
func msg(typ, src string, seq, hg uint64, extra ...string) *wire.Message {
	m := wire.New(typ)
	for i := 0; i+1 < len(extra); i += 2 {
		m.Set(extra[i], extra[i+1])
	}
	m.Set(wire.FieldSrc, src)
	if seq != 0 {
		m.SetUint(wire.FieldSeq, seq, 16)
	}
	if hg != 0 {
		m.SetUint(wire.FieldGeneration, hg, 16)
	}
	m.SetUint(wire.FieldTimestamp, uint64(t0.Unix()), 16)
	return m
}

func status(src string, seq, hg uint64) *wire.Message {
	return msg(wire.TypeStatus, src, seq, hg, wire.FieldStatus, "active")
}

func newTest() *Endpoint {
	return New(Config{Self: "n1", AckTrigger: func(string) uint64 { return 7 },
		Rand: func(n int64) int64 { return 0 }})
}

// step is one received message and what must come of it.
type step struct {
	m       *wire.Message
	verdict Verdict
	lost    uint64
	restart bool
	resync  bool
	acks    string // "dest:ackseq ..." expected in Send
	missing string // Missing("n2") afterwards
}

func runSteps(t *testing.T, e *Endpoint, steps []step) {
	t.Helper()
	for i, s := range steps {
		r := e.Receive(at(i*10), s.m)
		var acks []string
		for _, m := range r.Send {
			acks = append(acks, m.Value(wire.FieldDest)+":"+m.Value(wire.FieldAckSeq))
		}
		if r.Verdict != s.verdict || r.Lost != s.lost || r.Restart != s.restart || r.Resync != s.resync || strings.Join(acks, " ") != s.acks {
			t.Errorf("step %d (%s): got %v lost %d restart %v acks %q; want %v %d %v %q",
				i, s.m, r.Verdict, r.Lost, r.Restart, acks, s.verdict, s.lost, s.restart, s.acks)
		}
		if got := fmt.Sprint(e.Missing("n2")); got != "["+s.missing+"]" {
			t.Errorf("step %d: missing %s, want [%s]", i, got, s.missing)
		}
	}
}

func TestReceiveSequences(t *testing.T) {
	const g = 0x6b0264bc
	tests := []struct {
		name  string
		steps []step
	}{
		{"in order, ack every tenth at the trigger", []step{
			{m: status("n2", 5, g), verdict: Deliver},
			{m: status("n2", 6, g), verdict: Deliver},
			{m: status("n2", 7, g), verdict: Deliver, acks: "n2:7"},
			{m: status("n2", 8, g), verdict: Deliver},
		}},
		{"duplicates", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: status("n2", 1, g), verdict: Duplicate},
			{m: status("n2", 2, g), verdict: Deliver},
			{m: status("n2", 1, g), verdict: Duplicate},
		}},
		{"addressed elsewhere is tracked, not delivered", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: msg(wire.TypeReqNodes, "n2", 2, g, wire.FieldDest, "n3"), verdict: NotForUs},
			{m: msg(wire.TypeReqNodes, "n2", 3, g, wire.FieldDest, "n1"), verdict: Deliver},
		}},
		{"gap, fill out of order, no ack past a hole", []step{
			{m: status("n2", 3, g), verdict: Deliver},
			{m: status("n2", 6, g), verdict: Deliver, lost: 2, missing: "4 5"}, // up to 250 lost: recover
			{m: status("n2", 7, g), verdict: Deliver, missing: "4 5"},          // trigger, but 4 is missing
			{m: status("n2", 5, g), verdict: Deliver, missing: "4"},
			{m: status("n2", 5, g), verdict: Duplicate, missing: "4"},
			{m: status("n2", 4, g), verdict: Deliver}, // last hole: 3.0.6 sends no ack here
			{m: status("n2", 8, g), verdict: Deliver},
		}},
		{"filling the first of two holes acks up to the next", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: status("n2", 3, g), verdict: Deliver, lost: 1, missing: "2"},
			{m: status("n2", 17, g), verdict: Deliver, lost: 13, missing: "2 4 5 6 7 8 9 10 11 12 13 14 15 16"},
			{m: status("n2", 2, g), verdict: Deliver, missing: "4 5 6 7 8 9 10 11 12 13 14 15 16"},
			{m: status("n2", 4, g), verdict: Deliver, missing: "5 6 7 8 9 10 11 12 13 14 15 16"},
			{m: status("n2", 5, g), verdict: Deliver, missing: "6 7 8 9 10 11 12 13 14 15 16"},
			{m: status("n2", 6, g), verdict: Deliver, missing: "7 8 9 10 11 12 13 14 15 16"},
			// 7 is the trigger and now everything up to it is here.
			{m: status("n2", 7, g), verdict: Deliver, acks: "n2:7", missing: "8 9 10 11 12 13 14 15 16"},
			{m: status("n2", 8, g), verdict: Deliver, missing: "9 10 11 12 13 14 15 16"},
			{m: status("n2", 9, g), verdict: Deliver, missing: "10 11 12 13 14 15 16"},
			{m: status("n2", 10, g), verdict: Deliver, missing: "11 12 13 14 15 16"},
			{m: status("n2", 11, g), verdict: Deliver, missing: "12 13 14 15 16"},
		}},
		{"ucast-crc-rexmit at n1: n2's 0x26 lost, re-sent after 0x2b", []step{
			{m: status("n2", 0x24, g), verdict: Deliver},
			{m: msg(wire.TypeResource, "n2", 0x25, g), verdict: Deliver, acks: "n2:25"},
			{m: status("n2", 0x27, g), verdict: Deliver, lost: 1, missing: "38"},
			{m: status("n2", 0x28, g), verdict: Deliver, missing: "38"},
			{m: status("n2", 0x29, g), verdict: Deliver, missing: "38"},
			{m: status("n2", 0x2a, g), verdict: Deliver, missing: "38"},
			{m: status("n2", 0x2b, g), verdict: Deliver, missing: "38"},
			{m: status("n2", 0x26, g), verdict: Deliver}, // the retransmission
			{m: status("n2", 0x2c, g), verdict: Deliver},
			{m: status("n2", 0x2d, g), verdict: Deliver},
			{m: status("n2", 0x2f, g), verdict: Deliver, lost: 1, missing: "46"}, // no ack: 46 missing
			{m: status("n2", 0x2e, g), verdict: Deliver},                         // no ack on the last hole
			{m: status("n2", 0x31, g), verdict: Deliver, lost: 1, missing: "48"},
			{m: status("n2", 0x30, g), verdict: Deliver},
			{m: status("n2", 0x30, g), verdict: Duplicate}, // a later copy
			{m: status("n2", 0x32, g), verdict: Deliver},
		}},
		{"restart: newer generation resets tracking", []step{
			{m: status("n2", 0x40, g), verdict: Deliver},
			{m: status("n2", 0x41, g), verdict: Deliver},
			{m: status("n2", 1, g+1), verdict: Deliver, restart: true},
			{m: status("n2", 2, g+1), verdict: Deliver},
			{m: status("n2", 0x42, g), verdict: Replay},
			{m: msg(wire.TypeResource, "n2", 3, g), verdict: Replay},
			{m: msg(wire.TypeResource, "n2", 3, 0), verdict: Replay}, // no hg at all
		}},
		{"restart clears missing seqs", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: status("n2", 4, g), verdict: Deliver, lost: 2, missing: "2 3"},
			{m: status("n2", 1, g+1), verdict: Deliver, restart: true},
		}},
		{"only status messages move the generation", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: msg(wire.TypeResource, "n2", 2, g+1), verdict: Deliver},
			{m: msg(wire.TypeResource, "n2", 3, g), verdict: Deliver},
		}},
		{"too many lost: start over", []step{
			{m: status("n2", 1, g), verdict: Deliver},
			{m: status("n2", 400, g), verdict: Deliver, lost: 398, resync: true},
			{m: status("n2", 399, g), verdict: Duplicate},
			{m: status("n2", 401, g), verdict: Deliver},
		}},
		{"unreadable", []step{
			{m: msg(wire.TypeStatus, "n2", 0, g), verdict: Invalid},
			{m: badGeneration(status("n2", 1, g)), verdict: Invalid},
			{m: msg(wire.TypeStatus, "", 1, g), verdict: Invalid},
		}},
		{"seq-less messages pass by type and dest", []step{
			{m: msg(wire.TypePingStatus, "198.51.100.254", 0, 0), verdict: Deliver},
			{m: msg(wire.TypeAck, "n2", 0, g, wire.FieldDest, "n3", wire.FieldAckSeq, "7"), verdict: NotForUs},
			{m: msg(wire.TypeAck, "n2", 0, g, wire.FieldDest, "n1", wire.FieldAckSeq, "7"), verdict: Consumed},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runSteps(t, newTest(), tc.steps) })
	}
}

func TestHealedPartition(t *testing.T) {
	e := newTest()
	const g = 5
	e.Receive(at(0), status("n2", 10, g))
	e.Receive(at(1), status("n2", 11, g))
	e.SetDead("n2", true)
	if r := e.Receive(at(2), status("n2", 11, g)); r.Verdict != Duplicate || r.Healed {
		t.Errorf("stale status of a dead node: %+v", r)
	}
	if r := e.Receive(at(3), status("n2", 12, g)); r.Verdict != Deliver || !r.Healed {
		t.Errorf("status after partition: %+v", r)
	}
}

func TestRexmitRequests(t *testing.T) {
	const g = 9
	e := New(Config{Self: "n1", MaxRexmitDelay: 250 * time.Millisecond,
		AckTrigger: func(string) uint64 { return 7 },
		Rand:       func(n int64) int64 { return n - 1 }}) // longest first delay
	if _, ok := e.NextDeadline(); ok {
		t.Fatal("deadline with nothing missing")
	}
	e.Receive(at(0), status("n2", 1, g))
	e.Receive(at(0), status("n2", 4, g)) // 2 and 3 missing
	d, ok := e.NextDeadline()
	if !ok || !d.Equal(at(250)) {
		t.Fatalf("first request due %v, want %v", d, at(250))
	}
	if out := e.Tick(at(249)); len(out) != 0 {
		t.Fatalf("early requests %v", out)
	}
	req := e.Tick(at(250))
	var got []string
	for _, m := range req {
		got = append(got, m.String())
	}
	want := []string{
		"t=NS_rexmit dest=n2 firstseq=2 lastseq=2",
		"t=NS_rexmit dest=n2 firstseq=3 lastseq=3",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests %q, want %q", got, want)
	}
	// Repeated every max_rexmit_delay while missing.
	if d, _ := e.NextDeadline(); !d.Equal(at(500)) {
		t.Errorf("repeat due %v", d)
	}
	e.Receive(at(300), status("n2", 2, g))
	if out := e.Tick(at(500)); len(out) != 1 || out[0].Value(wire.FieldFirstSeq) != "3" {
		t.Errorf("second round %v", out)
	}
	e.Receive(at(600), status("n2", 3, g))
	if _, ok := e.NextDeadline(); ok {
		t.Error("requests pending after the gap filled")
	}

	// A dead node is not asked; a restart cancels requests.
	e.Receive(at(700), status("n2", 9, g))
	e.SetDead("n2", true)
	if out := e.Tick(at(2000)); len(out) != 0 {
		t.Errorf("asked a dead node: %v", out)
	}
	e.SetDead("n2", false)
	e.Receive(at(2100), status("n2", 12, g))
	if _, ok := e.NextDeadline(); !ok {
		t.Fatal("no request for 10, 11")
	}
	e.Receive(at(2200), status("n2", 1, g+1))
	if _, ok := e.NextDeadline(); ok || len(e.Missing("n2")) != 0 {
		t.Error("restart left requests pending")
	}
}

func TestFirstRexmitDelayBounds(t *testing.T) {
	for _, tc := range []struct {
		max      time.Duration
		r        func(int64) int64
		wantFrom time.Duration
	}{
		{250 * time.Millisecond, func(int64) int64 { return 0 }, 50 * time.Millisecond},
		{250 * time.Millisecond, func(n int64) int64 { return n - 1 }, 250 * time.Millisecond},
		{80 * time.Millisecond, func(int64) int64 { return 0 }, 0}, // below 100 ms no 50 ms offset
	} {
		e := New(Config{Self: "n1", MaxRexmitDelay: tc.max, Rand: tc.r})
		e.Receive(at(0), status("n2", 1, 1))
		e.Receive(at(0), status("n2", 3, 1))
		if d, _ := e.NextDeadline(); !d.Equal(at(0).Add(tc.wantFrom)) {
			t.Errorf("max %v: first request at +%v, want +%v", tc.max, d.Sub(at(0)), tc.wantFrom)
		}
	}
}

func TestNakStopsRequests(t *testing.T) {
	e := newTest()
	e.Receive(at(0), status("n2", 1, 3))
	e.Receive(at(0), status("n2", 3, 3))
	nak := msg(wire.TypeNakRexmit, "n2", 0, 3, wire.FieldFirstSeq, "2", wire.FieldDest, "n3")
	r := e.Receive(at(10), nak)
	if r.Verdict != Consumed || !slices.Equal(r.Unrecoverable, []uint64{2}) || !r.AllFound {
		t.Errorf("nak: %+v", r)
	}
	if _, ok := e.NextDeadline(); ok {
		t.Error("still requesting an unrecoverable seq")
	}
	bad := msg(wire.TypeNakRexmit, "n2", 0, 3, wire.FieldFirstSeq, "zz")
	if r := e.Receive(at(10), bad); r.Verdict != Invalid {
		t.Errorf("bad nak: %v", r.Verdict)
	}
}

func sendN(e *Endpoint, n int) {
	for i := 0; i < n; i++ {
		seq := e.NextSeq()
		e.Sent(seq, []byte(fmt.Sprintf("packet %d", seq)))
	}
}

func rexmitReq(from string, first, last uint64) *wire.Message {
	m := msg(wire.TypeRexmit, from, 0, 1, wire.FieldDest, "n1")
	m.SetUint(wire.FieldFirstSeq, first, 10)
	m.SetUint(wire.FieldLastSeq, last, 10)
	return m
}

func TestAnswerRexmit(t *testing.T) {
	e := New(Config{Self: "n1", HistorySize: 20, Rand: func(int64) int64 { return 0 }})
	e.AddPeer("n1")
	e.AddPeer("n2")
	sendN(e, 30) // 1..10 left the window
	r := e.Receive(at(0), rexmitReq("n2", 25, 26))
	if r.Verdict != Consumed || len(r.Resend) != 2 || string(r.Resend[0]) != "packet 25" || string(r.Resend[1]) != "packet 26" {
		t.Fatalf("answer: %v %q", r.Verdict, r.Resend)
	}
	// Asked again within max_rexmit_delay - 10 ms: the copy just sent
	// is taken as the answer.
	if r := e.Receive(at(239), rexmitReq("n2", 25, 25)); len(r.Resend) != 0 {
		t.Errorf("resent again after 239 ms: %q", r.Resend)
	}
	if r := e.Receive(at(240), rexmitReq("n2", 25, 25)); len(r.Resend) != 1 {
		t.Errorf("not resent after 240 ms")
	}
	// Beyond what we sent: ignored (we may just have restarted).
	if r := e.Receive(at(500), rexmitReq("n2", 31, 40)); len(r.Resend)+len(r.Send) != 0 {
		t.Errorf("answered seqs never sent: %+v", r)
	}
	// Gone from the window: NS_nak_rexmit with firstseq in hex.
	r = e.Receive(at(500), rexmitReq("n2", 10, 11))
	var naks []string
	for _, m := range r.Send {
		naks = append(naks, m.String())
	}
	want := []string{"t=NS_nak_rexmit firstseq=a dest=n2 comment=seqno too low"}
	if !slices.Equal(naks, want) || len(r.Resend) != 1 || string(r.Resend[0]) != "packet 11" {
		t.Errorf("naks %q resend %q; want %q and packet 11", naks, r.Resend, want)
	}
	for _, bad := range []*wire.Message{rexmitReq("n2", 5, 4), rexmitReq("n2", 0, 4), rexmitReq("", 1, 1)} {
		if r := e.Receive(at(600), bad); r.Verdict != Invalid {
			t.Errorf("%s: %v", bad, r.Verdict)
		}
	}
	// Batch limit.
	big := New(Config{Self: "n1"})
	sendN(big, 120)
	if r := big.Receive(at(0), rexmitReq("n2", 1, 120)); len(r.Resend) != MaxRexmitBatch {
		t.Errorf("batch of %d", len(r.Resend))
	}
	// Nothing for a request addressed elsewhere.
	other := rexmitReq("n2", 25, 25)
	other.Set(wire.FieldDest, "n3")
	if r := e.Receive(at(900), other); r.Verdict != NotForUs || len(r.Resend) != 0 {
		t.Errorf("request for n3: %+v", r)
	}
}

func ack(from, to string, seq uint64) *wire.Message {
	m := msg(wire.TypeAck, from, 0, 1, wire.FieldDest, to)
	m.SetUint(wire.FieldAckSeq, seq, 16)
	return m
}

func TestAcksReleaseHistory(t *testing.T) {
	e := New(Config{Self: "n1", HistorySize: 40})
	for _, n := range []string{"n1", "n2", "n3"} {
		e.AddPeer(n)
	}
	sendN(e, 30)
	if !e.Congested() {
		t.Error("30 unacked of a 40 window is not congested")
	}
	e.Receive(at(0), ack("n1", "n1", 27))
	e.Receive(at(0), ack("n2", "n1", 17))
	if e.AckedSeq() != 0 {
		t.Errorf("released with n3 silent: %d", e.AckedSeq())
	}
	e.Receive(at(0), ack("n3", "n1", 27))
	if e.AckedSeq() != 17 || e.HistoryLen() != 13 {
		t.Errorf("acked %d held %d; want 17, 13", e.AckedSeq(), e.HistoryLen())
	}
	if e.Congested() {
		t.Error("still congested")
	}
	// Late, duplicate, beyond what we sent, addressed elsewhere: ignored.
	for _, m := range []*wire.Message{ack("n2", "n1", 7), ack("n2", "n1", 17), ack("n2", "n1", 99), ack("n2", "n3", 27)} {
		e.Receive(at(0), m)
		if e.AckedSeq() != 17 {
			t.Fatalf("%s moved ackseq to %d", m, e.AckedSeq())
		}
	}
	// A request for an acked seq is ignored rather than NAKed.
	if r := e.Receive(at(0), rexmitReq("n2", 5, 5)); len(r.Send)+len(r.Resend) != 0 {
		t.Errorf("answered a request for an acked seq: %+v", r)
	}
	// A dead node no longer holds the history back.
	e.SetDead("n2", true)
	e.Receive(at(0), ack("n3", "n1", 29))
	if e.AckedSeq() != 27 {
		t.Errorf("acked %d, want 27 with n2 dead", e.AckedSeq())
	}
}

func TestAloneKeepsWindowOpen(t *testing.T) {
	e := New(Config{Self: "n1", HistorySize: 20})
	e.AddPeer("n1")
	sendN(e, 15)
	e.Receive(at(0), ack("n1", "n1", 7))
	if e.AckedSeq() != 6 {
		// hiseq 15 - ackseq 0 >= limit 10: ackseq = 15 - 9
		t.Errorf("acked %d, want 6", e.AckedSeq())
	}
}

func TestSentBytesAreRetransmittedVerbatim(t *testing.T) {
	e := newTest()
	raw := []byte("###\n...%%%\n")
	seq := e.NextSeq()
	if seq != 1 || e.NextSeq() != 2 {
		t.Fatal("seq does not start at 1")
	}
	e.Sent(seq, raw)
	e.Sent(e.NextSeq(), []byte("three")) // 2 was never sent
	r := e.Receive(at(0), rexmitReq("n2", 1, 1))
	if len(r.Resend) != 1 || !bytes.Equal(r.Resend[0], raw) {
		t.Errorf("resend %q", r.Resend)
	}
	if r := e.Receive(at(300), rexmitReq("n2", 2, 2)); len(r.Send) != 1 || r.Send[0].Value(wire.FieldComment) != "seqno not found" {
		t.Errorf("unsent seq 2: %+v", r)
	}
}

func badGeneration(m *wire.Message) *wire.Message {
	m.Set(wire.FieldGeneration, "xyz")
	return m
}

// TestRetransmittedStatusIsStale: a status message recovered after newer
// ones were accepted is delivered (it fills the gap) but marked Stale, so
// the daemon does not let it overwrite the node's newer status or
// advertised deadtime; a newer status, or a non-status message, is not.
func TestRetransmittedStatusIsStale(t *testing.T) {
	e := newTest()
	for i, c := range []struct {
		m         *wire.Message
		verdict   Verdict
		recovered bool
		stale     bool
	}{
		{status("n2", 1, 5), Deliver, false, false},
		{status("n2", 3, 5), Deliver, false, false}, // 2 missing
		{status("n2", 2, 5), Deliver, true, true},   // 2 retransmitted after 3
		{status("n2", 4, 5), Deliver, false, false},
		{msg("ping", "n2", 6, 5), Deliver, false, false}, // 5 missing
		{status("n2", 5, 5), Deliver, true, false},       // recovered, yet newer than status 4
	} {
		r := e.Receive(at(i*10), c.m)
		if r.Verdict != c.verdict || r.Recovered != c.recovered || r.Stale != c.stale {
			t.Errorf("step %d: verdict %v recovered %v stale %v, want %v %v %v", i, r.Verdict, r.Recovered, r.Stale, c.verdict, c.recovered, c.stale)
		}
	}
}
