// Package daemon wires the heartbeat node together: media in and out, the
// wire codec and signatures, reliable delivery, membership, the v1 resource
// manager and the client API. One goroutine owns all protocol state and
// feeds the pure state machines with packets and clock ticks; resource
// jobs, fencing and API requests come back to it over channels.
//
// With `crm on` (Options.CRM) the v1 resource manager stays idle and the
// crm runtime (package crm/crmd) gets the membership events, the
// controller and LRM messages, a tick every keepalive and its background
// work back on the same goroutine; a graceful stop waits until the DC has
// moved the node's resources away.
package daemon
