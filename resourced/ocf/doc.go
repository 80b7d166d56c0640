// Package ocf owns the vocabulary of the Open Cluster Framework resource
// agent API that does not need a process: the ExitCode type with its names
// and recovery classes, and the agent meta-data document (parameters and
// advertised actions) together with the OCF duration syntax it uses.
//
// Everything here is pure; running agents lives in package resourced.
package ocf
