package reliable_test

import (
	"fmt"
	"time"

	"hbgo/authkeys"
	"hbgo/heartbeat/reliable"
	"hbgo/heartbeat/wire"
)

// The daemon's send and receive paths around an Endpoint.
func Example() {
	ring := &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{1: {Index: 1, Method: authkeys.CRC}}}
	now := time.Unix(0x6b0264bc, 0)
	gen, _, _ := reliable.NextGeneration(&reliable.MemStore{}, now)
	env := wire.Envelope{Src: "n1", Generation: gen}
	ep := reliable.New(reliable.Config{Self: "n1", AckTrigger: func(string) uint64 { return 1 }})

	// Send: number, stamp, sign, keep for retransmission, loop back, send.
	m := wire.New(wire.TypeStatus)
	m.Set(wire.FieldStatus, "init")
	seq := ep.NextSeq()
	env.Stamp(m, seq, nil, now)
	raw, _ := m.Encode(ring)
	ep.Sent(seq, raw)
	r := ep.Receive(now, m) // 3.0.6 processes its own messages too
	fmt.Println(string(raw[:32]), r.Verdict, len(r.Send), "ack:", r.Send[0])

	// Receive: verify, then let the state machine decide.
	in := wire.New(wire.TypeRexmit)
	in.Set(wire.FieldDest, "n1")
	in.SetUint(wire.FieldFirstSeq, 1, 10)
	in.SetUint(wire.FieldLastSeq, 1, 10)
	wire.Envelope{Src: "n2", Generation: gen}.Stamp(in, 0, nil, now)
	pkt, _ := in.Encode(ring)
	got, err := wire.Verify(pkt, ring)
	if err != nil {
		fmt.Println("Bad authentication:", err)
		return
	}
	r = ep.Receive(now, got)
	fmt.Println(r.Verdict, "resend identical:", string(r.Resend[0]) == string(raw))
	// Output:
	// ###
	// 11:(0)t=status,10:(0)st=init deliver 1 ack: t=NS_ackmsg dest=n1 ackseq=1
	// consumed resend identical: true
}
