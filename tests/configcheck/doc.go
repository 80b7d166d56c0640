// Package configcheck holds configuration cases whose verdicts were recorded
// from the real Heartbeat 3.0.6, and the test that checks our
// `heartbeat --check` agrees with the real daemon on every one of them and on
// the public corpus setups.
//
// Layout and workflow (all scripts need root):
//
//	gen-cases.sh       writes the inputs of testdata/cases/NNN-slug/
//	                   (ha.cf, authkeys, mode, haresources, host)
//	record.sh          runs ../shared/lab/hb-real-check.sh --wait 2 on each
//	                   case and stores `verdict` and `real.log` beside it;
//	                   record.sh --corpus writes testdata/corpus-verdicts.txt
//	index.sh           writes testdata/INDEX.md, a one-line-per-case overview
//	run-ours.sh        runs `BIN --check --config-dir DIR --node-name HOST` on
//	                   one case in a fresh network namespace holding the same
//	                   interfaces the real daemon's harness creates
//
// Verdicts are never written by hand. Some depend on the machine they were
// recorded on, as the real daemon's do: users (hacluster), installed
// programs (/usr/libexec/heartbeat/ipfail, Pacemaker daemons, stonith
// plugins), /etc/hosts, /dev/ttyS0, and the working directory for relative
// paths (record and test both run from this directory).
//
// The Go code here only reads the recorded verdicts; it owns no runtime
// behaviour of the daemon.
package configcheck
