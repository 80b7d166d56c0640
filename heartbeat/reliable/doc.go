// Package reliable owns Heartbeat 3.0.6's reliable delivery between
// cluster nodes, as a pure state machine: our outgoing sequence counter and
// the history of sent messages kept for retransmission; per sending node
// the generation ("hg", restart detection and replay rejection), seen
// sequence numbers, duplicate rejection, gap detection with NS_rexmit
// requests repeated until the gap fills, answers to other nodes' NS_rexmit
// (the original bytes again, or NS_nak_rexmit), NS_ackmsg sent every tenth
// message per source and acks received trimming the history. It also owns
// the generation counter persisted in /var/lib/heartbeat/hb_generation.
//
// Nothing here reads a clock, starts a goroutine or touches the network:
// the caller passes the current time in, sends what it is told to send,
// and calls Tick when NextDeadline says.
package reliable
