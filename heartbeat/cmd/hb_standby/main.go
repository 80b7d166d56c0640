// Command hb_standby asks the running daemon to give a set of resource groups to the peer, with the
// arguments and messages of Heartbeat 3.0.6's script: all (default),
// local, foreign or failback. --run-dir DIR reaches a daemon started with
// the same --run-dir.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hbgo/heartbeat/admin"
	"hbgo/heartbeat/api"
)

func main() {
	prog := filepath.Base(os.Args[0])
	runDir, args := admin.SplitRunDir(os.Args[1:])
	set, ok := admin.ResourceSet(prog, args, true, os.Stdout, os.Stderr)
	if !ok {
		os.Exit(1)
	}
	admin.HALog(os.Stderr, time.Now(), fmt.Sprintf("Going standby [%s].", set))
	resp, err := api.Call(runDir, api.Request{Cmd: "standby", Arg: set}, 5*time.Second)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
		os.Exit(1)
	}
	if resp.Error != "" {
		fmt.Fprintf(os.Stderr, "%s: %s\n", prog, resp.Error)
		os.Exit(1)
	}
}
