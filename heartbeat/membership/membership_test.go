package membership

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const ms = time.Millisecond

// step is one input at an exact offset from start, with the events (as
// Event.String) or error it must produce.
type step struct {
	at   time.Duration
	do   func(m *Membership, now time.Time) ([]Event, error)
	what string
	want []string
	err  error
}

func hb(at time.Duration, node, medium string, st Status, dt time.Duration, gen uint64, want ...string) step {
	return step{at: at, what: fmt.Sprintf("hb %s/%s st=%s dt=%v hg=%d", node, medium, st, dt, gen), want: want,
		do: func(m *Membership, now time.Time) ([]Event, error) {
			return m.Heartbeat(Heartbeat{Node: node, Medium: medium, Status: st, DeadTime: dt, Generation: gen, At: now})
		}}
}

func tick(at time.Duration, want ...string) step {
	return step{at: at, what: "tick", want: want,
		do: func(m *Membership, now time.Time) ([]Event, error) { return m.Tick(now), nil }}
}

func ping(at time.Duration, target string, want ...string) step {
	return step{at: at, what: "ping reply " + target, want: want,
		do: func(m *Membership, now time.Time) ([]Event, error) {
			return m.PingReply(PingReply{Target: target, Medium: "ping", At: now})
		}}
}

func leave(at time.Duration, node string, want ...string) step {
	return step{at: at, what: "leave " + node, want: want,
		do: func(m *Membership, now time.Time) ([]Event, error) { return m.Leave(node, now) }}
}

func local(at time.Duration, st Status, want ...string) step {
	return step{at: at, what: "local " + string(st), want: want,
		do: func(m *Membership, now time.Time) ([]Event, error) { return m.SetLocalStatus(st, now), nil }}
}

func fails(s step, err error) step { s.err = err; return s }

func baseConfig() Config {
	return Config{
		Local: "n1", Nodes: []string{"n1", "n2"},
		Keepalive: 200 * ms, Deadtime: time.Second, Warntime: 500 * ms, Initdead: 2 * time.Second,
	}
}

