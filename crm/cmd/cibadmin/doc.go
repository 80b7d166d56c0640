// Command cibadmin reads and edits the CIB with Pacemaker's command line:
// --query, --replace, --modify, --create, --delete and --erase (with
// --force) and --patch, optionally limited to a section with --scope/-o, the XML given
// with --xml-text/-X or --xml-file/-x. Edits bump epoch (configuration) or
// num_updates (status only) and rewrite CIB_file atomically, or, without
// CIB_file, replace the CIB of the daemon of --run-dir (default
// /var/run/heartbeat), succeeding only once the daemon committed it.
//
// --patch applies format-2 patchsets as crm_diff writes them; the older
// format-1 diffs are refused.
package main
