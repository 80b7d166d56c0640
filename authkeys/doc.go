// Package authkeys owns Heartbeat's shared-secret file /etc/ha.d/authkeys:
// parsing it exactly as Heartbeat 3.0.6 does (the `auth N` selector, key
// lines `N method [key]`, the permission rule), and the keyring built from
// it, which signs outgoing packets with the active key and verifies incoming
// ones against any listed key so keys can be rotated node by node.
//
// Parse, CheckMode and Load report through hbgo/internal/problem, with the
// daemon's own wording where it has one. The rules were measured on the real
// 3.0.6 daemon; each case is kept with its verdict in testdata/real, and
// TestRealDaemonVerdicts replays them.
package authkeys
