// Package graph owns the transition graph: the actions of one transition
// (resource operations, cluster events such as fencing and shutdown, and
// pseudo actions that only mark progress), the ordering edges between them,
// Pacemaker's operation and transition key formats, and the encoding as
// Pacemaker's <transition_graph> XML (Encode/Decode; graphs saved by
// crm_simulate -G decode, ours look alike).
//
// Build turns the policy engine's result into a graph: one action per
// result action with the agent, parameters, timeouts and clone meta
// attributes from the CIB; optional probes before starts; cancels of
// recorded recurring monitors before an instance is stopped, demoted or
// promoted; the monitors of its final role after it started, promoted or
// demoted; running/stopped markers for groups. The edges come from an
// Orderer: Conservative until the policy engine exports its own.
package graph
