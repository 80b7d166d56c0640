// Command hb_takeover asks the running daemon to take a set of resource groups from the peer, with the
// arguments and messages of Heartbeat 3.0.6's script: all (default),
// local, foreign or failback. --run-dir DIR reaches a daemon started with
// the same --run-dir.
//
// In crm mode (where 3.0.6 ignored the request) it writes location
// constraints into the CIB instead, for the node named by --node-name
// (default uname -n): see hbgo/heartbeat/admin.CRMMove.
package main

import (
	"os"
	"path/filepath"

	"hbgo/heartbeat/admin"
)

func main() {
	os.Exit(admin.RequestMain(filepath.Base(os.Args[0]), "takeover", os.Args[1:], os.Stdout, os.Stderr, admin.DefaultBackend()))
}
