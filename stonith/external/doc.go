// Package external runs cluster-glue's external/* STONITH scripts
// unchanged: "<dir>/<name> <op> [host]" with the configuration in
// environment variables named like the parameters, HA_LOGTAG set to
// external/<name> and cluster-glue's helper directory first on PATH. Exit
// status 0 means success; a failed reset/on/off is S_RESETFAIL, a failed
// status passes the script's status through, as cluster-glue does.
package external
