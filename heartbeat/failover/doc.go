// Package failover is the v1 (haresources) resource manager of Heartbeat
// 3.0.6 as a pure state machine: which node holds which resource groups,
// the nice-failback start-up handshake, takeover after a peer's death (after
// STONITH when configured), the standby protocol behind hb_standby and
// hb_takeover, auto_failback on/off/legacy, and graceful shutdown handing the
// groups to the peer before `shutdone`.
//
// The machine never performs I/O. Inputs are Go values (messages received,
// nodes dead, jobs finished, time passing); outputs are Actions: cluster
// messages to send, resource jobs to run (the ResourceManager takegroup /
// givegroup work), nodes to fence, log lines, the final exit. The daemon
// drives it; tests feed it directly and run in microseconds.
//
// The messages and their order are those of 3.0.6, so a node driven by this
// machine and a node running the original daemon hand groups to each other.
package failover
