package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/crm/status/cibdoc"
	"hbgo/internal/testenv"
	"hbgo/resourced"
)

// TestCleanupRemovesFailedHistory cleans up a resource with a failed
// monitor and checks that only its failed history and fail counts go,
// and that num_updates moves.
func TestCleanupRemovesFailedHistory(t *testing.T) {
	shared := testenv.SharedDir(t)
	path := filepath.Join(t.TempDir(), "cib.xml")
	copyFile(t, filepath.Join(shared, "scheduler/cases/clone-fail-block-colocation/input.xml"), path)
	before, _ := cibdoc.FileSource{Path: path}.Load()
	rc, out, errs := ours(path, nil, "-C", "-r", "d_bird6")
	if rc != 0 {
		t.Fatalf("rc=%d err=%s", rc, errs)
	}
	if out != "Cleaned up d_bird6 on DEM-1\n" {
		t.Fatalf("output %q", out)
	}
	after, _ := cibdoc.FileSource{Path: path}.Load()
	if after.Attr("epoch") != before.Attr("epoch") || after.Attr("num_updates") == before.Attr("num_updates") {
		t.Fatalf("counters: epoch %s->%s num_updates %s->%s", before.Attr("epoch"), after.Attr("epoch"), before.Attr("num_updates"), after.Attr("num_updates"))
	}
	text := after.String()
	if strings.Contains(text, "fail-count-d_bird6") {
		t.Fatal("fail count of d_bird6 left behind")
	}
	if n, was := strings.Count(text, `lrm_resource id="d_bird6"`), strings.Count(before.String(), `lrm_resource id="d_bird6"`); n != was-1 {
		t.Fatalf("d_bird6 histories %d -> %d, want one removed (the failed one)", was, n)
	}
	// nothing failed any more: ours now reports no failed actions
	rc, out, _ = ours(path, nil, "-C")
	if rc != 0 || out != "" {
		t.Fatalf("second cleanup: rc=%d out=%q", rc, out)
	}
	rc, out, _ = ours(path, nil, "-R", "-r", "d_bird6")
	if rc != 0 || out != "Cleaned up d_bird6 on DEM-2\n" {
		t.Fatalf("refresh: rc=%d out=%q", rc, out)
	}
}

func TestWhyUsesScheduler(t *testing.T) {
	shared := testenv.SharedDir(t)
	path := filepath.Join(t.TempDir(), "cib.xml")
	copyFile(t, filepath.Join(shared, "scheduler/cases/bug-1718/input.xml"), path)
	_, out, _ := ours(path, nil, "-Y", "-r", "resource_dummyweb")
	if !strings.Contains(out, "resource_dummyweb cannot run anywhere") {
		t.Fatalf("no scheduler reason: %q", out)
	}
	_, out, _ = ours(path, nil, "-Y", "-r", "resource_IP3")
	if out != "Resource resource_IP3 is running\n" {
		t.Fatalf("running resource: %q", out)
	}
}

func TestForceActionsUseRunner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cib.xml")
	doc := `<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources>
<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="d-ia"><nvpair id="d-s" name="state" value="/x"/></instance_attributes>
<operations><op id="d-start" name="start" interval="0" timeout="45s"/></operations></primitive>
<group id="g"><primitive id="g1" class="lsb" type="foo"/></group></resources><constraints/></configuration><status/></cib>`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fakeRunner{rc: 7}
	rc, out, errs := ours(path, f, "--force-check", "-r", "d")
	if rc != 7 || out != "Operation force-check for d (ocf:heartbeat:Dummy) returned 7 (not running)\n" ||
		errs != "crm_resource: Error performing operation: Not running\n" {
		t.Fatalf("rc=%d out=%q err=%q", rc, out, errs)
	}
	f.rc = 0
	if rc, _, _ := ours(path, f, "--force-start", "-r", "d"); rc != 0 {
		t.Fatalf("force-start rc=%d", rc)
	}
	if len(f.ops) != 2 {
		t.Fatalf("ops: %+v", f.ops)
	}
	op := f.ops[1]
	if op.Action != "start" || op.Params["state"] != "/x" || op.Timeout.Seconds() != 45 || op.Agent.Type != "Dummy" {
		t.Fatalf("start op: %+v", op)
	}
	if rc, _, _ := ours(path, f, "--force-stop", "-r", "g"); rc != exitUsage || len(f.ops) != 2 {
		t.Fatalf("group accepted: rc=%d", rc)
	}
	// The older debug-* spellings run the same actions.
	for flag, action := range map[string]string{"--debug-start": "start", "--debug-stop": "stop", "--debug-monitor": "monitor"} {
		n := len(f.ops)
		if rc, _, errs := ours(path, f, flag, "-r", "d"); rc != 0 || len(f.ops) != n+1 || f.ops[n].Action != action {
			t.Errorf("%s: rc=%d err=%q ops=%+v", flag, rc, errs, f.ops[n:])
		}
	}
}

