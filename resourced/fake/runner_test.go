package fake

import (
	"context"
	"testing"
	"time"

	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

func TestLifecycleAndInjection(t *testing.T) {
	r := New()
	ctx := context.Background()
	run := func(action string) ocf.ExitCode {
		return r.Run(ctx, resourced.Op{Resource: "a", Action: action}).RC
	}
	steps := []struct {
		action string
		want   ocf.ExitCode
	}{
		{"monitor", ocf.NotRunning}, {"promote", ocf.ErrGeneric}, {"start", ocf.Success}, {"monitor", ocf.Success},
		{"promote", ocf.Success}, {"monitor", ocf.RunningPromoted}, {"start", ocf.Success}, {"monitor", ocf.RunningPromoted},
		{"demote", ocf.Success}, {"monitor", ocf.Success}, {"stop", ocf.Success}, {"monitor", ocf.NotRunning},
		{"bogus", ocf.ErrUnimplemented}, {"validate-all", ocf.Success},
	}
	for i, s := range steps {
		if got := run(s.action); got != s.want {
			t.Fatalf("step %d %s = %v, want %v", i, s.action, got, s.want)
		}
	}
	r.Inject("a", "start", resourced.Result{Status: resourced.StatusTimeout, RC: ocf.ErrGeneric})
	if got := r.Run(ctx, resourced.Op{Resource: "a", Action: "start"}); got.Status != resourced.StatusTimeout {
		t.Fatalf("injected: %+v", got)
	}
	if run("monitor") != ocf.NotRunning || run("start") != ocf.Success {
		t.Fatal("injection must be used once and not change state")
	}
	r.Always("a", "monitor", resourced.Result{Status: resourced.StatusDone, RC: ocf.ErrGeneric})
	if run("monitor") != ocf.ErrGeneric || run("monitor") != ocf.ErrGeneric {
		t.Fatal("sticky result not applied")
	}
	r.Clear("a")
	r.SetState("a", ocf.NotRunning)
	if run("monitor") != ocf.NotRunning {
		t.Fatal("SetState ignored")
	}
	if n := len(r.Calls()); n != len(steps)+6 {
		t.Errorf("recorded %d calls", n)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if got := r.Run(cctx, resourced.Op{Resource: "a", Action: "start"}); got.Status != resourced.StatusCancelled {
		t.Errorf("cancelled ctx: %+v", got)
	}
}

func TestWithManager(t *testing.T) {
	r := New()
	m := resourced.NewManager(resourced.ManagerConfig{Runner: r})
	defer m.Close()
	op := resourced.Op{Resource: "vip", Agent: resourced.Agent{Class: resourced.ClassOCF, Provider: "heartbeat", Type: "IPaddr2"}, Interval: time.Minute}
	if res := m.Start(context.Background(), op); !res.Succeeded(ocf.Success) {
		t.Fatalf("start: %+v", res)
	}
	if res := m.Probe(context.Background(), op); res.RC != ocf.Success {
		t.Fatalf("probe after start: %+v", res)
	}
}
