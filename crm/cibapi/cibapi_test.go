package cibapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/status/cibdoc"
)

const testCIB = `<cib epoch="3" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>`

// memBackend keeps the CIB in memory and commits every well-formed
// replacement, or refuses with fail when it is set.
type memBackend struct {
	mu       sync.Mutex
	xml      []byte
	fail     error
	replaces int
}

func (m *memBackend) Query(ctx context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]byte(nil), m.xml...), nil
}

func (m *memBackend) Replace(ctx context.Context, xml []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.xml = append([]byte(nil), xml...)
	m.replaces++
	return nil
}

func (m *memBackend) current() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return string(m.xml)
}

// stuckBackend never commits: it waits for its context, as a daemon
// waiting for a DC that never comes.
type stuckBackend struct{ memBackend }

func (s *stuckBackend) Replace(ctx context.Context, xml []byte) error {
	<-ctx.Done()
	return ctx.Err()
}

func quietLog() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return logrus.NewEntry(l)
}

// shortDir returns a temporary directory with a path short enough for a
// Unix socket name.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "cibapi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// serve starts Serve on a fresh socket and stops it at the end of the
// test, failing the test if Serve does not return cleanly.
func serve(t *testing.T, b Backend) string {
	t.Helper()
	path := SocketPath(shortDir(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, path, b, quietLog()) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	// Serve listens before it accepts; wait until the socket answers
	for i := 0; ; i++ {
		c, err := net.Dial("unix", path)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Serve returned early: %v", err)
		default:
		}
		if i > 2000 {
			t.Fatalf("socket %s never answered: %v", path, err)
		}
		time.Sleep(time.Millisecond)
	}
	return path
}

func TestQueryAndReplace(t *testing.T) {
	b := &memBackend{xml: []byte(testCIB)}
	c := Client{Path: serve(t, b), Timeout: 5 * time.Second}
	root, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	if root.Attr("epoch") != "3" {
		t.Fatalf("epoch %q, want 3", root.Attr("epoch"))
	}
	root.Set("epoch", "4")
	root.Child("configuration").Child("resources").Children = append(root.Child("configuration").Child("resources").Children,
		&cibdoc.Element{Name: "primitive", Attrs: nil})
	if err := c.Store(root); err != nil {
		t.Fatal(err)
	}
	if got := b.current(); got != root.String() {
		t.Fatalf("backend holds\n%s\nwant\n%s", got, root.String())
	}
	again, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	if again.String() != root.String() {
		t.Fatalf("reload differs:\n%s\n%s", again.String(), root.String())
	}
}

// TestNotCommitted checks that every refusal reaches the client as an
// error naming the socket and matching the right sentinel, and that
// nothing is stored.
func TestNotCommitted(t *testing.T) {
	cases := []struct {
		fail error
		want error
		exit int
	}{
		{ErrNoDC, ErrNoDC, ExitUnavailable},
		{fmt.Errorf("waiting for election: %w", ErrNoDC), ErrNoDC, ExitUnavailable},
		{ErrNoQuorum, ErrNoQuorum, ExitQuorum},
		{ErrTimeout, ErrTimeout, ExitTimeout},
		{context.DeadlineExceeded, ErrTimeout, ExitTimeout},
		{ErrNotCommitted, ErrNotCommitted, ExitError},
		{errors.New("schema validation failed"), ErrRejected, ExitError},
	}
	for _, tc := range cases {
		t.Run(tc.fail.Error(), func(t *testing.T) {
			b := &memBackend{xml: []byte(testCIB), fail: tc.fail}
			c := Client{Path: serve(t, b), Timeout: 5 * time.Second}
			root, err := cibdoc.Parse([]byte(testCIB))
			if err != nil {
				t.Fatal(err)
			}
			root.Set("epoch", "9")
			err = c.Store(root)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Store: %v, want %v", err, tc.want)
			}
			if tc.want != ErrRejected && !errors.Is(err, ErrNotCommitted) {
				t.Errorf("%v does not match ErrNotCommitted", err)
			}
			if !strings.Contains(err.Error(), c.Path) {
				t.Errorf("error %q does not name the socket", err)
			}
			if code, ok := ExitCode(err); !ok || code != tc.exit {
				t.Errorf("ExitCode = %d, %v; want %d", code, ok, tc.exit)
			}
			if b.current() != testCIB || b.replaces != 0 {
				t.Errorf("refused change was stored")
			}
		})
	}
}