// TestForceCheckMatchesPacemaker runs the Dummy agent through Pacemaker's
// crm_resource and ours; both must agree on every step.
func TestForceCheckMatchesPacemaker(t *testing.T) {
	prog := testenv.RequireProgram(t, "/usr/sbin/crm_resource")
	testenv.RequireProgram(t, "/usr/lib/ocf/resource.d/heartbeat/Dummy")
	testenv.RequireRoot(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "cib.xml")
	state := filepath.Join(dir, "dummy.state")
	doc := `<cib epoch="1" num_updates="0" admin_epoch="0" validate-with="pacemaker-3.0"><configuration><crm_config/><nodes/><resources>
<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="d-ia"><nvpair id="d-s" name="state" value="` + state + `"/></instance_attributes></primitive>
</resources><constraints/></configuration><status/></cib>`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	exe := resourced.NewExecutor(resourced.DefaultConfig())
	for _, step := range []string{"--force-check", "--force-start", "--force-check", "--force-stop", "--force-check"} {
		rrc, rout, rerr := real(t, prog, path, step, "-r", "d")
		rc, out, errs := ours(path, exe, step, "-r", "d")
		if rc != rrc || out != rout || errs != rerr {
			t.Errorf("%s: real rc=%d out=%q err=%q; ours rc=%d out=%q err=%q", step, rrc, rout, rerr, rc, out, errs)
		}
		// each step runs twice (real, then ours): start/stop are idempotent
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"PT1H": time.Hour, "PT30M": 30 * time.Minute, "P1DT30M": 24*time.Hour + 30*time.Minute,
		"P1W": 7 * 24 * time.Hour, "PT90S": 90 * time.Second, "P1M": 30 * 24 * time.Hour} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "P", "1H", "PT", "PTH", "P1H", "PT1", "P1DT", "PT1X"} {
		if _, err := ParseDuration(bad); !errors.Is(err, ErrBadDuration) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"PT1H", "P1DT30M", "P1W", "PT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d <= 0 && !strings.Contains(s, "0") {
			t.Fatalf("%q: non-positive %v", s, d)
		}
	})
}

func TestLifetimeRule(t *testing.T) {
	root, _ := cibdoc.Parse([]byte(`<cib><configuration><nodes><node id="1" uname="n1"/></nodes><constraints/></configuration></cib>`))
	until := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := Prefer(root, "r", "n1", until); err != nil {
		t.Fatal(err)
	}
	if err := Prefer(root, "r", "n1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	cons := root.Child("configuration").Child("constraints")
	if len(cons.Children) != 1 || cons.Children[0].Attr("node") != "n1" || cons.Children[0].Child("rule") != nil {
		t.Fatalf("a plain move must replace the expiring one:\n%s", cons)
	}
	Ban(root, "r", "n1", until)
	end := cons.FindID("cli-ban-r-on-n1-lifetime")
	if end == nil || end.Attr("end") != "2030-01-02 03:04:05Z" {
		t.Fatalf("ban rule:\n%s", cons)
	}
	if err := Prefer(root, "r", "nope", until); err == nil {
		t.Fatal("move to an unknown node accepted")
	}
}

// TestWhyExplain checks --why --explain: the ban that keeps a resource
// off a node is named, with its score, and the decision follows.
func TestWhyExplain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cib.xml")
	text := `<cib admin_epoch="0" epoch="1" num_updates="1" have-quorum="true"><configuration>
<crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
<nodes><node id="n1" uname="node1"/><node id="n2" uname="node2"/></nodes>
<resources><primitive id="web" class="ocf" provider="heartbeat" type="Dummy"/></resources>
<constraints><rsc_location id="web-not-1" rsc="web" node="node1" score="-INFINITY"/></constraints>
</configuration><status>
<node_state id="n1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
<node_state id="n2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
</status></cib>`
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, out, errs := ours(path, nil, "--why", "--explain", "-r", "web")
	if rc != 0 {
		t.Fatalf("rc=%d err=%s", rc, errs)
	}
	for _, want := range []string{"-INFINITY    location web-not-1", "* node2: score 0", "Decision: web runs on node2"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if rc, _, _ := ours(path, nil, "--why", "--explain", "-r", "nope"); rc != exitNotFound {
		t.Errorf("unknown resource: rc %d", rc)
	}
}
