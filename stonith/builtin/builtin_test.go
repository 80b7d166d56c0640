package builtin

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/meatware"
	"hbgo/stonith/proc"
)

var ctx = context.Background()

func newDev(t *testing.T, typ string, env *Env, p stonith.Params) stonith.Device {
	t.Helper()
	d, err := Lookup(typ, env).New(ctx, p)
	if err != nil {
		t.Fatalf("%s.New(%v): %v", typ, p, err)
	}
	return d
}

func TestLookupAndInfo(t *testing.T) {
	for _, typ := range Types() {
		d := Lookup(typ, nil)
		if d == nil || d.Type() != typ {
			t.Fatalf("Lookup(%s) = %v", typ, d)
		}
		for _, k := range []stonith.InfoKind{stonith.InfoDevID, stonith.InfoDevDescr, stonith.InfoXML} {
			if s, err := d.Info(ctx, k); err != nil || s == "" {
				t.Fatalf("%s info %d: %q %v", typ, k, s, err)
			}
		}
	}
	if Lookup("nosuch", nil) != nil {
		t.Fatal("unknown type resolved")
	}
	if _, err := Lookup("null", nil).Info(ctx, stonith.InfoDevURL); stonith.CodeOf(err) != stonith.Inval {
		t.Fatal("null has no URL")
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		typ  string
		p    stonith.Params
		want stonith.Code
	}{
		{"null", stonith.Params{}, stonith.Inval},
		{"null", stonith.Params{"foo": "bar"}, stonith.Inval},
		{"null", stonith.Params{"hostlist": " , "}, stonith.BadConfig},
		{"ssh", stonith.Params{}, stonith.Oops},
		{"ssh", stonith.Params{"hostlist": ""}, stonith.Oops},
		{"meatware", stonith.Params{}, stonith.Inval},
	}
	for _, c := range cases {
		_, err := Lookup(c.typ, nil).New(ctx, c.p)
		if got := stonith.CodeOf(err); got != c.want {
			t.Errorf("%s %v: %v (%v), want %v", c.typ, c.p, got, err, c.want)
		}
	}
	if _, err := Lookup("meatware", nil).New(ctx, stonith.Params{"hostlist": ""}); err != nil {
		t.Fatal("meatware accepts an empty hostlist:", err)
	}
}

func TestNull(t *testing.T) {
	d := newDev(t, "null", nil, stonith.Params{"hostlist": "A,b c", "extra": "ignored"})
	hosts, err := d.Hosts(ctx)
	if err != nil || !reflect.DeepEqual(hosts, []string{"a", "b", "c"}) {
		t.Fatal(hosts, err)
	}
	if d.Status(ctx) != nil {
		t.Fatal("status")
	}
	for _, a := range []stonith.Action{stonith.Reset, stonith.On, stonith.Off} {
		if err := d.Fence(ctx, a, "not-listed"); err != nil {
			t.Fatalf("null %v: %v", a, err)
		}
	}
}

