package cibapi

import (
	"os"

	"github.com/spf13/pflag"

	"hbgo/crm/status/cibdoc"
)

// DefaultRunDir is where a daemon started without --run-dir keeps its
// sockets.
const DefaultRunDir = "/var/run/heartbeat"

// RunDirFlag adds the --run-dir option every client tool takes, so that
// several nodes can run on one host in network namespaces.
func RunDirFlag(fs *pflag.FlagSet) *string {
	def := DefaultRunDir
	if d := os.Getenv(EnvRunDir); d != "" {
		def = d
	}
	return fs.String("run-dir", def, "run directory of the daemon to talk to ($"+EnvRunDir+" when set)")
}

// EnvRunDir names the variable that sets --run-dir's default: the daemon
// puts it in the environment of the agents it runs, so the tools they
// call (crm_attribute from a promotable agent) reach that daemon.
const EnvRunDir = "HBGO_RUN_DIR"

// Live returns the source of the daemon using runDir, for
// cibdoc.FromEnv's live argument.
func Live(runDir string) cibdoc.Source {
	return Client{Path: SocketPath(runDir)}
}
