package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestRunDummy(t *testing.T) {
	if _, err := os.Stat("/usr/lib/ocf/resource.d/heartbeat/Dummy"); err != nil {
		t.Skip("Dummy agent not installed")
	}
	state := t.TempDir() + "/dummy.state"
	var out, errb bytes.Buffer
	base := []string{"-r", "cli-test", "-p", "state=" + state, "ocf:heartbeat:Dummy"}
	if rc := run(append(base, "monitor"), &out, &errb); rc != 7 || !strings.Contains(out.String(), "rc=7 (OCF_NOT_RUNNING) status=done") {
		t.Fatalf("monitor rc=%d out=%q err=%q", rc, out.String(), errb.String())
	}
	if rc := run(append(base, "start"), &out, &errb); rc != 0 {
		t.Fatalf("start rc=%d %s", rc, out.String())
	}
	if rc := run(append(base, "stop"), &out, &errb); rc != 0 {
		t.Fatalf("stop rc=%d %s", rc, out.String())
	}
	out.Reset()
	if rc := run([]string{"--meta-data", "ocf:heartbeat:Dummy"}, &out, &errb); rc != 0 || !strings.Contains(out.String(), "action monitor timeout=20s interval=10s") {
		t.Fatalf("meta-data rc=%d out=%q", rc, out.String())
	}
	for _, bad := range [][]string{{}, {"nonsense", "start"}, {"-p", "novalue", "ocf:heartbeat:Dummy", "start"}} {
		if rc := run(bad, &out, &errb); rc != 1 {
			t.Errorf("run(%q) = %d, want 1", bad, rc)
		}
	}
}

func TestRunHeartbeatUsage(t *testing.T) {
	if _, err := os.Stat("/usr/lib/ocf/resource.d/heartbeat/IPaddr"); err != nil {
		t.Skip("IPaddr agent not installed")
	}
	var out, errb bytes.Buffer
	// Two arguments to IPaddr is a usage error in the wrapper (rc 1) and
	// never touches an interface.
	rc := run([]string{"--config-dir", t.TempDir(), "--init-dir", t.TempDir(), "heartbeat:IPaddr::198.51.100.7::extra", "start"}, &out, &errb)
	if rc != 1 || !strings.Contains(out.String(), "usage") {
		t.Fatalf("rc=%d out=%q", rc, out.String())
	}
}
