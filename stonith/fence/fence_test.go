package fence

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

func agentDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/fence_fake")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fence_fake"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFakeAgent(t *testing.T) {
	dir := agentDir(t)
	state := t.TempDir()
	rec := filepath.Join(t.TempDir(), "record")
	d := &Driver{Dir: dir, Name: "fake", Timeout: 10 * time.Second}
	if d.Type() != "rhcs/fake" || d.Path() != filepath.Join(dir, "fence_fake") {
		t.Fatal(d.Type(), d.Path())
	}
	names, err := d.ConfigNames(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"ipaddr", "record", "state_dir"}) {
		t.Fatalf("names %v %v", names, err)
	}
	if id, _ := d.Info(ctx, stonith.InfoDevID); id != "Fake fence agent for tests" {
		t.Fatal(id)
	}
	if x, _ := d.Info(ctx, stonith.InfoXML); !strings.HasPrefix(x, "<parameters>") || !strings.HasSuffix(x, "</parameters>") {
		t.Fatal(x)
	}
	if _, err := d.New(ctx, stonith.Params{"record": rec}); stonith.CodeOf(err) != stonith.Inval {
		t.Fatalf("missing required ipaddr accepted: %v", err)
	}
	dev, err := d.New(ctx, stonith.Params{"ipaddr": "10.0.0.1", "record": rec, "state_dir": state})
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Status(ctx); err != nil {
		t.Fatal(err)
	}
	hosts, err := dev.Hosts(ctx)
	if err != nil || !reflect.DeepEqual(hosts, []string{"n1", "n2"}) {
		t.Fatal(hosts, err)
	}
	fd := dev.(*Device)
	if err := dev.Fence(ctx, stonith.Off, "n1"); err != nil {
		t.Fatal(err)
	}
	if on, err := fd.PowerState(ctx, "n1"); err != nil || on {
		t.Fatalf("after off: on=%v %v", on, err)
	}
	if err := dev.Fence(ctx, stonith.On, "n1"); err != nil {
		t.Fatal(err)
	}
	if on, err := fd.PowerState(ctx, "n1"); err != nil || !on {
		t.Fatalf("after on: on=%v %v", on, err)
	}
	if err := dev.Fence(ctx, stonith.Reset, "n2"); err != nil {
		t.Fatal(err)
	}
	if err := dev.Fence(ctx, stonith.Reset, "broken"); stonith.CodeOf(err) != stonith.ResetFail {
		t.Fatalf("failing reboot: %v", err)
	}
	b, _ := os.ReadFile(rec)
	got := strings.Split(strings.TrimSpace(string(b)), "\n")
	cfg := "ipaddr=10.0.0.1 record=" + rec + " state_dir=" + state
	want := []string{
		"action=monitor " + cfg,
		"action=list " + cfg,
		"action=off nodename=n1 plug=n1 " + cfg,
		"action=status nodename=n1 plug=n1 " + cfg,
		"action=on nodename=n1 plug=n1 " + cfg,
		"action=status nodename=n1 plug=n1 " + cfg,
		"action=reboot nodename=n2 plug=n2 " + cfg,
		"action=reboot nodename=broken plug=broken " + cfg,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("agent saw:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	bad, _ := d.New(ctx, stonith.Params{"ipaddr": "unreachable"})
	if err := bad.Status(ctx); stonith.CodeOf(err) != 1 {
		t.Fatalf("monitor failure: %v", err)
	}
	// A configured plug is the target; the host goes only as nodename.
	mapped, _ := d.New(ctx, stonith.Params{"ipaddr": "x", "plug": "7", "record": rec, "state_dir": state})
	_ = os.Remove(rec)
	if err := mapped.Fence(ctx, stonith.Off, "n1"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(rec); !strings.HasPrefix(string(b), "action=off nodename=n1 ipaddr=x plug=7 ") {
		t.Fatalf("%q", b)
	}
	if _, err := d.New(ctx, stonith.Params{"ipaddr": "a\nb"}); stonith.CodeOf(err) != stonith.Inval {
		t.Fatal("newline in a value accepted")
	}
}

func TestMissingAgent(t *testing.T) {
	d := &Driver{Dir: t.TempDir(), Name: "none"}
	if _, err := d.ConfigNames(ctx); err == nil {
		t.Fatal("missing agent answered")
	}
	if _, err := d.New(ctx, nil); stonith.CodeOf(err) != stonith.Oops {
		t.Fatal(err)
	}
}

func TestOptions(t *testing.T) {
	b, err := Options([][2]string{{"action", "off"}, {"plug", "n1"}}, stonith.Params{"z": "1", "a": "x y", "plug": "ignored"})
	if err != nil || string(b) != "action=off\nplug=n1\na=x y\nz=1\n" {
		t.Fatalf("%q %v", b, err)
	}
	for _, bad := range []stonith.Params{{"": "x"}, {"a=b": "x"}, {"a": "x\ny"}} {
		if _, err := Options(nil, bad); !errors.Is(err, ErrBadOption) {
			t.Fatalf("%v accepted", bad)
		}
	}
}

func TestParseList(t *testing.T) {
	got := ParseList([]byte("n1,alias\n  n2 \n\n,empty\nn3,\n"))
	if !reflect.DeepEqual(got, []string{"n1", "n2", "n3"}) {
		t.Fatal(got)
	}
}

// TestFenceDummy runs the installed fence_dummy (file based) if present.
func TestFenceDummy(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultDir, "fence_dummy")); err != nil {
		t.Skip("fence_dummy not installed")
	}
	status := filepath.Join(t.TempDir(), "status")
	d := &Driver{Name: "dummy", Timeout: 30 * time.Second}
	dev, err := d.New(ctx, stonith.Params{"status_file": status})
	if err != nil {
		t.Fatal(err)
	}
	fd := dev.(*Device)
	if err := dev.Fence(ctx, stonith.Off, "n1"); err != nil {
		t.Fatal(err)
	}
	if on, err := fd.PowerState(ctx, "n1"); err != nil || on {
		t.Fatalf("off: %v %v", on, err)
	}
	if err := dev.Fence(ctx, stonith.On, "n1"); err != nil {
		t.Fatal(err)
	}
	if on, err := fd.PowerState(ctx, "n1"); err != nil || !on {
		t.Fatalf("on: %v %v", on, err)
	}
	if err := dev.Fence(ctx, stonith.Reset, "n1"); err != nil {
		t.Fatal(err)
	}
	if err := dev.Status(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dev.Hosts(ctx); stonith.CodeOf(err) != stonith.Unexpected {
		t.Fatalf("fence_dummy has no list: %v", err)
	}
}

func FuzzParseMetadata(f *testing.F) {
	b, err := os.ReadFile("testdata/fence_fake")
	if err == nil {
		s := string(b)
		if i, j := strings.Index(s, "<?xml"), strings.Index(s, "</resource-agent>"); i >= 0 && j > i {
			f.Add([]byte(s[i : j+len("</resource-agent>")]))
		}
	}
	f.Add([]byte(`<resource-agent name="x"><parameters><parameter name="a"/></parameters></resource-agent>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(b)
		if err != nil {
			if !errors.Is(err, ErrMetadata) {
				t.Fatalf("error kind %v", err)
			}
			return
		}
		if m.Name == "" {
			t.Fatal("accepted without a name")
		}
		for _, n := range m.ConfigNames() {
			if n == "action" || n == "option" {
				t.Fatal("action offered as configuration")
			}
		}
	})
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte("n1,alias\nn2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, h := range ParseList(b) {
			if h == "" || strings.ContainsAny(h, ",\n") || strings.TrimSpace(h) != h {
				t.Fatalf("bad host %q", h)
			}
		}
	})
}
