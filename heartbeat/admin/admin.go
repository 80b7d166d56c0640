// Package admin holds what the administration commands (cl_status,
// hb_standby, hb_takeover) share: the --run-dir option and the argument
// rules of the 3.0.6 scripts.
package admin

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// DefaultRunDir is where the daemon keeps its socket unless told otherwise.
const DefaultRunDir = "/var/run/heartbeat"

// SplitRunDir removes --run-dir DIR (or --run-dir=DIR) from args and
// returns the directory (DefaultRunDir when absent) and the other args.
func SplitRunDir(args []string) (string, []string) {
	dir := DefaultRunDir
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--run-dir" && i+1 < len(args):
			dir = args[i+1]
			i++
		case strings.HasPrefix(a, "--run-dir="):
			dir = strings.TrimPrefix(a, "--run-dir=")
		default:
			rest = append(rest, a)
		}
	}
	return dir, rest
}

// ResourceSet validates the argument of hb_standby / hb_takeover as the
// 3.0.6 scripts do: all (default), foreign, local or failback. standby maps
// failback to foreign (hb_takeover passes it on unchanged, as 3.0.6 does).
// On a usage error it prints what the scripts print and returns ok=false.
func ResourceSet(prog string, args []string, standby bool, stdout, stderr io.Writer) (string, bool) {
	usage := func() {
		fmt.Fprintln(stdout, "usage:")
		fmt.Fprintf(stderr, "%s [all|foreign|local|failback]\n", prog)
	}
	if len(args) >= 2 {
		fmt.Fprintf(stdout, "%s: too many arguments\n", prog)
		usage()
		return "", false
	}
	set := "all"
	if len(args) == 1 {
		set = args[0]
	}
	switch set {
	case "all", "foreign", "local":
	case "failback":
		if standby {
			set = "foreign"
		}
	case "--help":
		usage()
		return "", false
	default:
		fmt.Fprintf(stdout, "%s: wrong resources(%s).\n", prog, set)
		usage()
		return "", false
	}
	return set, true
}

// HALog prints a line the way ha_log does without a log file.
func HALog(w io.Writer, now time.Time, msg string) {
	fmt.Fprintf(w, "%s %s\n", now.Format("Jan _2 15:04:05"), msg)
}

// RequestMain is the whole of hb_standby (cmd "standby") and hb_takeover
// (cmd "takeover"): validate the argument as the 3.0.6 script does, then
// send the request to the daemon of --run-dir. It returns the exit code.
func RequestMain(prog, cmd string, args []string, stdout, stderr io.Writer, send func(runDir, cmd, set string) error) int {
	runDir, rest := SplitRunDir(args)
	set, ok := ResourceSet(prog, rest, cmd == "standby", stdout, stderr)
	if !ok {
		return 1
	}
	if cmd == "standby" {
		HALog(stderr, time.Now(), fmt.Sprintf("Going standby [%s].", set))
	}
	if err := send(runDir, cmd, set); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	return 0
}
