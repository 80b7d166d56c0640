package membership

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkHeartbeatAndTick measures one heartbeat plus one Tick in a
// 16-node cluster with two media: the steady-state cost per packet.
func BenchmarkHeartbeatAndTick(b *testing.B) {
	var nodes []string
	for i := 0; i < 16; i++ {
		nodes = append(nodes, fmt.Sprintf("n%02d", i))
	}
	m, err := New(Config{Local: "n00", Nodes: nodes, Keepalive: 100 * ms, Deadtime: 500 * ms}, t0)
	if err != nil {
		b.Fatal(err)
	}
	media := []string{"eth0", "eth1"}
	now := t0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		now = now.Add(time.Millisecond)
		_, _ = m.Heartbeat(Heartbeat{Node: nodes[1+i%15], Medium: media[i%2], Status: StatusActive, DeadTime: 500 * ms, At: now})
		_ = m.Tick(now)
	}
}
