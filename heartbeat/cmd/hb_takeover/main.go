// Command hb_takeover asks the running daemon to take a set of resource groups from the peer, with the
// arguments and messages of Heartbeat 3.0.6's script: all (default),
// local, foreign or failback. --run-dir DIR reaches a daemon started with
// the same --run-dir.
package main

import (
	"os"
	"path/filepath"

	"hbgo/heartbeat/admin"
	"hbgo/heartbeat/api"
)

func main() {
	os.Exit(admin.RequestMain(filepath.Base(os.Args[0]), "takeover", os.Args[1:], os.Stdout, os.Stderr, api.Ask))
}
