package attrtool

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"hbgo/crm/status/cibdoc"
	"hbgo/internal/testenv"
)

// nvFacts lists the CIB's version counters and every nvpair with its
// place, sorted.
func nvFacts(t *testing.T, path string) []string {
	t.Helper()
	root, err := cibdoc.FileSource{Path: path}.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{fmt.Sprintf("epoch=%s num_updates=%s admin_epoch=%s", root.Attr("epoch"), root.Attr("num_updates"), root.Attr("admin_epoch"))}
	root.Walk(func(e *cibdoc.Element) bool {
		if e.Name == "nvpair" {
			out = append(out, fmt.Sprintf("%s/%s %s=%s", e.Parent.Path(), e.Attr("id"), e.Attr("name"), e.Attr("value")))
		}
		return true
	})
	sort.Strings(out)
	return out
}

func copyFile(t *testing.T, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCompareWithPacemaker runs the same command sequence with
// Pacemaker's crm_attribute/crm_standby and ours on copies of one CIB and
// compares output, exit codes and the resulting attributes.
func TestCompareWithPacemaker(t *testing.T) {
	shared := testenv.SharedDir(t)
	testenv.RequireProgram(t, "/usr/sbin/crm_attribute")
	input := filepath.Join(shared, "scheduler/cases/on-fail-ignore/input.xml")
	dir := t.TempDir()
	realCIB, ourCIB := filepath.Join(dir, "real.xml"), filepath.Join(dir, "ours.xml")
	copyFile(t, input, realCIB)
	copyFile(t, input, ourCIB)
	steps := []struct {
		tool Tool
		args []string
	}{
		{Standby, []string{"-N", "407888-db1", "-G"}},
		{Standby, []string{"-N", "407888-db1", "-v", "on"}},
		{Standby, []string{"-N", "407888-db1", "-G"}},
		{Standby, []string{"-N", "407888-db1", "-v", "on"}}, // no change: no version bump
		{Attribute, []string{"-n", "foo", "-v", "bar"}},
		{Attribute, []string{"-n", "foo", "-G"}},
		{Attribute, []string{"-n", "foo", "-G", "-q"}},
		{Attribute, []string{"-n", "nope", "-G"}},
		{Attribute, []string{"-N", "407892-db2", "-n", "xx", "-v", "1", "-l", "reboot"}},
		{Attribute, []string{"-N", "407892-db2", "-n", "xx", "-v", "2", "-l", "reboot"}},
		{Attribute, []string{"-N", "407892-db2", "-n", "xx", "-G", "-l", "reboot"}},
		{Attribute, []string{"-N", "407892-db2", "-n", "xx", "-D", "-l", "reboot"}},
		{Attribute, []string{"-N", "nosuchnode", "-n", "yy", "-v", "1"}},
		{Attribute, []string{"-t", "nodes", "-N", "407888-db1", "-n", "standby", "-G"}},
		{Attribute, []string{"-n", "foo", "-D"}},
		{Standby, []string{"-N", "407888-db1", "-D"}},
		{Standby, []string{"-N", "407888-db1", "-G"}},
		{Attribute, []string{"-N", "nosuch", "-n", "x", "-G"}},
		{Attribute, []string{"-n", "nope", "-G", "-d", "dflt"}},
		{Attribute, []string{"-N", "407888-db1", "-n", "x", "-l", "forever", "-v", "1"}},
		{Attribute, []string{"-N", "407888-db1", "-n", "x", "-l", "forever", "-G"}},
		{Attribute, []string{"-N", "407888-db1", "-n", "x", "-G"}},
		{Standby, []string{"-N", "407888-db1", "-v", "off", "-l", "reboot"}},
		{Standby, []string{"-N", "407888-db1", "-G"}},
		{Standby, []string{"-N", "407888-db1", "-G", "-l", "reboot"}},
		{Standby, []string{"-N", "407888-db1", "-v", "on"}},
		{Standby, []string{"-N", "407888-db1", "-G"}},
		{Standby, []string{"-N", "407888-db1", "-D", "-l", "reboot"}},
		{Standby, []string{"-N", "407888-db1", "-G"}},
	}
	for i, s := range steps {
		prog := "/usr/sbin/crm_attribute"
		if s.tool == Standby {
			prog = "/usr/sbin/crm_standby"
		}
		cmd := exec.Command(prog, s.args...)
		cmd.Env = append(os.Environ(), "CIB_file="+realCIB)
		var rout, rerr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &rout, &rerr
		rrc := 0
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatal(err)
			}
			rrc = ee.ExitCode()
		}
		var out, errb bytes.Buffer
		rc := Run(s.tool, s.args, func(k string) string {
			if k == "CIB_file" {
				return ourCIB
			}
			return ""
		}, &out, &errb)
		if rc != rrc || out.String() != rout.String() || errb.String() != rerr.String() {
			t.Errorf("step %d %v: real rc=%d out=%q err=%q; ours rc=%d out=%q err=%q", i, s.args, rrc, rout.String(), rerr.String(), rc, out.String(), errb.String())
		}
		want, got := nvFacts(t, realCIB), nvFacts(t, ourCIB)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Fatalf("step %d %v: CIB differs\nreal: %v\nours: %v", i, s.args, want, got)
		}
	}
}
