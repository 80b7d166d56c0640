// Package explain owns the "why" view of a scheduling decision: for one
// resource, per node, the score the policy engine gave it and the
// constraints and conditions that contributed to it (location constraints
// with their ids and scores, stickiness, colocations and where their
// primary ends up, fail counts against migration-threshold, node standby,
// maintenance or absence, an asymmetric cluster's default ban), and the
// node the resource ends up on.
//
// It reads the configuration and status itself and takes the decision
// (placement and allocation scores) from a pengine.Result, so it never
// disagrees with the engine about the outcome; the contributions are an
// explanation, summed independently, and Report says when they do not add
// up to the engine's score.
package explain
