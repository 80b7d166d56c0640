package config

import (
	"path/filepath"
	"strings"
	"testing"

	"hbgo/hacf"
)

// TestLoadOrder: problems come in 3.0.6's order — ha.cf while parsing,
// authkeys, the post-parse cross-checks, then haresources.
func TestLoadOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, HaCfName), []byte("node alpha\nbcast eth0\nkeepalive 2s\ndeadtime 1\n"), 0o644)
	write(t, filepath.Join(dir, AuthkeysName), []byte("auth 1\n1 sha256 x\n"), 0o600)
	write(t, filepath.Join(dir, HaresourcesName), []byte("gamma 192.0.2.1\n"), 0o644)
	ld, probs := Load(dir, "alpha", lab("bcast eth0\n"))
	var order []string
	for _, p := range probs.Errors() {
		order = append(order, filepath.Base(p.File)+":"+p.Directive)
	}
	got := strings.Join(order, " ")
	if !ordered(got, "ha.cf:keepalive", "authkeys", "ha.cf:deadtime", "haresources:node") {
		t.Errorf("order %q, want ha.cf parse, authkeys, cross-checks, haresources\n%v", got, probs)
	}
	if ld.HaCf == nil || ld.Keyring != nil {
		t.Errorf("loaded %+v", ld)
	}
}

func ordered(s string, parts ...string) bool {
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			return false
		}
		at += i + len(p)
	}
	return true
}

func TestLoadPacemakerIgnoresHaresources(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, HaCfName), []byte("node alpha\nbcast eth0\ncrm ccm-only\nlogfile /dev/null\n"), 0o644)
	write(t, filepath.Join(dir, AuthkeysName), []byte("auth 1\n1 sha1 x\n"), 0o600)
	write(t, filepath.Join(dir, HaresourcesName), []byte("gamma 192.0.2.1\n"), 0o644)
	ld, probs := Load(dir, "alpha", lab("bcast eth0\n"))
	if probs.Err() != nil || ld.Resources != nil || ld.Keyring == nil {
		t.Fatalf("%v %+v", probs, ld)
	}
	found := false
	for _, p := range probs.Warnings() {
		found = found || strings.Contains(p.Msg, "not used because pacemaker is enabled")
	}
	if !found {
		t.Errorf("no warning about the ignored haresources: %v", probs)
	}
}

func TestLoadMissingHaCf(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, AuthkeysName), []byte("auth 1\n1 sha1 x\n"), 0o600)
	ld, probs := Load(dir, "alpha", &hacf.FakeEnv{})
	if probs.Err() == nil || ld.HaCf != nil || !strings.Contains(probs.Err().Error(), "cannot open config file") {
		t.Fatalf("%v", probs)
	}
}