func TestSSH(t *testing.T) {
	pingStatus := 1 // host gone
	sshStatus := 0
	fake := &proc.Fake{Handler: func(c proc.Cmd, _ []byte) (proc.Result, error) {
		switch c.Path {
		case "ssh":
			return proc.Result{ExitStatus: sshStatus}, nil
		case "ping":
			return proc.Result{ExitStatus: pingStatus}, nil
		}
		return proc.Result{ExitStatus: 127}, nil
	}}
	sleeps := 0
	env := &Env{Runner: fake, Sleep: func(context.Context, time.Duration) error { sleeps++; return nil }}
	d := newDev(t, "ssh", env, stonith.Params{"hostlist": "n1 N2"})

	if err := d.Fence(ctx, stonith.Reset, "n2"); err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls()
	if len(calls) != 2 || calls[0].Cmd.Path != "ssh" || calls[1].Cmd.Path != "ping" {
		t.Fatalf("calls %+v", calls)
	}
	if got := strings.Join(calls[0].Cmd.Args, " "); got != "-q -x -n -l root n2 "+rebootCommand {
		t.Fatalf("ssh args %q", got)
	}
	if err := d.Fence(ctx, stonith.Off, "n1"); err != nil {
		t.Fatal(err)
	}
	if got := fake.Calls()[2].Cmd.Args[6]; got != poweroffCommand {
		t.Fatalf("off runs %q", got)
	}
	if err := d.Fence(ctx, stonith.Reset, "n3"); stonith.CodeOf(err) != stonith.BadHost {
		t.Fatalf("unlisted host: %v", err)
	}
	if err := d.Fence(ctx, stonith.On, "n1"); stonith.CodeOf(err) != stonith.Inval {
		t.Fatalf("on: %v", err)
	}
	pingStatus = 0 // still answers
	if err := d.Fence(ctx, stonith.Reset, "n1"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("still pingable: %v", err)
	}
	if sleeps != maxPingAttempts {
		t.Fatalf("slept %d times, want %d", sleeps, maxPingAttempts)
	}
	sshStatus = 255
	if err := d.Fence(ctx, stonith.Reset, "n1"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("ssh failure: %v", err)
	}
}

func TestSuicide(t *testing.T) {
	fake := &proc.Fake{}
	env := &Env{Runner: fake, Hostname: func() (string, error) { return "Self", nil }}
	d := newDev(t, "suicide", env, nil)
	if h, _ := d.Hosts(ctx); !reflect.DeepEqual(h, []string{"self"}) {
		t.Fatal(h)
	}
	if err := d.Fence(ctx, stonith.Reset, "other"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("other host: %v", err)
	}
	if err := d.Fence(ctx, stonith.On, "self"); stonith.CodeOf(err) != stonith.Inval {
		t.Fatalf("on: %v", err)
	}
	if len(fake.Calls()) != 0 {
		t.Fatal("ran something for a refused request")
	}
	if err := d.Fence(ctx, stonith.Reset, "self"); err != nil {
		t.Fatal(err)
	}
	if err := d.Fence(ctx, stonith.Off, "self"); err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls()
	if len(calls) != 2 || calls[0].Cmd.Args[1] != suicideReboot || calls[1].Cmd.Args[1] != suicidePoweroff {
		t.Fatalf("calls %+v", calls)
	}
	fake.Handler = func(proc.Cmd, []byte) (proc.Result, error) { return proc.Result{ExitStatus: 1}, nil }
	if err := d.Fence(ctx, stonith.Reset, "self"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatal(err)
	}
	env.Hostname = func() (string, error) { return "", errors.New("uname failed") }
	if _, err := d.Hosts(ctx); stonith.CodeOf(err) != stonith.Unexpected {
		t.Fatal(err)
	}
}

// readyHook closes ch when the operator instructions are logged, which
// happens once a client can connect.
type readyHook struct{ ch chan struct{} }

func (h *readyHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *readyHook) Fire(e *logrus.Entry) error {
	if strings.HasPrefix(e.Message, "Run \"meatclient") {
		close(h.ch)
	}
	return nil
}

func TestMeatwareDevice(t *testing.T) {
	dir := t.TempDir()
	log := stonith.DiscardLogger()
	ready := make(chan struct{})
	log.Logger.AddHook(&readyHook{ch: ready})
	env := &Env{MeatwareDir: dir, MeatwareTimeout: time.Minute, Log: log}
	d := newDev(t, "meatware", env, stonith.Params{"hostlist": "n1"})
	done := make(chan error, 1)
	go func() { done <- d.Fence(ctx, stonith.Reset, "unlisted") }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Fence returned before confirmation: %v", err)
	}
	w, err := meatware.Open(dir, "unlisted")
	if err != nil {
		t.Fatal(err)
	}
	if err := meatware.Confirm(w, "unlisted"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
