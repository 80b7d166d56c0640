package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
	"hbgo/internal/testenv"
)

var testNow = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

// harness is one crm run environment over a temporary CIB file.
type harness struct {
	t        *testing.T
	path     string
	out, err bytes.Buffer
	env      *env
}

func newHarness(t *testing.T, cibFile string) *harness {
	t.Helper()
	data, err := os.ReadFile(cibFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h := &harness{t: t, path: filepath.Join(dir, "cib.xml")}
	if err := os.WriteFile(h.path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	h.env = &env{
		getenv:   func(k string) string { return map[string]string{"CIB_file": h.path}[k] },
		stdin:    strings.NewReader(""),
		stdout:   &h.out,
		stderr:   &h.err,
		now:      func() time.Time { return testNow },
		hostname: func() (string, error) { return "alpha", nil },
		editor:   func(*env, string) error { return errors.New("no editor in this test") },
		verify:   func([]byte) (string, bool, error) { return "", true, nil },
		tempDir:  dir,
	}
	return h
}

// run runs crm with args and returns the exit code, clearing the output
// of the previous run.
func (h *harness) run(args ...string) int {
	h.out.Reset()
	h.err.Reset()
	return h.env.run(args)
}

// must runs crm and fails the test unless it succeeds.
func (h *harness) must(args ...string) string {
	h.t.Helper()
	if code := h.run(args...); code != 0 {
		h.t.Fatalf("crm %s: exit %d\n%s%s", strings.Join(args, " "), code, h.out.String(), h.err.String())
	}
	return h.out.String()
}

func (h *harness) root() *cibdoc.Element {
	h.t.Helper()
	root, err := cibdoc.FileSource{Path: h.path}.Load()
	if err != nil {
		h.t.Fatal(err)
	}
	return root
}

const base = "../../crmsh/testdata/base.xml"

func TestOneShotClassicSetup(t *testing.T) {
	h := newHarness(t, base)
	steps := [][]string{
		{"configure", "property", "stonith-enabled=false"},
		{"configure", "property", "no-quorum-policy=ignore"},
		{"configure", "rsc_defaults", "resource-stickiness=100"},
		{"configure", "primitive", "ClusterIP", "ocf:heartbeat:IPaddr2", "params", "ip=192.168.122.120", "cidr_netmask=32", "op", "monitor", "interval=30s"},
		{"configure", "primitive", "WebSite", "ocf:heartbeat:apache", "description=the web site", "params", "configfile=/etc/apache2/apache2.conf", "op", "monitor", "interval=1min"},
		{"configure", "group", "web", "ClusterIP", "WebSite"},
		{"configure", "location", "prefer-alpha", "web", "50:", "alpha"},
		{"configure", "commit"},
	}
	for i, s := range steps {
		h.must(s...)
		if got := h.root().Attr("epoch"); i < 7 && got != strconv.Itoa(6+i) {
			t.Errorf("after %v: epoch %s, want %d (one commit per command)", s, got, 6+i)
		}
	}
	if got := h.root().Attr("epoch"); got != "12" {
		t.Errorf("commit with nothing pending moved the epoch to %s", got)
	}
	want := `node alpha
node beta
primitive ClusterIP ocf:heartbeat:IPaddr2 \
	params ip=192.168.122.120 cidr_netmask=32 \
	op monitor interval=30s
primitive WebSite ocf:heartbeat:apache description="the web site" \
	params configfile=/etc/apache2/apache2.conf \
	op monitor interval=1min
group web ClusterIP WebSite
location prefer-alpha web 50: alpha
property cib-bootstrap-options: \
	stonith-enabled=false \
	no-quorum-policy=ignore
rsc_defaults rsc-options: \
	resource-stickiness=100
`
	if got := h.must("configure", "show"); got != want {
		t.Errorf("show:\n%s\nwant:\n%s", got, want)
	}
	if got := h.must("configure", "show", "web", "prefer-alpha"); got != "group web ClusterIP WebSite\nlocation prefer-alpha web 50: alpha\n" {
		t.Errorf("show IDs: %q", got)
	}
	if got := h.must("configure", "show", "xml", "prefer-alpha"); got != `<rsc_location id="prefer-alpha" rsc="web" score="50" node="alpha"/>`+"\n" {
		t.Errorf("show xml ID: %q", got)
	}
	if code := h.run("configure", "show", "nothing"); code != exitError || !strings.Contains(h.err.String(), "nothing does not exist") {
		t.Errorf("show of a missing object: %d %q", code, h.err.String())
	}
}

func TestOneShotErrorsLeaveTheCIB(t *testing.T) {
	h := newHarness(t, base)
	before, _ := os.ReadFile(h.path)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"configure", "primitive", "p", "ocf:Dummy"}, `ERROR: line 1: near "ocf:Dummy": an OCF agent needs a provider (hint: write ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:Dummy)`},
		{[]string{"configure", "group", "g", "missing"}, "ERROR: line 1: group g: member missing: object does not exist"},
		{[]string{"configure", "primitive", "alpha", "Dummy"}, "object already exists"},
		{[]string{"configure", "colocation", "c", "inf:", "a", "b"}, "resource a: object does not exist"},
		{[]string{"configure", "frobnicate"}, "configure frobnicate: unknown command"},
		{[]string{"node", "standby", "gamma"}, `node "gamma": no such node`},
		{[]string{"resource", "stop", "nothing"}, "resource nothing: no such resource"},
		{[]string{"resource", "move", "nothing", "alpha"}, "resource nothing: no such resource"},
		{[]string{"bogus"}, "bogus: unknown command"},
	}
	for _, c := range cases {
		if code := h.run(c.args...); code != exitError {
			t.Errorf("%v: exit %d, want %d", c.args, code, exitError)
		}
		if !strings.Contains(h.err.String(), c.want) {
			t.Errorf("%v: stderr %q, want %q", c.args, h.err.String(), c.want)
		}
		if after, _ := os.ReadFile(h.path); !bytes.Equal(before, after) {
			t.Fatalf("%v changed the CIB", c.args)
		}
	}
}

