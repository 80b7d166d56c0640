package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if rc, _, errs := runCmd("--config-dir", dir, "--lenient", "-o", dst, "--force"); rc != 0 {
		t.Errorf("--force: rc %d %s", rc, errs)
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
