package membership

import (
	"strings"
	"testing"
	"time"
)

// TestLogTextMatchesRealDaemon replays the sequence that made these lines
// in a real 3.0.6 ha-log (lab run: n2 watching n1 start, stall 780 ms, get
// killed, restart, stop; bcast, keepalive 200ms, deadtime 1, ping node)
// and expects the same lines in the same order.
func TestLogTextMatchesRealDaemon(t *testing.T) {
	cfg := Config{Local: "n2", Nodes: []string{"n1", "n2"}, Keepalive: 200 * ms, Deadtime: time.Second,
		Warntime: 500 * ms, Initdead: 2 * time.Second, PingNodes: []string{"198.51.100.254"}}
	m, err := New(cfg, t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	log := func(ev []Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ev {
			sev, line := e.LogText()
			if line == "" {
				continue
			}
			if sev == Warn {
				line = "WARN: " + line
			} else {
				line = "info: " + line
			}
			got = append(got, line)
		}
	}
	// 10 ms steps: ping replies and our own echo every 200 ms; n1 sends
	// every 200 ms but stalls 780 ms once, is killed at 3 s, restarts
	// (new generation) at 5 s and stops cleanly at 6 s, sending status
	// for another 400 ms as 3.0.6 does.
	n1 := func(d time.Duration) (Status, uint64, bool) {
		switch {
		case d < 500*ms || d > 1600*ms && d < 2380*ms || d > 2980*ms && d < 5000*ms || d > 6400*ms:
			return "", 0, false
		case d >= 5000*ms && d < 5010*ms:
			return StatusInit, 101, true
		case d >= 5000*ms && d < 5600*ms:
			return StatusUp, 101, (d-5010*ms)%(200*ms) == 0
		case d >= 5000*ms:
			return StatusActive, 101, (d-5600*ms)%(200*ms) == 0
		case d < 1600*ms:
			return StatusUp, 100, (d-500*ms)%(200*ms) == 0
		case d == 1600*ms:
			return StatusActive, 100, true
		default:
			return StatusActive, 100, (d-2380*ms)%(200*ms) == 0
		}
	}
	for d := time.Duration(0); d <= 8*time.Second; d += 10 * ms {
		now := t0.Add(d)
		switch d {
		case 0:
			log(m.SetLocalStatus(StatusUp, now), nil)
		case 1500 * ms:
			log(m.SetLocalStatus(StatusActive, now), nil)
		case 6000 * ms:
			log(m.Leave("n1", now))
		}
		if d%(200*ms) == 10*ms {
			log(m.PingReply(PingReply{Target: "198.51.100.254", Medium: "198.51.100.254", At: now}))
		}
		if st, gen, ok := n1(d); ok {
			log(m.Heartbeat(Heartbeat{Node: "n1", Medium: "eth0", Status: st, DeadTime: time.Second, Generation: gen, At: now}))
		}
		if d >= 510*ms && d%(200*ms) == 110*ms {
			log(m.Heartbeat(Heartbeat{Node: "n2", Medium: "eth0", Status: StatusActive, DeadTime: time.Second, Generation: 200, At: now}))
		}
		log(m.Tick(now), nil)
	}
	want := []string{
		"info: Local status now set to: 'up'",
		"info: Link 198.51.100.254:198.51.100.254 up.",
		"info: Status update for node 198.51.100.254: status ping",
		"info: Link n1:eth0 up.",
		"info: Status update for node n1: status up",
		"info: Link n2:eth0 up.",
		"info: Local status now set to: 'active'",
		"info: Status update for node n1: status active",
		"WARN: Late heartbeat: Node n1: interval 780 ms",
		"WARN: node n1: is dead",
		"info: Link n1:eth0 dead.",
		"info: Heartbeat restart on node n1",
		"info: Link n1:eth0 up.",
		"info: Status update for node n1: status init",
		"info: Status update for node n1: status up",
		"info: Status update for node n1: status active",
		"info: Received shutdown notice from 'n1'.",
		"WARN: node n1: is dead",
		"info: Link n1:eth0 dead.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("log lines:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
