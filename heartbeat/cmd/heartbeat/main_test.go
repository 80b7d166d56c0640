package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/hacf"
)

func fakeHost() *hacf.FakeEnv {
	return &hacf.FakeEnv{
		Ifaces:   map[string]hacf.FakeIface{"eth0": {IPv4: true, Broadcast: true}},
		Users:    map[string]bool{"hacluster": true},
		Compress: map[string]bool{"zlib": true},
	}
}

func configDir(t *testing.T, haCf, authkeys string, mode os.FileMode, haresources *string) string {
	t.Helper()
	d := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(d, "ha.cf"), []byte(haCf), 0o644))
	must(os.WriteFile(filepath.Join(d, "authkeys"), []byte(authkeys), mode))
	must(os.Chmod(filepath.Join(d, "authkeys"), mode))
	if haresources != nil {
		must(os.WriteFile(filepath.Join(d, "haresources"), []byte(*haresources), 0o644))
	}
	return d
}

func TestCheck(t *testing.T) {
	good := "node alpha beta\nbcast eth0\nauto_failback on\nlogfile /dev/null\n"
	keys := "auth 1\n1 sha1 secret\n"
	hr := "alpha 192.0.2.10 apache2\n"
	badHr := "gamma 192.0.2.10\n"
	empty := ""
	for _, tc := range []struct {
		name        string
		haCf, keys  string
		mode        os.FileMode
		haresources *string
		node        string
		rc          int
		want        []string
	}{
		{"ok", good, keys, 0o600, &hr, "alpha", 0, []string{"OK: heartbeat 3.0.6 would start on node alpha"}},
		{"node name folded", good, keys, 0o600, &empty, "ALPHA", 0, []string{"OK:"}},
		{"not a node", good, keys, 0o600, &hr, "delta", 6, []string{"ha.cf:1: node: Current node [delta] not in configuration", "FAILED:"}},
		{"bad haresources node", good, keys, 0o600, &badHr, "alpha", 6, []string{"haresources:1: node: Bad nodename"}},
		{"no haresources", good, keys, 0o600, nil, "alpha", 6, []string{"Cannot open resources file"}},
		{"authkeys mode", good, keys, 0o644, &hr, "alpha", 6, []string{"Bad permissions on keyfile"}},
		{"ha.cf error line", good + "keepalive 2s\n", keys, 0o600, &hr, "alpha", 6, []string{"ha.cf:5: keepalive: invalid time value \"2s\" (3.0.6 fails silently) (a number of seconds"}},
		{"warning only", good + "deadtime 5\ninitdead 6\n", keys, 0o600, &hr, "alpha", 0, []string{"ha.cf:6: initdead: warning: Initial dead time [6000 ms] may be too small", "OK:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := configDir(t, tc.haCf, tc.keys, tc.mode, tc.haresources)
			var out, errOut bytes.Buffer
			rc := run([]string{"--check", "--config-dir", d, "--node-name", tc.node}, &out, &errOut, fakeHost())
			if rc != tc.rc {
				t.Errorf("rc %d, want %d\n%s%s", rc, tc.rc, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "OK: ") && !strings.HasPrefix(last, "FAILED: ") {
				t.Errorf("last line is not a verdict: %q", last)
			}
		})
	}
}

func TestVersionDefaultsAndDaemonControl(t *testing.T) {
	var out, errOut bytes.Buffer
	if rc := run([]string{"-V"}, &out, &errOut, fakeHost()); rc != 0 || out.String() != Version+"\n" {
		t.Errorf("-V: rc %d out %q", rc, out.String())
	}
	out.Reset()
	if rc := run([]string{"-D"}, &out, &errOut, fakeHost()); rc != 0 ||
		!strings.Contains(out.String(), "deadtime                 30000ms   node deadtime") {
		t.Errorf("-D: rc %d out %q", rc, out.String())
	}
	// Without a running daemon: -k succeeds (already stopped), -s says
	// stopped with LSB status 3, and starting with a missing configuration
	// directory is refused with 6, as 3.0.6 does.
	runDir := t.TempDir()
	out.Reset()
	if rc := run([]string{"-k", "--run-dir", runDir}, &out, &errOut, fakeHost()); rc != 0 || out.String() != "Heartbeat already stopped.\n" {
		t.Errorf("-k: rc %d out %q", rc, out.String())
	}
	out.Reset()
	if rc := run([]string{"-s", "--run-dir", runDir}, &out, &errOut, fakeHost()); rc != 3 || out.String() != "heartbeat is stopped. No process\n" {
		t.Errorf("-s: rc %d out %q", rc, out.String())
	}
	missing := filepath.Join(t.TempDir(), "nothing")
	for _, args := range [][]string{{"-r"}, {"-M"}, {"-l"}, {"-f"}, {"-dd"}, {}} {
		errOut.Reset()
		args = append(args, "--config-dir", missing, "--run-dir", runDir, "--node-name", "alpha")
		if rc := run(args, &out, &errOut, fakeHost()); rc != 6 || !strings.Contains(errOut.String(), "Configuration error, heartbeat not started.") {
			t.Errorf("%v: rc %d stderr %q", args, rc, errOut.String())
		}
	}
	if rc := run([]string{"--bogus"}, &out, &errOut, fakeHost()); rc != 2 {
		t.Errorf("--bogus: rc %d", rc)
	}
}