func TestScriptFromStdinAndFile(t *testing.T) {
	h := newHarness(t, base)
	script := `# the web server of the guide
primitive ClusterIP ocf:heartbeat:IPaddr2 \
	params ip=192.168.122.120 cidr_netmask=32 \
	op monitor interval=30s
primitive WebSite ocf:heartbeat:apache \
	params configfile="/etc/apache2/apache2.conf"
colocation website-with-ip inf: WebSite ClusterIP
order apache-after-ip Mandatory: ClusterIP WebSite
property stonith-enabled=false
commit
`
	h.env.stdin = strings.NewReader(script)
	h.must("configure")
	root := h.root()
	if root.FindID("website-with-ip") == nil || root.FindID("WebSite-instance_attributes-configfile").Attr("value") != "/etc/apache2/apache2.conf" {
		t.Fatalf("script not applied:\n%s", root.Child("configuration"))
	}
	if root.Attr("epoch") != "6" {
		t.Errorf("one commit should move the epoch once, epoch=%s", root.Attr("epoch"))
	}

	// crm -f with levels: configure ... end, then node and resource commands
	file := filepath.Join(t.TempDir(), "setup.crm")
	os.WriteFile(file, []byte(`configure
primitive extra ocf:heartbeat:Dummy
location extra-off extra -inf: beta
end
node standby beta
resource stop extra
configure show extra
`), 0o644)
	out := h.must("-f", file)
	if !strings.Contains(out, "INFO: standby node beta") || !strings.Contains(out, "primitive extra ocf:heartbeat:Dummy \\\n\tmeta target-role=Stopped") {
		t.Errorf("output:\n%s", out)
	}

	// an error in a script is reported with its line; the rest still runs
	h.env.stdin = strings.NewReader("primitive a ocf:heartbeat:Dummy\nprimitive b ocf:Dummy\nprimitive c ocf:heartbeat:Dummy\n")
	if code := h.run("configure"); code != exitError || !strings.Contains(h.err.String(), `line 2: near "ocf:Dummy"`) {
		t.Errorf("exit %d stderr %q", code, h.err.String())
	}
	if r := h.root(); r.FindID("a") == nil || r.FindID("c") == nil {
		t.Error("the good lines of the script were not committed")
	}
}

