package controller

import (
	"slices"
	"testing"
	"time"

	"hbgo/heartbeat/membership"
)

func TestHeartbeatEvent(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m, err := New(Config{Node: "b", Nodes: []string{"a", "b"}, PingNodes: []string{"gw"}, StartupWait: time.Hour,
		JoinTimeout: time.Second, RetryInterval: time.Second, RequestTimeout: time.Second}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	alive := func() []string { return m.aliveList() }
	steps := []struct {
		ev    membership.Event
		alive []string
		ping  bool
		sends []MsgType
	}{
		{membership.Event{Kind: membership.NodeUp, Node: "b", Local: true}, []string{"b"}, false, nil},
		{membership.Event{Kind: membership.LinkUp, Node: "a", Medium: "eth0"}, []string{"b"}, false, nil},
		{membership.Event{Kind: membership.NodeUp, Node: "a"}, []string{"a", "b"}, false, []MsgType{MsgJoinRequest}},
		{membership.Event{Kind: membership.NodeActive, Node: "a"}, []string{"a", "b"}, false, nil},
		{membership.Event{Kind: membership.NodeUp, Node: "gw", Type: membership.TypePing}, []string{"a", "b"}, true, nil},
		{membership.Event{Kind: membership.NodeDead, Node: "a"}, []string{"b"}, true, nil},
		{membership.Event{Kind: membership.NodeUp, Node: "a"}, []string{"a", "b"}, true, nil}, // join request rate-limited
		{membership.Event{Kind: membership.NodeRestarted, Node: "a"}, []string{"a", "b"}, true, nil},
		{membership.Event{Kind: membership.NodeLeft, Node: "a"}, []string{"b"}, true, nil},
		{membership.Event{Kind: membership.NodeDead, Node: "gw", Type: membership.TypePing}, []string{"b"}, false, nil},
	}
	for i, st := range steps {
		acts := m.HeartbeatEvent(now, st.ev)
		var sends []MsgType
		for _, a := range acts {
			if s, ok := a.(Send); ok {
				sends = append(sends, s.Msg.Type)
			}
		}
		if !slices.Equal(alive(), st.alive) || m.pings["gw"] != st.ping || !slices.Equal(sends, st.sends) {
			t.Fatalf("step %d (%v): alive %v ping %v sends %v; want %v %v %v", i, st.ev, alive(), m.pings["gw"], sends, st.alive, st.ping, st.sends)
		}
	}
}
