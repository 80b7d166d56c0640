// Package hacf owns /etc/ha.d/ha.cf: every directive Heartbeat 3.0.6 knows,
// its lexical rules, defaults (including the computed ones), the order rules
// and the start-up checks, producing a typed Config and problems reported as
// FILE:LINE: directive: message.
package hacf
