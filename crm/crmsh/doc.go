// Package crmsh owns the crm shell's configuration language: the line
// syntax admins write after `crm configure` (node, primitive, group, clone,
// ms, location, colocation, order, property, rsc_defaults, op_defaults and
// the raw `xml` escape) and its mapping to and from the CIB's
// configuration XML.
//
// Parse (ParseWith, to resolve bare agent names) turns text into Objects,
// each holding the XML element it stands for; Objects decomposes a CIB
// into the same Objects; Show renders them back as `crm configure show`
// text. Orders and colocations of more than two resources, or with ( ) and
// [ ] sets, become resource sets in the order written, as crm makes them.
//
// Show only prints a statement when parsing it gives the same XML
// (ignoring the ids of name/value pairs, rule expressions and resource
// sets, which the language does not carry); anything else is shown as an
// `xml` statement, so show and parse round-trip. Add (one-shot commands,
// scripts), Update (load update), Replace (edit, load replace) and Delete
// put Objects into a CIB document. The package is pure: it reads and
// writes no files and talks to no daemon.
package crmsh
