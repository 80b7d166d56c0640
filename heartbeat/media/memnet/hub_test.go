package memnet

import (
	"errors"
	"testing"
	"time"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media"
)

// drain returns the payloads waiting on ep, in order.
func drain(ep *Endpoint) []string {
	var out []string
	for {
		select {
		case p, ok := <-ep.Packets():
			if !ok {
				return out
			}
			out = append(out, string(p.Data))
		default:
			return out
		}
	}
}

func eq(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBroadcastAndLoopback(t *testing.T) {
	fc := clock.NewFake()
	h := NewHub(fc, 1)
	a, b, c := h.Join("a", "eth0"), h.Join("b", "eth0"), h.Join("c", "eth0")
	other := h.Join("b", "eth1")
	if err := a.Send([]byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, ep := range []*Endpoint{a, b, c} {
		if got := drain(ep); !eq(got, []string{"x"}) {
			t.Errorf("%s got %v", ep.Node(), got)
		}
	}
	if got := drain(other); len(got) != 0 {
		t.Errorf("eth1 got %v from eth0", got)
	}
	h.SetLoopback(false)
	_ = a.Send([]byte("y"))
	if got := drain(a); len(got) != 0 {
		t.Errorf("loopback off: sender got %v", got)
	}
	if got := drain(c); !eq(got, []string{"y"}) {
		t.Errorf("loopback off: peer got %v", got)
	}
	p := media.Packet{}
	_ = b.Send([]byte("z"))
	select {
	case p = <-c.Packets():
	default:
		t.Fatal("nothing delivered")
	}
	if p.From != "b" || p.Medium != "eth0" || !p.At.Equal(clock.Epoch) {
		t.Errorf("packet metadata %+v", p)
	}
}

func TestDropRateIsSeededAndApproximate(t *testing.T) {
	run := func(seed uint64) int {
		h := NewHub(clock.NewFake(), seed)
		h.SetLoopback(false)
		a, b := h.Join("a", "eth0"), h.Join("b", "eth0")
		h.SetFaults("a", "b", "eth0", Faults{Drop: 0.2})
		got := 0
		for i := 0; i < 2000; i++ {
			_ = a.Send([]byte{1})
			got += len(drain(b))
		}
		return got
	}
	n1, n2 := run(7), run(7)
	if n1 != n2 {
		t.Fatalf("same seed, different results: %d vs %d", n1, n2)
	}
	if n1 < 1500 || n1 > 1700 {
		t.Fatalf("delivered %d of 2000 at 20%% drop", n1)
	}
	// The reverse direction has no faults.
	h := NewHub(clock.NewFake(), 7)
	a, b := h.Join("a", "eth0"), h.Join("b", "eth0")
	h.SetFaults("a", "b", "", Faults{Drop: 1})
	_ = b.Send([]byte("back"))
	if got := drain(a); !eq(got, []string{"back"}) {
		t.Fatalf("reverse direction got %v", got)
	}
	_ = a.Send([]byte("fwd"))
	if got := drain(b); !eq(got, []string{"back"}) { // only its own loopback copy
		t.Fatalf("dropped direction got %v", got)
	}
}

func TestDelayUsesClock(t *testing.T) {
	fc := clock.NewFake()
	h := NewHub(fc, 1)
	a, b := h.Join("a", "eth0"), h.Join("b", "eth0")
	h.SetFaults("", "b", "", Faults{Delay: 50 * time.Millisecond})
	_ = a.Send([]byte("late"))
	if got := drain(b); len(got) != 0 {
		t.Fatalf("delivered before delay: %v", got)
	}
	fc.Advance(49 * time.Millisecond)
	if got := drain(b); len(got) != 0 {
		t.Fatalf("delivered before delay: %v", got)
	}
	fc.Advance(time.Millisecond)
	select {
	case p := <-b.Packets():
		if p.At.Sub(clock.Epoch) != 50*time.Millisecond {
			t.Fatalf("At = +%v", p.At.Sub(clock.Epoch))
		}
	default:
		t.Fatal("not delivered after delay")
	}
}

func TestDuplicateAndReorder(t *testing.T) {
	h := NewHub(clock.NewFake(), 1)
	h.SetLoopback(false)
	a, b := h.Join("a", "eth0"), h.Join("b", "eth0")
	h.SetFaults("a", "b", "eth0", Faults{Duplicate: 1})
	_ = a.Send([]byte("d"))
	if got := drain(b); !eq(got, []string{"d", "d"}) {
		t.Fatalf("duplicate: %v", got)
	}
	h.SetFaults("a", "b", "eth0", Faults{Reorder: 1})
	_ = a.Send([]byte("1"))
	if got := drain(b); len(got) != 0 {
		t.Fatalf("held packet delivered: %v", got)
	}
	h.SetFaults("a", "b", "eth0", Faults{})
	_ = a.Send([]byte("2"))
	if got := drain(b); !eq(got, []string{"2", "1"}) {
		t.Fatalf("reorder: %v, want [2 1]", got)
	}
	if s := h.Stats(); s.Duplicated != 1 || s.Reordered != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestPartitionHealAndMediumFailure(t *testing.T) {
	h := NewHub(clock.NewFake(), 1)
	h.SetLoopback(false)
	a0, b0, c0 := h.Join("a", "eth0"), h.Join("b", "eth0"), h.Join("c", "eth0")
	a1, b1 := h.Join("a", "eth1"), h.Join("b", "eth1")
	h.Partition([]string{"a"}, []string{"b", "c"})
	_ = a0.Send([]byte("p"))
	_ = b0.Send([]byte("q"))
	if got := drain(b0); len(got) != 0 {
		t.Fatalf("across partition: %v", got)
	}
	if got := drain(c0); !eq(got, []string{"q"}) {
		t.Fatalf("inside partition: %v", got)
	}
	h.Heal()
	_ = a0.Send([]byte("h"))
	if got := drain(b0); !eq(got, []string{"h"}) {
		t.Fatalf("after heal: %v", got)
	}

	// eth0 fails as a whole; eth1 keeps working.
	h.FailMedium("eth0")
	_ = a0.Send([]byte("lost"))
	_ = a1.Send([]byte("kept"))
	if got := drain(b0); len(got) != 0 {
		t.Fatalf("failed medium delivered %v", got)
	}
	if got := drain(b1); !eq(got, []string{"kept"}) {
		t.Fatalf("other medium: %v", got)
	}
	h.RestoreMedium("eth0")

	// One node's interface fails alone.
	h.FailEndpoint("a", "eth1")
	if err := a1.Send([]byte("x")); !errors.Is(err, media.ErrLinkDown) {
		t.Fatalf("Send on failed endpoint: %v", err)
	}
	_ = b1.Send([]byte("to-a"))
	if got := drain(a1); len(got) != 0 {
		t.Fatalf("failed endpoint received %v", got)
	}
	if err := a0.Send([]byte("eth0 ok")); err != nil {
		t.Fatal(err)
	}
	if got := drain(b0); !eq(got, []string{"eth0 ok"}) {
		t.Fatalf("eth0 while eth1 down: %v", got)
	}
	h.RestoreEndpoint("a", "eth1")
	_ = b1.Send([]byte("back"))
	if got := drain(a1); !eq(got, []string{"back"}) {
		t.Fatalf("restored endpoint: %v", got)
	}
}

func TestCloseIsSafe(t *testing.T) {
	fc := clock.NewFake()
	h := NewHub(fc, 1)
	a, b := h.Join("a", "eth0"), h.Join("b", "eth0")
	h.SetAllFaults(Faults{Delay: time.Millisecond})
	_ = a.Send([]byte("in flight"))
	_ = b.Close()
	_ = b.Close()
	fc.Advance(time.Second) // delivery to a closed endpoint must not panic
	if _, ok := <-b.Packets(); ok {
		t.Fatal("closed endpoint still delivers")
	}
	if err := b.Send(nil); !errors.Is(err, media.ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
}