func TestEdit(t *testing.T) {
	h := newHarness(t, base)
	h.must("configure", "primitive", "p", "ocf:heartbeat:Dummy", "op", "monitor", "interval=10s")
	var seen string
	h.env.editor = func(_ *env, path string) error {
		data, _ := os.ReadFile(path)
		seen = string(data)
		text := strings.Replace(string(data), "interval=10s", "interval=20s", 1)
		text += "primitive q ocf:heartbeat:Dummy\ncolocation q-with-p inf: q p\n"
		return os.WriteFile(path, []byte(text), 0o600)
	}
	h.must("configure", "edit")
	if !strings.Contains(seen, "primitive p ocf:heartbeat:Dummy \\\n\top monitor interval=10s") {
		t.Errorf("editor got:\n%s", seen)
	}
	r := h.root()
	if r.FindID("p-monitor-20s") == nil || r.FindID("q-with-p") == nil {
		t.Fatalf("edit not applied:\n%s", r.Child("configuration"))
	}
	// one object by id
	h.env.editor = func(_ *env, path string) error {
		data, _ := os.ReadFile(path)
		seen = string(data)
		return os.WriteFile(path, []byte("primitive q lsb:httpd\n"), 0o600)
	}
	h.must("configure", "edit", "q")
	if seen != "primitive q ocf:heartbeat:Dummy\n" {
		t.Errorf("edit q showed %q", seen)
	}
	if q := h.root().FindID("q"); q.Attr("class") != "lsb" || h.root().FindID("p") == nil {
		t.Errorf("edit of one object: %v", q)
	}
	// text that does not parse is kept and nothing changes
	before, _ := os.ReadFile(h.path)
	h.env.editor = func(_ *env, path string) error {
		return os.WriteFile(path, []byte("primitive broken ocf:Dummy\n"), 0o600)
	}
	if code := h.run("configure", "edit"); code != exitError {
		t.Fatalf("bad edit: exit %d", code)
	}
	msg := h.err.String()
	i := strings.Index(msg, "kept in ")
	if i < 0 || !strings.Contains(msg, `near "ocf:Dummy"`) {
		t.Fatalf("stderr: %q", msg)
	}
	kept := strings.TrimSpace(msg[i+len("kept in "):])
	if data, err := os.ReadFile(kept); err != nil || string(data) != "primitive broken ocf:Dummy\n" {
		t.Errorf("kept file %s: %q %v", kept, data, err)
	}
	if after, _ := os.ReadFile(h.path); !bytes.Equal(before, after) {
		t.Error("a failed edit changed the CIB")
	}
	// deleting a resource in the editor that a constraint needs is refused
	h.env.editor = func(_ *env, path string) error {
		data, _ := os.ReadFile(path)
		text := strings.Replace(string(data), "primitive q lsb:httpd\n", "", 1)
		return os.WriteFile(path, []byte(text), 0o600)
	}
	if code := h.run("configure", "edit"); code != exitError || !strings.Contains(h.err.String(), "resource q: object does not exist") {
		t.Errorf("edit dropping a needed resource: %d %q", code, h.err.String())
	}
}

func TestDelete(t *testing.T) {
	h := newHarness(t, "testdata/running.xml")
	if code := h.run("configure", "delete", "WebSite"); code != exitError || !strings.Contains(h.err.String(), "WebSite is running") {
		t.Fatalf("deleting a running resource: %d %q", code, h.err.String())
	}
	out := h.must("-F", "configure", "delete", "WebSite")
	if !strings.Contains(out, "INFO: constraint website-with-ip referring to WebSite was removed") {
		t.Errorf("output %q", out)
	}
	if r := h.root(); r.FindID("WebSite") != nil && r.FindID("WebSite").Name == "primitive" || r.FindID("website-with-ip") != nil {
		t.Error("resource or its constraint still configured")
	}
}

func TestNodeStandbyOnline(t *testing.T) {
	h := newHarness(t, base)
	if out := h.must("node", "standby"); out != "INFO: standby node alpha\n" {
		t.Errorf("standby of the local node: %q", out)
	}
	v, _, err := cibdoc.GetAttr(h.root(), cibdoc.AttrRef{Scope: cibdoc.ScopeNodes, Node: "alpha", Name: "standby"})
	if err != nil || v != "on" {
		t.Fatalf("standby attribute: %q %v", v, err)
	}
	h.must("node", "standby", "beta", "reboot")
	v, _, err = cibdoc.GetAttr(h.root(), cibdoc.AttrRef{Scope: cibdoc.ScopeStatus, Node: "beta", Name: "standby"})
	if err != nil || v != "on" {
		t.Fatalf("standby until reboot: %q %v", v, err)
	}
	h.must("node", "online", "beta")
	for _, sc := range []cibdoc.AttrScope{cibdoc.ScopeNodes, cibdoc.ScopeStatus} {
		v, _, _ = cibdoc.GetAttr(h.root(), cibdoc.AttrRef{Scope: sc, Node: "beta", Name: "standby"})
		if v != "off" {
			t.Errorf("online left %s standby=%q", sc, v)
		}
	}
	if got := h.must("configure", "show", "alpha"); got != "node alpha \\\n\tattributes standby=on\n" {
		t.Errorf("show node: %q", got)
	}
}

