// Command stonith is a drop-in replacement for cluster-glue's stonith
// tool: list device types, show parameters and meta-data, and list hosts,
// check status or reset/power a host through a device, with the same
// options, output and exit codes (the STONITH result code).
//
// Environment overrides (for tests and unusual installs):
// HBGO_STONITH_EXTERNAL_DIR (external plugin directory),
// HBGO_STONITH_FENCE_DIR (fence agents), HBGO_MEATWARE_DIR (meatware
// FIFOs), HBGO_STONITH_TIMEOUT (Go duration bounding each script run).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"hbgo/stonith/registry"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	s := &sink{
		terminal: isTerminal(os.Stdin),
		stderr:   os.Stderr,
		host:     nodeName(),
		pid:      os.Getpid(),
		now:      time.Now,
	}
	if !s.terminal {
		s.syslog = openSyslog()
	}
	reg := &registry.Registry{
		ExternalDir: os.Getenv("HBGO_STONITH_EXTERNAL_DIR"),
		FenceDir:    os.Getenv("HBGO_STONITH_FENCE_DIR"),
		Stderr:      os.Stderr,
	}
	reg.Builtin.MeatwareDir = os.Getenv("HBGO_MEATWARE_DIR")
	if t, err := time.ParseDuration(os.Getenv("HBGO_STONITH_TIMEOUT")); err == nil && t > 0 {
		reg.Timeout = t
	}
	code := run(ctx, os.Args, os.Stdout, os.Stderr, s, reg, os.LookupEnv)
	stop()
	os.Exit(code)
}

// exitf is how run ends early: the status to exit with.
type exitf struct{ code int }
