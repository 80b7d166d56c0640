// Package clstatus is the cl_status command: sub-commands, options, output
// lines and exit codes as the tool of Heartbeat 3.0.6 prints them, rendered
// from the daemon's API snapshot.
package clstatus
