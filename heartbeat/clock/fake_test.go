package clock

import (
	"sync"
	"testing"
	"time"
)

func recv(t *testing.T, c <-chan time.Time) (time.Time, bool) {
	t.Helper()
	select {
	case v := <-c:
		return v, true
	default:
		return time.Time{}, false
	}
}

func TestFakeTimerFiresAtDueTime(t *testing.T) {
	f := NewFake()
	tm := f.NewTimer(100 * time.Millisecond)
	f.Advance(99 * time.Millisecond)
	if _, ok := recv(t, tm.C()); ok {
		t.Fatal("timer fired early")
	}
	f.Advance(time.Millisecond)
	got, ok := recv(t, tm.C())
	if !ok || !got.Equal(Epoch.Add(100*time.Millisecond)) {
		t.Fatalf("fired=%v at %v, want at %v", ok, got, Epoch.Add(100*time.Millisecond))
	}
	if tm.Stop() {
		t.Error("Stop after firing reported true")
	}
	if f.Pending() != 0 {
		t.Errorf("Pending = %d after firing", f.Pending())
	}
}

func TestFakeStopAndReset(t *testing.T) {
	f := NewFake()
	tm := f.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatal("Stop on armed timer reported false")
	}
	f.Advance(2 * time.Second)
	if _, ok := recv(t, tm.C()); ok {
		t.Fatal("stopped timer fired")
	}
	if tm.Reset(time.Second) {
		t.Error("Reset of stopped timer reported it active")
	}
	if !tm.Reset(500 * time.Millisecond) {
		t.Error("Reset of armed timer reported it inactive")
	}
	f.Advance(500 * time.Millisecond)
	got, ok := recv(t, tm.C())
	if !ok || !got.Equal(Epoch.Add(2500*time.Millisecond)) {
		t.Fatalf("got %v %v", got, ok)
	}
}

// TestFakeOrder checks that waiters fire in due order across one Advance,
// with Now equal to each due time, and that equal due times fire in arming
// order.
func TestFakeOrder(t *testing.T) {
	f := NewFake()
	var order []string
	var at []time.Duration
	rec := func(name string) func() {
		return func() {
			order = append(order, name)
			at = append(at, f.Now().Sub(Epoch))
		}
	}
	f.AfterFunc(300*time.Millisecond, rec("c"))
	f.AfterFunc(100*time.Millisecond, rec("a"))
	f.AfterFunc(200*time.Millisecond, rec("b1"))
	f.AfterFunc(200*time.Millisecond, rec("b2"))
	stopped := f.AfterFunc(250*time.Millisecond, rec("never"))
	stopped.Stop()
	f.Advance(time.Second)
	want := []string{"a", "b1", "b2", "c"}
	wantAt := []time.Duration{100, 200, 200, 300}
	if len(order) != len(want) {
		t.Fatalf("order = %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] || at[i] != wantAt[i]*time.Millisecond {
			t.Fatalf("fired %v at %v, want %v at %v ms", order, at, want, wantAt)
		}
	}
	if got := f.Now().Sub(Epoch); got != time.Second {
		t.Errorf("Now after Advance = +%v, want +1s", got)
	}
}

// TestFakeAfterFuncRearms checks that a callback may arm a new timer that
// falls due within the same Advance (the driver pattern "re-arm on fire").
func TestFakeAfterFuncRearms(t *testing.T) {
	f := NewFake()
	var fired []time.Duration
	var tick func()
	tick = func() {
		fired = append(fired, f.Now().Sub(Epoch))
		f.AfterFunc(100*time.Millisecond, tick)
	}
	f.AfterFunc(100*time.Millisecond, tick)
	f.Advance(350 * time.Millisecond)
	if len(fired) != 3 || fired[2] != 300*time.Millisecond {
		t.Fatalf("fired at %v, want 100ms 200ms 300ms", fired)
	}
}

func TestFakeTicker(t *testing.T) {
	f := NewFake()
	tk := f.NewTicker(100 * time.Millisecond)
	for i := 1; i <= 3; i++ {
		f.Advance(100 * time.Millisecond)
		got, ok := recv(t, tk.C())
		if !ok || got.Sub(Epoch) != time.Duration(i)*100*time.Millisecond {
			t.Fatalf("tick %d: %v %v", i, got.Sub(Epoch), ok)
		}
	}
	// A slow reader sees one buffered tick, the first missed one.
	f.Advance(350 * time.Millisecond)
	got, ok := recv(t, tk.C())
	if !ok || got.Sub(Epoch) != 400*time.Millisecond {
		t.Fatalf("after lag: %v %v, want +400ms", got.Sub(Epoch), ok)
	}
	if _, ok := recv(t, tk.C()); ok {
		t.Fatal("ticker buffered more than one tick")
	}
	tk.Reset(time.Second)
	f.Advance(999 * time.Millisecond)
	if _, ok := recv(t, tk.C()); ok {
		t.Fatal("tick before new period")
	}
	f.Advance(time.Millisecond)
	if _, ok := recv(t, tk.C()); !ok {
		t.Fatal("no tick after Reset period")
	}
	tk.Stop()
	f.Advance(5 * time.Second)
	if _, ok := recv(t, tk.C()); ok {
		t.Fatal("tick after Stop")
	}
}

// TestFakeBlockUntil shows the no-sleep pattern: a goroutine arms a timer,
// the test waits for it to be armed, then advances.
func TestFakeBlockUntil(t *testing.T) {
	f := NewFake()
	done := make(chan time.Time)
	go func() {
		tm := f.NewTimer(time.Minute)
		done <- <-tm.C()
	}()
	f.BlockUntil(1)
	f.Advance(time.Minute)
	if got := <-done; got.Sub(Epoch) != time.Minute {
		t.Fatalf("goroutine woke at +%v", got.Sub(Epoch))
	}
}

// TestFakeConcurrent exercises the clock from several goroutines; run with
// -race.
func TestFakeConcurrent(t *testing.T) {
	f := NewFake()
	var wg sync.WaitGroup
	var mu sync.Mutex
	count := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				f.AfterFunc(time.Duration(j)*time.Millisecond, func() {
					mu.Lock()
					count++
					mu.Unlock()
				})
				_ = f.Now()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			f.Advance(time.Millisecond)
		}
	}()
	wg.Wait()
	f.Advance(time.Second)
	mu.Lock()
	defer mu.Unlock()
	if count != 400 {
		t.Fatalf("fired %d callbacks, want 400", count)
	}
}

func TestFakeNegativeAdvancePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewFake().Advance(-1)
}

func TestRealClock(t *testing.T) {
	c := Real()
	tm := c.NewTimer(time.Millisecond)
	<-tm.C()
	done := make(chan struct{})
	c.AfterFunc(time.Millisecond, func() { close(done) })
	<-done
	tk := c.NewTicker(time.Millisecond)
	<-tk.C()
	tk.Stop()
	if c.Now().IsZero() {
		t.Fatal("zero Now")
	}
}
