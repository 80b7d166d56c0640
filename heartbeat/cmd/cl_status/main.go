// Command cl_status reports the state of the local heartbeat daemon, with
// the sub-commands, output and exit codes of Heartbeat 3.0.6's tool.
// --run-dir DIR reaches a daemon started with the same --run-dir.
package main

import (
	"os"

	"hbgo/heartbeat/admin"
	"hbgo/heartbeat/api"
	"hbgo/heartbeat/clstatus"
)

func main() {
	runDir, args := admin.SplitRunDir(os.Args[1:])
	os.Exit(clstatus.Run(args, clstatus.Env{
		Snapshot: func() (*api.Snapshot, error) { return api.GetSnapshot(runDir) },
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
	}))
}
