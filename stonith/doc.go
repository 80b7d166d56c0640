// Package stonith owns the vocabulary of fencing shared by every device
// class: the cluster-glue result codes (which are also the exit status of
// the stonith command), the reset/on/off actions, the Driver and Device
// interfaces, and the parsers for the three ways cluster-glue accepts
// device parameters (name=value, the positional -p/-F string, and the
// environment). ResetWithAny fences a node with the first configured
// device that controls it, as heartbeat v1 does for a dead node.
//
// Device classes live in sub-packages: builtin (null, ssh, meatware,
// suicide), external (cluster-glue's external/* script protocol), fence
// (fence-agents, key=value on stdin), with registry choosing among them by
// type name. The meatware FIFO protocol is in package meatware, process
// execution with timeouts and process-group kill in package proc.
package stonith
