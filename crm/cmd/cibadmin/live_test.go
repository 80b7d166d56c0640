package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cibapi"
	"hbgo/crm/status/cibdoc"
)

// memBackend is an in-memory daemon CIB that commits every replacement,
// or refuses all of them with fail.
type memBackend struct {
	mu       sync.Mutex
	xml      []byte
	fail     error
	replaces int
}

func (m *memBackend) Query(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.xml, nil
}

func (m *memBackend) Replace(_ context.Context, xml []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.xml = append([]byte(nil), xml...)
	m.replaces++
	return nil
}

func (m *memBackend) state() (string, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return string(m.xml), m.replaces
}

// serveDaemon serves b in a fresh run directory and returns it.
func serveDaemon(t *testing.T, b cibapi.Backend) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "cibadmin")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	lg := logrus.New()
	lg.SetOutput(io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cibapi.Serve(ctx, cibapi.SocketPath(dir), b, logrus.NewEntry(lg)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	c := cibapi.Client{Path: cibapi.SocketPath(dir), Timeout: time.Second}
	for i := 0; ; i++ {
		if _, err := c.Load(); err == nil || !errors.Is(err, cibapi.ErrNotRunning) {
			break
		}
		if i > 2000 {
			t.Fatal("CIB socket never came up")
		}
		time.Sleep(time.Millisecond)
	}
	return dir
}

func canonical(t *testing.T, xml string) string {
	t.Helper()
	e, err := cibdoc.Parse([]byte(xml))
	if err != nil {
		t.Fatalf("stored CIB does not parse: %v\n%s", err, xml)
	}
	return e.String()
}

// TestLiveMatchesFile runs the same cibadmin commands on a CIB_file and
// on a daemon's CIB reached with --run-dir: outputs, exit codes and the
// stored documents must agree step by step.
func TestLiveMatchesFile(t *testing.T) {
	start, err := os.ReadFile("testdata/live-cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(file, start, 0o600); err != nil {
		t.Fatal(err)
	}
	b := &memBackend{xml: start}
	dir := serveDaemon(t, b)
	steps := []struct {
		args   []string
		rc     int
		stores bool // the step changes the CIB
	}{
		{[]string{"-Q"}, exitOK, false},
		{[]string{"-Q", "-o", "nodes"}, exitOK, false},
		{[]string{"-C", "-o", "resources", "-X", `<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"/>`}, exitOK, true},
		{[]string{"-C", "-o", "resources", "-X", `<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"/>`}, exitExists, false},
		{[]string{"-M", "-X", `<node id="4" uname="delta" description="spare"/>`}, exitOK, true},
		{[]string{"-R", "-o", "constraints", "-X", `<constraints><rsc_location id="loc" rsc="vip" node="alpha" score="100"/></constraints>`}, exitOK, true},
		{[]string{"-P", "-X", `<diff format="2"><change operation="modify" path="/cib/configuration/nodes/node[@id='2']"><change-list><change-attr name="description" operation="set" value="patched"/></change-list></change></diff>`}, exitOK, true},
		{[]string{"-D", "-X", `<primitive id="extra"/>`}, exitOK, true},
		{[]string{"-D", "-X", `<primitive id="absent"/>`}, exitOK, false},
		{[]string{"-M", "-o", "status", "-X", `<node_state id="4" expected="member"/>`}, exitOK, true},
		{[]string{"-E"}, exitUnsafe, false},
		{[]string{"-Q", "-o", "constraints"}, exitOK, false},
		{[]string{"-E", "--force"}, exitOK, true},
		{[]string{"-Q"}, exitOK, false},
	}
	for _, st := range steps {
		var fileOut, fileErr, liveOut, liveErr bytes.Buffer
		fileRC := run(st.args, func(k string) string {
			if k == "CIB_file" {
				return file
			}
			return ""
		}, &fileOut, &fileErr)
		_, before := b.state()
		liveRC := run(append(st.args, "--run-dir", dir), func(string) string { return "" }, &liveOut, &liveErr)
		live, after := b.state()
		if fileRC != st.rc || liveRC != st.rc {
			t.Errorf("%q: exit file %d, live %d; want %d\nfile: %s\nlive: %s", st.args, fileRC, liveRC, st.rc, fileErr.String(), liveErr.String())
		}
		if fileOut.String() != liveOut.String() || fileErr.String() != liveErr.String() {
			t.Errorf("%q: outputs differ\nfile: %s%s\nlive: %s%s", st.args, fileOut.String(), fileErr.String(), liveOut.String(), liveErr.String())
		}
		if stored := after > before; stored != st.stores {
			t.Errorf("%q: stored %v, want %v", st.args, stored, st.stores)
		}
		onDisk, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if canonical(t, string(onDisk)) != canonical(t, live) {
			t.Fatalf("%q: documents differ\nfile:\n%s\nlive:\n%s", st.args, onDisk, live)
		}
	}
	final, _ := b.state()
	root := mustParse(t, final)
	if res := root.Child("configuration").Child("resources"); res == nil || len(res.Children) != 0 {
		t.Errorf("erase left resources: %s", final)
	}
}

func mustParse(t *testing.T, s string) *cibdoc.Element {
	t.Helper()
	e, err := cibdoc.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestLiveNotCommitted: when the daemon cannot commit, cibadmin fails with
// the reason and Pacemaker's exit code, and nothing changes.
func TestLiveNotCommitted(t *testing.T) {
	start, err := os.ReadFile("testdata/live-cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fail error
		rc   int
		msg  string
	}{
		{cibapi.ErrNoQuorum, cibapi.ExitQuorum, "no quorum"},
		{cibapi.ErrNoDC, cibapi.ExitUnavailable, "no DC"},
		{cibapi.ErrTimeout, cibapi.ExitTimeout, "timeout"},
	} {
		b := &memBackend{xml: start, fail: tc.fail}
		dir := serveDaemon(t, b)
		var out, errb bytes.Buffer
		rc := run([]string{"--run-dir", dir, "-C", "-o", "resources", "-X", `<primitive id="x" class="ocf" provider="pacemaker" type="Dummy"/>`},
			func(string) string { return "" }, &out, &errb)
		if rc != tc.rc || !strings.Contains(errb.String(), "Call failed") || !strings.Contains(errb.String(), tc.msg) ||
			!strings.Contains(errb.String(), "not committed") {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", tc.fail, rc, errb.String(), tc.rc, tc.msg)
		}
		if xml, n := b.state(); n != 0 || xml != string(start) {
			t.Errorf("%v: CIB changed", tc.fail)
		}
	}
}

// TestNoDaemon: without CIB_file and without a daemon, cibadmin says so
// and exits with Pacemaker's "not connected" code.
func TestNoDaemon(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := run([]string{"--run-dir", dir, "-Q"}, func(string) string { return "" }, &out, &errb)
	if rc != cibapi.ExitDisconnect || !strings.Contains(errb.String(), cibapi.SocketPath(dir)) {
		t.Errorf("exit %d, stderr %q", rc, errb.String())
	}
	// erase is refused before any connection, daemon or not
	errb.Reset()
	if rc := run([]string{"--run-dir", dir, "-E"}, func(string) string { return "" }, &out, &errb); rc != exitUnsafe ||
		!strings.Contains(errb.String(), "--force flag is required") {
		t.Errorf("erase without --force: exit %d, stderr %q", rc, errb.String())
	}
}
