package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRandomConfigsAsRealDaemon replays randomly generated setups (mixes
// of valid and invalid directives, node lists and haresources) whose
// verdicts were recorded with the real 3.0.6 daemon (hb-real-check.sh, host
// alpha, authkeys `auth 1 / 1 sha1 x`). Each testdata/random file holds a
// "# verdict:" line, then "--- ha.cf" and "--- haresources" sections.
func TestRandomConfigsAsRealDaemon(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "random", "*.txt"))
	if err != nil || len(files) < 200 {
		t.Fatalf("want >= 200 recorded setups, got %d (%v)", len(files), err)
	}
	accepted := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		verdict, cf, hr := splitCase(string(b))
		if verdict == "accepted" {
			accepted++
		}
		dir := t.TempDir()
		write(t, filepath.Join(dir, HaCfName), []byte(cf), 0o644)
		write(t, filepath.Join(dir, AuthkeysName), []byte("auth 1\n1 sha1 x\n"), 0o600)
		write(t, filepath.Join(dir, HaresourcesName), []byte(hr), 0o644)
		_, probs := Load(dir, "alpha", lab(cf))
		got := "accepted"
		if probs.Err() != nil {
			got = "rejected"
		}
		if got != verdict {
			t.Errorf("%s: real daemon %s, we say %s\n%s%v", filepath.Base(f), verdict, got, cf, probs)
		}
	}
	if accepted < 40 || len(files)-accepted < 40 {
		t.Errorf("unbalanced: %d accepted of %d", accepted, len(files))
	}
}

func splitCase(s string) (verdict, haCf, haresources string) {
	section := ""
	var cf, hr strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		switch {
		case strings.HasPrefix(l, "# verdict: "):
			verdict = strings.TrimSpace(strings.TrimPrefix(l, "# verdict: "))
		case strings.HasPrefix(l, "--- "):
			section = strings.TrimSpace(l[4:])
		case section == HaCfName:
			cf.WriteString(l)
		case section == HaresourcesName:
			hr.WriteString(l)
		}
	}
	return verdict, cf.String(), hr.String()
}
