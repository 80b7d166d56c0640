package external

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hbgo/stonith"
)

var ctx = context.Background()

// pluginDir copies testdata/plugins to a fresh directory with the modes
// cluster-glue insists on (git does not keep group write bits anyway).
func pluginDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/plugins")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/plugins", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, e.Name())
		if err := os.WriteFile(p, b, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestRecorderEveryAction drives the recorder plugin through every
// operation of the protocol and checks what the script received: the
// arguments, the parameters as environment variables (absent for
// getconfignames and getinfo-*), HA_LOGTAG and the PATH prefix.
func TestRecorderEveryAction(t *testing.T) {
	dir := pluginDir(t)
	rec := filepath.Join(t.TempDir(), "record")
	unconfigured := filepath.Join(t.TempDir(), "unconfigured")
	d := &Driver{Dir: dir, Name: "recorder", Timeout: 10 * time.Second,
		Environ: func() []string {
			return []string{"PATH=/usr/bin:/bin", "RECORDER_FILE=" + unconfigured, "hostlist=from-env"}
		}}
	if d.Type() != "external/recorder" {
		t.Fatal(d.Type())
	}
	names, err := d.ConfigNames(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"hostlist", "record", "fail"}) {
		t.Fatal(names, err)
	}
	infos := map[stonith.InfoKind]string{
		stonith.InfoDevID:    "recorder STONITH device\n",
		stonith.InfoDevName:  "recorder device\n",
		stonith.InfoDevDescr: "Records <every> action & exits 0\n",
		stonith.InfoDevURL:   "http://example.invalid/recorder\n",
	}
	for k, want := range infos {
		if got, err := d.Info(ctx, k); err != nil || got != want {
			t.Fatalf("info %d: %q %v", k, got, err)
		}
	}
	if x, err := d.Info(ctx, stonith.InfoXML); err != nil || !strings.HasPrefix(x, "<parameters>") {
		t.Fatal(x, err)
	}
	dev, err := d.New(ctx, stonith.Params{"hostlist": "N1 n2", "record": rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Status(ctx); err != nil {
		t.Fatal(err)
	}
	hosts, err := dev.Hosts(ctx)
	if err != nil || !reflect.DeepEqual(hosts, []string{"N1", "n2"}) {
		t.Fatal(hosts, err)
	}
	for _, a := range []stonith.Action{stonith.Reset, stonith.On, stonith.Off} {
		if err := dev.Fence(ctx, a, "n1"); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
	}
	tail := " | hostlist=N1 n2 HA_LOGTAG=external/recorder PATH0=" + GlueSharedDir
	want := []string{"getconfignames" + tail, "status" + tail, "gethosts" + tail,
		"reset n1" + tail, "on n1" + tail, "off n1" + tail}
	// New runs getconfignames without configuration (it goes to the
	// unconfigured record), so the configured record starts at status.
	if got := readLines(t, rec); !reflect.DeepEqual(got, want[1:]) {
		t.Fatalf("configured calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want[1:], "\n"))
	}
	got := readLines(t, unconfigured)
	if len(got) != 6 { // getconfignames (kept for New), 5 getinfo
		t.Fatalf("unconfigured calls: %q", got)
	}
	for _, l := range got {
		if !strings.HasSuffix(l, "| hostlist=from-env HA_LOGTAG=external/recorder PATH0="+GlueSharedDir) {
			t.Fatalf("unconfigured call saw configuration: %q", l)
		}
	}
}

func TestFailures(t *testing.T) {
	dir := pluginDir(t)
	d := &Driver{Dir: dir, Name: "recorder", Timeout: 10 * time.Second}
	for _, op := range []string{"reset", "on", "off"} {
		dev, err := d.New(ctx, stonith.Params{"hostlist": "n1", "fail": op})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := stonith.ParseAction(op)
		if err := dev.Fence(ctx, a, "n1"); stonith.CodeOf(err) != stonith.ResetFail {
			t.Fatalf("%s: %v", op, err)
		}
	}
	dev, _ := d.New(ctx, stonith.Params{"hostlist": "n1", "status_rc": "3"})
	if err := dev.Status(ctx); stonith.CodeOf(err) != 3 {
		t.Fatalf("status passes the script's status through: %v", err)
	}
	dev, _ = d.New(ctx, stonith.Params{"hostlist": " "})
	if _, err := dev.Hosts(ctx); stonith.CodeOf(err) != stonith.Unexpected {
		t.Fatalf("empty host list: %v", err)
	}
	dev, _ = d.New(ctx, stonith.Params{"hostlist": "n1", "fail": "gethosts"})
	if _, err := dev.Hosts(ctx); stonith.CodeOf(err) != stonith.Unexpected {
		t.Fatalf("failing gethosts: %v", err)
	}

	missing := &Driver{Dir: dir, Name: "nosuch"}
	if _, err := missing.ConfigNames(ctx); !errors.Is(err, ErrUnusable) {
		t.Fatal(err)
	}
	if _, err := missing.New(ctx, nil); stonith.CodeOf(err) != stonith.Oops {
		t.Fatal(err)
	}

	// cluster-glue refuses scripts writable by group or others.
	p := filepath.Join(dir, "recorder")
	if err := os.Chmod(p, 0o775); err != nil {
		t.Fatal(err)
	}
	fresh := &Driver{Dir: dir, Name: "recorder"}
	if _, err := fresh.ConfigNames(ctx); !errors.Is(err, ErrUnusable) {
		t.Fatalf("group-writable script ran: %v", err)
	}
	names, err := ListScripts(dir, nil)
	if err != nil || !reflect.DeepEqual(names, []string{"slow"}) {
		t.Fatalf("ListScripts = %v, %v", names, err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.ConfigNames(ctx); !errors.Is(err, ErrUnusable) {
		t.Fatalf("non-executable script ran: %v", err)
	}
}

func TestTimeoutKillsScriptGroup(t *testing.T) {
	dir := pluginDir(t)
	pidfile := filepath.Join(t.TempDir(), "pid")
	d := &Driver{Dir: dir, Name: "slow", Timeout: 300 * time.Millisecond}
	dev, err := d.New(ctx, stonith.Params{"pidfile": pidfile})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := dev.Fence(ctx, stonith.Reset, "n1"); stonith.CodeOf(err) != stonith.Timeout {
		t.Fatalf("reset of a hanging script: %v", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("took %v", el)
	}
	// That the script's child died with it is proc's test
	// (TestTimeoutKillsGroup); here the pid file proves it was started.
	if _, err := os.Stat(pidfile); err != nil {
		t.Fatal(err)
	}
}

func TestEnv(t *testing.T) {
	env := Env([]string{"PATH=/bin", "hostlist=old", "A=1"}, stonith.Params{"hostlist": "new", "b": "2"}, "external/x")
	want := []string{"PATH=" + GlueSharedDir + ":/bin", "hostlist=new", "A=1", "b=2", "HA_LOGTAG=external/x"}
	if !reflect.DeepEqual(env, want) {
		t.Fatalf("%q", env)
	}
	env = Env([]string{"PATH=" + GlueSharedDir + ":/bin"}, nil, "external/x")
	if env[0] != "PATH="+GlueSharedDir+":/bin" {
		t.Fatalf("prefix doubled: %q", env)
	}
	if env = Env(nil, nil, "external/x"); env[0] != "PATH="+GlueSharedDir {
		t.Fatalf("%q", env)
	}
}

// TestInstalledSSH runs cluster-glue's own external/ssh script through the
// paths that need no ssh daemon: parameter names, hosts, status (pings
// loopback addresses), on/off (unsupported: S_RESETFAIL), and reset of a
// host outside the list (the script refuses without connecting).
func TestInstalledSSH(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultDir, "ssh")); err != nil {
		t.Skip("cluster-glue's external/ssh not installed")
	}
	d := &Driver{Name: "ssh", Timeout: 30 * time.Second}
	names, err := d.ConfigNames(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"hostlist"}) {
		t.Fatal(names, err)
	}
	dev, err := d.New(ctx, stonith.Params{"hostlist": "127.0.0.2,127.0.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := dev.Hosts(ctx)
	if err != nil || !reflect.DeepEqual(hosts, []string{"127.0.0.2", "127.0.0.3"}) {
		t.Fatal(hosts, err)
	}
	if err := dev.Status(ctx); err != nil {
		t.Fatal("status:", err)
	}
	for _, a := range []stonith.Action{stonith.On, stonith.Off} {
		if err := dev.Fence(ctx, a, "127.0.0.2"); stonith.CodeOf(err) != stonith.ResetFail {
			t.Fatalf("%v: %v", a, err)
		}
	}
	if err := dev.Fence(ctx, stonith.Reset, "127.0.0.9"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("reset of unlisted host: %v", err)
	}
}
