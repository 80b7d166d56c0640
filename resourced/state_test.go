package resourced_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/resourced"
	"hbgo/resourced/fake"
	"hbgo/resourced/ocf"
)

func TestManagerTracksStateFailuresAndHistory(t *testing.T) {
	r := fake.New()
	m := resourced.NewManager(resourced.ManagerConfig{Runner: r})
	defer m.Close()
	ctx := context.Background()
	op := resourced.Op{Resource: "db"}
	do := func(action string) resourced.Result {
		o := op
		o.Action = action
		return m.Execute(ctx, o)
	}
	if m.State("db") != resourced.StateUnknown {
		t.Fatal("fresh resource not unknown")
	}
	m.Probe(ctx, op)
	if m.State("db") != resourced.StateStopped || m.FailCount("db") != 0 {
		t.Fatalf("after probe: %v fails=%d", m.State("db"), m.FailCount("db"))
	}
	m.Start(ctx, op)
	do(resourced.ActionPromote)
	if m.State("db") != resourced.StatePromoted {
		t.Fatalf("after promote: %v", m.State("db"))
	}
	do(resourced.ActionDemote)
	if m.State("db") != resourced.StateStarted || m.FailCount("db") != 0 {
		t.Fatalf("after demote: %v fails=%d", m.State("db"), m.FailCount("db"))
	}
	// The resource dies behind our back: the monitor's 7 is unexpected.
	r.SetState("db", ocf.NotRunning)
	do(resourced.ActionMonitor)
	if m.State("db") != resourced.StateStopped || m.FailCount("db") != 1 {
		t.Fatalf("after unexpected 7: %v fails=%d", m.State("db"), m.FailCount("db"))
	}
	h := m.History("db")
	var mon resourced.HistoryEntry
	for _, e := range h {
		if e.Op.Action == resourced.ActionMonitor && e.Op.Interval == 0 {
			mon = e
		}
	}
	if mon.Expected != ocf.Success || mon.Recovery != ocf.RecoverSoft || mon.Result.RC != ocf.NotRunning {
		t.Fatalf("monitor history entry: %+v", mon)
	}
	r.Inject("db", resourced.ActionStop, resourced.Result{Status: resourced.StatusTimeout, RC: ocf.ErrGeneric})
	m.Stop(ctx, op)
	if m.State("db") != resourced.StateFailed || m.FailCount("db") != 2 {
		t.Fatalf("after stop timeout: %v fails=%d", m.State("db"), m.FailCount("db"))
	}
	last := m.History("db")
	for _, e := range last {
		if e.Op.Action == resourced.ActionStop && e.Recovery != ocf.RecoverFence {
			t.Fatalf("failed stop must ask for fencing: %+v", e)
		}
	}
	m.ClearFailures("db")
	if m.FailCount("db") != 0 {
		t.Fatal("ClearFailures")
	}
}

func TestRecurringEventCarriesExpectation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := fake.New()
		clock := resourced.NewFakeClock(time.Unix(0, 0))
		events := make(chan resourced.Event, 4)
		m := resourced.NewManager(resourced.ManagerConfig{Runner: r, Clock: clock, OnResult: func(e resourced.Event) { events <- e }})
		defer m.Close()
		op := resourced.Op{Resource: "web"}
		m.Start(context.Background(), op)
		mon := op
		mon.Action, mon.Interval = resourced.ActionMonitor, 10*time.Second
		if err := m.StartRecurring(mon); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * time.Second)
		synctest.Wait()
		if e := <-events; e.Recovery != ocf.RecoverNone || e.Expected != ocf.Success {
			t.Fatalf("healthy monitor: %+v", e)
		}
		r.SetState("web", ocf.NotRunning)
		clock.Advance(10 * time.Second)
		synctest.Wait()
		if e := <-events; e.Recovery != ocf.RecoverSoft || e.Expected != ocf.Success || !e.Changed {
			t.Fatalf("failed monitor: %+v", e)
		}
	})
}

func TestRecoveryClasses(t *testing.T) {
	stop := resourced.Op{Action: resourced.ActionStop}
	start := resourced.Op{Action: resourced.ActionStart}
	done := func(rc ocf.ExitCode) resourced.Result { return resourced.Result{Status: resourced.StatusDone, RC: rc} }
	cases := []struct {
		op   resourced.Op
		r    resourced.Result
		want ocf.Recovery
	}{
		{start, done(ocf.Success), ocf.RecoverNone},
		{start, done(ocf.ErrInstalled), ocf.RecoverHard},
		{start, done(ocf.ErrConfigured), ocf.RecoverFatal},
		{start, resourced.Result{Status: resourced.StatusTimeout, RC: ocf.ErrGeneric}, ocf.RecoverSoft},
		{start, resourced.Result{Status: resourced.StatusNotInstalled, RC: ocf.ErrInstalled}, ocf.RecoverHard},
		{start, resourced.Result{Status: resourced.StatusCancelled, RC: ocf.ErrGeneric}, ocf.RecoverNone},
		{stop, done(ocf.Success), ocf.RecoverNone},
		{stop, done(ocf.ErrGeneric), ocf.RecoverFence},
		{stop, resourced.Result{Status: resourced.StatusTimeout, RC: ocf.ErrGeneric}, ocf.RecoverFence},
	}
	for i, c := range cases {
		if got := resourced.Recovery(c.op, c.r, ocf.Success); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}
