// Package heartbeat is the root of the daemon: the wire codec, media,
// membership, the v1 resource manager and the client API live in its
// sub-packages; the binaries are under heartbeat/cmd.
package heartbeat