func TestMembershipTable(t *testing.T) {
	withPing := baseConfig()
	withPing.PingNodes = []string{"198.51.100.254"}
	withPing.PingGroups = []PingGroup{{Name: "routers", Members: []string{"198.51.100.253", "198.51.100.254"}}}
	withPing.Deadping = 2 * time.Second
	withPing.Initdead = 10 * time.Second

	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"never heard dies at initdead exactly", baseConfig(), []step{
			tick(1999*ms + 999*time.Microsecond),
			tick(2000*ms, "NodeDead n2 status=dead reason=initdead gap=2s"),
			tick(5000 * ms), // dead once only
		}},
		{"life cycle, link dies on our deadtime, node on advertised dt", baseConfig(), []step{
			hb(100*ms, "n2", "eth0", StatusInit, 3*time.Second, 7, "LinkUp n2 link=eth0", "NodeUp n2 status=init"),
			hb(300*ms, "n2", "eth0", StatusUp, 3*time.Second, 7, "NodeStatusChanged n2 status=up"),
			hb(500*ms, "n2", "eth0", StatusActive, 3*time.Second, 7, "NodeActive n2 status=active"),
			hb(700*ms, "n2", "eth0", StatusActive, 3*time.Second, 7),
			tick(1699*ms + 999*time.Microsecond),
			tick(1700*ms, "LinkDead n2 link=eth0 gap=1s"),
			tick(3699*ms + 999*time.Microsecond),
			tick(3700*ms, "NodeDead n2 status=dead reason=deadtime gap=3s"),
			tick(2 * time.Minute),
		}},
		{"no advertised dt falls back to our deadtime; links die with the node", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, 0, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			hb(100*ms, "n2", "eth1", StatusActive, 0, 0, "LinkUp n2 link=eth1"),
			tick(1000*ms, "LinkDead n2 link=eth0 gap=1s"),
			tick(1100*ms, "NodeDead n2 status=dead reason=deadtime gap=1s", "LinkDead n2 link=eth1 gap=1s"),
		}},
		{"peer dt shorter than our deadtime kills live links with the node", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, 600*ms, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			tick(600*ms, "NodeDead n2 status=dead reason=deadtime gap=600ms", "LinkDead n2 link=eth0 gap=600ms"),
		}},
		{"one medium failing alone only kills its link", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			hb(0, "n2", "eth1", StatusActive, time.Second, 0, "LinkUp n2 link=eth1"),
			hb(200*ms, "n2", "eth0", StatusActive, time.Second, 0),
			hb(400*ms, "n2", "eth0", StatusActive, time.Second, 0),
			hb(600*ms, "n2", "eth0", StatusActive, time.Second, 0),
			hb(800*ms, "n2", "eth0", StatusActive, time.Second, 0),
			tick(1000*ms, "LinkDead n2 link=eth1 gap=1s"),
			hb(1000*ms, "n2", "eth0", StatusActive, time.Second, 0),
			tick(1500 * ms),
			hb(1200*ms, "n2", "eth0", StatusActive, time.Second, 0),
			hb(1300*ms, "n2", "eth1", StatusActive, time.Second, 0, "LinkUp n2 link=eth1"),
		}},
		{"late heartbeat warns with the measured gap, not at exactly warntime", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			hb(500*ms, "n2", "eth0", StatusActive, time.Second, 0),
			hb(1000*ms+1*time.Microsecond, "n2", "eth0", StatusActive, time.Second, 0, "LateHeartbeat n2 status=active gap=500.001ms"),
			hb(1900*ms, "n2", "eth0", StatusActive, time.Second, 0, "LateHeartbeat n2 status=active gap=899.999ms"),
		}},
		{"restart with a new generation, stale generation rejected", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 10, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			hb(200*ms, "n2", "eth0", StatusInit, 3*time.Second, 11, "NodeRestarted n2 status=active gen=10->11", "NodeStatusChanged n2 status=init"),
			fails(hb(300*ms, "n2", "eth0", StatusActive, time.Second, 10), ErrStaleGeneration),
			hb(400*ms, "n2", "eth0", StatusUp, 3*time.Second, 11, "NodeStatusChanged n2 status=up"),
			// The stale packet did not refresh dt: the 3s from the last
			// accepted heartbeat applies.
			tick(1400*ms, "LinkDead n2 link=eth0 gap=1s"),
			tick(3399 * ms),
			tick(3400*ms, "NodeDead n2 status=dead reason=deadtime gap=3s"),
		}},
		{"dead node heard again comes back up", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 5, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			tick(1000*ms, "NodeDead n2 status=dead reason=deadtime gap=1s", "LinkDead n2 link=eth0 gap=1s"),
			hb(4000*ms, "n2", "eth0", StatusActive, time.Second, 5, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
		}},
		{"shutdown notice at once, death when the dead time runs out", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 8, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			leave(300*ms, "n2", "NodeLeft n2 status=active"),
			leave(310*ms, "n2"),
			// 3.0.6 goes on sending status after its shutdone: it keeps
			// the node alive but does not change its status or warn.
			hb(1000*ms, "n2", "eth0", StatusUp, time.Second, 8),
			tick(1999 * ms),
			tick(2000*ms, "NodeDead n2 status=dead reason=shutdown gap=1s", "LinkDead n2 link=eth0 gap=1s"),
			// Later packets of the same generation bring the link back, not the node...
			hb(2500*ms, "n2", "eth0", StatusActive, time.Second, 8, "LinkUp n2 link=eth0"),
			tick(3500*ms, "LinkDead n2 link=eth0 gap=1s"),
			// ...a new generation does.
			hb(5000*ms, "n2", "eth0", StatusInit, 3*time.Second, 9, "NodeRestarted n2 status=dead gen=8->9", "LinkUp n2 link=eth0", "NodeUp n2 status=init"),
		}},
		{"leave of a node never heard is immediate death", baseConfig(), []step{
			leave(100*ms, "n2", "NodeLeft n2 status=init", "NodeDead n2 status=dead reason=shutdown"),
			leave(200*ms, "n2"),
			tick(5000 * ms),
		}},
		{"st=dead in a heartbeat is a shutdown notice", baseConfig(), []step{
			hb(0, "n2", "eth0", StatusActive, time.Second, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			hb(100*ms, "n2", "eth0", StatusDead, time.Second, 0, "NodeLeft n2 status=active"),
			tick(1100*ms, "NodeDead n2 status=dead reason=shutdown gap=1s", "LinkDead n2 link=eth0 gap=1s"),
		}},
		{"our own echoes show link status only", baseConfig(), []step{
			local(0, StatusUp, "NodeUp n1 status=up"),
			hb(10*ms, "n1", "eth0", StatusInit, 3*time.Second, 1, "LinkUp n1 link=eth0"),
			local(20*ms, StatusActive, "NodeActive n1 status=active"),
			tick(1010*ms, "LinkDead n1 link=eth0 gap=1s"),
			hb(1500*ms, "n2", "eth0", StatusActive, time.Second, 0, "LinkUp n2 link=eth0", "NodeUp n2 status=active", "NodeActive n2 status=active"),
			tick(60*time.Second, "NodeDead n2 status=dead reason=deadtime gap=58.5s", "LinkDead n2 link=eth0 gap=58.5s"),
		}},
		{"unknown sources are rejected", withPing, []step{
			fails(hb(0, "n9", "eth0", StatusUp, 0, 0), ErrUnknownNode),
			fails(hb(0, "198.51.100.254", "eth0", StatusUp, 0, 0), ErrUnknownNode),
			fails(ping(0, "198.51.100.9"), ErrNotPingTarget),
			fails(leave(0, "n9"), ErrUnknownNode),
		}},
		{"ping node and ping group", withPing, []step{
			ping(100*ms, "198.51.100.254",
				"LinkUp 198.51.100.254 (ping) link=ping", "NodeUp 198.51.100.254 (ping) status=ping",
				"LinkUp routers (ping) link=ping", "NodeUp routers (ping) status=ping"),
			ping(200*ms, "198.51.100.253"),
			// .254 goes silent; the group lives on through .253.
			ping(1200*ms, "198.51.100.253", "LateHeartbeat routers (ping) status=ping gap=1s"),
			ping(2000*ms, "198.51.100.253", "LateHeartbeat routers (ping) status=ping gap=800ms"),
			tick(2099 * ms),
			tick(2100*ms, "NodeDead 198.51.100.254 (ping) status=dead reason=deadping gap=2s", "LinkDead 198.51.100.254 (ping) link=ping gap=2s"),
			tick(3999 * ms),
			tick(4000*ms, "NodeDead routers (ping) status=dead reason=deadping gap=2s", "LinkDead routers (ping) link=ping gap=2s"),
			tick(10*time.Second, "NodeDead n2 status=dead reason=initdead gap=10s"),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.cfg, t0)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tc.steps {
				ev, err := s.do(m, t0.Add(s.at))
				if !errors.Is(err, s.err) {
					t.Fatalf("step %d (+%v %s): err = %v, want %v", i, s.at, s.what, err, s.err)
				}
				var got []string
				for _, e := range ev {
					if !e.At.Equal(t0.Add(s.at)) {
						t.Errorf("step %d: event %v has At +%v", i, e, e.At.Sub(t0))
					}
					got = append(got, e.String())
				}
				if strings.Join(got, "\n") != strings.Join(s.want, "\n") {
					t.Fatalf("step %d (+%v %s):\n got: %q\nwant: %q", i, s.at, s.what, got, s.want)
				}
			}
		})
	}
}

