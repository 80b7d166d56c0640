// Package scheduler benchmarks hbgo's policy engine on generated clusters
// of 4x50, 16x500 and 32x2000 (nodes x resources) with groups, clones and
// constraints mixed; tests/bench/scheduler.sh compares the same CIBs with
// Pacemaker's crm_simulate (time and peak memory).
package scheduler
