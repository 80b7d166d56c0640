package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"hbgo/internal/testenv"
)

// TestCheckWithoutPrivilegeExits4 runs the built binary as nobody on a
// directory whose authkeys (mode 0600, owner root) it cannot open: 3.0.6
// exits 4 there (verified with the real daemon run as nobody).
func TestCheckWithoutPrivilegeExits4(t *testing.T) {
	testenv.RequireRoot(t)
	setpriv := testenv.RequireProgram(t, "setpriv")
	bin := testenv.Bin(t, "heartbeat")

	dir, err := os.MkdirTemp("", "hbgo-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	files := map[string]struct {
		body string
		mode os.FileMode
	}{
		"heartbeat":   {"", 0o755},
		"ha.cf":       {"node alpha\nbcast lo\nauto_failback on\nlogfile /dev/null\n", 0o644},
		"authkeys":    {"auth 1\n1 sha1 x\n", 0o600},
		"haresources": {"", 0o644},
	}
	for name, f := range files {
		body := []byte(f.body)
		if name == "heartbeat" {
			if body, err = os.ReadFile(bin); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(asNobody bool) int {
		args := []string{"--check", "--config-dir", dir, "--node-name", "alpha"}
		cmd := exec.Command(filepath.Join(dir, "heartbeat"), args...)
		if asNobody {
			cmd = exec.Command(setpriv, append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", filepath.Join(dir, "heartbeat")}, args...)...)
		}
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			t.Logf("exit %d:\n%s", ee.ExitCode(), out)
			return ee.ExitCode()
		}
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
		return -1
	}
	if rc := run(false); rc != 0 {
		t.Fatalf("as root: exit %d, want 0", rc)
	}
	if rc := run(true); rc != 4 {
		t.Fatalf("as nobody: exit %d, want 4", rc)
	}
}
