package resourced

import (
	"context"
	"os"
	"testing"
	"time"

	"hbgo/resourced/ocf"
	"hbgo/resourced/systemd"
	"hbgo/resourced/systemd/fake"
)

func TestSystemdClassThroughExecutor(t *testing.T) {
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := systemd.Dial(ctx, d.Address, systemd.Config{PollInterval: 10 * time.Millisecond, DropInDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	srv.AddUnit("web.service", fake.Behaviour{JobDelay: 20 * time.Millisecond}, "inactive")
	srv.AddUnit("broken.service", fake.Behaviour{StartResult: "failed"}, "inactive")
	srv.AddUnit("stuck.service", fake.Behaviour{StartState: "activating"}, "inactive")
	srv.AddUnit("mute.service", fake.Behaviour{SilentJobs: true}, "inactive")

	e, _ := testExecutor(t, func(c *Config) { c.Systemd = client })
	op := Op{Resource: "web", Agent: Agent{Class: ClassSystemd, Type: "web"}, Timeout: 5 * time.Second}
	runSteps(t, e, op, []step{
		{ActionMonitor, 0, ocf.NotRunning},
		{ActionStart, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.Success},
		{ActionStop, 0, ocf.Success},
		{ActionStatus, 0, ocf.NotRunning},
	})
	check := func(typ, action string, timeout time.Duration, st Status, rc ocf.ExitCode) {
		t.Helper()
		r := e.Run(context.Background(), Op{Resource: typ, Agent: Agent{Class: ClassSystemd, Type: typ}, Action: action, Timeout: timeout})
		if r.Status != st || r.RC != rc {
			t.Errorf("%s %s: status=%v rc=%v reason=%q; want %v/%v", typ, action, r.Status, r.RC, r.ExitReason, st, rc)
		}
	}
	check("absent", ActionMonitor, 5*time.Second, StatusNotInstalled, ocf.ErrInstalled)
	check("broken", ActionStart, 5*time.Second, StatusDone, ocf.ErrGeneric)
	check("stuck", ActionStart, time.Second, StatusPending, ocf.ErrGeneric)
	check("mute", ActionStart, time.Second, StatusTimeout, ocf.ErrGeneric)
	check("web", "promote", 5*time.Second, StatusInvalid, ocf.ErrUnimplemented)

	// Probes of a unit that does not exist mean "stopped here".
	m := NewManager(ManagerConfig{Runner: e})
	if r := m.Probe(context.Background(), Op{Resource: "absent", Agent: Agent{Class: ClassSystemd, Type: "absent"}}); r.RC != ocf.NotRunning {
		t.Errorf("probe of absent unit: %+v", r)
	}
	noBus, _ := testExecutor(t, nil)
	if r := noBus.Run(context.Background(), op); r.Status != StatusError {
		t.Errorf("systemd op without a controller: %+v", r)
	}
}
