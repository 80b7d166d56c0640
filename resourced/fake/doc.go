// Package fake provides a resourced.Runner that simulates well-behaved
// resource agents in memory, for tests of the layers above the local
// resource manager (v1 failover, transition engine, cluster harness).
//
// Every resource is a small state machine (stopped, started, promoted)
// driven by the OCF actions; results can be overridden per resource and
// action to script failures, and every call is recorded. No process is
// ever started.
package fake
