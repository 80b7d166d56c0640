package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// pluginDir holds a copy of testdata/recorder with the mode cluster-glue
// requires (owner-writable only).
func pluginDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/recorder")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "recorder"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExternalThroughCommand drives our own recorder plugin through every
// action of the command line and checks the calls it recorded.
func TestExternalThroughCommand(t *testing.T) {
	ours := filepath.Join(binaries(t), "stonith")
	dir := pluginDir(t)
	rec := filepath.Join(t.TempDir(), "record")
	env := []string{"HBGO_STONITH_EXTERNAL_DIR=" + dir, "HBGO_STONITH_TIMEOUT=20s"}
	cfg := []string{"-t", "external/recorder", "hostlist=N1 n2", "record=" + rec}
	steps := []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"-L"}, 0, "external/recorder\nmeatware\nnull\nssh\nsuicide\n"},
		{[]string{"-t", "external/recorder", "-n"}, 0, "hostlist  record  fail  \n"},
		{append(cfg, "-l"), 0, "N1\nn2\n"},
		{append(cfg, "-S"), 0, ""},
		{append(cfg, "-T", "reset", "N1"), 0, ""},
		{append(cfg, "-T", "on", "n2"), 0, ""},
		{append(cfg, "-T", "off", "n2"), 0, ""},
		{append(cfg, "-T", "off", "n2", "fail=off"), 1, ""}, // usage: two non-options
		{[]string{"-t", "external/recorder", "hostlist=n1", "record=" + rec, "fail=reset", "n1"}, 5, ""},
		{[]string{"-t", "external/recorder", "hostlist=n1", "record=" + rec, "status_rc=3", "-S"}, 3, ""},
		{[]string{"-t", "external/recorder", "-p", "n1 " + rec, "-l"}, 1, ""}, // three names, two values
		{[]string{"-t", "external/recorder", "-p", "n1 " + rec + " none", "-l"}, 0, "n1\n"},
	}
	for _, s := range steps {
		got := runTool(t, env, ours, s.args...)
		if got.code != s.code || (s.code == 0 && got.stdout != s.stdout) {
			t.Fatalf("stonith %q: exit %d stdout %q stderr %q; want exit %d stdout %q",
				s.args, got.code, got.stdout, got.stderr, s.code, s.stdout)
		}
	}
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		op, _, _ := strings.Cut(l, " | ")
		ops = append(ops, op)
	}
	want := []string{"gethosts", "status", "reset n1", "on n2", "off n2", "reset n1", "status", "gethosts"}
	if !reflect.DeepEqual(ops, want) {
		t.Fatalf("plugin calls %q, want %q", ops, want)
	}
	// -m assembles the meta-data from the plugin's info strings, escaped.
	got := runTool(t, env, ours, "-t", "external/recorder", "-m")
	if got.code != 0 || !strings.Contains(got.stdout, "Records &lt;every&gt; action &amp; exits 0\n") ||
		!strings.Contains(got.stdout, `<resource-agent name="external/recorder">`) {
		t.Fatalf("-m: %+v", got)
	}
}

// TestMeatwareWithMeatclient resets a host through our meatware device
// and confirms with our meatclient; then cancels (operator answers no),
// which fails the reset with S_RESETFAIL.
func TestMeatwareWithMeatclient(t *testing.T) {
	bin := binaries(t)
	dir := t.TempDir()
	env := []string{"HBGO_MEATWARE_DIR=" + dir}
	for _, tc := range []struct {
		answer       string
		stonithCode  int
		clientCode   int
		clientSuffix string
	}{
		{"y\n", 0, 0, "Meatware_client: reset confirmed.\n"},
		{"n\n", 5, 3, "Meatware_client: operation canceled.\n"},
	} {
		res := make(chan result, 1)
		go func() {
			res <- runTool(t, env, filepath.Join(bin, "stonith"), "-t", "meatware", "hostlist=n1", "-T", "reset", "N1")
		}()
		mc := runMeatclient(t, env, filepath.Join(bin, "meatclient"), tc.answer, "-w", "-c", "N1")
		if mc.code != tc.clientCode || !strings.HasSuffix(mc.stdout, tc.clientSuffix) ||
			!strings.Contains(mc.stdout, `If node "n1" has not been manually power-cycled`) {
			t.Fatalf("meatclient: %+v", mc)
		}
		if r := <-res; r.code != tc.stonithCode {
			t.Fatalf("stonith after %q: %+v", tc.answer, r)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "meatware.n1")); !os.IsNotExist(err) {
		t.Fatal("FIFO left behind")
	}
}

// TestMeatwareInterop crosses the implementations: cluster-glue's
// meatclient confirms our device, ours confirms cluster-glue's plugin.
// Both use /run, so the host name is unique per run.
func TestMeatwareInterop(t *testing.T) {
	testenv.RequireProgram(t, realStonith)
	realClient := testenv.RequireProgram(t, "/usr/sbin/meatclient")
	testenv.RequireRoot(t)
	bin := binaries(t)
	for i, pair := range [][2]string{
		{filepath.Join(bin, "stonith"), realClient},
		{realStonith, filepath.Join(bin, "meatclient")},
	} {
		host := "hbgo-test-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + string(rune('a'+i)) + "-" + strconv.Itoa(os.Getpid())
		host = strings.ToLower(host)
		res := make(chan result, 1)
		go func() { res <- runTool(t, nil, pair[0], "-t", "meatware", "hostlist=x", "-T", "reset", host) }()
		mc := runMeatclient(t, nil, pair[1], "y\n", "-w", "-c", host)
		if mc.code != 0 {
			t.Fatalf("%s answering %s: %+v", pair[1], pair[0], mc)
		}
		if r := <-res; r.code != 0 {
			t.Fatalf("%s: %+v", pair[0], r)
		}
	}
}

func runMeatclient(t *testing.T, env []string, prog, answer string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(answer)
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout: string(out), code: code}
}

// TestFenceAgentThroughCommand runs fence_dummy (file based, from
// fence-agents) as type rhcs/dummy through the command line.
func TestFenceAgentThroughCommand(t *testing.T) {
	testenv.RequireProgram(t, "/usr/sbin/fence_dummy")
	ours := filepath.Join(binaries(t), "stonith")
	st := "status_file=" + filepath.Join(t.TempDir(), "status")
	for _, s := range []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"-t", "rhcs/dummy", "-n"}, 0, "random_sleep_range  status_file  type  \n"},
		{[]string{"-t", "rhcs/dummy", st, "-S"}, 0, ""},
		{[]string{"-t", "rhcs/dummy", st, "-T", "off", "n1"}, 0, ""},
		{[]string{"-t", "rhcs/dummy", st, "-T", "on", "n1"}, 0, ""},
		{[]string{"-t", "rhcs/dummy", st, "n1"}, 0, ""},
		{[]string{"-t", "rhcs/dummy", st, "-l"}, 255, ""}, // fence_dummy cannot list
		{[]string{"-t", "rhcs/nosuch", "x=1", "-l"}, 8, ""},
	} {
		got := runTool(t, nil, ours, s.args...)
		if got.code != s.code || got.stdout != s.stdout {
			t.Fatalf("stonith %q: %+v, want exit %d stdout %q", s.args, got, s.code, s.stdout)
		}
	}
}
