// Package cibstore owns the Cluster Information Base as a document: its
// XML tree, its version counters (admin_epoch, epoch, num_updates on the
// <cib> root), the rules that bump them, a validation hook, the patch
// format used to replicate changes between nodes, and the on-disk copy
// (crm/cib.xml plus cib.xml.sig, the md5 hex of the file, as Heartbeat 2.x
// kept them).
//
// Everything but the file functions (Save, Load) is pure. The package knows
// nothing about resources or constraints: it treats the CIB as a generic
// XML tree whose elements are addressed by name and id. The typed model
// used by the policy engine lives in crm/cib.
//
// Version ordering is lexicographic on (admin_epoch, epoch, num_updates):
// when copies disagree the highest wins. A change under <configuration>
// (or to the root's attributes) bumps epoch and zeroes num_updates; a
// change under <status> only bumps num_updates.
package cibstore
