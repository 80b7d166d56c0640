package rscmgr

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/heartbeat/failover"
)

// fakeScripts keeps the running set and a per-token behaviour.
type fakeScripts struct {
	running   map[string]bool
	failStart map[string]bool
	stopFails map[string]int // stop fails this many times
	calls     []string
}

func (f *fakeScripts) Running(_ context.Context, tok string) bool {
	f.calls = append(f.calls, tok+" status")
	return f.running[tok]
}

func (f *fakeScripts) Do(_ context.Context, tok, action string) (int, error) {
	f.calls = append(f.calls, tok+" "+action)
	switch action {
	case "start":
		if f.failStart[tok] {
			return 1, nil
		}
		f.running[tok] = true
	case "stop":
		if f.stopFails[tok] != 0 {
			if f.stopFails[tok] > 0 {
				f.stopFails[tok]--
			}
			return 1, nil
		}
		delete(f.running, tok)
	}
	return 0, nil
}

func newTest(f *fakeScripts) (*Manager, *[]string) {
	l := logrus.New()
	l.SetOutput(io.Discard)
	m := New([]Group{{Key: "IPaddr::10.0.0.1", Resources: []string{"IPaddr::10.0.0.1", "Filesystem::/dev/x::/d", "apache"}}},
		f, logrus.NewEntry(l))
	var reboots []string
	m.Reboot = func(reason string) { reboots = append(reboots, reason) }
	m.Sleep = func(context.Context, time.Duration) error { return nil }
	return m, &reboots
}

func calls(f *fakeScripts) string { return strings.Join(f.calls, ", ") }

func TestTakeStartsLeftToRightSkippingRunning(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{"Filesystem::/dev/x::/d": true}}
	m, _ := newTest(f)
	if failed, err := m.TakeGroup(context.Background(), "IPaddr::10.0.0.1"); failed != "" || err != nil {
		t.Fatal(failed, err)
	}
	want := "IPaddr::10.0.0.1 status, IPaddr::10.0.0.1 start, Filesystem::/dev/x::/d status, apache status, apache start"
	if calls(f) != want {
		t.Fatalf("calls %s", calls(f))
	}
}

func TestFailedStartReleasesTheGroupInReverse(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{}, failStart: map[string]bool{"apache": true}}
	m, _ := newTest(f)
	failed, _ := m.TakeGroup(context.Background(), "IPaddr::10.0.0.1")
	if failed != "apache" {
		t.Fatalf("failed = %q", failed)
	}
	if !strings.HasSuffix(calls(f), "apache start, apache stop, Filesystem::/dev/x::/d stop, IPaddr::10.0.0.1 stop") {
		t.Fatalf("calls %s", calls(f))
	}
	if len(f.running) != 0 {
		t.Fatalf("left running: %v", f.running)
	}
}

func TestStopIsRetriedThenRebootsWhenStillRunning(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{"apache": true}, stopFails: map[string]int{"apache": -1}}
	m, reboots := newTest(f)
	if err := m.GiveGroup(context.Background(), "IPaddr::10.0.0.1"); err == nil {
		t.Fatal("stop failure not reported")
	}
	if n := strings.Count(calls(f), "apache stop"); n != 11 {
		t.Fatalf("apache stop tried %d times, want 1 + 10 retries", n)
	}
	if len(*reboots) != 1 {
		t.Fatalf("reboots %v", *reboots)
	}
}

func TestStopFailureOfAStoppedResourceOnlyWarns(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{}, stopFails: map[string]int{"apache": -1}}
	m, reboots := newTest(f)
	m.StopRetryMax = 2
	if err := m.GiveGroup(context.Background(), "IPaddr::10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if len(*reboots) != 0 {
		t.Fatal("rebooted for a resource that is not running")
	}
}

func TestStopSucceedsAfterRetries(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{"apache": true}, stopFails: map[string]int{"apache": 3}}
	m, reboots := newTest(f)
	if err := m.GiveGroup(context.Background(), "IPaddr::10.0.0.1"); err != nil || len(*reboots) != 0 {
		t.Fatal(err, *reboots)
	}
}

func TestDoCarriesOutFailoverJobs(t *testing.T) {
	f := &fakeScripts{running: map[string]bool{}}
	m, _ := newTest(f)
	ctx := context.Background()
	key := "IPaddr::10.0.0.1"
	if r := m.Do(ctx, failover.Job{ID: 1, Kind: failover.CheckGroups, Keys: []string{key}}); len(r.NotRunning) != 1 || r.ID != 1 {
		t.Fatalf("%+v", r)
	}
	m.Do(ctx, failover.Job{ID: 2, Kind: failover.TakeGroups, Keys: []string{key}})
	if !f.running["apache"] {
		t.Fatal("take did not start")
	}
	if keys := m.RunningKeys(ctx); len(keys) != 1 {
		t.Fatalf("running keys %v", keys)
	}
	if r := m.Do(ctx, failover.Job{ID: 3, Kind: failover.ReleaseIfOwned, Keys: []string{key}}); !r.Owned || len(f.running) != 0 {
		t.Fatalf("%+v %v", r, f.running)
	}
	if r := m.Do(ctx, failover.Job{ID: 4, Kind: failover.ReleaseIfOwned, Keys: []string{key}}); r.Owned {
		t.Fatal("owned a stopped group")
	}
	if _, err := m.TakeGroup(ctx, "nope"); err == nil {
		t.Fatal("unknown key accepted")
	}
}
