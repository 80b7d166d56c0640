package membership_test

import (
	"fmt"
	"time"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media/memnet"
	"hbgo/heartbeat/membership"
)

// Example shows the driver pattern: media deliver packets, the driver
// decodes them (here a trivial "node status" text instead of the wire
// codec) and feeds Membership with the packet's arrival time; a timer on
// the injected clock calls Tick at NextDeadline.
func Example() {
	fc := clock.NewFake()
	hub := memnet.NewHub(fc, 1)
	hub.SetLoopback(false)
	us, peer := hub.Join("n1", "eth0"), hub.Join("n2", "eth0")

	m, _ := membership.New(membership.Config{
		Local: "n1", Nodes: []string{"n1", "n2"},
		Keepalive: 200 * time.Millisecond, Deadtime: time.Second,
	}, fc.Now())
	show := func(ev []membership.Event) {
		for _, e := range ev {
			_, line := e.LogText()
			if line != "" {
				fmt.Printf("+%v %s\n", fc.Since(clock.Epoch), line)
			}
		}
	}
	drain := func() {
		for {
			select {
			case p := <-us.Packets():
				var node, st string
				fmt.Sscan(string(p.Data), &node, &st)
				ev, err := m.Heartbeat(membership.Heartbeat{Node: node, Medium: p.Medium,
					Status: membership.Status(st), DeadTime: time.Second, At: p.At})
				if err == nil {
					show(ev)
				}
			default:
				return
			}
		}
	}
	// n2 sends three heartbeats, 200 ms apart, then falls silent.
	for i := 0; i < 3; i++ {
		_ = peer.Send([]byte("n2 active"))
		drain()
		fc.Advance(200 * time.Millisecond)
	}
	// The driver sleeps until the next deadline instead of polling.
	for i := 0; i < 2; i++ {
		if d, ok := m.NextDeadline(); ok {
			fc.AdvanceTo(d)
			show(m.Tick(fc.Now()))
		}
	}
	// Output:
	// +0s Link n2:eth0 up.
	// +0s Status update for node n2: status active
	// +1.4s node n2: is dead
	// +1.4s Link n2:eth0 dead.
}
