// Command crm_resource lists, locates and explains resources, moves, bans
// and clears them with cli-prefer-/cli-ban- location constraints, cleans
// up their operation history, and runs their agent directly
// (--force-start/--force-stop/--force-check), with Pacemaker 2.1.5's
// command line, reading and writing the CIB from CIB_file or, without it,
// through the daemon of --run-dir (default /var/run/heartbeat).
package main
