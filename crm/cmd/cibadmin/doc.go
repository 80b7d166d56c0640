// Command cibadmin reads and edits the CIB with Pacemaker's command line:
// --query, --replace, --modify, --create, --delete and --erase (with
// --force), optionally limited to a section with --scope/-o, the XML given
// with --xml-text/-X or --xml-file/-x. Edits bump epoch (configuration) or
// num_updates (status only) and rewrite CIB_file atomically.
//
// --patch (Pacemaker's XML diff format) is not supported yet.
package main
