// Package tests holds cross-package tests: multi-node clusters in network
// namespaces, interoperation with the reference Heartbeat 3.0.6, fault
// injection; benchmarks live under tests/bench.
package tests
