// Package daemon wires the heartbeat node together: media in and out, the
// wire codec and signatures, reliable delivery, membership, the v1 resource
// manager and the client API. One goroutine owns all protocol state and
// feeds the pure state machines with packets and clock ticks; resource
// jobs, fencing and API requests come back to it over channels.
package daemon
