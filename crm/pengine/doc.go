// Package pengine owns the policy engine: a pure function from a parsed CIB
// and a time to the transition the cluster should carry out (fencing,
// shutdowns, resource starts, stops, promotions and demotions) and the
// cluster state that results once every action succeeds.
//
// The stages follow Pacemaker's scheduler: unpack the configuration and the
// status history into a working set, apply location constraints,
// stickiness and failure thresholds, assign resources to nodes (honouring
// colocation, groups and clones), choose promotable roles, create actions
// and order them, then propagate optional/runnable flags along the
// orderings. Output is deterministic: nothing is emitted by iterating a map.
package pengine
