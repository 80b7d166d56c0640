// Package configcheck holds the configuration cases whose verdicts were
// recorded from the real Heartbeat 3.0.6 (testdata/cases, made by
// gen-cases.sh and record.sh) and the test that checks our
// `heartbeat --check` agrees with the real daemon on every one of them and on
// the public corpus setups (testdata/corpus-verdicts.txt). run-ours.sh runs
// our checker in a network namespace shaped like the real daemon's harness.
//
// The Go code here only reads the recorded verdicts; it owns no runtime
// behaviour of the daemon.
package configcheck
