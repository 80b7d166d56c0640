package cibapi

import (
	"github.com/spf13/pflag"

	"hbgo/crm/status/cibdoc"
)

// DefaultRunDir is where a daemon started without --run-dir keeps its
// sockets.
const DefaultRunDir = "/var/run/heartbeat"

// RunDirFlag adds the --run-dir option every client tool takes, so that
// several nodes can run on one host in network namespaces.
func RunDirFlag(fs *pflag.FlagSet) *string {
	return fs.String("run-dir", DefaultRunDir, "run directory of the daemon to talk to")
}

// Live returns the source of the daemon using runDir, for
// cibdoc.FromEnv's live argument.
func Live(runDir string) cibdoc.Source {
	return Client{Path: SocketPath(runDir)}
}
