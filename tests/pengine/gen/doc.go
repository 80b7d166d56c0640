// Package gen owns the random CIB generator used to test the policy engine
// differentially: from a seed and a size it builds a complete, valid
// Pacemaker CIB (configuration and status section) that mixes the scheduler
// features hbgo supports — location constraints and rules, stickiness,
// migration-threshold, symmetric-cluster, colocation, ordering, groups,
// anonymous, unique and promotable clones, no-quorum-policy, fencing with
// unclean nodes, standby, maintenance, is-managed and target-role — with an
// operation history of running, promoted and failed instances.
//
// The same seed and size always yield the same bytes, so a seed names a test
// case and cached oracle results stay valid as long as the generator does
// not change (Version says which generator produced a case).
package gen
