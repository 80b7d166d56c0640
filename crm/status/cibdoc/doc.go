// Package cibdoc owns the CIB as an editable XML document and where it is
// read from and written to. The administration tools (cibadmin,
// crm_resource, crm_attribute, crm_standby) load the document from a
// Source (a file, or crm/cibapi's client of the running daemon), change
// elements in place, bump the version counters the way
// Pacemaker does and store it back. Element order, unknown elements and
// attributes survive a load/store round trip, so an edit touches only what
// it means to change.
package cibdoc
