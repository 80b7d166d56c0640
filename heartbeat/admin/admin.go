package admin

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hbgo/crm/cibapi"
	"hbgo/crm/status/cibdoc"
	"hbgo/heartbeat/api"
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

// Backend is what RequestMain needs from outside: the daemon and its CIB.
type Backend struct {
	// Send passes a standby or takeover request to the daemon (api.Ask).
	Send func(runDir, cmd, set string) error
	// CRMMode reports whether the daemon of runDir runs with `crm on`.
	CRMMode func(runDir string) (bool, error)
	// CIB reaches the CIB of the daemon of runDir (cibapi.Live).
	CIB func(runDir string) cibdoc.Source
	// Hostname is uname -n, the default node name.
	Hostname func() (string, error)
}

// DefaultBackend talks to the daemon through its sockets in the run
// directory.
func DefaultBackend() Backend {
	return Backend{Send: api.Ask, CRMMode: DaemonCRMMode, CIB: cibapi.Live, Hostname: os.Hostname}
}

// DaemonCRMMode asks the daemon of runDir whether it runs `crm on`.
func DaemonCRMMode(runDir string) (bool, error) {
	s, err := api.GetSnapshot(runDir)
	if err != nil {
		return false, err
	}
	return s.ManagedBy == "pacemaker", nil
}

// splitNodeName removes --node-name NAME (or --node-name=NAME) from args.
func splitNodeName(args []string) (string, []string) {
	name := ""
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--node-name" && i+1 < len(args):
			name = args[i+1]
			i++
		case strings.HasPrefix(a, "--node-name="):
			name = strings.TrimPrefix(a, "--node-name=")
		default:
			rest = append(rest, a)
		}
	}
	return name, rest
}

// RequestMain is the whole of hb_standby (cmd "standby") and hb_takeover
// (cmd "takeover"): validate the argument as the 3.0.6 script does, then
// send the request to the daemon of --run-dir. It returns the exit code.
//
// In crm mode the 3.0.6 daemon ignored these requests; here they become
// location constraints in the CIB (see CRMMove) for the node named by
// --node-name (default uname -n, lower-cased, as the daemon's default).
func RequestMain(prog, cmd string, args []string, stdout, stderr io.Writer, b Backend) int {
	runDir, rest := SplitRunDir(args)
	node, rest := splitNodeName(rest)
	set, ok := ResourceSet(prog, rest, cmd == "standby", stdout, stderr)
	if !ok {
		return 1
	}
	if cmd == "standby" {
		HALog(stderr, time.Now(), fmt.Sprintf("Going standby [%s].", set))
	}
	if b.CRMMode != nil {
		// A daemon that does not answer is reported by Send below.
		if crm, err := b.CRMMode(runDir); err == nil && crm {
			return crmRequest(prog, cmd, set, node, runDir, stdout, stderr, b)
		}
	}
	if err := b.Send(runDir, cmd, set); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	return 0
}

// crmRequest carries out hb_standby / hb_takeover on the CIB.
func crmRequest(prog, cmd, set, node, runDir string, stdout, stderr io.Writer, b Backend) int {
	if node == "" {
		h, err := b.Hostname()
		if err != nil {
			fmt.Fprintf(stderr, "%s: uname -n: %v\n", prog, err)
			return 1
		}
		node = strings.ToLower(h)
	}
	src := b.CIB(runDir)
	root, err := src.Load()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	before := root.String()
	done, err := CRMMove(root, node, set, cmd == "standby")
	if err != nil {
		fmt.Fprintf(stderr, "%s: crm mode: %v\n", prog, err)
		return 1
	}
	if err := cibdoc.Commit(src, before, root, cibdoc.ConfigChange); err != nil {
		fmt.Fprintf(stderr, "%s: crm mode: updating the CIB: %v\n", prog, err)
		return 1
	}
	for _, line := range done {
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "crm mode: crm_resource --clear -r RESOURCE undoes this\n")
	return 0
}
