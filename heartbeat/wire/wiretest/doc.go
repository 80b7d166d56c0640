// Package wiretest holds helpers for tests that use the lab material of
// the real Heartbeat 3.0.6: a small pcap reader that extracts heartbeat
// payloads (UDP to or from port 694, and ICMP echo data carrying ping-node
// messages) and a loader for the lab's authkeys files. It is for tests only.
package wiretest
