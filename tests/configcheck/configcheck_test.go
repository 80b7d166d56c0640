package configcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// minCases is the least number of recorded cases the suite must hold; it
// guards against a glob or generator mistake silently emptying the suite.
const minCases = 90

// runTimeout bounds one run of run-ours.sh (namespace set-up + check).
const runTimeout = 20 * time.Second

// recordedCase is one directory of testdata/cases.
type recordedCase struct {
	name    string
	dir     string
	verdict Verdict
}

func loadCases(t *testing.T) []recordedCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []recordedCase
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d, "verdict"))
		if err != nil {
			t.Fatalf("case %s has no recorded verdict (run record.sh): %v", d, err)
		}
		v, err := ParseVerdict(string(b))
		if err != nil {
			t.Fatalf("case %s: %v", d, err)
		}
		cases = append(cases, recordedCase{name: filepath.Base(d), dir: d, verdict: v})
	}
	if len(cases) < minCases {
		t.Fatalf("only %d recorded cases under testdata/cases, want at least %d", len(cases), minCases)
	}
	return cases
}

// TestCasesWellFormed checks the recorded cases themselves: every case has
// its inputs, a host, a parseable verdict and the real daemon's log, and an
// optional mode file holds an octal mode.
func TestCasesWellFormed(t *testing.T) {
	accepted, rejected := 0, 0
	for _, c := range loadCases(t) {
		for _, f := range []string{"ha.cf", "host", "real.log"} {
			if _, err := os.Stat(filepath.Join(c.dir, f)); err != nil {
				t.Errorf("case %s: %v", c.name, err)
			}
		}
		if _, err := os.Stat(filepath.Join(c.dir, "authkeys")); err != nil && !strings.Contains(c.name, "authkeys-missing") {
			t.Errorf("case %s: %v", c.name, err)
		}
		if host, _ := os.ReadFile(filepath.Join(c.dir, "host")); strings.TrimSpace(string(host)) == "" {
			t.Errorf("case %s: empty host file", c.name)
		}
		if b, err := os.ReadFile(filepath.Join(c.dir, "mode")); err == nil {
			if _, err := strconv.ParseUint(strings.TrimSpace(string(b)), 8, 12); err != nil {
				t.Errorf("case %s: mode file: %v", c.name, err)
			}
		}
		if c.verdict.Accepted {
			accepted++
		} else {
			rejected++
		}
	}
	// A suite of only one kind of verdict could not tell a checker that always
	// says yes (or always no) from a correct one.
	if accepted < 20 || rejected < 20 {
		t.Errorf("unbalanced suite: %d accepted, %d rejected", accepted, rejected)
	}
}

// checkWorkers bounds how many run-ours.sh runs are in flight at once; a run
// mostly waits for namespace set-up and process start-up, not for CPU.
const checkWorkers = 6

// ourResult is what one run of run-ours.sh gave.
type ourResult struct {
	out string // combined output
	rc  int    // exit status of the checker
	err error  // the run itself failed (set-up, timeout)
}

// runOurs runs run-ours.sh on caseDir with our binary.
func runOurs(caseDir, bin string) ourResult {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	script, err := filepath.Abs("run-ours.sh")
	if err != nil {
		return ourResult{err: err}
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, script, caseDir, bin)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return ourResult{out: out.String()}
	case ctx.Err() != nil:
		return ourResult{out: out.String(), err: fmt.Errorf("run-ours.sh %s timed out after %v", caseDir, runTimeout)}
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		if ee.ExitCode() == 2 && strings.Contains(out.String(), "run-ours.sh:") {
			return ourResult{out: out.String(), err: errors.New("run-ours.sh set-up failed")}
		}
		return ourResult{out: out.String(), rc: ee.ExitCode()}
	default:
		return ourResult{out: out.String(), err: fmt.Errorf("run-ours.sh %s: %w", caseDir, err)}
	}
}

