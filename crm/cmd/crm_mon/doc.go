// Command crm_mon prints the cluster status the way Pacemaker 2.1.5's
// crm_mon does, as text or as XML (--output-as=xml). It reads CIB_file
// (or -x FILE) once when set; otherwise it asks the daemon of --run-dir
// (default /var/run/heartbeat) and, without -1, redraws every -i/--interval
// (default 5 s) until interrupted: in place with a clear-screen on a
// terminal, appended frames otherwise. XML output is always one-shot.
package main
