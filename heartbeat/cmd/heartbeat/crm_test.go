package main

import (
	"testing"

	"hbgo/heartbeat/config"
)

// A running daemon accepts `crm on` without Pacemaker 1.x's binaries (the
// crm is built in), while the -c check keeps 3.0.6's verdict (refused).
func TestCRMOnNeedsNoPacemakerBinaries(t *testing.T) {
	dir := configDir(t, "node alpha beta\nbcast eth0\ncrm on\nlogfile /dev/null\n", "auth 1\n1 sha1 secret\n", 0o600, nil)
	if _, probs := config.Load(dir, "alpha", fakeHost()); probs.Err() == nil {
		t.Fatal("3.0.6's check accepts crm on without the Pacemaker daemons; the premise of this test is gone")
	}
	ld, probs := loadConfig(dir, "alpha", fakeHost())
	if err := probs.Err(); err != nil {
		t.Fatalf("daemon start refuses crm on: %v", err)
	}
	if !ld.HaCf.PacemakerOn || ld.HaCf.ManagesResources() {
		t.Fatalf("crm on not in effect: %+v", ld.HaCf.Pacemaker)
	}
}