// runOursAll runs run-ours.sh on every directory, checkWorkers at a time,
// and returns the results in the order of dirs.
func runOursAll(dirs []string, bin string) []ourResult {
	results := make([]ourResult, len(dirs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range checkWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = runOurs(dirs[i], bin)
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// mustRun fails the test when the run itself went wrong.
func (r ourResult) mustRun(t *testing.T) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("%v; output:\n%s", r.err, r.out)
	}
}

func ourBinary(t *testing.T) string {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireProgram(t, "ip")
	return testenv.Bin(t, "heartbeat")
}

// TestAgreesWithRealDaemon runs our `heartbeat --check` on every recorded
// case and compares accept/refuse with the real 3.0.6 verdict.
func TestAgreesWithRealDaemon(t *testing.T) {
	t.Parallel() // overlaps with the generator and corpus tests
	cases := loadCases(t)
	bin := ourBinary(t)
	dirs := make([]string, len(cases))
	for i, c := range cases {
		abs, err := filepath.Abs(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		dirs[i] = abs
	}
	results := runOursAll(dirs, bin)
	for i, c := range cases {
		r := results[i]
		t.Run(c.name, func(t *testing.T) {
			// A case whose recorded verdict came from the recording
			// environment rather than from a rule names why in "envdep".
			if why, err := os.ReadFile(filepath.Join(c.dir, "envdep")); err == nil {
				t.Skipf("environment-dependent verdict: %s", strings.TrimSpace(string(why)))
			}
			r.mustRun(t)
			if ok, reason := c.verdict.Agrees(r.rc); !ok {
				realLog, _ := os.ReadFile(filepath.Join(c.dir, "real.log"))
				t.Errorf("%s\nreal verdict: %v\nreal daemon's log:\n%s\nour output (exit %d):\n%s",
					reason, c.verdict, indent(string(realLog)), r.rc, indent(r.out))
			}
		})
	}
}

// TestCorpusAgreesWithRealDaemon does the same for the public corpus setups
// (ha.cf with the authkeys and haresources of the same repository), whose
// real verdicts record.sh --corpus stored in testdata/corpus-verdicts.txt.
func TestCorpusAgreesWithRealDaemon(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus-verdicts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	setups, err := ParseCorpusVerdicts(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(setups) == 0 {
		t.Fatal("corpus-verdicts.txt lists no setups")
	}
	pub := filepath.Join(testenv.SharedDir(t), "corpus", "public")
	bin := ourBinary(t)
	dirs := make([]string, len(setups))
	for i, s := range setups {
		dir := t.TempDir()
		copyFile(t, filepath.Join(pub, s.HaCf), filepath.Join(dir, "ha.cf"))
		if s.Authkeys != "" {
			copyFile(t, filepath.Join(pub, s.Authkeys), filepath.Join(dir, "authkeys"))
		} else {
			// What hb-real-check.sh supplies when a setup has no authkeys.
			writeFile(t, filepath.Join(dir, "authkeys"), "auth 1\n1 sha1 x\n")
		}
		if s.Haresources != "" {
			copyFile(t, filepath.Join(pub, s.Haresources), filepath.Join(dir, "haresources"))
		}
		writeFile(t, filepath.Join(dir, "host"), s.Host+"\n")
		dirs[i] = dir
	}
	results := runOursAll(dirs, bin)
	for i, s := range setups {
		r := results[i]
		t.Run(strings.TrimSuffix(s.HaCf, ".ha.cf"), func(t *testing.T) {
			r.mustRun(t)
			if ok, reason := s.Verdict.Agrees(r.rc); !ok {
				t.Errorf("%s\nreal verdict: %v\nour output (exit %d):\n%s", reason, s.Verdict, r.rc, indent(r.out))
			}
		})
	}
}

// TestRunOursHarness checks run-ours.sh itself with a stand-in checker that
// reports what it was given and exits with the status the case asks for.
func TestRunOursHarness(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireProgram(t, "ip")
	fake, err := filepath.Abs(filepath.Join("testdata", "fake-check.sh"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ha.cf"),
		"# fake-rc 6\nbcast eth0,eth1 # comment eth9\r\nucast eth2 198.51.100.2\n"+
			"mcast hbnosuchiface0123 239.0.0.1 694 1 0\nnode alpha\n")
	writeFile(t, filepath.Join(dir, "authkeys"), "auth 1\n1 sha1 x\n")
	writeFile(t, filepath.Join(dir, "mode"), "0400\n")
	writeFile(t, filepath.Join(dir, "host"), "Alpha\n")

	r := runOurs(dir, fake)
	r.mustRun(t)
	out, rc := r.out, r.rc
	if rc != 6 {
		t.Errorf("exit status %d, want the checker's 6; output:\n%s", rc, out)
	}
	for _, want := range []string{
		"args=--check --config-dir ",
		"node-name=Alpha",
		"authkeys-mode=400",
		"haresources=absent",
		"if=eth0 ", "if=eth1 ", "if=eth2 ",
		"brd 198.51.100.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"if=eth9 ", "if=hbnosuchiface0123 "} {
		if strings.Contains(out, unwanted) {
			t.Errorf("output has %q:\n%s", unwanted, out)
		}
	}
	// Relative paths in a case must not resolve inside the repository.
	if cwd := lineValue(out, "cwd="); !strings.HasPrefix(cwd, os.TempDir()) {
		t.Errorf("checker ran in %q, want a scratch directory under %s", cwd, os.TempDir())
	}
	ns := lineValue(out, "netns=")
	if !strings.HasPrefix(ns, "hbcc-") {
		t.Fatalf("checker did not run in an hbcc- namespace (netns=%q):\n%s", ns, out)
	}
	if _, err := os.Stat(filepath.Join("/run/netns", ns)); !os.IsNotExist(err) {
		t.Errorf("namespace %s still exists after run-ours.sh (stat: %v)", ns, err)
	}

	// Accepting checker, haresources present, default mode, and no host
	// file: the node name is then the first node in ha.cf, as for the real
	// daemon's harness.
	writeFile(t, filepath.Join(dir, "ha.cf"), "# fake-rc 0\nbcast eth0\n# node gamma\n  node beta,alpha\nnode delta\n")
	if err := os.Remove(filepath.Join(dir, "host")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "haresources"), "alpha 198.51.100.10\n")
	if err := os.Remove(filepath.Join(dir, "mode")); err != nil {
		t.Fatal(err)
	}
	r = runOurs(dir, fake)
	r.mustRun(t)
	out, rc = r.out, r.rc
	if rc != 0 || !strings.Contains(out, "authkeys-mode=600") || !strings.Contains(out, "haresources=present") ||
		lineValue(out, "node-name=") != "beta" {
		t.Errorf("exit %d, output:\n%s", rc, out)
	}
}

func lineValue(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestGeneratorReproducesCases regenerates every case into a scratch
// directory and checks the inputs under testdata/cases are exactly what
// gen-cases.sh writes, so the recorded verdicts belong to reproducible
// inputs and no case was edited by hand.
func TestGeneratorReproducesCases(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating all cases takes a while; skipping in -short mode")
	}
	testenv.RequireProgram(t, "bash")
	t.Parallel()
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./gen-cases.sh")
	cmd.Env = append(os.Environ(), "CASES_OUT="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen-cases.sh: %v\n%s", err, b)
	}
	inputs := []string{"ha.cf", "authkeys", "haresources", "host", "mode"}
	for _, c := range loadCases(t) {
		for _, f := range inputs {
			want, errWant := os.ReadFile(filepath.Join(out, c.name, f))
			got, errGot := os.ReadFile(filepath.Join(c.dir, f))
			switch {
			case os.IsNotExist(errWant) && os.IsNotExist(errGot):
			case errWant != nil || errGot != nil:
				t.Errorf("%s/%s: generated: %v, recorded: %v", c.name, f, errWant, errGot)
			case !bytes.Equal(want, got):
				t.Errorf("%s/%s differs from what gen-cases.sh writes; regenerate and re-record it", c.name, f)
			}
		}
	}
	gen, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range gen {
		if _, err := os.Stat(filepath.Join("testdata", "cases", e.Name(), "verdict")); err != nil {
			t.Errorf("gen-cases.sh defines %s but it has no recorded verdict (run record.sh)", e.Name())
		}
	}
}
