package resourced

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/resourced/ocf"
)

const (
	hbDummy    = "/usr/lib/ocf/resource.d/heartbeat/Dummy"
	pcmkDummy  = "/usr/lib/ocf/resource.d/pacemaker/Dummy"
	hbStateful = "/usr/lib/ocf/resource.d/heartbeat/Stateful"
	pcmkState  = "/usr/lib/ocf/resource.d/pacemaker/Stateful"
	hbIPaddr2  = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2"
	hbIPaddr   = "/usr/lib/ocf/resource.d/heartbeat/IPaddr"
)

type step struct {
	action   string
	interval time.Duration
	want     ocf.ExitCode
}

func runSteps(t *testing.T, e *Executor, base Op, steps []step) {
	t.Helper()
	for i, s := range steps {
		op := base
		op.Action, op.Interval = s.action, s.interval
		r := e.Run(context.Background(), op)
		if r.Status != StatusDone || r.RC != s.want {
			t.Fatalf("step %d %s(interval %v): status=%v rc=%v want %v; reason=%q stderr=%q",
				i, s.action, s.interval, r.Status, r.RC, s.want, r.ExitReason, r.Stderr)
		}
	}
}

func TestDummyLifecycle(t *testing.T) {
	requireAgent(t, hbDummy)
	e, _ := testExecutor(t, nil)
	op := Op{Resource: uniq("dummy"), Agent: Agent{ClassOCF, "heartbeat", "Dummy"}, Timeout: 20 * time.Second}

	probe := op
	probe.Action = ActionMonitor
	r := e.Run(context.Background(), probe)
	if r.RC != ocf.NotRunning || r.ExitReason != "" || r.Status != StatusDone {
		t.Fatalf("probe: %+v (a probe is quiet: no exit reason)", r)
	}
	mon := probe
	mon.Interval = 10 * time.Second
	r = e.Run(context.Background(), mon)
	if r.RC != ocf.NotRunning || !strings.Contains(r.ExitReason, "No process state file found") {
		t.Fatalf("recurring monitor of stopped Dummy: rc=%v reason=%q", r.RC, r.ExitReason)
	}
	runSteps(t, e, op, []step{
		{ActionValidate, 0, ocf.Success},
		{ActionStart, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.Success},
		{ActionStart, 0, ocf.Success},
		{ActionMonitor, 0, ocf.Success},
		{ActionStop, 0, ocf.Success},
		{ActionMonitor, 0, ocf.NotRunning},
		{ActionStop, 0, ocf.Success},
		{"bogus", 0, ocf.ErrUnimplemented},
	})
	if r.Duration <= 0 {
		t.Errorf("duration not measured: %v", r.Duration)
	}
}

