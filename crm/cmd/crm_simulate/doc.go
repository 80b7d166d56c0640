// Command crm_simulate runs the policy engine on a CIB file and prints the
// transition it computes: in the corpus's normalized format
// (--normalized), as a status/transition summary (-S), or as allocation
// scores (-s). --save-graph writes the planned actions to a file.
package main
