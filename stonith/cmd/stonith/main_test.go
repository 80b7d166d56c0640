package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// realStonith is cluster-glue's tool, the reference.
const realStonith = "/usr/sbin/stonith"

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries returns a directory holding our stonith and meatclient: the
// ones `make build` put in HBGO_BIN, or freshly built ones.
func binaries(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("HBGO_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "meatclient")); err == nil {
			return d
		}
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "hbgo-stonith-bin-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", binDir+"/", "hbgo/stonith/cmd/stonith", "hbgo/stonith/cmd/meatclient")
		cmd.Dir = testenv.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// runTool runs prog with args; stdin is /dev/null (not a terminal), as
// under a cluster manager, so log lines go to syslog and, with -d, to
// stderr.
func runTool(t *testing.T, env []string, prog string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %q: %v", prog, args, err)
	}
	return result{o.String(), e.String(), code}
}

var (
	// cl_log's stderr prefix: timestamp, node name, pid.
	clLogPrefix = regexp.MustCompile(`(?m)^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \S+ stonith: \[\d+\]: `)
	// GLib's warning printed when cluster-glue loads its deprecated
	// ipmilan plugin for -h; we have no compiled ipmilan.
	glibWarning = regexp.MustCompile(`(?m)^\n?\*\* \(process:\d+\): WARNING \*\*: [^\n]*ipmilan[^\n]*\n`)
)

// normalize removes what legitimately differs between two runs: the
// program path in getopt messages, cl_log timestamps and pids, and the
// GLib ipmilan warning.
func normalize(s, prog string) string {
	s = strings.ReplaceAll(s, prog+": ", "PROG: ")
	s = clLogPrefix.ReplaceAllString(s, "TS stonith: [PID]: ")
	s = glibWarning.ReplaceAllString(s, "")
	return s
}

// TestSameAsClusterGlue runs each command line through cluster-glue's
// stonith and ours and requires the same exit status and the same stdout
// and stderr after normalize.
func TestSameAsClusterGlue(t *testing.T) {
	testenv.RequireProgram(t, realStonith)
	ours := filepath.Join(binaries(t), "stonith")
	cfg := filepath.Join(t.TempDir(), "null.cfg")
	if err := os.WriteFile(cfg, []byte("# hosts\n\nA b  C\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		// null: parameters, listing, status, requests
		{"-t", "null", "-n"},
		{"-t", "null", "-m"},
		{"-t", "null", "-h"},
		{"-t", "null", "hostlist=a b", "-l"},
		{"-t", "null", "hostlist=A,b", "-l"},
		{"-t", "null", "-p", "A  B", "-l"},
		{"-t", "null", "-F", cfg, "-l"},
		{"-t", "null", "hostlist=a", "-S"},
		{"-t", "null", "hostlist=a", "-S", "-d"},
		{"-t", "null", "hostlist=a", "-S", "-s", "-d"},
		{"-t", "null", "hostlist=a b", "-T", "reset", "a"},
		{"-t", "null", "hostlist=a b", "-T", "off", "C", "-d"},
		{"-t", "null", "hostlist=a b", "-T", "on", "b"},
		{"-t", "null", "hostlist=a", "A"},
		{"-t", "null", "hostlist=a", "-c", "3", "-l"},
		{"-t", "null", "hostlist=a", "-l", "extra", "-d"},
		{"-t", "null", "-lS", "hostlist=a"},
		{"-tnull", "-c2", "hostlist=a", "-l"},
		{"-t", "null", "--", "hostlist=a", "-l"},
		// other built-ins
		{"-t", "suicide", "-n"},
		{"-t", "suicide", "-m"},
		{"-t", "suicide", "-S", "-d"},
		{"-t", "suicide", "-T", "on", "x", "-d"},
		{"-t", "suicide", "-T", "reset", "not-this-node", "-d"},
		{"-t", "meatware", "-n"},
		{"-t", "meatware", "-m"},
		{"-t", "meatware", "hostlist=a B", "-l"},
		{"-t", "meatware", "hostlist=", "-l"},
		{"-t", "ssh", "-m"},
		{"-t", "ssh", "hostlist=a b", "-T", "on", "a", "-d"},
		{"-t", "ssh", "hostlist=a b", "-T", "reset", "c", "-d"},
		{"-t", "ssh", "hostlist=a", "-S", "-d"},
		{"-t", "ssh", "hostlist=", "-l"},
		// external/ssh: the paths that need no ssh daemon
		{"-t", "external/ssh", "-n"},
		{"-t", "external/ssh", "-m"},
		{"-t", "external/ssh", "-h"},
		{"-t", "external/ssh", "hostlist=127.0.0.2 127.0.0.3", "-l"},
		{"-t", "external/ssh", "-p", "127.0.0.2,127.0.0.3", "-l"},
		{"-t", "external/ssh", "hostlist=127.0.0.2", "-S"},
		{"-t", "external/ssh", "hostlist=127.0.0.2", "-T", "on", "127.0.0.2"},
		{"-t", "external/ssh", "hostlist=127.0.0.2", "-T", "reset", "127.0.0.9"},
		{"-t", "external/ssh", "-E", "-l"},
		// errors: usage, unknown type, missing or bad parameters
		{},
		{"-x"},
		{"-W"},
		{"-t"},
		{"-l"},
		{"-t", "null", "-c"},
		{"-t", "null", "hostlist=a", "-c", "0", "-l"},
		{"-t", "null", "hostlist=a", "-c", "2x", "-l"},
		{"-t", "null", "hostlist=a", "-T", "bogus", "a"},
		{"-t", "null", "hostlist=a", "-T"},
		{"-t", "null", "hostlist=a"},
		{"-t", "null", "hostlist=a", "b", "c"},
		{"-t", "null", "-l"},
		{"-t", "null", "-p", "", "-l"},
		{"-t", "null", "-F", "/nonexistent/file", "-l"},
		{"-t", "null", "-E", "-l"},
		{"-t", "null", "-E", "-S"},
		{"-t", "null", "-E", "a"},
		{"-t", "null", "hostlist=", "-l"},
		{"-t", "null", "foo=bar", "-l"},
		{"-t", "null", "hostlist=a", "-p", "a", "-l"},
		{"-t", "null", "-p", "a", "-E", "-l"},
		{"-t", "null", "-h", "-x"},
		{"-t", "nosuch", "-n"},
		{"-t", "nosuch", "-l", "-d"},
		{"-t", "nosuch", "-h"},
		{"-t", "external/nosuch", "-n"},
		{"-t", "external/nosuch", "hostlist=a", "-l"},
		{"-t", "ssh", "foo=1", "-l"},
	}
	for _, args := range cases {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			want := runTool(t, nil, realStonith, args...)
			got := runTool(t, nil, ours, args...)
			wo, we := normalize(want.stdout, realStonith), normalize(want.stderr, realStonith)
			go_, ge := normalize(got.stdout, ours), normalize(got.stderr, ours)
			if want.code != got.code || wo != go_ || we != ge {
				t.Errorf("stonith %s\ncluster-glue: exit %d\nstdout:\n%s\nstderr:\n%s\nours: exit %d\nstdout:\n%s\nstderr:\n%s",
					name, want.code, wo, we, got.code, go_, ge)
			}
		})
	}
}

