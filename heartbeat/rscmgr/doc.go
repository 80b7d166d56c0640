// Package rscmgr is the v1 ResourceManager: it acquires and releases whole
// haresources groups the way 3.0.6's ResourceManager script does —
// resources started left to right unless their status already says
// running, a failed start releasing the group again, stops right to left
// with retries, and a reboot when a resource refuses to stop and still
// runs. It carries out the jobs of the failover state machine.
package rscmgr
