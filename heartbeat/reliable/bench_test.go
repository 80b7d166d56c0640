package reliable

import (
	"testing"

	"hbgo/heartbeat/wire"
)

// BenchmarkReceiveInOrder: one status message from a peer through the
// state machine (an ack every tenth).
func BenchmarkReceiveInOrder(b *testing.B) {
	e := New(Config{Self: "n1", AckTrigger: func(string) uint64 { return 3 }})
	msgs := make([]*wire.Message, 1000)
	for i := range msgs {
		msgs[i] = status("n2", uint64(i+1), 7)
	}
	b.ReportAllocs()
	i, gen := 0, uint64(7)
	for b.Loop() {
		if i == len(msgs) {
			// Restart the peer's numbering with a new generation.
			gen++
			for j := range msgs {
				msgs[j].SetUint(wire.FieldGeneration, gen, 16)
			}
			i = 0
		}
		if r := e.Receive(at(i), msgs[i]); r.Verdict != Deliver {
			b.Fatalf("seq %d: %v", i+1, r.Verdict)
		}
		i++
	}
}

// BenchmarkSend: numbering and keeping a message for retransmission.
func BenchmarkSend(b *testing.B) {
	e := New(Config{Self: "n1"})
	raw := make([]byte, 300)
	b.ReportAllocs()
	for b.Loop() {
		e.Sent(e.NextSeq(), raw)
	}
}
