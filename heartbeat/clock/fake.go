package clock

import (
	"sync"
	"time"
)

// Fake is a manual Clock: time stands still until Advance moves it. Timers,
// tickers and AfterFunc callbacks that fall due during an Advance fire in
// order of their due time (ties in order of arming), and Now reports each
// one's due time while it fires. AfterFunc callbacks run synchronously in
// the goroutine calling Advance, without the clock's lock held, so they may
// use the clock themselves. Fake is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	cond    *sync.Cond // broadcast whenever the set of armed waiters changes
	now     time.Time
	seq     uint64
	waiters map[*fakeWaiter]struct{}
}

// fakeWaiter is one armed timer, ticker or AfterFunc.
type fakeWaiter struct {
	clock  *Fake
	when   time.Time
	seq    uint64 // arming order, breaks ties between equal due times
	period time.Duration
	ch     chan time.Time
	f      func()
}

// Epoch is the time a Fake made by NewFake starts at: a fixed instant so
// test output is reproducible.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// NewFake returns a Fake clock reading Epoch.
func NewFake() *Fake { return NewFakeAt(Epoch) }

// NewFakeAt returns a Fake clock reading start.
func NewFakeAt(start time.Time) *Fake {
	f := &Fake{now: start, waiters: map[*fakeWaiter]struct{}{}}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Since returns the fake time elapsed since t.
func (f *Fake) Since(t time.Time) time.Duration { return f.Now().Sub(t) }

// NewTimer returns a timer firing when the fake time reaches Now()+d.
func (f *Fake) NewTimer(d time.Duration) Timer {
	w := &fakeWaiter{clock: f, ch: make(chan time.Time, 1)}
	f.arm(w, d)
	return w
}

// AfterFunc arranges for fn to be called from Advance once the fake time
// reaches Now()+d.
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	w := &fakeWaiter{clock: f, f: fn}
	f.arm(w, d)
	return w
}

// NewTicker returns a ticker firing every d of fake time. It panics if
// d <= 0, as time.NewTicker does.
func (f *Fake) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	w := &fakeWaiter{clock: f, ch: make(chan time.Time, 1), period: d}
	f.arm(w, d)
	return fakeTicker{w}
}

// arm (re)schedules w to fire d from now and reports whether it was armed.
func (f *Fake) arm(w *fakeWaiter, d time.Duration) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, was := f.waiters[w]
	f.seq++
	w.seq = f.seq
	w.when = f.now.Add(d)
	f.waiters[w] = struct{}{}
	f.cond.Broadcast()
	return was
}

// disarm removes w and reports whether it was armed.
func (f *Fake) disarm(w *fakeWaiter) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, was := f.waiters[w]
	delete(f.waiters, w)
	f.cond.Broadcast()
	return was
}

// Advance moves the fake time forward by d, firing every waiter that falls
// due on the way, in order. It panics if d < 0.
func (f *Fake) Advance(d time.Duration) {
	if d < 0 {
		panic("clock: negative Advance")
	}
	f.mu.Lock()
	target := f.now.Add(d)
	f.mu.Unlock()
	for f.fireNext(target) {
	}
}

// AdvanceTo moves the fake time forward to t (no-op if t is not after Now).
func (f *Fake) AdvanceTo(t time.Time) {
	if d := t.Sub(f.Now()); d > 0 {
		f.Advance(d)
	}
}

// fireNext fires the earliest waiter due at or before target and reports
// whether one fired; when none is due it sets the time to target.
func (f *Fake) fireNext(target time.Time) bool {
	f.mu.Lock()
	var next *fakeWaiter
	for w := range f.waiters {
		if w.when.After(target) {
			continue
		}
		if next == nil || w.when.Before(next.when) || (w.when.Equal(next.when) && w.seq < next.seq) {
			next = w
		}
	}
	if next == nil {
		if target.After(f.now) {
			f.now = target
		}
		f.mu.Unlock()
		return false
	}
	if next.when.After(f.now) {
		f.now = next.when
	}
	at := f.now
	if next.period > 0 {
		f.seq++
		next.seq = f.seq
		next.when = next.when.Add(next.period)
	} else {
		delete(f.waiters, next)
	}
	f.cond.Broadcast()
	f.mu.Unlock()
	if next.f != nil {
		next.f()
		return true
	}
	select {
	case next.ch <- at:
	default: // like time.Ticker: drop the tick when the reader is behind
	}
	return true
}

// Pending returns the number of armed timers, tickers and AfterFuncs.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// BlockUntil blocks until at least n timers, tickers or AfterFuncs are
// armed. Tests use it to wait until a goroutine under test has armed its
// timer before advancing the clock, instead of sleeping.
func (f *Fake) BlockUntil(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.waiters) < n {
		f.cond.Wait()
	}
}

// NextDue returns the due time of the earliest armed waiter, and false if
// none is armed.
func (f *Fake) NextDue() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var best time.Time
	found := false
	for w := range f.waiters {
		if !found || w.when.Before(best) {
			best, found = w.when, true
		}
	}
	return best, found
}

func (w *fakeWaiter) C() <-chan time.Time        { return w.ch }
func (w *fakeWaiter) Stop() bool                 { return w.clock.disarm(w) }
func (w *fakeWaiter) Reset(d time.Duration) bool { return w.clock.arm(w, d) }

type fakeTicker struct{ w *fakeWaiter }

func (t fakeTicker) C() <-chan time.Time { return t.w.ch }
func (t fakeTicker) Stop()               { t.w.clock.disarm(t.w) }
func (t fakeTicker) Reset(d time.Duration) {
	if d <= 0 {
		panic("clock: non-positive interval for Ticker.Reset")
	}
	t.w.clock.mu.Lock()
	t.w.period = d
	t.w.clock.mu.Unlock()
	t.w.clock.arm(t.w, d)
}

// Compile-time checks.
var (
	_ Clock = (*Fake)(nil)
	_ Clock = realClock{}
)
