package ipfail

import (
	"testing"
	"time"
)

var t0 = time.Unix(1_800_000_000, 0)

func cfg() Config { return Config{Peer: "n2", AutoFailback: true, Keepalive: 200 * time.Millisecond} }

func sends(acts []Action) []string {
	var out []string
	for _, a := range acts {
		switch a := a.(type) {
		case Send:
			s := a.Type
			for _, f := range a.Fields {
				s += " " + f[0] + "=" + f[1]
			}
			out = append(out, s)
		case Standby:
			out = append(out, "standby "+a.Set)
		}
	}
	return out
}

func TestFewerPingNodesGivesEverythingUpAfterTwoKeepalives(t *testing.T) {
	m := New(cfg())
	v := View{Now: t0, PingCount: 0, Stable: true}
	if got := sends(m.LinkDead(v)); len(got) != 1 || got[0] != "num_ping_nodes num_ping=0" {
		t.Fatalf("LinkDead sends %q", got)
	}
	m.Receive(TNumPing, map[string]string{FNumPing: "1"}, v)
	if got := sends(m.Tick(View{Now: t0.Add(399 * time.Millisecond), Stable: true})); len(got) != 0 {
		t.Fatalf("gave up early: %q", got)
	}
	if got := sends(m.Tick(View{Now: t0.Add(400 * time.Millisecond), Stable: true})); len(got) != 1 || got[0] != "standby all" {
		t.Fatalf("Tick = %q", got)
	}
}

func TestMorePingNodesTellsThePeer(t *testing.T) {
	m := New(cfg())
	got := sends(m.Receive(TNumPing, map[string]string{FNumPing: "0"}, View{Now: t0, PingCount: 1}))
	if len(got) != 1 || got[0] != "you_are_dead" {
		t.Fatalf("got %q", got)
	}
	got = sends(New(cfg()).Receive(TYouAreDead, nil, View{Now: t0}))
	if len(got) != 0 {
		t.Fatalf("you_are_dead must only arm the timer: %q", got)
	}
}

func TestBalancedCountsAbortAPendingGiveup(t *testing.T) {
	m := New(cfg())
	m.Receive(TYouAreDead, nil, View{Now: t0})
	got := sends(m.Receive(TNumPing, map[string]string{FNumPing: "1"}, View{Now: t0, PingCount: 1, Stable: true}))
	if len(got) != 1 || got[0] != "abort_giveup" {
		t.Fatalf("got %q", got)
	}
	if acts := m.Tick(View{Now: t0.Add(time.Second), Stable: true}); len(acts) != 0 {
		t.Fatal("aborted giveup still ran")
	}
}

func TestBalancedWithAutoFailbackGivesForeignBack(t *testing.T) {
	m := New(cfg())
	m.Receive(TNumPing, map[string]string{FNumPing: "1"}, View{Now: t0, PingCount: 1, Stable: true})
	if got := sends(m.Tick(View{Now: t0.Add(time.Second), Stable: true})); len(got) != 1 || got[0] != "standby foreign" {
		t.Fatalf("got %q", got)
	}
}

func TestGiveupWaitsForStabilityThenRechecks(t *testing.T) {
	m := New(cfg())
	m.Receive(TYouAreDead, nil, View{Now: t0})
	if got := sends(m.Tick(View{Now: t0.Add(time.Second), Stable: false})); len(got) != 0 {
		t.Fatalf("gave up in transition: %q", got)
	}
	if got := sends(m.PeerStable(View{Now: t0.Add(2 * time.Second), PingCount: 0})); len(got) != 1 || got[0] != "num_ping_nodes num_ping=0" {
		t.Fatalf("got %q", got)
	}
	if got := sends(m.PeerStable(View{Now: t0.Add(3 * time.Second)})); len(got) != 0 {
		t.Fatalf("asked twice: %q", got)
	}
}