func TestOCFEnvironmentContract(t *testing.T) {
	requireAgent(t, hbDummy)
	e, cfg := testExecutor(t, nil)
	// A fake provider whose agent prints its environment.
	root := t.TempDir()
	dir := filepath.Join(root, "resource.d", "test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nenv | sort\necho 'ocf-exit-reason:first' >&2\necho 'ocf-exit-reason: last one ' >&2\nexit 7\n"
	if err := os.WriteFile(filepath.Join(dir, "envdump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg.OCFRoot = root
	e = NewExecutor(cfg)
	r := e.Run(context.Background(), Op{
		Resource: "r1", Agent: Agent{ClassOCF, "test", "envdump"}, Action: ActionMonitor,
		Params: map[string]string{"ip": "198.51.100.9", "empty_ok": ""}, Meta: map[string]string{"notify_type": "pre"},
		Interval: 10 * time.Second, Timeout: 15 * time.Second, Depth: 10,
	})
	for _, want := range []string{
		"OCF_ROOT=" + root, "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=0",
		"OCF_RESOURCE_INSTANCE=r1", "OCF_RESOURCE_TYPE=envdump", "OCF_RESOURCE_PROVIDER=test",
		"OCF_RESKEY_ip=198.51.100.9", "OCF_RESKEY_CRM_meta_timeout=15000", "OCF_RESKEY_CRM_meta_interval=10000",
		"OCF_RESKEY_CRM_meta_notify_type=pre", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HA_RSCTMP=" + cfg.StateDir, "OCF_CHECK_LEVEL=10",
	} {
		if !strings.Contains(r.Stdout, want+"\n") {
			t.Errorf("environment lacks %q:\n%s", want, r.Stdout)
		}
	}
	if r.RC != ocf.NotRunning || r.ExitReason != "last one" {
		t.Errorf("rc=%v reason=%q", r.RC, r.ExitReason)
	}
	bad := e.Run(context.Background(), Op{Resource: "r1", Agent: Agent{ClassOCF, "test", "envdump"}, Action: "start",
		Params: map[string]string{"bad-name": "x"}})
	if bad.Status != StatusInvalid || !errors.Is(bad.Err, ErrBadOp) {
		t.Errorf("bad parameter name accepted: %+v", bad)
	}
	missing := e.Run(context.Background(), Op{Resource: "r1", Agent: Agent{ClassOCF, "test", "nope"}, Action: "start"})
	if missing.Status != StatusNotInstalled || missing.RC != ocf.ErrInstalled || !errors.Is(missing.Err, ErrNotInstalled) {
		t.Errorf("missing agent: %+v", missing)
	}
}

func TestTimeoutAgentIgnoringTERM(t *testing.T) {
	requireAgent(t, pcmkDummy)
	e, _ := testExecutor(t, func(c *Config) { c.KillGrace = 300 * time.Millisecond })
	rsc := uniq("stubborn")
	op := Op{Resource: rsc, Agent: Agent{ClassOCF, "pacemaker", "Dummy"}, Action: ActionStart,
		Params: map[string]string{"op_sleep": "30"}, Timeout: 700 * time.Millisecond}
	r := e.Run(context.Background(), op)
	if r.Status != StatusTimeout || r.RC != ocf.ErrGeneric || !strings.Contains(r.ExitReason, "timed out") {
		t.Fatalf("result = %+v", r)
	}
	if r.Duration < op.Timeout || r.Duration > 5*time.Second {
		t.Errorf("duration %v: want about the timeout", r.Duration)
	}
	if left := leftovers(t, "OCF_RESOURCE_INSTANCE="+rsc); len(left) != 0 {
		t.Fatalf("processes left behind: %v", left)
	}
	// The same agent finishes normally within its timeout.
	op.Params = map[string]string{"op_sleep": "0"}
	op.Timeout = 20 * time.Second
	if r := e.Run(context.Background(), op); r.Status != StatusDone || r.RC != ocf.Success {
		t.Fatalf("start without sleep: %+v", r)
	}
	op.Action = ActionStop
	e.Run(context.Background(), op)
}

func TestTimeoutKillsStubbornAgentGroup(t *testing.T) {
	root, _ := filepath.Abs("testdata/ocf")
	e, _ := testExecutor(t, func(c *Config) { c.OCFRoot = root; c.KillGrace = 300 * time.Millisecond })
	rsc := uniq("stubborn")
	op := Op{Resource: rsc, Agent: Agent{ClassOCF, "test", "Stubborn"}, Action: ActionStart, Timeout: 2 * time.Second}
	r := e.Run(context.Background(), op)
	if r.Status != StatusTimeout || r.RC != ocf.ErrGeneric {
		t.Fatalf("result = %+v", r)
	}
	if r.Duration < op.Timeout+300*time.Millisecond {
		t.Errorf("duration %v: SIGKILL came before the grace after SIGTERM", r.Duration)
	}
	if !strings.Contains(r.Stderr, "child ") {
		t.Fatalf("the agent's child never started (stderr %q); the test proves nothing", r.Stderr)
	}
	if left := leftovers(t, "OCF_RESOURCE_INSTANCE="+rsc); len(left) != 0 {
		t.Fatalf("processes left behind: %v", left)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	op.Timeout = 10 * time.Second
	if r := e.Run(ctx, op); r.Status != StatusCancelled {
		t.Fatalf("cancelled run: %+v", r)
	}
	if left := leftovers(t, "OCF_RESOURCE_INSTANCE="+rsc); len(left) != 0 {
		t.Fatalf("processes left behind after cancel: %v", left)
	}
}

func TestStatefulPromoteDemote(t *testing.T) {
	requireAgent(t, hbStateful)
	e, _ := testExecutor(t, nil)
	op := Op{Resource: uniq("stateful"), Agent: Agent{ClassOCF, "heartbeat", "Stateful"}}
	runSteps(t, e, op, []step{
		{ActionMonitor, 0, ocf.NotRunning},
		{ActionStart, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.Success},
		{ActionPromote, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.RunningPromoted},
		{ActionDemote, 0, ocf.Success},
		{ActionMonitor, 11 * time.Second, ocf.Success},
		{ActionStop, 0, ocf.Success},
		{ActionMonitor, 0, ocf.NotRunning},
	})
}

func TestStatefulFailedPromoted(t *testing.T) {
	requireAgent(t, pcmkState)
	e, _ := testExecutor(t, nil)
	state := filepath.Join(t.TempDir(), "stateful.state")
	op := Op{Resource: uniq("stateful9"), Agent: Agent{ClassOCF, "pacemaker", "Stateful"},
		Params: map[string]string{"state": state}}
	runSteps(t, e, op, []step{
		{ActionStart, 0, ocf.Success},
		{ActionPromote, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.RunningPromoted},
	})
	// The agent's test hook: monitor exits with the code in <state>.rc.
	if err := os.WriteFile(state+".rc", []byte("9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	op.Action, op.Interval = ActionMonitor, 10*time.Second
	r := e.Run(context.Background(), op)
	if r.RC != ocf.FailedPromoted || r.RC.Class() != ocf.RecoverSoft || r.ExitReason == "" {
		t.Fatalf("monitor = %+v", r)
	}
	os.Remove(state + ".rc")
	runSteps(t, e, op, []step{{ActionDemote, 0, ocf.Success}, {ActionStop, 0, ocf.Success}})
}

// handEnv is the OCF environment written out by hand, independently of
// the executor, for running an agent directly.
func handEnv(rsc, provider, typ, stateDir string, interval time.Duration, params map[string]string) []string {
	env := []string{
		"OCF_ROOT=/usr/lib/ocf", "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=0",
		"OCF_RESOURCE_INSTANCE=" + rsc, "OCF_RESOURCE_TYPE=" + typ, "OCF_RESOURCE_PROVIDER=" + provider,
		"OCF_RESKEY_CRM_meta_timeout=20000", "HA_RSCTMP=" + stateDir, "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	}
	env = append(env, "OCF_RESKEY_CRM_meta_interval="+itoa(interval.Milliseconds()))
	for k, v := range params {
		env = append(env, "OCF_RESKEY_"+k+"="+v)
	}
	return env
}

func itoa(n int64) string { return formatInt(n) }

func formatInt(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// conformance runs the same action sequence through the executor (on one
// instance) and by hand with exec (on a twin instance) and requires the
// same exit code at every step, like ocf-tester's sequence.
func conformance(t *testing.T, e *Executor, prefix []string, provider, typ string, params, twinParams map[string]string, steps []step) {
	t.Helper()
	path := filepath.Join("/usr/lib/ocf/resource.d", provider, typ)
	stateDir := e.cfg.StateDir
	ours := Op{Resource: uniq(typ + "-ours"), Agent: Agent{ClassOCF, provider, typ}, Params: params, Timeout: 20 * time.Second}
	twin := uniq(typ + "-hand")
	for i, s := range steps {
		op := ours
		op.Action, op.Interval = s.action, s.interval
		got := e.Run(context.Background(), op)
		args := append(append([]string{}, prefix...), path, s.action)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = handEnv(twin, provider, typ, stateDir, s.interval, twinParams)
		err := cmd.Run()
		hand := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			hand = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %d: by hand: %v", i, err)
		}
		if got.Status != StatusDone || int(got.RC) != hand || got.RC != s.want {
			t.Fatalf("step %d %s: runner rc=%v (%v) by hand rc=%d, sequence expects %v; reason=%q",
				i, s.action, got.RC, got.Status, hand, s.want, got.ExitReason)
		}
	}
}

var testerSteps = []step{
	{ActionMetaData, 0, ocf.Success},
	{ActionValidate, 0, ocf.Success},
	{ActionMonitor, 20 * time.Second, ocf.NotRunning},
	{ActionMonitor, 0, ocf.NotRunning},
	{ActionStart, 0, ocf.Success},
	{ActionMonitor, 20 * time.Second, ocf.Success},
	{ActionMonitor, 0, ocf.Success},
	{ActionStop, 0, ocf.Success},
	{ActionMonitor, 20 * time.Second, ocf.NotRunning},
	{ActionStart, 0, ocf.Success},
	{ActionStart, 0, ocf.Success},
	{ActionMonitor, 20 * time.Second, ocf.Success},
	{ActionStop, 0, ocf.Success},
	{ActionStop, 0, ocf.Success},
	{ActionMonitor, 20 * time.Second, ocf.NotRunning},
	{"no-such-action", 0, ocf.ErrUnimplemented},
}

func TestConformanceDummy(t *testing.T) {
	requireAgent(t, hbDummy)
	e, _ := testExecutor(t, nil)
	conformance(t, e, nil, "heartbeat", "Dummy", nil, nil, testerSteps)
}

func TestConformanceStateful(t *testing.T) {
	requireAgent(t, hbStateful)
	e, _ := testExecutor(t, nil)
	steps := append([]step{}, testerSteps[:7]...)
	steps = append(steps,
		step{ActionDemote, 0, ocf.Success},
		step{ActionPromote, 0, ocf.Success},
		step{ActionMonitor, 10 * time.Second, ocf.RunningPromoted},
		step{ActionPromote, 0, ocf.Success},
		step{ActionDemote, 0, ocf.Success},
		step{ActionDemote, 0, ocf.Success},
		step{ActionNotify, 0, ocf.ErrUnimplemented},
	)
	steps = append(steps, testerSteps[7:]...)
	conformance(t, e, nil, "heartbeat", "Stateful", nil, nil, steps)
}

func TestConformanceIPaddr2InNetns(t *testing.T) {
	requireAgent(t, hbIPaddr2)
	ns := netns(t)
	prefix := []string{"ip", "netns", "exec", ns}
	e, _ := testExecutor(t, func(c *Config) { c.CommandPrefix = prefix })
	params := map[string]string{"ip": "198.51.100.50", "cidr_netmask": "24", "nic": "v0", "arp_count": "1"}
	twin := map[string]string{"ip": "198.51.100.51", "cidr_netmask": "24", "nic": "v0", "arp_count": "1"}
	conformance(t, e, prefix, "heartbeat", "IPaddr2", params, twin, testerSteps[:7])
	addrs := nsAddrs(t, ns)
	if !strings.Contains(addrs, "198.51.100.50/24") || !strings.Contains(addrs, "198.51.100.51/24") {
		t.Fatalf("addresses not added in the namespace:\n%s", addrs)
	}
	if strings.Contains(hostAddrs(t), "198.51.100.5") {
		t.Fatal("an address leaked onto the host's interfaces")
	}
	conformance(t, e, prefix, "heartbeat", "IPaddr2", params, twin, testerSteps[7:])
	if addrs := nsAddrs(t, ns); strings.Contains(addrs, "198.51.100.50") {
		t.Fatalf("address not removed:\n%s", addrs)
	}
}

func TestLSBScript(t *testing.T) {
	e, cfg := testExecutor(t, nil)
	data, err := os.ReadFile("testdata/lsb-demo")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.InitDir, "lsb-demo"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	op := Op{Resource: "demo", Agent: Agent{Class: ClassLSB, Type: "lsb-demo"}}
	runSteps(t, e, op, []step{
		{ActionMonitor, 0, ocf.NotRunning}, // status exit 3 -> 7
		{ActionStart, 0, ocf.Success},
		{ActionStatus, 0, ocf.Success},
		{ActionMonitor, 10 * time.Second, ocf.Success},
		{"restart", 0, ocf.Success},
		{ActionStop, 0, ocf.Success},
		{ActionMonitor, 0, ocf.NotRunning},
	})
	for rc, want := range map[string]ocf.ExitCode{"1": ocf.NotRunning, "4": ocf.ErrGeneric, "150": ocf.ErrInstalled} {
		os.WriteFile(filepath.Join(cfg.InitDir, "status-rc"), []byte(rc), 0o644)
		op.Action = ActionMonitor
		if r := e.Run(context.Background(), op); r.RC != want {
			t.Errorf("status exit %s -> %v, want %v", rc, r.RC, want)
		}
	}
	op.Action = "promote"
	if r := e.Run(context.Background(), op); r.Status != StatusInvalid || r.RC != ocf.ErrUnimplemented {
		t.Errorf("lsb promote: %+v", r)
	}
	op.Agent.Type, op.Action = "absent", ActionMonitor
	if r := e.Run(context.Background(), op); r.Status != StatusNotInstalled || r.RC != ocf.ErrInstalled {
		t.Errorf("missing init script: %+v", r)
	}
}

func TestLegacyResourceDScript(t *testing.T) {
	e, cfg := testExecutor(t, nil)
	rd := filepath.Join(cfg.ConfigDir, "resource.d")
	os.MkdirAll(rd, 0o755)
	data, _ := os.ReadFile("testdata/legacy-demo")
	os.WriteFile(filepath.Join(rd, "legacy-demo"), data, 0o755)
	name, args := ParseHeartbeatResource("legacy-demo::alpha::beta")
	op := Op{Resource: "legacy", Agent: Agent{Class: ClassHeartbeat, Type: name}, Args: args}
	// status exits 0 with no text: stopped. Exits 3 printing OK: running.
	runSteps(t, e, op, []step{
		{ActionStatus, 0, ocf.NotRunning},
		{ActionStart, 0, ocf.Success},
		{ActionStatus, 0, ocf.Success},
		{ActionMonitor, 0, ocf.Success},
		{ActionStop, 0, ocf.Success},
		{ActionStatus, 0, ocf.NotRunning},
		{"bogus", 0, ocf.ErrGeneric},
	})
	got, _ := os.ReadFile(filepath.Join(rd, "legacy-demo-alpha.state"))
	_ = got
	op.Action = ActionStart
	e.Run(context.Background(), op)
	got, _ = os.ReadFile(filepath.Join(rd, "legacy-demo-alpha.state"))
	if string(got) != "alpha beta start\n" {
		t.Errorf("script called with %q, want \"alpha beta start\"", got)
	}
}

func TestHeartbeatLookupOrder(t *testing.T) {
	e, cfg := testExecutor(t, nil)
	rd := filepath.Join(cfg.ConfigDir, "resource.d")
	os.MkdirAll(rd, 0o755)
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte("#!/bin/sh\necho "+text+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(rd, "both"), "from-resource.d running")
	write(filepath.Join(cfg.InitDir, "both"), "from-init.d running")
	write(filepath.Join(cfg.InitDir, "initonly"), "from-init.d running")
	os.WriteFile(filepath.Join(rd, "noexec"), []byte("#!/bin/sh\n"), 0o644)
	cases := map[string]ScriptKind{"both": ScriptResourceD, "initonly": ScriptInitD, "noexec": ScriptNone, "nothing": ScriptNone}
	if _, err := os.Stat(hbIPaddr); err == nil {
		cases["IPaddr"] = ScriptMappedOCF
	}
	for name, want := range cases {
		if kind, _ := e.ResolveHeartbeat(name); kind != want {
			t.Errorf("ResolveHeartbeat(%s) = %v, want %v", name, kind, want)
		}
	}
	r := e.Run(context.Background(), Op{Resource: "x", Agent: Agent{Class: ClassHeartbeat, Type: "both"}, Action: ActionStatus})
	if r.Stdout != "from-resource.d running\n" || r.RC != ocf.Success {
		t.Errorf("resource.d must win: %+v", r)
	}
	r = e.Run(context.Background(), Op{Resource: "x", Agent: Agent{Class: ClassHeartbeat, Type: "nothing"}, Action: ActionStart})
	if r.Status != StatusNotInstalled || !strings.Contains(r.ExitReason, "Cannot locate resource script nothing") {
		t.Errorf("missing script: %+v", r)
	}
}

func TestLegacyIPaddrMappedToOCFInNetns(t *testing.T) {
	requireAgent(t, hbIPaddr)
	ns := netns(t)
	// Empty config and init dirs: as on a machine without the heartbeat
	// package's resource.d wrappers.
	e, _ := testExecutor(t, func(c *Config) { c.CommandPrefix = []string{"ip", "netns", "exec", ns} })
	name, args := ParseHeartbeatResource("198.51.100.60/24/v0")
	if name != "IPaddr" {
		t.Fatalf("bare IP token parsed as %q", name)
	}
	op := Op{Resource: "ignored", Agent: Agent{Class: ClassHeartbeat, Type: name}, Args: args}
	runSteps(t, e, op, []step{{ActionStatus, 0, ocf.NotRunning}, {ActionStart, 0, ocf.Success}})
	if addrs := nsAddrs(t, ns); !strings.Contains(addrs, "198.51.100.60/24") {
		t.Fatalf("IPaddr did not add the address:\n%s", addrs)
	}
	if strings.Contains(hostAddrs(t), "198.51.100.60") {
		t.Fatal("address leaked onto the host")
	}
	runSteps(t, e, op, []step{{ActionStatus, 0, ocf.Success}, {ActionStop, 0, ocf.Success}, {ActionStatus, 0, ocf.NotRunning}})
	if addrs := nsAddrs(t, ns); strings.Contains(addrs, "198.51.100.60") {
		t.Fatalf("address not removed:\n%s", addrs)
	}
	// Usage errors as in the wrapper: exactly one argument.
	op.Args = []string{"198.51.100.60", "extra"}
	op.Action = ActionStart
	if r := e.Run(context.Background(), op); r.RC != ocf.ErrGeneric || !errors.Is(r.Err, ErrBadOp) {
		t.Errorf("two arguments: %+v", r)
	}
}

func TestExitReasonSurvivesOutputCap(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "resource.d", "test")
	os.MkdirAll(dir, 0o755)
	script := "#!/bin/sh\ni=0\nwhile [ $i -lt 2000 ]; do echo \"log line $i of a chatty agent\" >&2; i=$((i+1)); done\n" +
		"echo 'ocf-exit-reason:disk full' >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "chatty"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := testExecutor(t, func(c *Config) { c.OCFRoot = root; c.OutputCap = 1024 })
	r := e.Run(context.Background(), Op{Resource: "c", Agent: Agent{ClassOCF, "test", "chatty"}, Action: ActionStart})
	if r.RC != ocf.ErrGeneric || r.ExitReason != "disk full" || len(r.Stderr) > 1100 || !strings.Contains(r.Stderr, "bytes dropped") {
		t.Fatalf("rc=%v reason=%q stderr len %d", r.RC, r.ExitReason, len(r.Stderr))
	}
}
