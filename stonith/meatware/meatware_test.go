package meatware

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/stonith"
)

func TestRecordAndCheckReply(t *testing.T) {
	r := Record("node1")
	if len(r) != RecordSize || !strings.HasPrefix(string(r), "meatware reply node1\x00") {
		t.Fatalf("record %q", r[:32])
	}
	if len(Record(strings.Repeat("h", 400))) != RecordSize {
		t.Fatal("long name changes the record size")
	}
	cases := []struct {
		rec, host string
		want      error
	}{
		{"meatware reply node1", "node1", nil},
		{"meatware reply NODE1", "node1", nil},
		{"meatware reply node", "node1", nil}, // prefix rule of strncasecmp
		{"meatwarex replyy node1 extra", "node1", nil},
		{"meatware reply node2", "node1", ErrMismatch},
		{"meatware answer node1", "node1", ErrMismatch},
		{"meat reply node1", "node1", ErrMismatch},
		{"meatware reply", "node1", ErrFormat},
		{"", "node1", ErrFormat},
		{"meatware reply\x00node1", "node1", ErrFormat},
	}
	for _, c := range cases {
		err := CheckReply([]byte(c.rec), c.host)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("CheckReply(%q, %q) = %v, want %v", c.rec, c.host, err, c.want)
		}
	}
}

func FuzzCheckReply(f *testing.F) {
	f.Add([]byte("meatware reply a"), "a")
	f.Add(Record("node1"), "node1")
	f.Fuzz(func(t *testing.T, rec []byte, host string) {
		err := CheckReply(rec, host)
		if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrMismatch) {
			t.Fatalf("unexpected error kind %v", err)
		}
		// A record we write for a host is always accepted for it.
		if host != "" && !strings.ContainsAny(host, " \t\n\r\v\f\x00\x85\u00a0") && len(host) < 200 {
			if err := CheckReply(Record(host), host); err != nil {
				t.Fatalf("own record for %q rejected: %v", host, err)
			}
		}
	})
}

// waitAsync starts Wait and returns a channel with its result once the
// FIFO exists.
func waitAsync(t *testing.T, ctx context.Context, dir, host string, timeout time.Duration) <-chan error {
	t.Helper()
	ready := make(chan struct{})
	done := make(chan error, 1)
	log := stonith.DiscardLogger()
	// The instructions are logged after the FIFO exists: use them as the
	// readiness signal instead of polling the file system.
	log.Logger.AddHook(&onMessage{substr: "OPERATOR INTERVENTION", ch: ready})
	go func() { done <- Wait(ctx, dir, host, timeout, log) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Wait returned early: %v", err)
	}
	return done
}

func TestWaitConfirm(t *testing.T) {
	dir := t.TempDir()
	done := waitAsync(t, context.Background(), dir, "n1", time.Minute)
	fi, err := os.Stat(FIFOPath(dir, "n1"))
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("fifo %v %v", fi, err)
	}
	f, err := Open(dir, "n1")
	if err != nil {
		t.Fatal(err)
	}
	if err := Confirm(f, "n1"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := <-done; err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if _, err := os.Stat(FIFOPath(dir, "n1")); !os.IsNotExist(err) {
		t.Fatal("FIFO left behind")
	}
}

func TestWaitWrongHostAndCancelledClient(t *testing.T) {
	dir := t.TempDir()
	done := waitAsync(t, context.Background(), dir, "n1", time.Minute)
	f, err := Open(dir, "n1")
	if err != nil {
		t.Fatal(err)
	}
	_ = Confirm(f, "other")
	f.Close()
	if err := <-done; stonith.CodeOf(err) != stonith.ResetFail || !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong host: %v", err)
	}

	// A client that opens and closes without writing (operator said no).
	done = waitAsync(t, context.Background(), dir, "n2", time.Minute)
	f, err = Open(dir, "n2")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := <-done; stonith.CodeOf(err) != stonith.ResetFail || !errors.Is(err, ErrFormat) {
		t.Fatalf("cancelled client: %v", err)
	}
}

func TestWaitCancelAndTimeout(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := waitAsync(t, ctx, dir, "n1", time.Minute)
	cancel()
	if err := <-done; stonith.CodeOf(err) != stonith.Timeout {
		t.Fatalf("cancel: %v", err)
	}
	// Timeout while a client holds the FIFO open but writes nothing: the
	// read deadline path.
	done = waitAsync(t, context.Background(), dir, "n2", 200*time.Millisecond)
	f, err := Open(dir, "n2")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := <-done; stonith.CodeOf(err) != stonith.Timeout {
		t.Fatalf("timeout: %v", err)
	}
}

func TestOpenWithoutRequest(t *testing.T) {
	_, err := Open(t.TempDir(), "nobody")
	if !errors.Is(err, ErrNoFIFO) {
		t.Fatal(err)
	}
	if FIFOPath("", "x") != filepath.Join(DefaultDir, "meatware.x") {
		t.Fatal(FIFOPath("", "x"))
	}
}