func TestResourceCommands(t *testing.T) {
	h := newHarness(t, "testdata/running.xml")
	h.must("resource", "stop", "WebSite")
	if p := h.root().FindID("WebSite-meta_attributes-target-role"); p == nil || p.Attr("value") != "Stopped" {
		t.Fatalf("stop: %v", p)
	}
	h.must("resource", "start", "WebSite")
	if p := h.root().FindID("WebSite-meta_attributes-target-role"); p.Attr("value") != "Started" {
		t.Fatalf("start: %v", p)
	}
	if out := h.must("resource", "move", "WebSite", "beta"); out != "INFO: Move constraint created for WebSite to beta\n" {
		t.Errorf("move output %q", out)
	}
	if e := h.root().FindID("cli-prefer-WebSite"); e == nil || e.String() != `<rsc_location id="cli-prefer-WebSite" rsc="WebSite" role="Started" node="beta" score="INFINITY"/>`+"\n" {
		t.Errorf("move constraint: %v", e)
	}
	h.must("resource", "migrate", "ClusterIP")
	if e := h.root().FindID("cli-ban-ClusterIP-on-alpha"); e == nil || e.Attr("score") != "-INFINITY" {
		t.Errorf("move away from the current node: %v", e)
	}
	h.must("resource", "move", "ClusterIP", "beta", "PT1H")
	if e := h.root().FindID("cli-prefer-lifetime-end-ClusterIP"); e == nil || e.Attr("end") != "2026-11-22 09:00:00Z" {
		t.Errorf("move with a lifetime: %v", e)
	}
	if out := h.must("resource", "unmove", "ClusterIP"); out != "INFO: Removed migration constraints for ClusterIP\n" {
		t.Errorf("unmove output %q", out)
	}
	h.must("resource", "clear", "WebSite")
	for _, id := range []string{"cli-prefer-WebSite", "cli-ban-ClusterIP-on-alpha", "cli-prefer-ClusterIP"} {
		if h.root().FindID(id) != nil {
			t.Errorf("%s not cleared", id)
		}
	}
	num := h.root().Attr("num_updates")
	if out := h.must("resource", "cleanup", "ClusterIP"); out != "Cleaned up ClusterIP on alpha\n" {
		t.Errorf("cleanup output %q", out)
	}
	r := h.root()
	if r.FindID("status-alpha-fail-count-ClusterIP.monitor_30000") != nil || r.FindID("ClusterIP_last_failure_0") != nil {
		t.Error("cleanup left the failure")
	}
	if r.FindID("WebSite_last_0") == nil {
		t.Error("cleanup removed another resource's history")
	}
	if r.Attr("num_updates") == num {
		t.Error("cleanup did not move num_updates")
	}
	out := h.must("resource", "status")
	if !strings.HasPrefix(out, "Full List of Resources:\n") || !strings.Contains(out, "WebSite") {
		t.Errorf("resource status:\n%s", out)
	}
	if out := h.must("resource", "status", "WebSite"); out != "resource WebSite is running on: alpha\n" {
		t.Errorf("resource status RSC: %q", out)
	}
}

func TestStatusIsCrmMon(t *testing.T) {
	h := newHarness(t, "testdata/running.xml")
	got := h.must("status")
	root := h.root()
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	render.Text(&want, status.Compute(c, root), render.Options{Now: testNow, Request: "crm_mon -1"})
	if got != want.String() {
		t.Errorf("crm status:\n%s\ncrm_mon -1:\n%s", got, want.String())
	}
	if !strings.Contains(got, "FAILED alpha") {
		t.Errorf("status lacks the failed resource:\n%s", got)
	}
	if code := h.run("status", "sideways"); code != exitError {
		t.Errorf("unknown status option: exit %d", code)
	}
}

func TestVerify(t *testing.T) {
	h := newHarness(t, base)
	var got []byte
	h.env.verify = func(doc []byte) (string, bool, error) {
		got = doc
		return "crm_verify: Errors found during check: config not valid\n", false, nil
	}
	h.env.stdin = strings.NewReader("primitive p ocf:heartbeat:Dummy\nverify\n")
	if code := h.run("configure"); code != exitError {
		t.Errorf("verify of an invalid configuration: exit %d", code)
	}
	if !bytes.Contains(got, []byte(`<primitive id="p"`)) {
		t.Error("verify did not see the pending change")
	}
	if !strings.Contains(h.out.String(), "config not valid") {
		t.Errorf("verify output %q", h.out.String())
	}
}

