// Package status owns the cluster's current state as Pacemaker's status
// tools report it: which nodes are online, in standby or in maintenance,
// which node is the DC, where every resource instance runs and in which
// role, the failed operations and the fail counts. It derives all of it
// from a CIB's configuration and status section alone, without planning
// any transition (that is pengine's job), so crm_mon, crm_resource and
// crm_verify share one reading of the operation history.
package status
