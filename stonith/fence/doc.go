// Package fence drives fence-agents (fence_*, the Red Hat cluster
// protocol) as a further STONITH device class, named rhcs/<x> for the
// agent fence_<x> as cluster-glue's rhcs bridge names them. Options go to
// the agent as key=value lines on standard input; actions are on, off,
// reboot, status, monitor, list and metadata; exit 0 is success and for
// status 0 means on, 2 off.
package fence
