package admin

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSplitRunDir(t *testing.T) {
	dir, rest := SplitRunDir([]string{"listnodes", "--run-dir", "/tmp/x", "-v"})
	if dir != "/tmp/x" || len(rest) != 2 || rest[0] != "listnodes" || rest[1] != "-v" {
		t.Fatalf("got %q %q", dir, rest)
	}
	if dir, _ := SplitRunDir([]string{"--run-dir=/r"}); dir != "/r" {
		t.Fatal(dir)
	}
	if dir, _ := SplitRunDir(nil); dir != DefaultRunDir {
		t.Fatal(dir)
	}
}

// The messages and streams below are those of the 3.0.6 scripts.
func TestResourceSetMatchesTheScripts(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		standby       bool
		want          string
		ok            bool
		stdout, stder string
	}{
		{nil, true, "all", true, "", ""},
		{[]string{"failback"}, true, "foreign", true, "", ""},
		{[]string{"failback"}, false, "failback", true, "", ""},
		{[]string{"local"}, false, "local", true, "", ""},
		{[]string{"bogus"}, true, "", false, "hb_standby: wrong resources(bogus).\nusage:\n", "hb_standby [all|foreign|local|failback]\n"},
		{[]string{"a", "b"}, true, "", false, "hb_standby: too many arguments\nusage:\n", "hb_standby [all|foreign|local|failback]\n"},
	} {
		var out, errb bytes.Buffer
		got, ok := ResourceSet("hb_standby", tc.args, tc.standby, &out, &errb)
		if got != tc.want || ok != tc.ok || out.String() != tc.stdout || errb.String() != tc.stder {
			t.Errorf("%q: got %q %v %q %q", tc.args, got, ok, out.String(), errb.String())
		}
	}
}

func TestRequestMainSendsTheValidatedSet(t *testing.T) {
	var got []string
	send := func(runDir, cmd, set string) error {
		got = append(got, runDir+" "+cmd+" "+set)
		return nil
	}
	var out, errb bytes.Buffer
	if rc := RequestMain("hb_standby", "standby", []string{"--run-dir", "/r", "failback"}, &out, &errb, Backend{Send: send}); rc != 0 {
		t.Fatalf("rc %d", rc)
	}
	if rc := RequestMain("hb_takeover", "takeover", []string{"bogus"}, &out, &errb, Backend{Send: send}); rc != 1 {
		t.Fatalf("bogus accepted: rc %d", rc)
	}
	if len(got) != 1 || got[0] != "/r standby foreign" {
		t.Fatalf("sent %q", got)
	}
	failing := func(string, string, string) error { return errors.New("heartbeat is not running") }
	errb.Reset()
	if rc := RequestMain("hb_takeover", "takeover", nil, &out, &errb, Backend{Send: failing}); rc != 1 || !strings.Contains(errb.String(), "not running") {
		t.Fatalf("rc %d err %q", rc, errb.String())
	}
}
