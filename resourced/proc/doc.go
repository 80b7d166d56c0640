// Package proc runs one agent action as a child process in its own process
// group: stdin from /dev/null, stdout and stderr captured up to a size cap,
// a deadline after which the whole group gets SIGTERM and, after a short
// grace, SIGKILL, and a clean-up that leaves no member of a killed group
// behind (neither running nor as a zombie, when this process is the child
// subreaper, see EnableSubreaper).
//
// It knows nothing about OCF or LSB; callers interpret the exit status.
package proc
