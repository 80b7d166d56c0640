// Package graph owns the transition graph: the actions of one transition
// (resource operations, cluster events such as fencing and shutdown, and
// pseudo actions that only mark progress), the ordering edges between them,
// Pacemaker's operation and transition key formats, and the encoding as
// Pacemaker's <transition_graph> XML. FromResult and Build turn the policy
// engine's result into a graph with a conservative ordering until the engine
// supplies exact edges through an Orderer.
package graph