// TestVerifyWithCrmVerify runs the real crm_verify of this project.
func TestVerifyWithCrmVerify(t *testing.T) {
	prog := testenv.Bin(t, "crm_verify")
	h := newHarness(t, base)
	h.env.verify = func(doc []byte) (string, bool, error) { return verifyWith(prog, doc) }
	h.must("configure", "property", "stonith-enabled=false")
	h.must("configure", "verify")
	h.must("configure", "property", "stonith-enabled=true")
	if code := h.run("configure", "verify"); code != exitError || !strings.Contains(h.out.String(), "no STONITH resources") {
		t.Errorf("verify with fencing on and no device: %d %q", code, h.out.String())
	}
}

func TestLoad(t *testing.T) {
	h := newHarness(t, base)
	h.must("configure", "primitive", "keep", "ocf:heartbeat:Dummy")
	h.must("configure", "property", "stonith-enabled=false")
	dir := t.TempDir()
	upd := filepath.Join(dir, "update.crm")
	os.WriteFile(upd, []byte("primitive keep lsb:httpd\nprimitive new ocf:heartbeat:Dummy\nproperty no-quorum-policy=ignore\n"), 0o644)
	h.must("configure", "load", "update", upd)
	want := "node alpha\nnode beta\nprimitive keep lsb:httpd\nprimitive new ocf:heartbeat:Dummy\nproperty cib-bootstrap-options: \\\n\tstonith-enabled=false \\\n\tno-quorum-policy=ignore\n"
	if got := h.must("configure", "show"); got != want {
		t.Errorf("after load update:\n%s\nwant:\n%s", got, want)
	}
	rep := filepath.Join(dir, "replace.crm")
	os.WriteFile(rep, []byte("node alpha\nprimitive only ocf:heartbeat:Dummy\n"), 0o644)
	h.must("configure", "load", "replace", rep)
	if got := h.must("configure", "show"); got != "node alpha\nprimitive only ocf:heartbeat:Dummy\n" {
		t.Errorf("after load replace:\n%s", got)
	}
	os.WriteFile(rep, []byte("group g nothing\n"), 0o644)
	if code := h.run("configure", "load", "replace", rep); code != exitError || !strings.Contains(h.err.String(), "member nothing") {
		t.Errorf("bad load: %d %q", code, h.err.String())
	}
}

func TestPromptAndCleanupAll(t *testing.T) {
	h := newHarness(t, "testdata/running.xml")
	h.env.prompt = true
	h.env.stdin = strings.NewReader("resource\ncleanup\nend\nquit\n")
	code := h.env.run(nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, h.err.String())
	}
	if got := h.out.String(); got != "crm(live)# crm(live)resource# Cleaned up ClusterIP on alpha\ncrm(live)resource# crm(live)# " {
		t.Errorf("session output %q", got)
	}
}

func TestBareAgentFromInstalledProviders(t *testing.T) {
	h := newHarness(t, base)
	root := t.TempDir()
	for _, p := range []string{"heartbeat/IPaddr2", "pacemaker/Stateful", "heartbeat/Dummy", "pacemaker/Dummy"} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte("#!/bin/sh\n"), 0o755)
	}
	h.env.ocfRoot = root
	h.must("configure", "primitive", "ip", "IPaddr2")
	h.must("configure", "primitive", "st", "Stateful")
	h.must("configure", "primitive", "d", "Dummy")
	got := h.must("configure", "show", "ip", "st", "d")
	want := "primitive ip ocf:heartbeat:IPaddr2\nprimitive st ocf:pacemaker:Stateful\nprimitive d ocf:heartbeat:Dummy\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestScriptQuoteError(t *testing.T) {
	h := newHarness(t, base)
	h.env.stdin = strings.NewReader("node standby alpha\n\nnode standby \"beta\n")
	if code := h.run(); code != exitError || h.err.String() != "ERROR: line 3: near \"\\\"beta\": unterminated quote (hint: close it with \")\n" {
		t.Errorf("exit %d, stderr %q", code, h.err.String())
	}
}

func TestNoSource(t *testing.T) {
	h := newHarness(t, base)
	h.env.getenv = func(string) string { return "" }
	if code := h.run("--run-dir", t.TempDir(), "configure", "show"); code != exitError || !strings.Contains(h.err.String(), "heartbeat is not running") {
		t.Errorf("without CIB_file and no daemon under --run-dir: exit %d %q", code, h.err.String())
	}
}