func TestAdvertisedDeadtime(t *testing.T) {
	m, err := New(baseConfig(), t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Duration
		want time.Duration
	}{
		{0, 3 * time.Second},
		{4999 * ms, 3 * time.Second},
		{5000 * ms, time.Second},
		{time.Hour, time.Second},
	} {
		if got := m.AdvertisedDeadtime(t0.Add(c.at)); got != c.want {
			t.Errorf("at +%v: dt = %v, want %v", c.at, got, c.want)
		}
	}
}

func TestConfigDefaultsAndValidation(t *testing.T) {
	c := Config{Local: "a", Nodes: []string{"a"}, Keepalive: time.Second, Deadtime: 30 * time.Second}
	m, err := New(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Config()
	if got.Warntime != 15*time.Second || got.Initdead != 30*time.Second || got.Deadping != 30*time.Second {
		t.Errorf("defaults: %+v", got)
	}
	for _, c := range []struct {
		dead, want time.Duration
	}{{30 * time.Second, 30 * time.Second}, {5 * time.Second, 12 * time.Second}, {8 * time.Second, 16 * time.Second}, {10 * time.Second, 20 * time.Second}} {
		if got := DefaultInitdead(c.dead); got != c.want {
			t.Errorf("DefaultInitdead(%v) = %v, want %v", c.dead, got, c.want)
		}
	}
	bad := []Config{
		{Local: "a", Nodes: []string{"a"}, Keepalive: time.Second, Deadtime: 2 * time.Second},
		{Local: "a", Nodes: []string{"b"}, Keepalive: time.Second, Deadtime: 5 * time.Second},
		{Local: "a", Nodes: []string{"a"}, Keepalive: time.Second, Deadtime: 5 * time.Second, Initdead: 4 * time.Second},
		{Local: "a", Nodes: []string{"a"}, Keepalive: time.Second, Deadtime: 5 * time.Second, PingNodes: []string{"a"}},
		{Local: "a", Nodes: []string{"a"}, Keepalive: time.Second, Deadtime: 5 * time.Second, PingGroups: []PingGroup{{Name: "g"}}},
		{Local: "a", Nodes: []string{"a"}, Deadtime: 5 * time.Second},
	}
	for i, c := range bad {
		if _, err := New(c, t0); !errors.Is(err, ErrBadConfig) {
			t.Errorf("bad config %d accepted: %v", i, err)
		}
	}
}

func TestQueries(t *testing.T) {
	m, _ := New(baseConfig(), t0)
	if _, err := m.Heartbeat(Heartbeat{Node: "n2", Medium: "eth1", Status: StatusUp, DeadTime: 3 * time.Second, Generation: 4, At: t0.Add(ms)}); err != nil {
		t.Fatal(err)
	}
	s, ok := m.Node("n2")
	if !ok || s.Status != StatusUp || s.DeadTime != 3*time.Second || s.Generation != 4 ||
		len(s.Links) != 1 || s.Links[0].Medium != "eth1" || s.Links[0].Status != LinkStatusUp || !s.LastHeard.Equal(t0.Add(ms)) {
		t.Fatalf("Node(n2) = %+v", s)
	}
	if m.LinkStatus("n2", "eth0") != LinkStatusDead || m.LinkStatus("n2", "eth1") != LinkStatusUp {
		t.Error("LinkStatus wrong")
	}
	if m.Status("n1") != StatusInit || m.Status("zz") != "" {
		t.Error("Status wrong")
	}
	if all := m.Nodes(); len(all) != 2 || all[0].Name != "n1" || all[1].Name != "n2" {
		t.Errorf("Nodes = %+v", all)
	}
	if d, ok := m.NextDeadline(); !ok || !d.Equal(t0.Add(1001*ms)) {
		t.Errorf("NextDeadline = %v %v, want +1.001s (link eth1)", d.Sub(t0), ok)
	}
}
