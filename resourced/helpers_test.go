package resourced

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"hbgo/resourced/proc"
)

func TestMain(m *testing.M) {
	// Orphans of killed agents must come back to us to be reaped: the
	// sandbox's PID 1 does not reap.
	if err := proc.EnableSubreaper(); err != nil {
		fmt.Fprintln(os.Stderr, "subreaper:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// uniq returns a name unique to this test run.
func uniq(prefix string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", prefix, os.Getpid(), hex.EncodeToString(b))
}

func requireAgent(t testing.TB, path string) {
	t.Helper()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Skipf("agent %s not installed", path)
	}
}

// testExecutor returns an executor whose agents keep state in a temp dir.
func testExecutor(t testing.TB, mod func(*Config)) (*Executor, Config) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.StateDir = t.TempDir()
	cfg.ConfigDir = t.TempDir()
	cfg.InitDir = t.TempDir()
	if mod != nil {
		mod(&cfg)
	}
	return NewExecutor(cfg), cfg
}

// leftovers lists processes that carry needle in their environment, and
// zombie children of ours.
func leftovers(t testing.TB, needle string) []string {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	var out []string
	self := strconv.Itoa(os.Getpid())
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if env, err := os.ReadFile("/proc/" + e.Name() + "/environ"); err == nil && strings.Contains(string(env), needle) {
			out = append(out, e.Name()+" (env)")
		}
		if st, err := os.ReadFile("/proc/" + e.Name() + "/stat"); err == nil {
			s := string(st)
			if i := strings.LastIndexByte(s, ')'); i > 0 {
				f := strings.Fields(s[i+1:])
				if len(f) > 1 && f[0] == "Z" && f[1] == self {
					out = append(out, e.Name()+" (zombie)")
				}
			}
		}
	}
	return out
}

// netns creates a network namespace with a veth pair v0/v1 (v0 carrying
// 198.51.100.1/24) and returns its name; it is deleted at cleanup.
func netns(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	name := uniq("hbgo-rs")
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	run("netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "delete", name).Run() })
	run("-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	run("-n", name, "addr", "add", "198.51.100.1/24", "dev", "v0")
	for _, l := range []string{"lo", "v0", "v1"} {
		run("-n", name, "link", "set", l, "up")
	}
	return name
}

func nsAddrs(t *testing.T, ns string) string {
	t.Helper()
	out, err := exec.Command("ip", "-n", ns, "-4", "addr", "show").CombinedOutput()
	if err != nil {
		t.Fatalf("ip addr: %v: %s", err, out)
	}
	return string(out)
}

func hostAddrs(t *testing.T) string {
	t.Helper()
	out, _ := exec.Command("ip", "-4", "addr", "show").CombinedOutput()
	return string(out)
}
