// Command heartbeat is hbgo's drop-in replacement for the Heartbeat 3.0.6
// daemon: it runs the cluster node (in the foreground with --foreground,
// detached otherwise), stops it (-k), reports its status (-s), makes it
// re-read its configuration (-r), and checks a configuration directory
// the way 3.0.6 does at start-up (--check).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"hbgo/hacf"
	"hbgo/heartbeat/config"
	"hbgo/internal/problem"
)

// Exit codes, as 3.0.6 uses them (LSB).
const (
	exitOK            = 0
	exitGeneric       = 1
	exitUsage         = 2
	exitNoPrivilege   = 4 // a config file could not be opened (EACCES), verified on 3.0.6
	exitNotConfigured = 6
)

// Version is what -V prints: the 3.0.6 release this binary replaces.
const Version = "3.0.6 (node: hbgo)"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, &hacf.OSEnv{}))
}

type options struct {
	configDir, stateDir, runDir, nodeName string
	foreground, check                     bool
	debug                                 int
	printDefaults, kill, reread, status   bool
	noResources, noRealtime, verbose      bool
	version                               bool
}

func run(args []string, stdout, stderr io.Writer, env hacf.Env) int {
	var o options
	fs := pflag.NewFlagSet("heartbeat", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.configDir, "config-dir", "/etc/ha.d", "configuration directory (ha.cf, authkeys, haresources)")
	fs.StringVar(&o.stateDir, "state-dir", "/var/lib/heartbeat", "state directory")
	fs.StringVar(&o.runDir, "run-dir", "/var/run/heartbeat", "run-time directory")
	fs.StringVar(&o.nodeName, "node-name", "", "local node name (default: uname -n, lower-cased)")
	fs.BoolVarP(&o.foreground, "foreground", "f", false, "stay in the foreground")
	fs.BoolVar(&o.check, "check", false, "check the configuration as 3.0.6 would at start-up, then exit (0 would start, 6 would refuse, 4 no permission)")
	fs.CountVarP(&o.debug, "debug", "d", "increase the debug level (repeatable)")
	fs.BoolVarP(&o.printDefaults, "defaults", "D", false, "print the table of default values and exit")
	fs.BoolVarP(&o.kill, "kill", "k", false, "stop the running daemon")
	fs.BoolVarP(&o.reread, "reread", "r", false, "re-read the configuration of the running daemon")
	fs.BoolVarP(&o.status, "status", "s", false, "report whether the daemon runs")
	fs.BoolVarP(&o.noResources, "no-resources", "M", false, "do not manage resources")
	fs.BoolVarP(&o.noRealtime, "no-realtime", "l", false, "do not use real-time scheduling")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "verbose: dump the configuration")
	fs.BoolVarP(&o.version, "version", "V", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "heartbeat: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	switch {
	case o.version:
		fmt.Fprintln(stdout, Version)
		return exitOK
	case o.printDefaults:
		printDefaults(stdout)
		return exitOK
	case o.check:
		return check(o, stdout, stderr, env)
	case o.kill:
		return killDaemon(o, stdout)
	case o.status:
		return statusDaemon(o, stdout)
	case o.reread:
		return rereadDaemon(o, stdout, stderr, env)
	}
	return startDaemon(o, stdout, stderr, env)
}

func printDefaults(w io.Writer) {
	fmt.Fprintf(w, "%-24s %-9s %s\n", "Directive", "Default", "Description")
	fmt.Fprintln(w, strings.Repeat("-", 80))
	for _, d := range hacf.Defaults() {
		fmt.Fprintf(w, "%-24s %-9s %s\n", d.Name, d.Default, d.Description)
	}
}

func localNodeName() (string, error) {
	h, err := os.Hostname()
	if err != nil {
		return "", fmt.Errorf("uname -n: %w", err)
	}
	return strings.ToLower(h), nil
}

// check prints every problem, one per line, then a verdict, and returns
// 0 when 3.0.6 would start with this configuration and 6 when it would not
// (4 when a file could not be opened for lack of privilege, as 3.0.6).
func check(o options, stdout, stderr io.Writer, env hacf.Env) int {
	node := o.nodeName
	if node == "" {
		n, err := localNodeName()
		if err != nil {
			fmt.Fprintf(stderr, "heartbeat: %v\n", err)
			return exitGeneric
		}
		node = n
	}
	node = strings.ToLower(node)
	ld, probs := config.Load(o.configDir, node, env)
	if os.Geteuid() != 0 {
		// The verdict is about the files; the daemon itself must be root.
		probs.Warnf(o.configDir, 0, "", "run heartbeat as root", "not running as root: 3.0.6 started by another user exits with status 4")
	}
	for _, p := range probs {
		fmt.Fprintln(stdout, render(p))
	}
	nerr, nwarn := len(probs.Errors()), len(probs.Warnings())
	if nerr > 0 {
		fmt.Fprintf(stdout, "FAILED: heartbeat 3.0.6 would refuse to start on node %s (%d error(s), %d warning(s))\n", node, nerr, nwarn)
		if ld.PermissionDenied {
			return exitNoPrivilege
		}
		return exitNotConfigured
	}
	fmt.Fprintf(stdout, "OK: heartbeat 3.0.6 would start on node %s (%d warning(s))\n", node, nwarn)
	return exitOK
}

// render is FILE:LINE: directive: problem (hint), with "warning: " before
// the problem text of a warning.
func render(p problem.Problem) string {
	if p.Severity == problem.Warning {
		p.Msg = "warning: " + p.Msg
	}
	return p.Error()
}
