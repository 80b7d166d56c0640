package membership

import (
	"testing"
	"time"
)

// FuzzMembership drives the state machine with an arbitrary sequence of
// inputs decoded from the fuzz data and checks invariants after each one:
// events carry the input time, our own node never dies, after Tick(now)
// no live node or link is overdue (a naive re-check against the
// snapshots), and NextDeadline is exact: nothing happens just before it,
// something happens at it.
func FuzzMembership(f *testing.F) {
	f.Add([]byte{0, 1, 0, 5, 2, 0, 0, 20, 3, 0, 0, 0})
	f.Add([]byte{0, 1, 1, 1, 0, 1, 0, 1, 4, 1, 0, 3, 2, 0, 0, 255, 3, 0, 0, 0, 0, 1, 0, 9})
	f.Add([]byte{5, 0, 0, 1, 5, 1, 0, 7, 2, 0, 0, 30, 3, 0, 0, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Config{
			Local: "n1", Nodes: []string{"n1", "n2", "n3"},
			Keepalive: 100 * ms, Deadtime: 500 * ms, Warntime: 300 * ms, Initdead: time.Second, Deadping: 700 * ms,
			PingNodes:  []string{"p1"},
			PingGroups: []PingGroup{{Name: "g", Members: []string{"p1", "p2"}}},
		}
		m, err := New(cfg, t0)
		if err != nil {
			t.Fatal(err)
		}
		nodes := []string{"n1", "n2", "n3", "zz"}
		media := []string{"eth0", "eth1"}
		statuses := []Status{StatusInit, StatusUp, StatusActive, StatusDead, ""}
		targets := []string{"p1", "p2", "p3"}
		now := t0
		gens := map[string]uint64{}
		check := func(what string, ev []Event) {
			for _, e := range ev {
				if !e.At.Equal(now) {
					t.Fatalf("%s: event %v at %v, input at %v", what, e, e.At, now)
				}
				if e.Kind == NodeDead && e.Node == cfg.Local {
					t.Fatalf("%s: our own node declared dead", what)
				}
			}
		}
		for len(data) >= 4 {
			op, a, b, c := data[0]%6, int(data[1]), int(data[2]), int(data[3])
			data = data[4:]
			now = now.Add(time.Duration(c) * 7 * ms)
			switch op {
			case 0: // heartbeat
				n := nodes[a%len(nodes)]
				g := gens[n]
				if b&4 != 0 {
					g++ // restart
				}
				if b&8 != 0 && g > 0 {
					g-- // replay of an older generation
				}
				ev, err := m.Heartbeat(Heartbeat{Node: n, Medium: media[b%2], Status: statuses[(b>>4)%len(statuses)],
					DeadTime: time.Duration(a%4) * 400 * ms, Generation: g, At: now})
				if err == nil && g > gens[n] {
					gens[n] = g
				}
				check("heartbeat", ev)
			case 1: // ping reply
				ev, _ := m.PingReply(PingReply{Target: targets[a%len(targets)], Medium: "ping", At: now})
				check("ping", ev)
			case 2, 3: // tick
				ev := m.Tick(now)
				check("tick", ev)
				for _, s := range m.Nodes() {
					if s.Name == cfg.Local || s.Status == StatusDead {
						continue
					}
					if s.LastHeard.IsZero() && now.Sub(t0) >= cfg.Initdead {
						t.Fatalf("after Tick(+%v): %s never heard, still %s after initdead", now.Sub(t0), s.Name, s.Status)
					}
					if !s.LastHeard.IsZero() && now.Sub(s.LastHeard) >= s.DeadTime {
						t.Fatalf("after Tick(+%v): %s still %s, silent %v >= %v", now.Sub(t0), s.Name, s.Status, now.Sub(s.LastHeard), s.DeadTime)
					}
				}
				for _, s := range m.Nodes() {
					for _, l := range s.Links {
						if l.Status == LinkStatusUp && now.Sub(l.LastHeard) >= 700*ms {
							t.Fatalf("after Tick: link %s/%s up, silent %v", s.Name, l.Medium, now.Sub(l.LastHeard))
						}
					}
				}
			case 4: // leave
				ev, _ := m.Leave(nodes[a%len(nodes)], now)
				check("leave", ev)
			case 5: // jump to the next deadline
				d, ok := m.NextDeadline()
				if !ok || !d.After(now) {
					continue
				}
				now = d.Add(-time.Nanosecond)
				if ev := m.Tick(now); len(ev) != 0 {
					t.Fatalf("Tick 1ns before NextDeadline produced %v", ev)
				}
				now = d
				ev := m.Tick(now)
				if len(ev) == 0 {
					t.Fatalf("Tick at NextDeadline +%v produced nothing", d.Sub(t0))
				}
				check("deadline", ev)
			}
		}
	})
}