// TestStuckBackendTimesOut checks that a commit that never comes ends
// with ErrTimeout from the server before the client's own deadline.
func TestStuckBackendTimesOut(t *testing.T) {
	b := &stuckBackend{memBackend{xml: []byte(testCIB)}}
	c := Client{Path: serve(t, b), Timeout: 200 * time.Millisecond}
	root, _ := cibdoc.Parse([]byte(testCIB))
	err := c.Store(root)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "daemon:") {
		t.Fatalf("Store: %v, want the daemon's ErrTimeout answer", err)
	}
}

func TestNotRunning(t *testing.T) {
	dir := shortDir(t)
	c := Client{Path: SocketPath(dir), Timeout: time.Second}
	_, err := c.Load()
	if !errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), c.Path) {
		t.Fatalf("Load: %v, want ErrNotRunning naming %s", err, c.Path)
	}
	if code, _ := ExitCode(err); code != ExitDisconnect {
		t.Errorf("exit %d, want %d", code, ExitDisconnect)
	}
	// heartbeat's own API socket answers: the daemon runs without crm
	l, err := net.Listen("unix", filepath.Join(dir, "hbgo-api.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = c.Load()
	if !errors.Is(err, ErrCRMOff) || !strings.Contains(err.Error(), "crm mode is off") {
		t.Fatalf("Load: %v, want ErrCRMOff", err)
	}
	if err := c.Store(&cibdoc.Element{Name: "cib"}); !errors.Is(err, ErrCRMOff) {
		t.Fatalf("Store: %v, want ErrCRMOff", err)
	}
}

func TestSocketFile(t *testing.T) {
	dir := shortDir(t)
	path := SocketPath(dir)
	// a stale socket: bound, then its owner gone without unlinking
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, path, &memBackend{xml: []byte(testCIB)}, quietLog()) }()
	c := Client{Path: path, Timeout: time.Second}
	var loadErr error
	for i := 0; i < 2000; i++ {
		if _, loadErr = c.Load(); loadErr == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if loadErr != nil {
		t.Fatalf("stale socket not replaced: %v", loadErr)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600", st.Mode().Perm())
	}
	// a second server must not steal a live socket
	if err := Serve(context.Background(), path, &memBackend{}, quietLog()); err == nil || !strings.Contains(err.Error(), "another daemon") {
		t.Errorf("second Serve on a live socket: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("socket left behind after Serve returned: %v", err)
	}
	// a regular file is never removed
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Serve(context.Background(), path, &memBackend{}, quietLog()); err == nil {
		t.Errorf("Serve replaced a regular file")
	}
	if data, _ := os.ReadFile(path); string(data) != "x" {
		t.Errorf("regular file changed")
	}
}

// rawCall sends bytes as a request and returns the decoded answer.
func rawCall(t *testing.T, path string, data []byte) Response {
	t.Helper()
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write(data); err != nil {
		t.Fatal(err)
	}
	conn.(*net.UnixConn).CloseWrite()
	out, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	var r Response
	if err := decodeResponse(out, &r); err != nil {
		t.Fatalf("answer %q: %v", out, err)
	}
	return r
}

func TestBadRequests(t *testing.T) {
	b := &memBackend{xml: []byte(testCIB)}
	path := serve(t, b)
	for _, in := range []string{
		``,
		`garbage`,
		`{"op":"drop"}`,
		`{"op":"replace","xml":"<status/>"}`,
		`{"op":"replace","xml":"<cib>"}`,
		`{"op":"query"}{"op":"query"}`,
		`{"op":"query","extra":1}`,
	} {
		r := rawCall(t, path, []byte(in))
		if r.Code != codeBadRequest {
			t.Errorf("%.40q: answer %+v, want bad-request", in, r)
		}
	}
	// an oversized request is cut off: the server stops reading at the
	// limit and answers (or the client sees the reset of unread data)
	if conn, err := net.Dial("unix", path); err == nil {
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(`{"op":"replace","xml":"<cib a='` + strings.Repeat("x", MaxMessage) + `'/>"}`))
		out, _ := io.ReadAll(conn)
		var r Response
		if len(out) > 0 && (decodeResponse(out, &r) != nil || r.Code != codeBadRequest) {
			t.Errorf("oversized request: answer %q", out)
		}
		conn.Close()
	}
	if _, err := DecodeRequest(make([]byte, MaxMessage+1)); !errors.Is(err, errBadRequest) {
		t.Errorf("oversized input decoded: %v", err)
	}
	if b.current() != testCIB {
		t.Errorf("a bad request changed the CIB")
	}
	if r := rawCall(t, path, []byte(`{"op":"query"}`)); r.Code != "" || r.XML != testCIB {
		t.Errorf("query after bad requests: %+v", r)
	}
}

