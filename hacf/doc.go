// Package hacf owns /etc/ha.d/ha.cf: every directive Heartbeat 3.0.6 knows,
// its lexical rules, defaults (including the computed ones), the order rules
// and the start-up checks, producing a typed Config and problems reported as
// FILE:LINE: directive: message (hint).
//
// Parse applies the lexical rules and each directive's handler, including
// the checks 3.0.6 makes against the host while reading the file
// (interfaces, name resolution, users, programs, STONITH and compression
// plugins); the host is behind the Env interface (OSEnv is the real one,
// FakeEnv an in-memory one for tests). Validate then makes the cross-checks
// 3.0.6 runs after parsing, in its order. Where 3.0.6 fails silently the
// problem still says what is wrong and how to fix it; advice 3.0.6 does not
// give is only ever a warning.
//
// The rules were checked against the real daemon; the experiments are kept
// with their verdicts in testdata/real and replayed by TestRealDaemonVerdicts.
package hacf
