package tocib

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/hacf"
	"hbgo/haresources"
)

// fakeHost is an in-memory Host.
type fakeHost struct {
	exec    map[string]bool
	stonith map[string][]string
	files   map[string]string
}

func (f *fakeHost) Executable(p string) bool { return f.exec[p] }

func (f *fakeHost) StonithParams(typ string) ([]string, bool) {
	n, ok := f.stonith[typ]
	return n, ok
}

func (f *fakeHost) ReadFile(p string) ([]byte, error) {
	if s, ok := f.files[p]; ok {
		return []byte(s), nil
	}
	return nil, os.ErrNotExist
}

// stdHost has the OCF agents of the legacy wrappers, one init script and
// one custom resource.d script installed.
func stdHost() *fakeHost {
	h := &fakeHost{exec: map[string]bool{
		"/etc/init.d/apache2":           true,
		"/etc/init.d/mysql":             true,
		"/etc/ha.d/resource.d/myapp":    true,
		"/etc/ha.d/resource.d/IPaddr":   true,
		"/etc/ha.d/resource.d/drbddisk": true,
	}, stonith: map[string][]string{
		"null":         {"hostlist"},
		"external/ssh": {"hostlist"},
		"baytech":      {"ipaddr", "login", "password"},
	}, files: map[string]string{}}
	for _, a := range []string{"IPaddr", "IPaddr2", "Filesystem", "Delay", "MailTo", "apache", "LVM", "SendArp", "portblock"} {
		h.exec["/usr/lib/ocf/resource.d/heartbeat/"+a] = true
	}
	return h
}

func twoNodes(af hacf.AutoFailback) *hacf.Config {
	return &hacf.Config{
		File:         "ha.cf",
		Nodes:        []hacf.Node{{Name: "n1", Line: 1}, {Name: "n2", Line: 2}},
		AutoFailback: af,
		Params:       map[string]hacf.Param{},
	}
}

func parseHR(t testing.TB, text string) []haresources.Group {
	t.Helper()
	g, probs := haresources.Parse(strings.NewReader(text), "haresources")
	if err := probs.Err(); err != nil {
		t.Fatalf("haresources: %v", err)
	}
	return g
}

func mustConvert(t *testing.T, cfg *hacf.Config, hr string) (*CIB, []Warning) {
	t.Helper()
	cib, warns, err := Convert(cfg, parseHR(t, hr), Options{Host: stdHost()})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return cib, warns
}

func hasWarning(ws []Warning, sub string) bool {
	for _, w := range ws {
		if strings.Contains(w.String(), sub) {
			return true
		}
	}
	return false
}

// crmVerify runs the real Pacemaker crm_verify on a CIB, skipping when it
// is not installed. With STONITH enabled, a CIB without status makes
// crm_verify plan the start-up fencing of every node never seen (and
// report that as a warning), so such a CIB is checked as the running
// cluster sees it: every node online.
func crmVerify(t *testing.T, cib *CIB) {
	t.Helper()
	if v, _ := property(cib, "stonith-enabled"); v == "true" && cib.Status.Inner == "" {
		cp := *cib
		var states []NodeState
		for _, n := range cib.Configuration.Nodes {
			states = append(states, NodeState{Name: n.Uname, Online: true})
		}
		cp.SetStatus(states)
		cib = &cp
	}
	xmlText := cib.XML()
	bin, err := exec.LookPath("crm_verify")
	if err != nil {
		t.Skip("crm_verify not installed (pacemaker-cli-utils)")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "cib.xml")
	if err := os.WriteFile(f, xmlText, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-x", f, "-V")
	if os.Getenv("TOCIB_VERBOSE") != "" {
		cmd.Args = append(cmd.Args, "-V", "-V")
	}
	cmd.Env = append(os.Environ(), "CIB_shadow_dir="+dir, "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("crm_verify rejects the CIB (%v):\n%s\n--- CIB ---\n%s", err, out, xmlText)
	}
	if err != nil {
		t.Fatal(err)
	}
}
