package lrmproxy

import (
	"context"
	"testing"
	"time"

	"hbgo/crm/tengine"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
)

// TestProxyTimeout: a node that never answers gives a timed-out result at
// the operation's timeout plus the margin, not before.
func TestProxyTimeout(t *testing.T) {
	clock := resourced.NewFakeClock(time.Unix(1700000000, 0))
	sent := make(chan *wire.Message, 1)
	p := NewProxy(ProxyConfig{Self: "n1", Clock: clock, Margin: 5 * time.Second, Local: &tengine.LRMExecutor{},
		Send: func(w *wire.Message) error { sent <- w; return nil }})
	done := make(chan tengine.OpResult, 1)
	go func() { done <- p.RunOp(context.Background(), "n2", dummyOp("start", "n2", 0)) }()
	select {
	case w := <-sent:
		if w.Type() != string(MsgExec) || w.Value(wire.FieldDest) != "n2" {
			t.Fatalf("sent %s", w)
		}
	case <-time.After(failsafe):
		t.Fatal("nothing sent")
	}
	if n := clock.Advance(24 * time.Second); n != 0 {
		t.Fatalf("%d timers fired before timeout+margin", n)
	}
	clock.Advance(time.Second)
	select {
	case r := <-done:
		if r.Status != tengine.OpTimeout || r.RC != 1 {
			t.Fatalf("result %+v", r)
		}
	case <-time.After(failsafe):
		t.Fatal("no timeout result")
	}
	if p.Pending("n2") != 0 {
		t.Error("operation still pending")
	}
	// A late answer is ignored.
	w, _ := Encode(Msg{Type: MsgResult, To: "n1", OpID: "n1-x-1"})
	w.Add(wire.FieldSrc, "n2")
	if err := p.Deliver(w); err != nil {
		t.Fatal(err)
	}
}

// TestProxyContextCancel: RunOp returns when ctx ends.
func TestProxyContextCancel(t *testing.T) {
	clock := resourced.NewFakeClock(time.Unix(1700000000, 0))
	p := NewProxy(ProxyConfig{Self: "n1", Clock: clock, Local: &tengine.LRMExecutor{}, Send: func(*wire.Message) error { return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := p.RunOp(ctx, "n2", dummyOp("stop", "n2", 0)); r.Status != tengine.OpCancelled {
		t.Fatalf("result %+v", r)
	}
	if clock.Armed() != 0 || p.Pending("n2") != 0 {
		t.Error("timer or pending op left behind")
	}
}
