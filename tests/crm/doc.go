// Package crm holds the end-to-end tests of `crm on` mode: three hbgo
// daemons in network namespaces (tests/netlab) managing resource-agents'
// real agents (ocf:heartbeat:IPaddr2, ocf:heartbeat:Dummy) through the
// CIB. They need root and the built binary (testenv.Bin), and are skipped
// under -short.
package crm