// TestConcurrentClients runs readers and writers at once (go test -race):
// every load sees a complete document some writer stored.
func TestConcurrentClients(t *testing.T) {
	b := &memBackend{xml: []byte(testCIB)}
	c := Client{Path: serve(t, b), Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				root, err := cibdoc.Parse([]byte(testCIB))
				if err != nil {
					errs <- err
					return
				}
				root.Set("epoch", fmt.Sprintf("%d", 100*w+i))
				if err := c.Store(root); err != nil {
					errs <- err
					return
				}
				got, err := c.Load()
				if err != nil {
					errs <- err
					return
				}
				if got.Name != "cib" || got.Attr("epoch") == "" {
					errs <- fmt.Errorf("loaded a partial CIB: %s", got.String())
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if b.replaces != 80 {
		t.Errorf("%d replacements committed, want 80", b.replaces)
	}
}

func TestDecodeRequest(t *testing.T) {
	good := []struct {
		in   string
		want Request
	}{
		{`{"op":"query"}`, Request{Op: OpQuery}},
		{`{"op":"query","timeout_ms":500}` + "\n", Request{Op: OpQuery, TimeoutMS: 500}},
		{`{"op":"replace","xml":"<cib epoch=\"1\"/>"}`, Request{Op: OpReplace, XML: `<cib epoch="1"/>`}},
	}
	for _, tc := range good {
		got, err := DecodeRequest([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("DecodeRequest(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{`{"op":"query","xml":"<cib/>"}`, `{"op":"query","timeout_ms":-1}`, `{"op":"replace"}`, `[]`, `null`} {
		if _, err := DecodeRequest([]byte(in)); !errors.Is(err, errBadRequest) {
			t.Errorf("DecodeRequest(%q): %v, want a bad request", in, err)
		}
	}
}

// FuzzDecodeRequest: decoding never panics, and whatever it accepts
// encodes again to a request it accepts unchanged.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"op":"query"}`))
	f.Add([]byte(`{"op":"replace","xml":"<cib/>","timeout_ms":10}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(data)
		if err != nil {
			if !errors.Is(err, errBadRequest) {
				t.Fatalf("error %v is not a bad request", err)
			}
			return
		}
		out, err := encode(&req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeRequest(out)
		if err != nil || again != req {
			t.Fatalf("re-decoding %q: %+v, %v; want %+v", out, again, err, req)
		}
	})
}

// TestPermissionDenied: a refused connect (a non-root user on the 0600
// socket) is reported as such, not as a stopped daemon.
func TestPermissionDenied(t *testing.T) {
	c := Client{Path: SocketPath(shortDir(t))}
	err := c.unreachable(&net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.EACCES)})
	if !errors.Is(err, ErrPermission) || errors.Is(err, ErrNotRunning) {
		t.Fatalf("%v: want ErrPermission only", err)
	}
	if code, _ := ExitCode(err); code != ExitPermission {
		t.Errorf("exit %d, want %d", code, ExitPermission)
	}
}
