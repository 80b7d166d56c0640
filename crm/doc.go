// Package crm is the root of `crm on` mode: the CIB, the policy engine, the
// controller and the crm command-line tools live in its sub-packages.
package crm
