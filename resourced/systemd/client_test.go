package systemd

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"hbgo/resourced/ocf"
	"hbgo/resourced/systemd/fake"
)

// testBus starts a private dbus-daemon, a fake systemd on it and a client.
func testBus(t *testing.T) (*fake.Server, *Client, Config) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/dbus-daemon"); err != nil {
		t.Skip("dbus-daemon not installed")
	}
	d, err := fake.StartDaemon(t.TempDir(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	srv, err := fake.Serve(d.Address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := Config{CallTimeout: 2 * time.Second, PollInterval: 10 * time.Millisecond, DropInDir: t.TempDir()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, d.Address, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cfg.defaults()
	return srv, c, cfg
}

func opCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestStartMonitorStop(t *testing.T) {
	srv, c, _ := testBus(t)
	if err := srv.AddUnit("demo.service", fake.Behaviour{JobDelay: 50 * time.Millisecond}, "inactive"); err != nil {
		t.Fatal(err)
	}
	r, err := c.Monitor(opCtx(t, 5*time.Second), "demo.service")
	if err != nil || r.RC != ocf.NotRunning {
		t.Fatalf("monitor stopped: %+v %v", r, err)
	}
	r, err = c.Start(opCtx(t, 5*time.Second), "demo.service")
	if err != nil || r.RC != ocf.Success || r.ActiveState != "active" {
		t.Fatalf("start: %+v %v", r, err)
	}
	drop, err := os.ReadFile(c.DropInPath("demo.service"))
	if err != nil || !strings.Contains(string(drop), "Restart=no") {
		t.Fatalf("drop-in: %q %v", drop, err)
	}
	if srv.Reloads() != 1 {
		t.Errorf("reloads after first start = %d, want 1", srv.Reloads())
	}
	if r, err := c.Start(opCtx(t, 5*time.Second), "demo.service"); err != nil || r.RC != ocf.Success {
		t.Fatalf("start again: %+v %v", r, err)
	}
	if srv.Reloads() != 1 {
		t.Errorf("unchanged drop-in must not reload: %d", srv.Reloads())
	}
	if r, err := c.Monitor(opCtx(t, 5*time.Second), "demo.service"); err != nil || r.RC != ocf.Success {
		t.Fatalf("monitor running: %+v %v", r, err)
	}
	r, err = c.Stop(opCtx(t, 5*time.Second), "demo.service")
	if err != nil || r.RC != ocf.Success || srv.State("demo.service") != "inactive" {
		t.Fatalf("stop: %+v %v", r, err)
	}
	if _, err := os.Stat(c.DropInPath("demo.service")); !os.IsNotExist(err) {
		t.Errorf("drop-in left after stop: %v", err)
	}
	calls := strings.Join(srv.Calls(), "\n")
	for _, want := range []string{"Subscribe", "StartUnit demo.service replace", "StopUnit demo.service replace"} {
		if !strings.Contains(calls, want) {
			t.Errorf("no %q call in:\n%s", want, calls)
		}
	}
}

func TestNotFoundUnit(t *testing.T) {
	_, c, _ := testBus(t)
	r, err := c.Monitor(opCtx(t, 5*time.Second), "absent.service")
	if err != nil || r.RC != ocf.ErrInstalled || r.LoadState != "not-found" {
		t.Fatalf("monitor: %+v %v", r, err)
	}
	if r, err := c.Start(opCtx(t, 5*time.Second), "absent.service"); err != nil || r.RC != ocf.ErrInstalled {
		t.Fatalf("start: %+v %v", r, err)
	}
	if r, err := c.Stop(opCtx(t, 5*time.Second), "absent.service"); err != nil || r.RC != ocf.Success {
		t.Fatalf("stop of absent unit must succeed: %+v %v", r, err)
	}
}

func TestFailedJob(t *testing.T) {
	srv, c, _ := testBus(t)
	srv.AddUnit("bad.service", fake.Behaviour{StartResult: "failed"}, "inactive")
	r, err := c.Start(opCtx(t, 5*time.Second), "bad.service")
	if err != nil || r.RC != ocf.ErrGeneric || !strings.Contains(r.Detail, "job failed") {
		t.Fatalf("start: %+v %v", r, err)
	}
	r, err = c.Monitor(opCtx(t, 5*time.Second), "bad.service")
	if err != nil || r.RC != ocf.NotRunning || !strings.Contains(r.Detail, "failed") {
		t.Fatalf("monitor of failed unit: %+v %v", r, err)
	}
}

func TestJobRemovedBeforeReply(t *testing.T) {
	srv, c, _ := testBus(t)
	srv.AddUnit("fast.service", fake.Behaviour{EmitBeforeReply: true}, "inactive")
	for i := 0; i < 5; i++ {
		if r, err := c.Start(opCtx(t, 5*time.Second), "fast.service"); err != nil || r.RC != ocf.Success {
			t.Fatalf("start %d: %+v %v", i, r, err)
		}
		if r, err := c.Stop(opCtx(t, 5*time.Second), "fast.service"); err != nil || r.RC != ocf.Success {
			t.Fatalf("stop %d: %+v %v", i, r, err)
		}
	}
}

func TestPendingUnitTimesOut(t *testing.T) {
	srv, c, _ := testBus(t)
	srv.AddUnit("slow.service", fake.Behaviour{StartState: "activating"}, "inactive")
	r, err := c.Start(opCtx(t, time.Second), "slow.service")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrNotSettled) || !r.Pending || r.ActiveState != "activating" {
		t.Fatalf("start: %+v %v", r, err)
	}
	r, err = c.Monitor(opCtx(t, time.Second), "slow.service")
	if !errors.Is(err, context.DeadlineExceeded) || !r.Pending {
		t.Fatalf("monitor of activating unit: %+v %v", r, err)
	}
	// A pending state that settles while we poll gives the final answer.
	srv.SetState("slow.service", "deactivating")
	done := make(chan struct{})
	var mr Result
	var merr error
	go func() {
		mr, merr = c.Monitor(opCtx(t, 5*time.Second), "slow.service")
		close(done)
	}()
	srv.SetState("slow.service", "inactive")
	<-done
	if merr != nil || mr.RC != ocf.NotRunning {
		t.Fatalf("monitor after settle: %+v %v", mr, merr)
	}
	srv.SetState("slow.service", "reloading")
	if r, err := c.Monitor(opCtx(t, time.Second), "slow.service"); err != nil || r.RC != ocf.Success {
		t.Fatalf("reloading unit is running: %+v %v", r, err)
	}
}

func TestSilentJobTimesOut(t *testing.T) {
	srv, c, _ := testBus(t)
	srv.AddUnit("mute.service", fake.Behaviour{SilentJobs: true}, "inactive")
	start := time.Now()
	r, err := c.Start(opCtx(t, time.Second), "mute.service")
	if !errors.Is(err, context.DeadlineExceeded) || r.RC != ocf.ErrGeneric {
		t.Fatalf("start: %+v %v", r, err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("timeout not honoured: %v", time.Since(start))
	}
}

func TestDialTimeoutOnDeadBus(t *testing.T) {
	// A listening socket that never speaks D-Bus: Dial must give up.
	dir := t.TempDir()
	l, err := listenUnix(dir + "/dead")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, "unix:path="+dir+"/dead", Config{}); err == nil {
		t.Fatal("Dial to a silent socket succeeded")
	}
}

func TestBusGoneFailsWaiters(t *testing.T) {
	srv, c, _ := testBus(t)
	srv.AddUnit("mute.service", fake.Behaviour{SilentJobs: true}, "inactive")
	errc := make(chan error, 1)
	go func() {
		_, err := c.Start(opCtx(t, 10*time.Second), "mute.service")
		errc <- err
	}()
	// Wait until the start job exists, then drop the connection.
	if !srv.WaitCall("StartUnit mute.service", 5*time.Second) {
		t.Fatal("StartUnit never arrived")
	}
	c.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("start succeeded on a closed connection")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not woken by Close")
	}
}

func TestUnitName(t *testing.T) {
	for in, want := range map[string]string{"nginx": "nginx.service", "x.socket": "x.socket", "a@b.service": "a@b.service", "my.app": "my.app.service"} {
		if got := UnitName(in); got != want {
			t.Errorf("UnitName(%q) = %q, want %q", in, got, want)
		}
	}
	if fake.UnitPath("demo.service") != "/org/freedesktop/systemd1/unit/demo_2eservice" {
		t.Error(fake.UnitPath("demo.service"))
	}
}
