// Package memnet is an in-memory network for heartbeat media: a Hub joins
// any number of nodes on named media (segments such as "eth0", "eth1") and
// delivers packets between them with injectable faults — per-link drop
// rate, delay and jitter, duplication, reordering, partitions, and one
// medium or one node's interface failing alone.
//
// Randomness comes from a seeded generator and delays from an injected
// clock.Clock, so a run on clock.Fake is reproducible. It lives in the
// real package, not a _test file, so every package's tests (membership,
// failover, the cluster harness) can use it.
package memnet
