// Package clock owns the daemon's notion of time at the edges: a small
// Clock interface (Now, NewTimer, NewTicker, AfterFunc) with Real, backed by
// package time, and Fake, a manual clock for tests that only moves when
// Advance is called.
//
// Protocol cores (membership, failover) do not use this package: they take
// an explicit now. Drivers that turn real time into those calls do, so
// their tests can run without sleeping.
package clock
