// Package ping owns the ICMP echo prober behind Heartbeat's ping and
// ping_group media. A Prober sends echo requests carrying an opaque
// payload (the daemon puts its signed NS_st message there, as 3.0.6 does)
// to its targets and delivers each echo reply's data as a media.Packet
// whose From is the target address, so the daemon treats a ping node like
// any other medium and feeds replies to membership.PingReply.
package ping
