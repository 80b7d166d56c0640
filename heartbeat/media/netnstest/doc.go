// Package netnstest builds throw-away network namespaces for the tests of
// the real media and the ping prober: two namespaces joined by a veth pair,
// addresses in 198.51.100.0/24 (and 2001:db8:198:51::/64 without DAD),
// names unique per run, removed in t.Cleanup. Do runs a function with its
// thread switched into a namespace, so sockets opened there belong to it.
//
// Tests using it skip unless run as root with iproute2 installed.
package netnstest
