// Command crm is the crm shell admins know from the classic Pacemaker
// guides: `crm status`, `crm configure show|edit|verify|commit|delete`,
// the configuration statements (primitive, group, clone, ms, location,
// colocation, order, property, rsc_defaults, op_defaults), `crm node
// standby|online` and `crm resource start|stop|move|clear|cleanup`.
// Commands given on the command line run once and commit at once; without
// one, commands are read from standard input or -f FILE, level by level
// ("configure", then statements, then "commit"). The CIB is CIB_file when
// set, else the running cluster's.
package main
