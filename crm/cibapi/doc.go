// Package cibapi owns the local channel between the CIB administration
// tools (crm_mon, cibadmin, crm_resource, crm_attribute, crm_standby,
// crm_verify) and a running daemon in crm mode.
//
// The daemon offers a Backend (query this node's CIB replica, replace it
// and wait for the commit) on the Unix socket <run-dir>/hbgo-cib.sock with
// Serve; the tools reach it through Client, which satisfies
// cibdoc.Source, so the same editing code works on CIB_file and on the
// live cluster. Each connection carries one request and one answer, each a
// single length-limited JSON object ended by a half-close.
//
// A Replace answers success only once the backend reports the change
// committed; every other outcome is an error wrapping one of the sentinel
// errors below, so tools can tell "the daemon is not running" from "crm
// mode is off" from "no DC / no quorum / timeout: not committed".
package cibapi
