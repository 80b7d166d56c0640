// Package resourced is the local resource manager: it runs OCF, LSB, legacy
// resource.d and systemd agents with timeouts and exact exit-code meaning.
package resourced
