package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/meatware"
)

type readyHook struct{ ch chan struct{} }

func (h *readyHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *readyHook) Fire(e *logrus.Entry) error {
	if strings.HasPrefix(e.Message, "Run \"meatclient") {
		close(h.ch)
	}
	return nil
}

// pending starts a meatware wait for host in dir and returns once a
// client can connect.
func pending(t *testing.T, dir, host string) <-chan error {
	t.Helper()
	log := stonith.DiscardLogger()
	ready := make(chan struct{})
	log.Logger.AddHook(&readyHook{ch: ready})
	done := make(chan error, 1)
	go func() { done <- meatware.Wait(context.Background(), dir, host, time.Minute, log) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("wait ended early: %v", err)
	}
	return done
}

func TestConfirmAndCancel(t *testing.T) {
	dir := t.TempDir()
	done := pending(t, dir, "n1")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"/usr/sbin/meatclient", "-c", "N1"}, strings.NewReader("yes\n"), &out, &errb, dir, time.Millisecond)
	if code != 0 || !strings.HasSuffix(out.String(), "PROCEED? [yN] Meatware_client: reset confirmed.\n") {
		t.Fatalf("code %d out %q err %q", code, out.String(), errb.String())
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	done = pending(t, dir, "n2")
	out.Reset()
	code = run(context.Background(), []string{"meatclient", "-cn2"}, strings.NewReader("Y\n"), &out, &errb, dir, time.Millisecond)
	if code != 3 || !strings.HasSuffix(out.String(), "Meatware_client: operation canceled.\n") {
		t.Fatalf("uppercase Y must cancel: %d %q", code, out.String())
	}
	if err := <-done; stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("cancelled request: %v", err)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"meatclient"}, 3, "usage: meatclient -c node [-w]\n"},
		{[]string{"meatclient", "-h"}, 3, "meatclient: invalid option -- 'h'\nusage: meatclient -c node [-w]\n"},
		{[]string{"meatclient", "-c"}, 3, "meatclient: option requires an argument -- 'c'\nusage: meatclient -c node [-w]\n"},
		{[]string{"meatclient", "-c", "a", "extra"}, 3, "usage: meatclient -c node [-w]\n"},
		{[]string{"meatclient", "-c", "nobody"}, 4, "Meatware_IPC failed: " + dir + "/meatware.nobody: No such file or directory\n"},
	}
	for _, c := range cases {
		out.Reset()
		errb.Reset()
		if code := run(context.Background(), c.args, strings.NewReader(""), &out, &errb, dir, time.Millisecond); code != c.code || errb.String() != c.err {
			t.Errorf("%q: code %d stderr %q", c.args, code, errb.String())
		}
	}
	// -w gives up when its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := run(ctx, []string{"meatclient", "-w", "-c", "nobody"}, strings.NewReader(""), &out, &errb, dir, time.Hour); code != int(stonith.Oops) {
		t.Fatalf("-w cancelled: %d", code)
	}
}
