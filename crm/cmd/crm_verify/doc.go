// Command crm_verify checks a CIB (-x FILE, or -L with CIB_file) and exits
// as Pacemaker's crm_verify does: 0 when the configuration is usable, 78
// when it is not well-formed XML or breaks the CIB's structure.
//
// It does not yet reproduce the scheduler's configuration warnings that
// crm_verify -V lists (for example about unfencing or resource sets).
package main
