package reliable

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"hbgo/heartbeat/wire"
)

// FuzzReceive drives an Endpoint with an arbitrary stream of events (each
// 3 bytes: kind, value, time step) and checks its invariants: no panic,
// the missing list holds distinct seqs below the last seen one, requests
// are pending only for missing seqs of live nodes, acks only at the
// trigger, retransmissions only of bytes we sent.
func FuzzReceive(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 2, 1, 0, 5, 1, 4, 0, 200, 0, 3, 1})
	f.Add([]byte{0, 1, 1, 1, 1, 1, 0, 9, 1, 5, 2, 1, 2, 9, 1, 3, 1, 1})
	f.Fuzz(fuzzBody)
}

func fuzzBody(t *testing.T, ops []byte) {
	if len(ops) > 3*400 {
		return // long streams add nothing but time
	}
	{
		e := New(Config{Self: "n1", HistorySize: 16, AckTrigger: func(string) uint64 { return 3 },
			Rand: func(n int64) int64 { return n / 3 }})
		e.AddPeer("n1")
		e.AddPeer("n2")
		now := t0
		gen := uint64(10)
		sent := map[string]bool{}
		for i := 0; i+2 < len(ops); i += 3 {
			kind, v := ops[i]%7, uint64(ops[i+1])
			now = now.Add(time.Duration(ops[i+2]) * 5 * time.Millisecond)
			var r Result
			switch kind {
			case 0: // status from n2
				r = e.Receive(now, status("n2", v, gen))
			case 1: // n2 restarts or replays
				if v%2 == 0 {
					gen++
				}
				r = e.Receive(now, status("n2", v%5+1, gen-v%3))
			case 2: // we send
				seq := e.NextSeq()
				raw := fmt.Sprintf("pkt %d", seq)
				sent[raw] = true
				e.Sent(seq, []byte(raw))
			case 3: // n2 asks for some of ours
				r = e.Receive(now, rexmitReq("n2", v%20+1, v%20+1+v%4))
			case 4: // n2 acks
				r = e.Receive(now, ack("n2", "n1", v))
			case 5: // nak from n2
				r = e.Receive(now, msg(wire.TypeNakRexmit, "n2", 0, gen, wire.FieldFirstSeq, fmt.Sprintf("%x", v)))
			case 6:
				e.SetDead("n2", v%2 == 0)
			}
			for _, m := range e.Tick(now) {
				if fs, _ := m.FirstSeq(); !slices.Contains(e.peers["n2"].missing, fs) {
					t.Fatalf("request for %d, not missing", fs)
				}
			}
			for _, m := range r.Send {
				if m.Type() == wire.TypeAck {
					if a, _ := m.AckSeq(); a%AckDivisor != 3 {
						t.Fatalf("ack %d off trigger", a)
					}
				}
			}
			for _, b := range r.Resend {
				if !sent[string(b)] {
					t.Fatalf("resent %q never sent", b)
				}
			}
			p := e.peers["n2"]
			seen := map[uint64]bool{}
			for _, s := range p.missing {
				if seen[s] || s >= p.lastSeq {
					t.Fatalf("missing %v with last %d", p.missing, p.lastSeq)
				}
				seen[s] = true
			}
			for s := range p.rexmitDue {
				if !seen[s] || p.dead {
					t.Fatalf("request pending for %d (missing %v, dead %v)", s, p.missing, p.dead)
				}
			}
			if e.AckedSeq() > e.hist.hiSeq {
				t.Fatalf("acked %d beyond sent %d", e.AckedSeq(), e.hist.hiSeq)
			}
		}
	}
}
