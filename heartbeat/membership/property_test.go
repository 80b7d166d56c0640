package membership

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media/memnet"
)

// simPeer is a node sending heartbeats on every medium each keepalive, as
// the daemon's sender will, with the advertised-dt schedule of a start.
type simPeer struct {
	name   string
	gen    uint64
	start  time.Time
	alive  bool
	eps    []*memnet.Endpoint
	sent   int
	timing *Membership // only for AdvertisedDeadtime of this peer's own start
}

func (p *simPeer) payload(now time.Time) []byte {
	st := StatusActive
	switch since := now.Sub(p.start); {
	case since == 0:
		st = StatusInit
	case since < time.Second:
		st = StatusUp
	}
	return fmt.Appendf(nil, "%s %d %d %s", p.name, p.gen, p.timing.AdvertisedDeadtime(now).Microseconds(), st)
}

func decode(b []byte, medium string, at time.Time) (Heartbeat, error) {
	var h Heartbeat
	var dtUs int64
	var st string
	_, err := fmt.Sscanf(string(b), "%s %d %d %s", &h.Node, &h.Generation, &dtUs, &st)
	h.DeadTime, h.Status, h.Medium, h.At = time.Duration(dtUs)*time.Microsecond, Status(st), medium, at
	return h, err
}

// TestPropertyNoFalseDeathAndBoundedDetection simulates a three-node
// cluster on memnet with a fake clock for many minutes per seed: up to 5%
// loss per link, delay and jitter, duplicates and reordering, one medium
// failing alone for a while, and one peer killed and restarted. It checks
// that a sending node is never declared dead, that a silent node is
// declared dead no earlier than its advertised dt after the last packet we
// got from it and no later than dt + keepalive (the Tick period), and that
// NodeUp/NodeRestarted follow its restart.
func TestPropertyNoFalseDeathAndBoundedDetection(t *testing.T) {
	const (
		keepalive = 100 * time.Millisecond
		deadtime  = 500 * time.Millisecond
	)
	seeds, simLen := 12, 10*time.Minute
	if testing.Short() {
		seeds, simLen = 3, 2*time.Minute
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			fc := clock.NewFake()
			start := fc.Now()
			hub := memnet.NewHub(fc, seed)
			hub.SetLoopback(false)
			drop := rng.Float64() * 0.05
			hub.SetAllFaults(memnet.Faults{
				Drop: drop, Delay: 2 * time.Millisecond, Jitter: 20 * time.Millisecond,
				Duplicate: 0.01, Reorder: 0.01,
			})
			media := []string{"eth0", "eth1"}
			cfg := Config{
				Local: "n1", Nodes: []string{"n1", "n2", "n3"},
				Keepalive: keepalive, Deadtime: deadtime, Warntime: 300 * time.Millisecond, Initdead: 2 * time.Second,
			}
			m, err := New(cfg, start)
			if err != nil {
				t.Fatal(err)
			}
			var obs []*memnet.Endpoint
			for _, md := range media {
				obs = append(obs, hub.Join("n1", md))
			}
			peers := map[string]*simPeer{}
			var run func(p *simPeer, gen uint64)
			run = func(p *simPeer, gen uint64) {
				if !p.alive || p.gen != gen {
					return // killed, or restarted under a new generation
				}
				data := p.payload(fc.Now())
				for _, ep := range p.eps {
					_ = ep.Send(data)
				}
				p.sent++
				fc.AfterFunc(keepalive, func() { run(p, gen) })
			}
			startPeer := func(name string, gen uint64, phase time.Duration) *simPeer {
				p := peers[name]
				if p == nil {
					p = &simPeer{name: name}
					for _, md := range media {
						p.eps = append(p.eps, hub.Join(name, md))
					}
					peers[name] = p
				}
				p.gen, p.alive = gen, true
				fc.AfterFunc(phase, func() {
					p.start = fc.Now()
					p.timing, _ = New(cfg, p.start)
					run(p, gen)
				})
				return p
			}
			startPeer("n2", 100, time.Duration(rng.Int64N(int64(keepalive))))
			startPeer("n3", 200, time.Duration(rng.Int64N(int64(keepalive))))

			killAt := start.Add(30*time.Second + time.Duration(rng.Int64N(int64(simLen-time.Minute))))
			restartAfter := time.Second + time.Duration(rng.Int64N(int64(4*time.Second)))
			failAt := start.Add(10*time.Second + time.Duration(rng.Int64N(int64(simLen/2))))
			// Killed twice: once in steady state, once again during the
			// startup period after its restart, while it advertises
			// deadtime + StartupExtra.
			var kill2 time.Time
			secondKill := 500*time.Millisecond + time.Duration(rng.Int64N(int64(3*time.Second)))
			fc.AfterFunc(killAt.Sub(start), func() {
				peers["n2"].alive = false
				fc.AfterFunc(restartAfter, func() {
					startPeer("n2", 101, 0)
					fc.AfterFunc(secondKill, func() {
						kill2 = fc.Now()
						peers["n2"].alive = false
						fc.AfterFunc(deadtime+StartupExtra+time.Second, func() { startPeer("n2", 102, 0) })
					})
				})
			})
			fc.AfterFunc(failAt.Sub(start), func() {
				hub.FailMedium("eth1")
				fc.AfterFunc(3*time.Second, func() { hub.RestoreMedium("eth1") })
			})

			lastRecv := map[string]Heartbeat{}
			deaths := map[string][]time.Time{}
			var linkDeaths, restarts, ups int
			check := func(ev []Event) {
				for _, e := range ev {
					switch e.Kind {
					case NodeDead:
						last := lastRecv[e.Node]
						if peers[e.Node].alive {
							t.Fatalf("false death: %v at +%v (drop %.3f)", e, e.At.Sub(start), drop)
						}
						dt := last.DeadTime
						if e.At.Before(last.At.Add(dt)) || e.At.After(last.At.Add(dt+keepalive)) {
							t.Fatalf("%v at +%v: last packet +%v dt %v: outside [dt, dt+keepalive]",
								e, e.At.Sub(start), last.At.Sub(start), dt)
						}
						if dt != deadtime && last.At.Sub(peers["n2"].start) >= StartupPeriod {
							t.Fatalf("peer advertised %v after its startup period", dt)
						}
						deaths[e.Node] = append(deaths[e.Node], e.At)
					case LinkDead:
						inFailure := e.Medium == "eth1" && !e.At.Before(failAt) && e.At.Before(failAt.Add(3*time.Second+deadtime+keepalive))
						if peers[e.Node].alive && !inFailure {
							t.Fatalf("false link death: %v at +%v", e, e.At.Sub(start))
						}
						linkDeaths++
					case NodeRestarted:
						restarts++
					case NodeUp:
						ups++
					}
				}
			}
			nextTick := start.Add(keepalive)
			end := start.Add(simLen)
			for fc.Now().Before(end) {
				next := nextTick
				if due, ok := fc.NextDue(); ok && due.Before(next) {
					next = due
				}
				fc.AdvanceTo(next)
				for _, ep := range obs {
					for drained := false; !drained; {
						select {
						case p := <-ep.Packets():
							h, err := decode(p.Data, p.Medium, p.At)
							if err != nil {
								t.Fatalf("decode %q: %v", p.Data, err)
							}
							ev, err := m.Heartbeat(h)
							if err != nil {
								continue // a reordered packet of the old generation
							}
							lastRecv[h.Node] = h
							check(ev)
						default:
							drained = true
						}
					}
				}
				if !fc.Now().Before(nextTick) {
					check(m.Tick(fc.Now()))
					nextTick = nextTick.Add(keepalive)
				}
			}
			if len(deaths["n2"]) != 2 {
				t.Fatalf("n2 declared dead %d times, want twice (killed at +%v)", len(deaths["n2"]), killAt.Sub(start))
			}
			// From the kill itself: deadtime + keepalive, plus the
			// link delay and jitter of the last packet.
			if d := deaths["n2"][0].Sub(killAt); d > deadtime+keepalive+22*time.Millisecond {
				t.Fatalf("n2 killed at +%v declared dead %v later", killAt.Sub(start), d)
			}
			if d := deaths["n2"][1].Sub(kill2); d < deadtime+StartupExtra-keepalive || d > deadtime+StartupExtra+keepalive+22*time.Millisecond {
				t.Fatalf("killed during its startup, n2 declared dead %v later; want about deadtime+%v", d, StartupExtra)
			}
			if restarts != 2 || ups != 4 {
				t.Fatalf("restarts %d, NodeUp %d; want 2 and 4 (n2, n3, n2 twice again)", restarts, ups)
			}
			if linkDeaths < 2 {
				t.Fatalf("only %d LinkDead events; eth1 failed for 3s", linkDeaths)
			}
			if s := m.Status("n2"); s != StatusActive {
				t.Fatalf("n2 ends %s after its restart", s)
			}
			if hub.Stats().Dropped == 0 && drop > 0.001 {
				t.Fatalf("no packet was dropped at drop rate %.3f", drop)
			}
		})
	}
}
