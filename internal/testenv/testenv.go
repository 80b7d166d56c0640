// Package testenv locates the resources tests need outside the package under
// test: the repository root, the shared reference material beside it, the
// built binaries, root privileges and the reference programs. Each Require
// helper skips the test with a message saying what is missing.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot returns the module root (the directory holding go.mod).
func RepoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		wd, _ := os.Getwd()
		return findUp(wd)
	}
	return findUp(filepath.Dir(file))
}

func findUp(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// SharedDir returns ../shared relative to the repository root, or skips the
// test when that reference material is absent.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(RepoRoot()), "shared")
	if env := os.Getenv("HBGO_SHARED"); env != "" {
		dir = env
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("shared reference material not found at %s (set HBGO_SHARED); skipping", dir)
	}
	return dir
}

// Bin returns the path of one of the project's binaries. It uses HBGO_BIN
// (set by `make test`) or ./bin under the repository root and skips the test
// when the binary has not been built.
func Bin(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("HBGO_BIN")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "bin")
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("binary %s not built (run `make build`); skipping", p)
	}
	return p
}

// RequireRoot skips the test unless it runs as root (network namespaces,
// the reference daemon).
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (network namespaces); skipping")
	}
}

// RequireProgram skips the test unless path (absolute, or looked up in PATH)
// is an executable, and returns its absolute path.
func RequireProgram(t testing.TB, path string) string {
	t.Helper()
	p, err := exec.LookPath(path)
	if err != nil {
		t.Skipf("%s not installed (%v); skipping", path, err)
	}
	return p
}

// RealHeartbeat is where Debian installs the reference Heartbeat 3.0.6 daemon.
const RealHeartbeat = "/usr/libexec/heartbeat/heartbeat"

// RequireRealHeartbeat skips the test unless the reference daemon is
// installed and the test runs as root, and returns the daemon's path.
func RequireRealHeartbeat(t testing.TB) string {
	t.Helper()
	RequireRoot(t)
	if testing.Short() {
		t.Skip("reference daemon tests are not short; skipping")
	}
	return RequireProgram(t, RealHeartbeat)
}
