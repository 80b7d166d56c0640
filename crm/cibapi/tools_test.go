package cibapi

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// toolEnv is the process environment without CIB_file, so the tools go
// to the daemon named by --run-dir.
func toolEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CIB_file=") {
			env = append(env, kv)
		}
	}
	return env
}

// tool runs a built client tool and returns its output and exit code.
func tool(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(testenv.Bin(t, name), args...)
	cmd.Env = toolEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), 0
}

// TestBuiltTools serves a CIB file with Serve and drives the built tools
// against it with --run-dir: reads see the file, edits land in it.
func TestBuiltTools(t *testing.T) {
	for _, n := range []string{"cibadmin", "crm_mon", "crm_attribute", "crm_standby", "crm_resource", "crm_verify"} {
		testenv.Bin(t, n)
	}
	dir := shortDir(t)
	cib := filepath.Join(dir, "cib.xml")
	data, err := os.ReadFile("testdata/cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cib, data, 0o600); err != nil {
		t.Fatal(err)
	}
	serveAt(t, SocketPath(dir), &FileBackend{Path: cib})
	fileHas := func(what string) bool {
		data, err := os.ReadFile(cib)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(string(data), what)
	}
	steps := []struct {
		name string
		args []string
		out  string // expected in the output
		file string // expected in the CIB file afterwards
	}{
		{"cibadmin", []string{"-Q", "-o", "nodes"}, `uname="gamma"`, ""},
		{"crm_mon", []string{"-1"}, "partition with quorum", ""},
		{"crm_mon", []string{"--output-as=xml"}, `<current_dc present="true"`, ""},
		{"crm_attribute", []string{"-n", "cluster-delay", "-v", "90s"}, "", `name="cluster-delay" value="90s"`},
		{"crm_attribute", []string{"-n", "cluster-delay", "-G", "-q"}, "90s", ""},
		{"crm_standby", []string{"-N", "beta", "-v", "on"}, "", ""},
		{"crm_standby", []string{"-N", "beta", "-G"}, "value=on", ""},
		{"crm_mon", []string{"-1"}, "Node beta: standby", ""},
		{"crm_resource", []string{"--ban", "-r", "vip", "-N", "beta"}, "", `id="cli-ban-vip-on-beta"`},
		{"crm_resource", []string{"-W", "-r", "vip"}, "resource vip is running on: alpha", ""},
		{"cibadmin", []string{"-C", "-o", "resources", "-X", `<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"/>`}, "", `id="extra"`},
		{"crm_verify", []string{"-L"}, "", ""},
		{"cibadmin", []string{"-E", "--force"}, "", "<resources/>"},
	}
	for _, st := range steps {
		out, rc := tool(t, st.name, append(st.args, "--run-dir", dir)...)
		if rc != 0 {
			t.Fatalf("%s %q: exit %d\n%s", st.name, st.args, rc, out)
		}
		if !strings.Contains(out, st.out) {
			t.Errorf("%s %q: output lacks %q:\n%s", st.name, st.args, st.out, out)
		}
		if st.file != "" && !fileHas(st.file) {
			t.Errorf("%s %q: CIB file lacks %q", st.name, st.args, st.file)
		}
	}
}

// TestBuiltToolsNoDaemon: every tool reports a missing daemon with the
// socket's name and Pacemaker's "not connected" exit code.
func TestBuiltToolsNoDaemon(t *testing.T) {
	dir := shortDir(t)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"cibadmin", []string{"-Q"}},
		{"crm_mon", []string{"-1"}},
		{"crm_attribute", []string{"-n", "x", "-G"}},
		{"crm_standby", []string{"-N", "a", "-G"}},
		{"crm_resource", []string{"-L"}},
		{"crm_verify", []string{"-L"}},
	} {
		out, rc := tool(t, c.name, append(c.args, "--run-dir", dir)...)
		if rc != ExitDisconnect || !strings.Contains(out, SocketPath(dir)) || !strings.Contains(out, "not running") {
			t.Errorf("%s: exit %d, output %q; want %d naming the socket", c.name, rc, out, ExitDisconnect)
		}
	}
}

// TestBuiltCrmMonRefresh runs crm_mon without -1 against a served CIB:
// it prints a frame per interval until SIGINT, then exits 0.
func TestBuiltCrmMonRefresh(t *testing.T) {
	dir := shortDir(t)
	cib := filepath.Join(dir, "cib.xml")
	data, err := os.ReadFile("testdata/cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cib, data, 0o600); err != nil {
		t.Fatal(err)
	}
	serveAt(t, SocketPath(dir), &FileBackend{Path: cib})
	cmd := exec.Command(testenv.Bin(t, "crm_mon"), "--run-dir", dir, "-i", "50ms")
	cmd.Env = toolEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	frames := 0
	sc := bufio.NewScanner(stdout)
	for frames < 3 && sc.Scan() {
		if sc.Text() == "Cluster Summary:" {
			frames++
		}
	}
	if frames < 3 {
		t.Fatalf("saw %d frames before output ended", frames)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("crm_mon after SIGINT: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("crm_mon did not stop on SIGINT")
	}
}

// serveAt runs Serve on path for the rest of the test.
func serveAt(t *testing.T, path string, b Backend) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, path, b, quietLog()) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	c := Client{Path: path, Timeout: time.Second}
	for i := 0; ; i++ {
		if _, err := c.Load(); err == nil {
			return
		}
		if i > 2000 {
			t.Fatalf("%s never answered", path)
		}
		time.Sleep(time.Millisecond)
	}
}
