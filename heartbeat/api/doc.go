// Package api is the local client interface of the daemon: a Unix socket
// in the run directory answering one JSON request per connection. It
// carries what cl_status, hb_standby and hb_takeover need: a snapshot of
// membership, links, parameters and resource state, and the standby and
// takeover requests.
package api
