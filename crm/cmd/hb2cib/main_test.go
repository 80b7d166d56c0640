package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/haresources/tocib"
)

func writeConfig(t *testing.T, hacfText, hrText string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ha.cf"), []byte(hacfText), 0o644); err != nil {
		t.Fatal(err)
	}
	if hrText != "" {
		if err := os.WriteFile(filepath.Join(dir, "haresources"), []byte(hrText), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodHacf = "bcast eth9\nnode alpha\nnode beta\nauto_failback off\n"

func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	rc := run(args, &out, &errb)
	return rc, out.String(), errb.String()
}

func TestWritesCIBToStdout(t *testing.T) {
	dir := writeConfig(t, goodHacf, "alpha 198.51.100.10 nosuchscript\n")
	rc, out, errs := runCmd("--config-dir", dir, "--node-name", "alpha", "--lenient")
	if rc != 0 {
		t.Fatalf("rc %d, stderr:\n%s", rc, errs)
	}
	for _, want := range []string{`<cib validate-with=`, `type="IPaddr"`, `value="200"`, `node="alpha" score="100"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, filepath.Join(dir, "haresources")+":1: nosuchscript") {
		t.Errorf("warning without FILE:LINE:\n%s", errs)
	}
}

func TestDryRunPrintsWarningsOnly(t *testing.T) {
	dir := writeConfig(t, goodHacf, "alpha 198.51.100.10\n")
	rc, out, _ := runCmd("--config-dir", dir, "--node-name", "alpha", "--lenient", "--dry-run")
	if rc != 0 || strings.Contains(out, "<cib") || !strings.Contains(out, "stonith-enabled=false") {
		t.Fatalf("rc %d, stdout:\n%s", rc, out)
	}
}

func TestOutputFile(t *testing.T) {
	dir := writeConfig(t, goodHacf, "alpha 198.51.100.10\n")
	dst := filepath.Join(t.TempDir(), "cib.xml")
	if rc, _, errs := runCmd("--config-dir", dir, "--lenient", "-o", dst); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errs)
	}
	st, err := os.Stat(dst)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("output file: %v %v", st, err)
	}
	if rc, _, errs := runCmd("--config-dir", dir, "--lenient", "-o", dst); rc != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("overwrite without --force: rc %d %s", rc, errs)
	}
	sig := filepath.Join(filepath.Dir(dst), "cib.xml.sig")
	if err := os.WriteFile(sig, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc, _, errs := runCmd("--config-dir", dir, "--lenient", "-o", dst, "--force"); rc != 0 {
		t.Errorf("--force: rc %d %s", rc, errs)
	}
	// The digest of the replaced CIB would not match the new file.
	if _, err := os.Stat(sig); !os.IsNotExist(err) {
		t.Errorf("stale cib.xml.sig left next to the new CIB: %v", err)
	}
	other := filepath.Join(t.TempDir(), "converted.xml")
	keep := filepath.Join(filepath.Dir(other), "cib.xml.sig")
	if err := os.WriteFile(keep, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc, _, errs := runCmd("--config-dir", dir, "--lenient", "-o", other); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errs)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a digest next to another file name was removed: %v", err)
	}
}

func TestErrorsExitOneWithFileLine(t *testing.T) {
	tests := []struct {
		name, hacf, hr, want string
	}{
		{"bad ha.cf directive", goodHacf + "keepalive abc\n", "alpha 198.51.100.10\n", "ha.cf:5"},
		{"missing haresources", goodHacf, "", "haresources"},
		{"no nodes", "bcast eth9\n", "alpha 198.51.100.10\n", "ha.cf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeConfig(t, tc.hacf, tc.hr)
			rc, out, errs := runCmd("--config-dir", dir, "--node-name", "alpha", "--lenient")
			if rc != 1 || out != "" || !strings.Contains(errs, tc.want) {
				t.Fatalf("rc %d, stdout %q, stderr:\n%s", rc, out, errs)
			}
		})
	}
	if rc, _, _ := runCmd("--bogus"); rc != 1 {
		t.Errorf("unknown flag: rc %d", rc)
	}
}

// TestEndToEndWithStonithAndCrmVerify: stonith_host lines for each node
// (hacf keeps only the local node's, the command merges them) become one
// device per line, and the file written passes the real crm_verify once
// the nodes are up.
func TestEndToEndWithStonithAndCrmVerify(t *testing.T) {
	if _, err := exec.LookPath("stonith"); err != nil {
		t.Skip("cluster-glue stonith tool not installed")
	}
	hacfText := goodHacf + "stonith_host alpha null beta\nstonith_host beta null alpha\n"
	dir := writeConfig(t, hacfText, "alpha 198.51.100.10 Filesystem::/dev/sdb1::/srv::ext4\nbeta IPaddr2::198.51.100.11/24/eth0\n")
	dst := filepath.Join(t.TempDir(), "cib.xml")
	rc, _, errs := runCmd("--config-dir", dir, "--node-name", "alpha", "--lenient", "-o", dst)
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errs)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	var cib tocib.CIB
	if err := xml.Unmarshal(data, &cib); err != nil {
		t.Fatalf("output does not read back: %v", err)
	}
	var devs []string
	for _, p := range cib.Configuration.Resources.Primitives {
		devs = append(devs, p.ID)
	}
	if strings.Join(devs, " ") != "stonith-alpha-null stonith-beta-null" {
		t.Errorf("STONITH devices %v, want one per stonith_host line", devs)
	}
	if _, err := exec.LookPath("crm_verify"); err != nil {
		t.Skip("crm_verify not installed")
	}
	// A fresh CIB with STONITH makes crm_verify plan start-up fencing of the
	// nodes it has never seen; check it as the running cluster sees it.
	cib.SetStatus([]tocib.NodeState{{Name: "alpha", Online: true}, {Name: "beta", Online: true}})
	file := filepath.Join(t.TempDir(), "live.xml")
	if err := os.WriteFile(file, cib.XML(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("crm_verify", "-x", file, "-V")
	cmd.Env = append(os.Environ(), "CIB_shadow_dir="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("crm_verify: %v\n%s\n%s", err, out, cib.XML())
	}
}