// TestTypeList checks -L: our list is cluster-glue's without the compiled
// hardware plugins we do not reimplement.
func TestTypeList(t *testing.T) {
	testenv.RequireProgram(t, realStonith)
	want := runTool(t, nil, realStonith, "-L")
	got := runTool(t, nil, filepath.Join(binaries(t), "stonith"), "-L")
	var keep []string
	for _, typ := range strings.Split(strings.TrimSpace(want.stdout), "\n") {
		switch {
		case strings.HasPrefix(typ, "external/"), typ == "null", typ == "ssh", typ == "meatware", typ == "suicide":
			keep = append(keep, typ)
		}
	}
	if got.code != 0 || strings.Join(keep, "\n")+"\n" != got.stdout {
		t.Fatalf("ours -L:\n%s\nwant:\n%s", got.stdout, strings.Join(keep, "\n"))
	}
}

// TestSameOnTerminal repeats a few comparisons with stdin on a terminal
// (through script(1)), where both tools print log lines as "prio: msg"
// on stderr instead of sending them to syslog.
func TestSameOnTerminal(t *testing.T) {
	testenv.RequireProgram(t, realStonith)
	scriptProg := testenv.RequireProgram(t, "script")
	ours := filepath.Join(binaries(t), "stonith")
	cases := []string{
		"-t null hostlist=a -T reset A",
		"-t null hostlist=a -S",
		"-t null hostlist=a -S -d",
		"-t nosuch -l",
		"-t ssh hostlist=a -T on a",
		"-t suicide -T reset not-this-node",
		"-t external/ssh hostlist=127.0.0.2 -T off 127.0.0.2",
	}
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			want := runTool(t, nil, scriptProg, "-qec", realStonith+" "+c, "/dev/null")
			got := runTool(t, nil, scriptProg, "-qec", ours+" "+c, "/dev/null")
			wo, gout := normalize(want.stdout, realStonith), normalize(got.stdout, ours)
			if want.code != got.code || wo != gout {
				t.Errorf("cluster-glue: exit %d\n%s\nours: exit %d\n%s", want.code, wo, got.code, gout)
			}
		})
	}
}

// TestFullHelp compares -h without a type: the usage and, for every type
// we provide, the same description section in the same order.
func TestFullHelp(t *testing.T) {
	testenv.RequireProgram(t, realStonith)
	want := runTool(t, nil, realStonith, "-h")
	got := runTool(t, nil, filepath.Join(binaries(t), "stonith"), "-h")
	const sep = "\n\nSTONITH Device: "
	parts := strings.Split(want.stdout, sep)
	kept := []string{parts[0]}
	for _, p := range parts[1:] {
		typ, _, _ := strings.Cut(p, " - ")
		switch {
		case strings.HasPrefix(typ, "external/"), typ == "null", typ == "ssh", typ == "meatware", typ == "suicide":
			kept = append(kept, p)
		}
	}
	if got.code != want.code || got.stdout != strings.Join(kept, sep) {
		t.Fatalf("ours:\n%s\nwant:\n%s", got.stdout, strings.Join(kept, sep))
	}
}
