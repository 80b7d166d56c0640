// Package config loads a heartbeat configuration directory (/etc/ha.d) the
// way 3.0.6 does at start-up: ha.cf, then authkeys (mode and syntax), then
// the cross-checks, then haresources when heartbeat manages the resources
// itself. It owns the order of those steps and nothing else; the parsers
// live in hbgo/hacf, hbgo/authkeys and hbgo/haresources.
package config
