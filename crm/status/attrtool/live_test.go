package attrtool

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cibapi"
)

const liveCIB = `<cib epoch="5" num_updates="2" admin_epoch="0"><configuration><crm_config/><nodes><node id="1" uname="alpha"/><node id="2" uname="beta"/></nodes><resources/><constraints/></configuration><status/></cib>`

// memBackend is an in-memory daemon CIB that commits every replacement
// unless fail is set.
type memBackend struct {
	mu   sync.Mutex
	xml  string
	fail error
}

func (m *memBackend) Query(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return []byte(m.xml), nil
}

func (m *memBackend) Replace(_ context.Context, xml []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.xml = string(xml)
	return nil
}

func (m *memBackend) current() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.xml
}

func serveDaemon(t *testing.T, b cibapi.Backend) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "attrtool")
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

func noEnv(string) string { return "" }

// TestLive sets, reads and deletes attributes on a daemon's CIB, and
// checks that a change the daemon cannot commit is reported as a failure
// with the reason, not as success.
func TestLive(t *testing.T) {
	b := &memBackend{xml: liveCIB}
	dir := serveDaemon(t, b)
	runTool := func(tool Tool, args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		rc := Run(tool, append(args, "--run-dir", dir), noEnv, &out, &errb)
		return out.String(), errb.String(), rc
	}
	if _, e, rc := runTool(Standby, "-N", "beta", "-v", "on"); rc != ExitOK {
		t.Fatalf("standby: exit %d %s", rc, e)
	}
	if !strings.Contains(b.current(), `name="standby" value="on"`) {
		t.Fatalf("standby not stored:\n%s", b.current())
	}
	if o, e, rc := runTool(Attribute, "-n", "cluster-delay", "-v", "60s"); rc != ExitOK {
		t.Fatalf("set: exit %d %s %s", rc, o, e)
	}
	if o, _, rc := runTool(Attribute, "-n", "cluster-delay", "-G", "-q"); rc != ExitOK || o != "60s\n" {
		t.Errorf("query: exit %d, %q", rc, o)
	}
	stored := b.current()
	for _, tc := range []struct {
		fail error
		rc   int
	}{{cibapi.ErrNoQuorum, cibapi.ExitQuorum}, {cibapi.ErrNoDC, cibapi.ExitUnavailable}, {errors.New("disk full"), cibapi.ExitError}} {
		b.mu.Lock()
		b.fail = tc.fail
		b.mu.Unlock()
		o, e, rc := runTool(Attribute, "-n", "cluster-delay", "-D")
		if rc != tc.rc || o != "" || !strings.Contains(e, "Error performing operation") {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", tc.fail, rc, tc.rc, o, e)
		}
		if b.current() != stored {
			t.Errorf("%v: CIB changed", tc.fail)
		}
	}
}
