package clock

import "time"

// Clock is the source of time for driver code.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a Timer that sends the time on its channel once d
	// has elapsed.
	NewTimer(d time.Duration) Timer
	// NewTicker returns a Ticker that sends the time every d. d must be > 0.
	NewTicker(d time.Duration) Ticker
	// AfterFunc calls f in its own goroutine (Real) or from Advance (Fake)
	// once d has elapsed. Stop on the returned Timer cancels the call.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a one-shot timer, as time.Timer.
type Timer interface {
	// C returns the channel the firing time is sent on. It is nil for
	// timers made with AfterFunc.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether the call
	// stopped the timer (false if it had already fired or been stopped).
	Stop() bool
	// Reset makes the timer fire after d from now; it reports whether the
	// timer was active before.
	Reset(d time.Duration) bool
}

// Ticker delivers ticks at intervals, as time.Ticker.
type Ticker interface {
	// C returns the channel the ticks are sent on. Like time.Ticker it
	// holds one tick; ticks are dropped for slow receivers.
	C() <-chan time.Time
	// Stop turns the ticker off.
	Stop()
	// Reset stops the ticker and restarts it with period d.
	Reset(d time.Duration)
}

// Real returns the Clock backed by package time.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

func (realClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

func (realClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time   { return r.t.C }
func (r realTicker) Stop()                 { r.t.Stop() }
func (r realTicker) Reset(d time.Duration) { r.t.Reset(d) }
