#!/usr/bin/env bash
# gen-cases.sh - (re)write the input files of every case under testdata/cases/.
#
#   gen-cases.sh [SLUG-PATTERN]       (CASES_OUT=DIR writes elsewhere)
#
# Each case is one directory testdata/cases/NNN-slug/ holding ha.cf, authkeys,
# haresources (unless the case is about a missing one), `host` (the node name
# the daemon runs as) and `mode` (authkeys mode, only when not 0600).
# The verdicts (`verdict`, `real.log`) are NOT written here: record.sh asks the
# real Heartbeat 3.0.6 for them.  After changing a case, re-record it.
#
# Case body syntax (stdin of `mk`):
#   --- FILE [crlf|cronly|bom|noeol|absent]
#                                   start FILE (ha.cf, authkeys, haresources);
#                                   cronly = old Mac CR line ends, bom = UTF-8 BOM first
#   @BASE@                          expands to @LOG@ @AF@ @MEDIA@ @NODES@ lines
#   @LOG@ @AF@ @MEDIA@ @NODES@      one standard line each (see below)
#   <CR> <VT> <FF> <NUL>            a CR, vertical tab, form feed, NUL byte
# Without an authkeys section the file is "auth 1 / 1 sha1 secret"; without a
# haresources section it is empty (an empty haresources is valid in 3.0.6).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${CASES_OUT:-$here/testdata/cases}
only=${1:-}
mkdir -p "$out"

LOG='logfile /var/log/ha-log'
AF='auto_failback off'
MEDIA='bcast eth0'
NODES='node alpha beta'

# mk NNN-slug [host=NAME] [mode=MODE] < body
mk() {
  local name=$1; shift
  local host=alpha mode=0600 a
  for a in "$@"; do
    case $a in
      host=*) host=${a#host=} ;;
      mode=*) mode=${a#mode=} ;;
      *) echo "mk $name: bad option $a" >&2; exit 2 ;;
    esac
  done
  if [[ -n $only && $name != *$only* ]]; then cat >/dev/null; return; fi
  local dir=$out/$name
  mkdir -p "$dir"
  rm -f "$dir/ha.cf" "$dir/authkeys" "$dir/haresources" "$dir/host" "$dir/mode"
  printf 'auth 1\n1 sha1 secret\n' > "$dir/authkeys"
  : > "$dir/haresources"
  printf '%s\n' "$host" > "$dir/host"
  [[ $mode == 0600 ]] || printf '%s\n' "$mode" > "$dir/mode"
  local fixes
  fixes=$(awk -v dir="$dir" -v LOG="$LOG" -v AF="$AF" -v MEDIA="$MEDIA" -v NODES="$NODES" '
    /^--- / { if (f != "") close(f); f = dir "/" $2; printf "" > f; if ($3 != "") print $2, $3; next }
    f == "" { print "text before first --- line" > "/dev/stderr"; exit 1 }
    $0 == "@BASE@" { print LOG > f; print AF > f; print MEDIA > f; print NODES > f; next }
    $0 == "@LOG@" { print LOG > f; next }
    $0 == "@AF@" { print AF > f; next }
    $0 == "@MEDIA@" { print MEDIA > f; next }
    $0 == "@NODES@" { print NODES > f; next }
    { gsub(/<CR>/, "\r"); gsub(/<VT>/, "\v"); gsub(/<FF>/, "\f"); print > f }
  ')
  local file opt
  while read -r file opt; do
    [[ -n ${file:-} ]] || continue
    case $opt in
      crlf) sed -i 's/$/\r/' "$dir/$file" ;;
      cronly) tr '\n' '\r' < "$dir/$file" > "$dir/$file.tmp" && mv "$dir/$file.tmp" "$dir/$file" ;;
      bom) { printf '\xef\xbb\xbf'; cat "$dir/$file"; } > "$dir/$file.tmp" && mv "$dir/$file.tmp" "$dir/$file" ;;
      noeol) truncate -s -1 "$dir/$file" ;;
      absent) rm -f "$dir/$file" ;;
      *) echo "mk $name: bad file option $opt" >&2; exit 2 ;;
    esac
  done <<< "$fixes"
  # awk cannot portably write NUL bytes: <NUL> becomes one here.
  for file in ha.cf authkeys haresources; do
    [[ -f $dir/$file ]] && grep -q '<NUL>' "$dir/$file" && sed -i 's/<NUL>/\x00/g' "$dir/$file"
  done
  [[ -f $dir/ha.cf ]] || { echo "mk $name: no ha.cf" >&2; exit 2; }
}

# A name longer than IFNAMSIZ-1 (15): neither harness can create it, so the
# interface is missing for both daemons.
MISSING_IF=hbnosuchiface0123

########################################################################
# 001-019 basics and lexical rules of ha.cf
mk 001-minimal-accepted <<'EOF'
--- ha.cf
@BASE@
EOF

mk 002-empty-ha-cf <<'EOF'
--- ha.cf
EOF

mk 003-comments-blank-lines-indent <<'EOF'
--- ha.cf
# full-line comment

   logfile /var/log/ha-log
	auto_failback off   # trailing comment
   bcast eth0	
node alpha beta    
EOF

mk 004-crlf-ha-cf <<'EOF'
--- ha.cf crlf
@BASE@
keepalive 2
deadtime 10
EOF

mk 005-directive-uppercase <<'EOF'
--- ha.cf
@BASE@
Keepalive 2
EOF

mk 006-directive-key-equals-value <<'EOF'
--- ha.cf
@BASE@
keepalive=2
EOF

mk 007-hash-glued-to-value <<'EOF'
--- ha.cf
@BASE@
keepalive 2#two seconds
deadtime 10
EOF

mk 008-unknown-directive <<'EOF'
--- ha.cf
@BASE@
frobnicate yes
EOF

mk 009-hbaping-not-built <<'EOF'
--- ha.cf
@BASE@
hbaping 198.51.100.254
EOF

mk 010-normalpoll-not-built <<'EOF'
--- ha.cf
@BASE@
normalpoll 1
EOF

mk 011-mcast-ttl-directive <<'EOF'
--- ha.cf
@BASE@
mcast_ttl 1
EOF

mk 012-no-final-newline <<'EOF'
--- ha.cf noeol
@BASE@
deadtime 12
EOF

mk 013-comma-node-list <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node gamma,alpha	beta
EOF

mk 014-keepalive-two-values-last-wins <<'EOF'
--- ha.cf
@BASE@
keepalive 1 3
deadtime 5
EOF

mk 015-keepalive-two-values-last-small <<'EOF'
--- ha.cf
@BASE@
keepalive 3,1
deadtime 5
EOF

mk 016-keepalive-no-value <<'EOF'
--- ha.cf
@BASE@
keepalive
EOF

mk 017-node-no-value <<'EOF'
--- ha.cf
@BASE@
node
EOF

mk 018-bcast-no-value <<'EOF'
--- ha.cf
@BASE@
bcast
EOF

mk 019-comment-only-lines <<'EOF'
--- ha.cf
# node alpha
#bcast eth0
EOF

########################################################################
# 020-059 time values and their cross checks
mk 020-keepalive-ms <<'EOF'
--- ha.cf
@BASE@
keepalive 500ms
deadtime 2
EOF

mk 021-keepalive-msec <<'EOF'
--- ha.cf
@BASE@
keepalive 500msec
deadtime 2
EOF

mk 022-keepalive-MS-uppercase <<'EOF'
--- ha.cf
@BASE@
keepalive 500MS
deadtime 2
EOF

mk 023-keepalive-us <<'EOF'
--- ha.cf
@BASE@
keepalive 500000us
deadtime 2
EOF

mk 024-keepalive-usec <<'EOF'
--- ha.cf
@BASE@
keepalive 250000usec
deadtime 2
EOF

mk 025-keepalive-fraction <<'EOF'
--- ha.cf
@BASE@
keepalive 0.5
deadtime 2
EOF

mk 026-keepalive-leading-dot <<'EOF'
--- ha.cf
@BASE@
keepalive .5
deadtime 2
EOF

mk 027-keepalive-space-before-unit <<'EOF'
--- ha.cf
@BASE@
keepalive 500 ms
deadtime 2
EOF

mk 028-keepalive-unit-s <<'EOF'
--- ha.cf
@BASE@
keepalive 2s
EOF

mk 029-keepalive-unit-sec <<'EOF'
--- ha.cf
@BASE@
keepalive 2sec
EOF

mk 030-keepalive-unit-min <<'EOF'
--- ha.cf
@BASE@
keepalive 1min
EOF

mk 031-keepalive-zero <<'EOF'
--- ha.cf
@BASE@
keepalive 0
EOF

mk 032-keepalive-negative <<'EOF'
--- ha.cf
@BASE@
keepalive -1
EOF

mk 033-keepalive-junk <<'EOF'
--- ha.cf
@BASE@
keepalive two
EOF

mk 034-keepalive-trailing-junk <<'EOF'
--- ha.cf
@BASE@
keepalive 2x
EOF

mk 035-deadtime-equals-twice-keepalive <<'EOF'
--- ha.cf
@BASE@
keepalive 2
deadtime 4
EOF

mk 036-deadtime-just-above-twice <<'EOF'
--- ha.cf
@BASE@
keepalive 2
deadtime 4001ms
initdead 10
EOF

mk 037-deadtime-below-keepalive <<'EOF'
--- ha.cf
@BASE@
keepalive 5
deadtime 3
EOF

mk 038-deadtime-zero <<'EOF'
--- ha.cf
@BASE@
deadtime 0
EOF

mk 039-deadtime-ms-large <<'EOF'
--- ha.cf
@BASE@
deadtime 10000ms
EOF

mk 040-deadtime-space-ms <<'EOF'
--- ha.cf
@BASE@
deadtime 10000 ms
EOF

mk 041-tiny-timers-ms <<'EOF'
--- ha.cf
@BASE@
keepalive 10ms
warntime 100ms
deadtime 200ms
initdead 10
EOF

mk 042-initdead-below-deadtime <<'EOF'
--- ha.cf
@BASE@
deadtime 30
initdead 20
EOF

mk 043-initdead-equal-deadtime-small <<'EOF'
--- ha.cf
@BASE@
deadtime 5
initdead 5
EOF

mk 044-initdead-between-deadtime-and-twice <<'EOF'
--- ha.cf
@BASE@
deadtime 10
initdead 15
EOF

mk 045-initdead-absent-small-deadtime <<'EOF'
--- ha.cf
@BASE@
keepalive 500ms
deadtime 2
EOF

mk 046-initdead-bad-unit <<'EOF'
--- ha.cf
@BASE@
initdead 60s
EOF

mk 047-initdead-before-deadtime-line <<'EOF'
--- ha.cf
@BASE@
initdead 20
deadtime 15
EOF

mk 048-warntime-zero <<'EOF'
--- ha.cf
@BASE@
warntime 0
EOF

mk 049-warntime-above-deadtime <<'EOF'
--- ha.cf
@BASE@
deadtime 10
warntime 20
EOF

mk 050-warntime-fraction <<'EOF'
--- ha.cf
@BASE@
keepalive 200ms
warntime 0.5
deadtime 1
initdead 2
EOF

mk 051-deadping-too-small <<'EOF'
--- ha.cf
@BASE@
keepalive 2
deadping 3
ping 198.51.100.254
EOF

mk 052-deadping-ok <<'EOF'
--- ha.cf
@BASE@
keepalive 2
deadping 20
ping 198.51.100.254
EOF

mk 053-conn-logd-time-zero <<'EOF'
--- ha.cf
@BASE@
conn_logd_time 0
EOF

mk 054-conn-logd-time-ms <<'EOF'
--- ha.cf
@BASE@
conn_logd_time 500ms
EOF

mk 055-keepalive-exponent <<'EOF'
--- ha.cf
@BASE@
keepalive 1e3ms
EOF

mk 056-deadtime-no-value <<'EOF'
--- ha.cf
@BASE@
deadtime
EOF

########################################################################
# 060-089 booleans, auto_failback, nice_failback, logging
mk 060-auto-failback-on <<'EOF'
--- ha.cf
@LOG@
auto_failback on
@MEDIA@
@NODES@
EOF

mk 061-auto-failback-legacy-upper <<'EOF'
--- ha.cf
@LOG@
auto_failback LEGACY
@MEDIA@
@NODES@
EOF

mk 062-auto-failback-absent <<'EOF'
--- ha.cf
@LOG@
@MEDIA@
@NODES@
EOF

mk 063-auto-failback-yes-Y <<'EOF'
--- ha.cf
@LOG@
auto_failback Y
@MEDIA@
@NODES@
EOF

mk 064-auto-failback-junk <<'EOF'
--- ha.cf
@LOG@
auto_failback maybe
@MEDIA@
@NODES@
EOF

mk 065-auto-failback-numeric-2 <<'EOF'
--- ha.cf
@LOG@
auto_failback 2
@MEDIA@
@NODES@
EOF

mk 066-nice-failback-on-alone <<'EOF'
--- ha.cf
@LOG@
nice_failback on
@MEDIA@
@NODES@
EOF

mk 067-nice-failback-after-auto-failback <<'EOF'
--- ha.cf
@LOG@
auto_failback on
nice_failback off
@MEDIA@
@NODES@
EOF

mk 068-nice-failback-junk <<'EOF'
--- ha.cf
@LOG@
nice_failback sometimes
@MEDIA@
@NODES@
EOF

mk 069-realtime-TRUE-coredumps-off <<'EOF'
--- ha.cf
@BASE@
realtime TRUE
coredumps off
EOF

mk 070-realtime-junk <<'EOF'
--- ha.cf
@BASE@
realtime fast
EOF

mk 071-coredumps-2 <<'EOF'
--- ha.cf
@BASE@
coredumps 2
EOF

mk 072-no-log-directives-logd-implied <<'EOF'
--- ha.cf
@AF@
@MEDIA@
@NODES@
EOF

mk 073-no-log-directives-use-logd-no <<'EOF'
--- ha.cf
@AF@
@MEDIA@
@NODES@
use_logd no
EOF

mk 074-logfacility-none-use-logd-no <<'EOF'
--- ha.cf
logfacility none
use_logd no
@AF@
@MEDIA@
@NODES@
EOF

mk 075-logfacility-local7-use-logd-yes <<'EOF'
--- ha.cf
logfacility local7
use_logd yes
@AF@
@MEDIA@
@NODES@
EOF

mk 076-logfacility-bogus <<'EOF'
--- ha.cf
logfacility local9
@AF@
@MEDIA@
@NODES@
EOF

mk 077-debugfile-only-use-logd-off <<'EOF'
--- ha.cf
debugfile /var/log/ha-debug
use_logd off
@AF@
@MEDIA@
@NODES@
EOF

mk 078-use-logd-junk <<'EOF'
--- ha.cf
@BASE@
use_logd perhaps
EOF

mk 079-logfacility-uppercase <<'EOF'
--- ha.cf
logfacility DAEMON
@AF@
@MEDIA@
@NODES@
EOF

mk 080-use-logd-yes-only <<'EOF'
--- ha.cf
use_logd yes
@AF@
@MEDIA@
@NODES@
EOF

mk 081-logfile-and-logfacility-none <<'EOF'
--- ha.cf
logfacility none
logfile /var/log/ha-log
@AF@
@MEDIA@
@NODES@
EOF

mk 082-syslogmsgfmt-log-badpack <<'EOF'
--- ha.cf
@BASE@
syslogmsgfmt no
log_badpack off
EOF

mk 083-use-apphbd-junk <<'EOF'
--- ha.cf
@BASE@
use_apphbd nah
EOF

########################################################################
# 090-109 integers (atoi), udpport, baud, debug, hopfudge, rtprio
mk 090-udpport-0 <<'EOF'
--- ha.cf
udpport 0
@BASE@
EOF

mk 091-udpport-before-media <<'EOF'
--- ha.cf
udpport 695
@BASE@
EOF

mk 092-udpport-after-media <<'EOF'
--- ha.cf
@BASE@
udpport 695
EOF

mk 093-udpport-65535 <<'EOF'
--- ha.cf
udpport 65535
@BASE@
EOF

mk 094-udpport-65536 <<'EOF'
--- ha.cf
udpport 65536
@BASE@
EOF

mk 095-udpport-70000 <<'EOF'
--- ha.cf
udpport 70000
@BASE@
EOF

mk 096-udpport-negative <<'EOF'
--- ha.cf
udpport -5
@BASE@
EOF

mk 097-udpport-name <<'EOF'
--- ha.cf
udpport ssh
@BASE@
EOF

mk 098-udpport-trailing-junk <<'EOF'
--- ha.cf
udpport 694x
@BASE@
EOF

mk 099-udpport-registered-22 <<'EOF'
--- ha.cf
udpport 22
@BASE@
EOF

mk 100-udpport-no-value <<'EOF'
--- ha.cf
udpport
@BASE@
EOF

mk 101-hopfudge-256 <<'EOF'
--- ha.cf
@BASE@
hopfudge 256
EOF

mk 102-hopfudge-junk-is-zero <<'EOF'
--- ha.cf
@BASE@
hopfudge abc
EOF

mk 103-debug-300 <<'EOF'
--- ha.cf
@BASE@
debug 300
EOF

mk 104-debug-255-trailing-junk <<'EOF'
--- ha.cf
@BASE@
debug 255x
EOF

mk 105-rtprio-50 <<'EOF'
--- ha.cf
@BASE@
rtprio 50
EOF

mk 106-rtprio-0 <<'EOF'
--- ha.cf
@BASE@
rtprio 0
EOF

mk 107-rtprio-100 <<'EOF'
--- ha.cf
@BASE@
rtprio 100
EOF

mk 108-baud-valid <<'EOF'
--- ha.cf
@BASE@
baud 38400
EOF

mk 109-baud-invalid <<'EOF'
--- ha.cf
@BASE@
baud 12345
EOF

mk 110-baud-twice <<'EOF'
--- ha.cf
@BASE@
baud 19200
baud 19200
EOF

mk 111-hopfudge-negative <<'EOF'
--- ha.cf
@BASE@
hopfudge -1
EOF

mk 112-max-rexmit-delay-0 <<'EOF'
--- ha.cf
@BASE@
max_rexmit_delay 0
EOF

mk 113-compression-threshold-0 <<'EOF'
--- ha.cf
@BASE@
compression_threshold 0
EOF

mk 114-memreserve-junk <<'EOF'
--- ha.cf
@BASE@
memreserve lots
EOF

########################################################################
# 120-159 media: bcast, ucast, mcast, ping, serial
mk 120-bcast-missing-interface <<EOF
--- ha.cf
@LOG@
@AF@
bcast $MISSING_IF
@NODES@
EOF

mk 121-bcast-two-interfaces <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast eth0 eth1
@NODES@
EOF

mk 122-bcast-comma-interfaces <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast eth0,eth1
@NODES@
EOF

mk 123-udp-alias <<'EOF'
--- ha.cf
@LOG@
@AF@
udp eth0
@NODES@
EOF

mk 124-no-media <<'EOF'
--- ha.cf
@LOG@
@AF@
@NODES@
EOF

mk 125-ucast-ip <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 198.51.100.2
@NODES@
EOF

mk 126-ucast-missing-target <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0
@NODES@
EOF

mk 127-ucast-unresolvable <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 no-such-host.invalid
@NODES@
EOF

mk 128-ucast-extra-targets <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 198.51.100.2 198.51.100.3
@NODES@
EOF

mk 129-ucast-missing-interface <<EOF
--- ha.cf
@LOG@
@AF@
ucast $MISSING_IF 198.51.100.2
@NODES@
EOF

mk 130-ucast-localhost-name <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 localhost
@NODES@
EOF

mk 131-ucast-with-port-field <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 198.51.100.2 694
@NODES@
EOF

mk 132-mcast-full <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 0
@NODES@
EOF

mk 133-mcast-missing-loop <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1
@NODES@
EOF

mk 134-mcast-ttl-5 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 5 0
@NODES@
EOF

mk 135-mcast-ttl-0 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 0 0
@NODES@
EOF

mk 136-mcast-loop-2 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 2
@NODES@
EOF

mk 137-mcast-unicast-group <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 198.51.100.7 694 1 0
@NODES@
EOF

mk 138-mcast-port-service-name <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 ssh 1 0
@NODES@
EOF

mk 139-mcast-port-0 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 0 1 0
@NODES@
EOF

mk 140-mcast-port-70000 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 70000 1 0
@NODES@
EOF

mk 141-mcast-missing-interface <<EOF
--- ha.cf
@LOG@
@AF@
mcast $MISSING_IF 239.0.0.43 694 1 0
@NODES@
EOF

mk 142-mcast-extra-token <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 0 extra
@NODES@
EOF

mk 143-mcast-comma-separated <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0,239.0.0.43,694,1,0
@NODES@
EOF

mk 144-mcast-ttl-junk <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 x 0
@NODES@
EOF

mk 145-mcast-group-hostname <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 localhost 694 1 0
@NODES@
EOF

mk 146-mcast6-link-local-group <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast6 eth0 ff02::1:4 694 1 0
@NODES@
EOF

mk 147-mcast6-ipv4-group <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast6 eth0 239.0.0.43 694 1 0
@NODES@
EOF

mk 148-ucast6-loopback <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast6 eth0 ::1
@NODES@
EOF

mk 149-ucast6-bad-address <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast6 eth0 not-an-address.invalid
@NODES@
EOF

mk 150-ping-only-medium <<'EOF'
--- ha.cf
@LOG@
@AF@
ping 198.51.100.254
@NODES@
EOF

mk 151-ping-unresolvable <<'EOF'
--- ha.cf
@BASE@
ping gateway.invalid
EOF

mk 152-ping-localhost-name <<'EOF'
--- ha.cf
@BASE@
ping localhost
EOF

mk 153-ping-group <<'EOF'
--- ha.cf
@BASE@
ping_group routers 198.51.100.253 198.51.100.254
EOF

mk 154-ping-group-no-hosts <<'EOF'
--- ha.cf
@BASE@
ping_group routers
EOF

mk 155-ping-group-comma-hosts <<'EOF'
--- ha.cf
@BASE@
ping_group routers 198.51.100.253,198.51.100.254
EOF

mk 156-ping6-loopback <<'EOF'
--- ha.cf
@BASE@
ping6 ::1
EOF

mk 157-serial-missing-device <<'EOF'
--- ha.cf
@BASE@
serial /dev/ttyS99
EOF

mk 158-tipc-not-built <<'EOF'
--- ha.cf
@BASE@
tipc eth0
EOF

mk 159-ping-cluster-node-name <<'EOF'
--- ha.cf
@BASE@
ping beta
EOF

########################################################################
# 160-179 nodes and autojoin
mk 160-node-uppercase-host-lower <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node ALPHA beta
EOF

mk 161-host-mixed-case <<'EOF' host=Alpha
--- ha.cf
@BASE@
EOF

mk 162-host-fqdn-node-short <<'EOF' host=alpha.example.com
--- ha.cf
@BASE@
EOF

mk 163-no-node-lines <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
EOF

mk 164-local-node-not-listed <<'EOF' host=gamma
--- ha.cf
@BASE@
EOF

mk 165-duplicate-node-lines <<'EOF'
--- ha.cf
@BASE@
node alpha
node beta alpha
EOF

mk 166-single-node-cluster <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha
EOF

mk 167-node-name-underscore <<'EOF' host=node_1
--- ha.cf
@LOG@
@AF@
@MEDIA@
node node_1 node_2
EOF

mk 168-node-name-64-chars <<'EOF' host=n234567890123456789012345678901234567890123456789012345678901234
--- ha.cf
@LOG@
@AF@
@MEDIA@
node n234567890123456789012345678901234567890123456789012345678901234 beta
EOF

mk 169-autojoin-any-with-haresources <<'EOF'
--- ha.cf
@BASE@
autojoin any
EOF

mk 170-autojoin-other <<'EOF'
--- ha.cf
@BASE@
autojoin other
EOF

mk 171-autojoin-none-upper <<'EOF'
--- ha.cf
@BASE@
autojoin NONE
EOF

mk 172-autojoin-bogus <<'EOF'
--- ha.cf
@BASE@
autojoin some
EOF

mk 173-autojoin-any-local-unlisted <<'EOF' host=gamma
--- ha.cf
@BASE@
autojoin any
EOF

mk 174-autojoin-any-no-nodes <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
autojoin any
EOF

mk 175-node-name-with-dot-listed <<'EOF' host=alpha.example.com
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha.example.com beta.example.com
EOF

########################################################################
# 180-199 crm/pacemaker, apiauth, respawn, stonith
mk 180-crm-on <<'EOF'
--- ha.cf
@BASE@
crm on
EOF

mk 181-crm-off <<'EOF'
--- ha.cf
@BASE@
crm off
EOF

mk 182-pacemaker-respawn <<'EOF'
--- ha.cf
@BASE@
pacemaker respawn
EOF

mk 183-crm-and-pacemaker-off <<'EOF'
--- ha.cf
@BASE@
crm off
pacemaker off
EOF

mk 184-crm-junk <<'EOF'
--- ha.cf
@BASE@
crm sometimes
EOF

mk 185-apiauth-uid <<'EOF'
--- ha.cf
@BASE@
apiauth ipfail uid=hacluster
EOF

mk 186-apiauth-no-uid-gid <<'EOF'
--- ha.cf
@BASE@
apiauth ipfail
EOF

mk 187-apiauth-duplicate <<'EOF'
--- ha.cf
@BASE@
apiauth myclient uid=hacluster
apiauth myclient gid=haclient
EOF

mk 188-apiauth-unknown-user <<'EOF'
--- ha.cf
@BASE@
apiauth myclient uid=nosuchuser
EOF

mk 189-respawn-ipfail-debian-path <<'EOF'
--- ha.cf
@BASE@
respawn hacluster /usr/libexec/heartbeat/ipfail
EOF

mk 190-respawn-ipfail-redhat-path <<'EOF'
--- ha.cf
@BASE@
respawn hacluster /usr/lib64/heartbeat/ipfail
EOF

mk 191-respawn-unknown-user <<'EOF'
--- ha.cf
@BASE@
respawn nosuchuser /usr/libexec/heartbeat/ipfail
EOF

mk 192-respawn-relative-path <<'EOF'
--- ha.cf
@BASE@
respawn hacluster ipfail
EOF

mk 193-respawn-not-executable <<'EOF'
--- ha.cf
@BASE@
respawn root /etc/passwd
EOF

mk 194-respawn-no-command <<'EOF'
--- ha.cf
@BASE@
respawn hacluster
EOF

mk 195-stonith-host-null-star <<'EOF'
--- ha.cf
@BASE@
stonith_host * null alpha beta
EOF

mk 196-stonith-host-other-node-bogus-type <<'EOF'
--- ha.cf
@BASE@
stonith_host beta nosuchplugin whatever
EOF

mk 197-stonith-host-star-bogus-type <<'EOF'
--- ha.cf
@BASE@
stonith_host * nosuchplugin whatever
EOF

mk 198-stonith-missing-config-file <<'EOF'
--- ha.cf
@BASE@
stonith null /etc/ha.d/no-such-stonith.cfg
EOF

mk 199-stonith-bogus-type <<'EOF'
--- ha.cf
@BASE@
stonith nosuchplugin /etc/ha.d/ha.cf
EOF

mk 200-failfast-uid-root <<'EOF'
--- ha.cf
@BASE@
failfast root /bin/true
EOF

mk 201-stonith-host-local-uppercase <<'EOF'
--- ha.cf
@BASE@
stonith_host ALPHA nosuchplugin whatever
EOF

########################################################################
# 205-219 other directives: msgfmt, hbgenmethod, uuidfrom, compression, watchdog, ...
mk 205-msgfmt-netstring <<'EOF'
--- ha.cf
@BASE@
msgfmt netstring
EOF

mk 206-msgfmt-capitalised <<'EOF'
--- ha.cf
@BASE@
msgfmt Classic
EOF

mk 207-hbgenmethod-time <<'EOF'
--- ha.cf
@BASE@
hbgenmethod time
EOF

mk 208-hbgenmethod-bogus <<'EOF'
--- ha.cf
@BASE@
hbgenmethod clock
EOF

mk 209-uuidfrom-nodename <<'EOF'
--- ha.cf
@BASE@
uuidfrom nodename
EOF

mk 210-uuidfrom-uppercase <<'EOF'
--- ha.cf
@BASE@
uuidfrom FILE
EOF

mk 211-compression-bz2 <<'EOF'
--- ha.cf
@BASE@
compression bz2
EOF

mk 212-compression-gzip <<'EOF'
--- ha.cf
@BASE@
compression gzip
EOF

mk 213-traditional-compression-junk <<'EOF'
--- ha.cf
@BASE@
traditional_compression sure
EOF

mk 214-watchdog-twice <<'EOF'
--- ha.cf
@BASE@
watchdog /dev/watchdog
watchdog /dev/watchdog
EOF

mk 215-watchdog-missing-device <<'EOF'
--- ha.cf
@BASE@
watchdog /dev/no-such-watchdog
EOF

mk 216-cluster-quorum-server-env <<'EOF'
--- ha.cf
@BASE@
cluster mycluster
quorum_server qs.example.invalid
env FOO=bar
coreroot /no/such/dir
EOF

mk 217-crm-daemon-dir-before-pacemaker <<'EOF'
--- ha.cf
@BASE@
crm_daemon_dir /usr/lib/pacemaker
pacemaker off
EOF

mk 218-record-config-changes-junk <<'EOF'
--- ha.cf
@BASE@
record_config_changes maybe
EOF

mk 219-hbgenmethod-uppercase <<'EOF'
--- ha.cf
@BASE@
hbgenmethod FILE
EOF

########################################################################
# 220-249 authkeys
mk 220-authkeys-mode-0400 mode=0400 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 221-authkeys-mode-0620 mode=0620 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 222-authkeys-mode-0640 mode=0640 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 223-authkeys-mode-0604 mode=0604 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 224-authkeys-mode-0644 mode=0644 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 225-authkeys-mode-0602 mode=0602 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 226-authkeys-key-before-auth <<'EOF'
--- ha.cf
@BASE@
--- authkeys
1 sha1 secret
auth 1
EOF

mk 227-authkeys-missing-auth-line <<'EOF'
--- ha.cf
@BASE@
--- authkeys
1 sha1 secret
EOF

mk 228-authkeys-auth-16 <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 16
16 sha1 secret
EOF

mk 229-authkeys-auth-15-and-0 <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 15
0 md5 zero
15 sha1 fifteen
EOF

mk 230-authkeys-sha256 <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha256 secret
EOF

mk 231-authkeys-crc-with-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 crc secret
EOF

mk 232-authkeys-md5-without-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 md5
EOF

mk 233-authkeys-crc-alone <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 2
2 crc
EOF

mk 234-authkeys-unused-bad-method <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
3 sha256 other
EOF

mk 235-authkeys-unused-garbage-line <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
foo bar
EOF

mk 236-authkeys-unused-md5-without-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
2 md5
EOF

mk 237-authkeys-comments-and-trailing-note <<'EOF'
--- ha.cf
@BASE@
--- authkeys
# the cluster key
   # indented comment

auth 1 # sign with key 1
1 sha1 secret # note after key
EOF

mk 238-authkeys-crlf <<'EOF'
--- ha.cf
@BASE@
--- authkeys crlf
auth 1
1 sha1 secret
EOF

mk 239-authkeys-auth-uppercase <<'EOF'
--- ha.cf
@BASE@
--- authkeys
Auth 1
1 sha1 secret
EOF

mk 240-authkeys-auth-no-space <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth1
1 sha1 secret
EOF

mk 241-authkeys-empty <<'EOF'
--- ha.cf
@BASE@
--- authkeys
EOF

mk 242-authkeys-auth-selects-missing-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 2
1 sha1 secret
EOF

mk 243-authkeys-mixed-methods <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 15
1 md5 a
15 sha1 b
2 crc
EOF

mk 244-authkeys-method-uppercase <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 SHA1 secret
EOF

mk 245-authkeys-unused-index-16 <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
16 sha1 other
EOF

mk 246-authkeys-duplicate-index <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 first
1 md5 second
EOF

mk 247-authkeys-key-with-hash-and-equals <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 a#b=c==
EOF

mk 248-authkeys-auth-junk-number <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth x
1 sha1 secret
EOF

mk 249-authkeys-missing-file <<'EOF'
--- ha.cf
@BASE@
--- authkeys absent
EOF

########################################################################
# 250-279 haresources
mk 250-haresources-missing <<'EOF'
--- ha.cf
@BASE@
--- haresources absent
EOF

mk 251-haresources-unknown-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
gamma 198.51.100.10
EOF

mk 252-haresources-node-uppercase <<'EOF'
--- ha.cf
@BASE@
--- haresources
ALPHA 198.51.100.10 apache2
Beta 198.51.100.11
EOF

mk 253-haresources-comments <<'EOF'
--- ha.cf
@BASE@
--- haresources
# gamma 198.51.100.10
   # indented comment with gamma
alpha 198.51.100.10 # trailing comment

EOF

mk 254-haresources-continuation <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \
	gamma-looking-resource \
	Filesystem::/dev/sdb1::/data::ext4
EOF

mk 255-haresources-continuation-at-eof <<'EOF'
--- ha.cf
@BASE@
--- haresources noeol
alpha 198.51.100.10 \
EOF

mk 256-haresources-continuation-then-bad-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \

gamma 198.51.100.11
EOF

mk 257-haresources-crlf <<'EOF'
--- ha.cf
@BASE@
--- haresources crlf
alpha 198.51.100.10 apache2
beta 198.51.100.11
EOF

mk 258-haresources-whitespace-lines <<'EOF'
--- ha.cf
@BASE@
--- haresources
   
	
alpha 198.51.100.10
EOF

mk 259-haresources-leading-whitespace-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
   alpha 198.51.100.10
EOF

mk 260-haresources-node-only <<'EOF'
--- ha.cf
@BASE@
--- haresources
beta
EOF

mk 261-haresources-hash-glued-to-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha#comment 198.51.100.10
EOF

mk 262-haresources-comment-after-continuation <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \
# gamma comment line
beta 198.51.100.11
EOF

mk 263-haresources-continuation-bad-node-second <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \
gamma 198.51.100.11
EOF

mk 264-haresources-fqdn-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha.example.com 198.51.100.10
EOF

mk 265-haresources-ignored-with-crm-off-bad-node <<'EOF'
--- ha.cf
@BASE@
crm off
--- haresources
gamma 198.51.100.10
EOF

mk 266-haresources-missing-with-pacemaker-off <<'EOF'
--- ha.cf
@BASE@
pacemaker no
--- haresources absent
EOF

mk 267-haresources-backslash-space-eol <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \ 
gamma 198.51.100.11
EOF

mk 268-haresources-local-node-not-first <<'EOF'
--- ha.cf
@BASE@
--- haresources
beta 198.51.100.11
EOF

########################################################################
# 270-299 directives given with no value (the daemon mostly skips them)
nv() { # nv NNN directive: @BASE@ plus "directive" alone on a line
  mk "$1-$2-no-value" <<EOF
--- ha.cf
@BASE@
$2
EOF
}
nv 270 auto_failback
nv 271 logfacility
nv 272 crm
nv 273 mcast
nv 274 ucast
nv 275 ping
nv 276 apiauth
nv 277 respawn
nv 278 stonith
nv 279 warntime
nv 280 initdead
nv 281 use_logd
nv 282 autojoin
nv 283 msgfmt
nv 284 watchdog
nv 285 compression
nv 286 stonith_host
nv 287 ping_group
nv 288 hopfudge
nv 289 rtprio

########################################################################
# 300-319 more mcast/ucast/udpport argument forms
mk 300-mcast-ttl-negative <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 -1 0
@NODES@
EOF

mk 301-mcast-ttl-4 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 4 1
@NODES@
EOF

mk 302-mcast-port-trailing-junk <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694x 1 0
@NODES@
EOF

mk 303-mcast-loop-junk <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 yes
@NODES@
EOF

mk 304-mcast-local-control-group <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 224.0.0.1 694 1 0
@NODES@
EOF

mk 305-mcast-missing-port <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43
@NODES@
EOF

mk 306-mcast-tabs-between-fields <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast	eth0	239.0.0.43	694	1	0
@NODES@
EOF

mk 307-udpport-overflow <<'EOF'
--- ha.cf
udpport 99999999999
@BASE@
EOF

mk 308-udpport-two-values <<'EOF'
--- ha.cf
udpport 695 0
@BASE@
EOF

mk 309-bcast-mcast-ucast-same-interface <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast eth0
mcast eth0 239.0.0.43 694 1 0
ucast eth0 198.51.100.2
@NODES@
EOF

mk 310-ucast-target-node-name <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 beta
@NODES@
EOF

mk 311-ucast6-link-local <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast6 eth0 fe80::2
@NODES@
EOF

########################################################################
# 320-339 more logging combinations, authkeys and haresources traps
mk 320-logfacility-none-alone <<'EOF'
--- ha.cf
logfacility none
@AF@
@MEDIA@
@NODES@
EOF

mk 321-logfacility-daemon-use-logd-no <<'EOF'
--- ha.cf
logfacility daemon
use_logd no
@AF@
@MEDIA@
@NODES@
EOF

mk 322-logfile-use-logd-yes <<'EOF'
--- ha.cf
logfile /var/log/ha-log
use_logd yes
@AF@
@MEDIA@
@NODES@
EOF

mk 323-logfile-dev-null-use-logd-no <<'EOF'
--- ha.cf
logfile /dev/null
use_logd no
@AF@
@MEDIA@
@NODES@
EOF

mk 324-authkeys-mode-0700 mode=0700 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 325-authkeys-mode-0660 mode=0660 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 326-authkeys-unused-crc-with-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
2 crc extra
EOF

mk 327-authkeys-index-only-line <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
2
EOF

mk 328-authkeys-auth-two-numbers <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1 2
1 sha1 secret
EOF

mk 329-authkeys-leading-whitespace <<'EOF'
--- ha.cf
@BASE@
--- authkeys
   auth 1
	1 sha1 secret
EOF

mk 330-authkeys-second-auth-line <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
auth 2
2 md5 other
EOF

mk 331-authkeys-auth-word-prefix <<'EOF'
--- ha.cf
@BASE@
--- authkeys
authorize 1
1 sha1 secret
EOF

mk 332-haresources-comment-ending-in-backslash <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 # note \
gamma 198.51.100.11
EOF

mk 333-haresources-comment-line-ending-in-backslash <<'EOF'
--- ha.cf
@BASE@
--- haresources
# old line \
gamma 198.51.100.11
EOF

mk 334-haresources-two-groups-both-nodes <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 Filesystem::/dev/sdb1::/data::ext4
beta IPaddr2::198.51.100.11/24/eth0 apache2
EOF

mk 335-haresources-tab-separated <<'EOF'
--- ha.cf
@BASE@
--- haresources
beta	198.51.100.11	apache2
EOF

mk 336-haresources-node-from-comma-list <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha,gamma
--- haresources
gamma 198.51.100.11
EOF

mk 337-haresources-continuation-crlf <<'EOF'
--- ha.cf
@BASE@
--- haresources crlf
alpha 198.51.100.10 \
gamma 198.51.100.11
EOF

# The separator between name and value is a no-break space (U+00A0).
mk 338-ha-cf-nbsp-separator <<'EOF'
--- ha.cf
@BASE@
keepalive 2
EOF

mk 339-ha-cf-directive-trailing-colon <<'EOF'
--- ha.cf
@BASE@
keepalive: 2
EOF

########################################################################
# 340-369 time value edge forms: rounding, odd units, odd numbers
tv() { # tv NNN slug directive value: @BASE@ plus "directive value" (keepalive 1 s, deadtime 30 s defaults)
  mk "$1-$2" <<EOF
--- ha.cf
@BASE@
$3 $4
EOF
}
tv 340 keepalive-1.5 keepalive 1.5
tv 341 keepalive-rounds-to-zero keepalive 0.0004
tv 342 keepalive-rounds-up-to-1ms keepalive 0.0005
tv 343 keepalive-400us-rounds-to-zero keepalive 400us
tv 344 keepalive-999us keepalive 999us
tv 345 keepalive-trailing-dot keepalive 1.
tv 346 keepalive-two-dots keepalive 1..5
tv 347 keepalive-plus-sign keepalive +1
tv 348 keepalive-unit-m keepalive 1m
tv 349 keepalive-unit-mx keepalive 1mx
tv 350 keepalive-unit-msxyz keepalive 1msxyz
tv 351 keepalive-unit-u keepalive 500000u
tv 352 keepalive-unit-usecs keepalive 500000usecs
tv 353 keepalive-unit-Us keepalive 500000Us
tv 354 keepalive-hex keepalive 0x10
tv 355 keepalive-leading-zeros keepalive 0002
tv 356 deadtime-fraction-ms deadtime 10000.5ms
tv 357 deadtime-huge deadtime 99999999999
tv 358 warntime-below-keepalive warntime 500ms
tv 359 deadping-without-ping-nodes deadping 3
tv 361 keepalive-only-dot keepalive .
tv 362 keepalive-unit-mS keepalive 500mS
tv 363 keepalive-space-then-digits keepalive '1 000'

mk 364-deadping-equals-twice-keepalive <<'EOF'
--- ha.cf
@BASE@
keepalive 2
deadping 4
ping 198.51.100.254
EOF

mk 360-initdead-exactly-10s-deadtime-10 <<'EOF'
--- ha.cf
@BASE@
deadtime 10
initdead 10
EOF

mk 365-deadtime-7-initdead-default <<'EOF'
--- ha.cf
@BASE@
keepalive 1
deadtime 7
EOF

mk 366-timers-reverse-order <<'EOF'
--- ha.cf
deadtime 5
keepalive 2
@BASE@
EOF

########################################################################
# 370-399 integer and enumerated values, more directives
tv 370 debug-negative debug -1
tv 371 debug-0 debug 0
tv 372 hopfudge-255 hopfudge 255
tv 373 compression-threshold-junk compression_threshold 1x
tv 374 compression-zlib compression zlib
tv 375 memreserve-negative memreserve -10
tv 376 max-rexmit-delay-junk max_rexmit_delay abc
tv 377 rtprio-99 rtprio 99
tv 378 rtprio-junk rtprio abc
tv 379 env-without-equals env FOO
tv 380 env-empty-value env FOO=
tv 381 coreroot-relative coreroot cores
tv 382 quorum-server-no-value quorum_server ""
tv 383 pacemaker-minimal pacemaker minimal
tv 384 pacemaker-manual pacemaker manual
tv 385 pacemaker-valgrind pacemaker valgrind
tv 386 pacemaker-ccm-only pacemaker ccm-only
tv 387 crm-yes-uppercase crm YES
tv 388 serial-dev-null serial /dev/null
tv 389 serial-ttyS0 serial /dev/ttyS0
tv 390 watchdog-dev-null watchdog /dev/null
tv 391 baud-115200-serial-missing baud 115200
tv 392 hbgenmethod-file hbgenmethod file
tv 393 msgfmt-classic msgfmt classic
tv 394 cluster-name-long cluster a-very-long-cluster-name-that-goes-on-and-on-and-on-beyond-any-reasonable-length-limit-0123456789
tv 395 realtime-off-rtprio realtime off
tv 396 traditional-compression-yes traditional_compression yes
tv 397 crmd-spawns-pengine-junk crmd_spawns_pengine maybe
tv 398 enable-config-writes-off enable_config_writes off
tv 399 conn-logd-time-junk conn_logd_time soon

mk 400-crm-daemon-dir-after-pacemaker <<'EOF'
--- ha.cf
@BASE@
pacemaker off
crm_daemon_dir /usr/lib/pacemaker
EOF

mk 401-respawn-directory <<'EOF'
--- ha.cf
@BASE@
respawn hacluster /usr/libexec/heartbeat/
EOF

mk 402-respawn-numeric-uid <<'EOF'
--- ha.cf
@BASE@
respawn 0 /bin/true
EOF

mk 403-respawn-with-args <<'EOF'
--- ha.cf
@BASE@
respawn hacluster /usr/libexec/heartbeat/ipfail -p 5 --extra
EOF

mk 404-respawn-symlink-to-executable <<'EOF'
--- ha.cf
@BASE@
respawn root /bin/sh -c true
EOF

mk 405-failfast-unknown-user <<'EOF'
--- ha.cf
@BASE@
failfast nosuchuser /bin/true
EOF

mk 406-apiauth-unknown-group <<'EOF'
--- ha.cf
@BASE@
apiauth myclient gid=nosuchgroup
EOF

mk 407-apiauth-uid-and-gid-lists <<'EOF'
--- ha.cf
@BASE@
apiauth myclient uid=root,hacluster gid=haclient,root
EOF

mk 408-apiauth-default-client <<'EOF'
--- ha.cf
@BASE@
apiauth default gid=haclient
EOF

mk 409-apiauth-builtin-override <<'EOF'
--- ha.cf
@BASE@
apiauth ipfail uid=root
apiauth ccm uid=root
EOF

mk 410-apiauth-numeric-uid <<'EOF'
--- ha.cf
@BASE@
apiauth myclient uid=0
EOF

mk 411-apiauth-bad-key <<'EOF'
--- ha.cf
@BASE@
apiauth myclient user=root
EOF

mk 412-stonith-host-null-no-hosts <<'EOF'
--- ha.cf
@BASE@
stonith_host * null
EOF

mk 413-stonith-null-config-file-exists <<'EOF'
--- ha.cf
@BASE@
stonith null /etc/ha.d/harc
EOF

mk 414-stonith-host-missing-type <<'EOF'
--- ha.cf
@BASE@
stonith_host *
EOF

mk 415-stonith-host-ssh <<'EOF'
--- ha.cf
@BASE@
stonith_host alpha ssh alpha beta
EOF

mk 416-stonith-host-external-ssh-no-params <<'EOF'
--- ha.cf
@BASE@
stonith_host * external/ssh
EOF

########################################################################
# 420-449 lexical traps: BOM, CR-only, tabs; nodes and media corner cases
mk 420-ha-cf-utf8-bom <<'EOF'
--- ha.cf bom
@BASE@
EOF

mk 421-ha-cf-cr-only-line-ends <<'EOF'
--- ha.cf cronly
@BASE@
EOF

mk 422-ha-cf-cr-inside-line <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha beta
keepalive 3<CR>deadtime 5
EOF

mk 423-ha-cf-comment-first-then-bom-line <<'EOF'
--- ha.cf bom
# comment first
@BASE@
EOF

mk 424-authkeys-utf8-bom <<'EOF'
--- ha.cf
@BASE@
--- authkeys bom
auth 1
1 sha1 secret
EOF

mk 425-authkeys-cr-only <<'EOF'
--- ha.cf
@BASE@
--- authkeys cronly
auth 1
1 sha1 secret
EOF

mk 426-haresources-utf8-bom <<'EOF'
--- ha.cf
@BASE@
--- haresources bom
alpha 198.51.100.10
EOF

mk 427-haresources-cr-only <<'EOF'
--- ha.cf
@BASE@
--- haresources cronly
alpha 198.51.100.10
gamma 198.51.100.11
EOF

mk 428-ha-cf-tab-after-directive <<'EOF'
--- ha.cf
logfile	/var/log/ha-log
auto_failback	off
bcast	eth0
node	alpha	beta
EOF

mk 429-ha-cf-only-hash-lines <<'EOF'
--- ha.cf
@BASE@
#
   #
EOF

mk 430-node-name-over-100-chars <<'EOF'
--- ha.cf
@BASE@
node gamma0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
EOF

mk 431-nodes-101 <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 99); do printf 'n%d ' "$i"; done)
EOF

mk 432-nodes-98-plus-2 <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 98); do printf 'n%d ' "$i"; done)
EOF

mk 433-node-same-as-ping-host <<'EOF'
--- ha.cf
@BASE@
node 198.51.100.254
ping 198.51.100.254
EOF

mk 434-ping-group-named-like-node <<'EOF'
--- ha.cf
@BASE@
ping_group beta 198.51.100.254
EOF

mk 435-ping-twice-same-host <<'EOF'
--- ha.cf
@BASE@
ping 198.51.100.254 198.51.100.254
EOF

mk 436-ping-invalid-ip <<'EOF'
--- ha.cf
@BASE@
ping 198.51.100.300
EOF

mk 437-ucast-invalid-ip <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 198.51.100.300
@NODES@
EOF

mk 438-bcast-lo <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast lo
@NODES@
EOF

mk 439-bcast-same-interface-twice <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast eth0 eth0
@NODES@
EOF

mk 440-mcast-same-line-twice <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 0
mcast eth0 239.0.0.43 694 1 0
@NODES@
EOF

mk 441-ping-ipv6-literal <<'EOF'
--- ha.cf
@BASE@
ping ::1
EOF

mk 442-ping6-ipv4-literal <<'EOF'
--- ha.cf
@BASE@
ping6 198.51.100.254
EOF

mk 443-ucast-broadcast-address <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 255.255.255.255
@NODES@
EOF

mk 444-autojoin-other-crm-off <<'EOF'
--- ha.cf
@BASE@
crm off
autojoin other
EOF

mk 445-nice-failback-on-after-legacy <<'EOF'
--- ha.cf
@LOG@
auto_failback legacy
nice_failback on
@MEDIA@
@NODES@
EOF

mk 446-auto-failback-two-tokens <<'EOF'
--- ha.cf
@LOG@
auto_failback on junk
@MEDIA@
@NODES@
EOF

mk 447-logfacility-none-logfile-use-logd-no <<'EOF'
--- ha.cf
logfacility none
logfile /var/log/ha-log
use_logd no
@AF@
@MEDIA@
@NODES@
EOF

mk 448-host-uppercase-node-uppercase <<'EOF' host=ALPHA
--- ha.cf
@LOG@
@AF@
@MEDIA@
node ALPHA BETA
EOF

mk 449-host-with-underscore-uppercase-listed <<'EOF' host=Node_1
--- ha.cf
@LOG@
@AF@
@MEDIA@
node node_1 node_2
EOF

########################################################################
# 450-479 authkeys and haresources corner cases
mk 450-authkeys-long-key <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 $(printf 'k%.0s' $(seq 1 1000))
EOF

mk 451-authkeys-key-extra-tokens <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret and more words
EOF

mk 452-authkeys-auth-leading-zero <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 01
1 sha1 secret
EOF

mk 453-authkeys-auth-trailing-junk <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1x
1 sha1 secret
EOF

mk 454-authkeys-auth-negative <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth -1
1 sha1 secret
EOF

mk 455-authkeys-key-index-leading-zero <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
01 sha1 secret
EOF

mk 456-authkeys-mode-0000 mode=0000 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 457-authkeys-mode-0601 mode=0601 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 458-authkeys-mode-0610 mode=0610 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 459-authkeys-tabs <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth	1
1	sha1	secret
EOF

mk 460-authkeys-method-missing <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1
EOF

mk 461-authkeys-index-junk <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
x sha1 other
EOF

mk 462-authkeys-key-index-trailing-junk <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1x sha1 secret
EOF

mk 463-authkeys-auth-0-key-0 <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 0
0 crc
EOF

mk 464-authkeys-mode-1600-sticky mode=1600 <<'EOF'
--- ha.cf
@BASE@
EOF

mk 465-haresources-only-comments <<'EOF'
--- ha.cf
@BASE@
--- haresources
# nothing here
# gamma 198.51.100.10
EOF

mk 466-haresources-lone-backslash-line <<'EOF'
--- ha.cf
@BASE@
--- haresources
\
gamma 198.51.100.10
EOF

mk 467-haresources-node-trailing-colon <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha: 198.51.100.10
EOF

mk 468-haresources-ip-first <<'EOF'
--- ha.cf
@BASE@
--- haresources
198.51.100.10 alpha
EOF

mk 469-haresources-long-line <<EOF
--- ha.cf
@BASE@
--- haresources
alpha $(for i in $(seq 1 400); do printf 'res%d ' "$i"; done)
EOF

mk 470-haresources-double-backslash <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \\
gamma 198.51.100.11
EOF

mk 471-haresources-backslash-then-whitespace-line <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \
   
gamma 198.51.100.11
EOF

mk 472-haresources-indented-continuation-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha 198.51.100.10 \
  beta 198.51.100.11
EOF

mk 473-haresources-hash-after-space-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
#alpha
 # beta
gamma#x
EOF

mk 474-haresources-uppercase-unknown <<'EOF'
--- ha.cf
@BASE@
--- haresources
GAMMA 198.51.100.10
EOF

mk 475-haresources-with-pacemaker-minimal <<'EOF'
--- ha.cf
@BASE@
pacemaker minimal
--- haresources
gamma 198.51.100.10
EOF

########################################################################
# 480-499 more number forms and booleans
tv 480 keepalive-1.5.5 keepalive 1.5.5
tv 481 keepalive-dot-ms keepalive 1.ms
tv 482 keepalive-ms-then-digit keepalive 2ms5
tv 483 keepalive-fractional-ms keepalive 1.5ms
tv 484 keepalive-minus-zero keepalive -0
tv 485 keepalive-comma-decimal keepalive 1,5
tv 486 deadtime-dot-5ms deadtime .5ms
tv 487 auto-failback-ON auto_failback ON
tv 488 auto-failback-t auto_failback t
tv 489 realtime-n realtime n
tv 490 coredumps-Yes coredumps Yes
tv 491 use-logd-enable use_logd enable
tv 492 log-badpack-1 log_badpack 1
tv 493 compression-two-values compression 'gzip zlib'
tv 494 compression-threshold-1k compression_threshold 1k
tv 495 memreserve-zero memreserve 0
tv 496 hopfudge-0 hopfudge 0
tv 497 udpport-1 udpport 1
tv 498 debug-trailing-space-tab debug '3 	'

########################################################################
# 500-529 paths and logging targets
tv 500 coreroot-existing-dir coreroot /tmp
tv 501 coreroot-a-file coreroot /etc/passwd
tv 502 coreroot-dot coreroot .
tv 503 logfile-relative logfile ha-log
tv 504 debugfile-missing-dir debugfile /no/such/dir/ha-debug
tv 505 logfacility-security logfacility security
tv 506 logfacility-mark logfacility mark
tv 507 logfacility-authpriv logfacility authpriv
tv 508 logfacility-ftp logfacility ftp
tv 509 logfacility-local0-uppercase-L logfacility Local0
tv 510 logfacility-kern logfacility kern
tv 511 respawn-hash-in-path respawn 'hacluster /usr/libexec/heartbeat/ipfail#old'
tv 512 respawn-root-sh-script respawn 'root /etc/ha.d/harc'
tv 513 apiauth-client-31-chars apiauth 'c234567890123456789012345678901 uid=root'
tv 514 apiauth-client-32-chars apiauth 'c2345678901234567890123456789012 uid=root'
tv 515 apiauth-gid-numeric apiauth 'myclient gid=0'
tv 516 apiauth-empty-uid-list apiauth 'myclient uid='

########################################################################
# 530-559 address forms (inet_aton shorthand), interface aliases, pacemaker ccm-only
mk 530-mcast-group-three-parts <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0 694 1 0
@NODES@
EOF

mk 531-mcast-group-hex <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 0xef00002b 694 1 0
@NODES@
EOF

mk 532-mcast-group-broadcast <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 255.255.255.255 694 1 0
@NODES@
EOF

mk 533-ucast-target-three-parts <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 198.51.100
@NODES@
EOF

mk 534-ucast-target-hex <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 0x7f000001
@NODES@
EOF

mk 535-ucast-target-trailing-dot-name <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0 localhost.
@NODES@
EOF

mk 536-ping-short-ip <<'EOF'
--- ha.cf
@BASE@
ping 127.1
EOF

mk 537-bcast-alias-interface <<'EOF'
--- ha.cf
@LOG@
@AF@
bcast eth0:1
@NODES@
EOF

mk 538-mcast-ttl-plus <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 694 +1 0
@NODES@
EOF

mk 539-mcast-port-negative <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 239.0.0.43 -694 1 0
@NODES@
EOF

mk 540-mcast-group-ipv6 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast eth0 ff02::1 694 1 0
@NODES@
EOF

mk 541-mcast6-hops-5 <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast6 eth0 ff02::1:4 694 5 0
@NODES@
EOF

mk 542-mcast6-missing-loop <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast6 eth0 ff02::1:4 694 1
@NODES@
EOF

mk 543-mcast6-global-group <<'EOF'
--- ha.cf
@LOG@
@AF@
mcast6 eth0 ff0e::1:4 694 1 0
@NODES@
EOF

mk 544-ccm-only-autojoin-any <<'EOF'
--- ha.cf
@BASE@
pacemaker ccm-only
autojoin any
EOF

mk 545-ccm-only-bad-haresources <<'EOF'
--- ha.cf
@BASE@
pacemaker ccm-only
--- haresources
gamma 198.51.100.10
EOF

mk 546-ccm-only-no-haresources <<'EOF'
--- ha.cf
@BASE@
pacemaker ccm-only
--- haresources absent
EOF

mk 547-ccm-only-local-unlisted-autojoin-any <<'EOF' host=gamma
--- ha.cf
@BASE@
pacemaker ccm-only
autojoin any
EOF

mk 548-ccm-only-no-logging <<'EOF'
--- ha.cf
@AF@
@MEDIA@
@NODES@
pacemaker ccm-only
use_logd no
EOF

mk 549-ccm-only-twice <<'EOF'
--- ha.cf
@BASE@
pacemaker ccm-only
crm ccm-only
EOF

mk 550-long-comment-line <<EOF
--- ha.cf
# $(printf 'x%.0s' $(seq 1 3000))
@BASE@
EOF

mk 551-long-node-line <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 60); do printf 'node-with-a-long-name-%02d ' "$i"; done)
EOF

mk 552-node-alpha-and-ALPHA <<'EOF'
--- ha.cf
@BASE@
node ALPHA Alpha
EOF

mk 553-node-trailing-dot-host-plain <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha. beta
EOF

mk 554-udpport-with-mcast-same-port <<'EOF'
--- ha.cf
udpport 694
@LOG@
@AF@
mcast eth0 239.0.0.43 694 1 0
bcast eth0
@NODES@
EOF

mk 555-authkeys-sha1-trailing-space-no-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 
EOF

mk 556-authkeys-17-key-lines <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 3
$(for i in $(seq 0 15); do printf '%d sha1 key%d\n' "$i" "$i"; done)
3 md5 again
EOF

########################################################################
# 560-579 IPv4 literal spellings (inet_aton vs getaddrinfo) and IPv6 scopes
media() { # media NNN slug "media line": the line instead of @MEDIA@
  mk "$1-$2" <<EOF
--- ha.cf
@LOG@
@AF@
$3
@NODES@
EOF
}
media 560 ucast-target-integer 'ucast eth0 2130706433'
media 561 ucast-target-octal-part 'ucast eth0 198.051.100.2'
media 562 ucast-target-two-parts 'ucast eth0 127.1'
media 563 ucast-target-leading-zero-last 'ucast eth0 198.51.100.02'
media 564 mcast-group-leading-zero 'mcast eth0 239.000.000.043 694 1 0'
media 565 mcast-group-trailing-dot 'mcast eth0 239.0.0.43. 694 1 0'
media 566 mcast6-site-local-group 'mcast6 eth0 ff05::1:4 694 1 0'
media 567 mcast6-transient-link-local 'mcast6 eth0 ff12::1:4 694 1 0'
media 568 mcast6-all-nodes 'mcast6 eth0 ff02::1 694 1 0'
media 569 mcast6-interface-local 'mcast6 eth0 ff01::1:4 694 1 0'
media 570 ucast6-global 'ucast6 eth0 2001:db8::2'
media 571 ucast6-link-local-with-zone 'ucast6 eth0 fe80::2%eth0'
media 572 ucast6-ipv4-mapped 'ucast6 eth0 ::ffff:198.51.100.2'
media 573 ucast6-hostname-localhost 'ucast6 eth0 localhost'
media 574 mcast6-unicast-group 'mcast6 eth0 fe80::1 694 1 0'
mk 575-ping-integer-ip <<'EOF'
--- ha.cf
@BASE@
ping 2130706433
EOF
mk 576-ping-hex-ip <<'EOF'
--- ha.cf
@BASE@
ping 0x7f000001
EOF
mk 577-ping6-link-local <<'EOF'
--- ha.cf
@BASE@
ping6 fe80::1
EOF
mk 578-ping6-hostname <<'EOF'
--- ha.cf
@BASE@
ping6 localhost
EOF
mk 579-ping-group-hex-member <<'EOF'
--- ha.cf
@BASE@
ping_group g1 0x7f000001
EOF

########################################################################
# 580-599 more time spellings and authkeys key forms
tv 580 keepalive-dash keepalive 1-2
tv 581 keepalive-slash keepalive 1/2
tv 582 keepalive-colon keepalive 1:30
tv 583 keepalive-fraction-e keepalive 1.5e
tv 584 keepalive-underscore keepalive 1_000
tv 585 keepalive-dot-dot-ms keepalive 5.ms5
tv 586 keepalive-letters-after-us keepalive 9usx
tv 587 deadtime-fraction-us deadtime 10000000.4us
tv 588 keepalive-ms-space-ms keepalive '1ms ms'
tv 589 initdead-dot-only initdead .

mk 590-authkeys-key-starts-with-hash <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 #secret
EOF

mk 591-authkeys-auth-plus <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth +1
1 sha1 secret
EOF

mk 592-authkeys-auth-fraction <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1.5
1 sha1 secret
EOF

mk 593-authkeys-index-plus <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
+1 sha1 secret
EOF

mk 594-authkeys-index-negative-unused <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
-1 sha1 other
EOF

mk 595-authkeys-auth-space-before-number <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth    1
1 sha1 secret
EOF

mk 596-authkeys-a-line-other-word <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
also this
EOF

mk 597-authkeys-md5-key-only-hash <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 md5 #
EOF

mk 598-authkeys-crc-trailing-comment <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 crc # integrity only
EOF

mk 599-authkeys-method-then-tab-key <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1		secret
EOF

########################################################################
# 600-619 multicast group ranges (which scopes 3.0.6 takes)
media 600 mcast6-admin-local 'mcast6 eth0 ff04::1:4 694 1 0'
media 601 mcast6-realm-local 'mcast6 eth0 ff03::1:4 694 1 0'
media 602 mcast6-org-local 'mcast6 eth0 ff08::1:4 694 1 0'
media 603 mcast6-transient-site-local 'mcast6 eth0 ff15::1:4 694 1 0'
media 604 mcast6-transient-global 'mcast6 eth0 ff1e::1:4 694 1 0'
media 605 mcast6-reserved-scope-0 'mcast6 eth0 ff00::1:4 694 1 0'
media 606 mcast6-scope-f 'mcast6 eth0 ff0f::1:4 694 1 0'
media 607 mcast6-ipv4-style-port-name 'mcast6 eth0 ff02::1:4 ssh 1 0'
media 608 mcast-group-224-0-1-1 'mcast eth0 224.0.1.1 694 1 0'
media 609 mcast-group-ssm-232 'mcast eth0 232.1.1.1 694 1 0'
media 610 mcast-group-class-e 'mcast eth0 240.0.0.1 694 1 0'
media 611 mcast-group-223 'mcast eth0 223.255.255.255 694 1 0'
media 612 mcast-group-zero 'mcast eth0 0.0.0.0 694 1 0'
media 613 mcast6-group-uppercase-hex 'mcast6 eth0 FF02::1:4 694 1 0'
media 614 ucast6-unspecified 'ucast6 eth0 ::'
media 615 ucast6-multicast-target 'ucast6 eth0 ff02::1'
media 616 ucast-target-multicast 'ucast eth0 239.0.0.43'
media 617 ucast-target-zero 'ucast eth0 0.0.0.0'
media 618 ucast-target-loopback 'ucast eth0 127.0.0.1'
media 619 ucast-target-own-network-broadcast 'ucast eth0 198.51.100.255'

########################################################################
# 620-639 repeated directives and stonith plugin parameters
two() { # two NNN slug "line 1" "line 2": @BASE@ plus both lines
  mk "$1-$2" <<EOF
--- ha.cf
@BASE@
$3
$4
EOF
}
two 620 logfacility-twice 'logfacility daemon' 'logfacility local0'
two 621 logfile-twice 'logfile /var/log/a' 'logfile /var/log/b'
two 622 hbgenmethod-twice 'hbgenmethod time' 'hbgenmethod file'
two 623 uuidfrom-twice 'uuidfrom nodename' 'uuidfrom file'
two 624 compression-twice 'compression bz2' 'compression zlib'
two 625 autojoin-twice-ending-none 'autojoin any' 'autojoin none'
two 626 msgfmt-twice 'msgfmt netstring' 'msgfmt classic'
two 627 stonith-twice 'stonith null /etc/ha.d/harc' 'stonith null /etc/ha.d/harc'
two 628 respawn-same-line-twice 'respawn hacluster /usr/libexec/heartbeat/ipfail' 'respawn hacluster /usr/libexec/heartbeat/ipfail'
two 629 apiauth-identical-twice 'apiauth myclient uid=root' 'apiauth myclient uid=root'
two 630 apiauth-repeated-key 'apiauth myclient uid=root uid=hacluster' 'keepalive 1'
two 631 env-comma-pairs 'env A=1,B=2' 'env C=3'
two 632 stonith-host-meatware 'stonith_host * meatware alpha beta' 'keepalive 1'
two 634 stonith-host-apcmaster-missing-params 'stonith_host * apcmaster 198.51.100.9' 'keepalive 1'
two 635 stonith-host-external-ssh-hosts 'stonith_host * external/ssh alpha beta' 'keepalive 1'
two 636 stonith-host-star-and-local 'stonith_host * null alpha' 'stonith_host alpha null beta'
two 637 ping-group-twice-same-name 'ping_group g1 198.51.100.253' 'ping_group g1 198.51.100.254'
two 638 warntime-twice-last-zero 'warntime 5' 'warntime 0'
two 639 initdead-twice-last-small 'initdead 60' 'initdead 10'

########################################################################
# 640-659 size limits: line buffers, node and media counts
mk 640-ha-cf-70000-char-comment <<EOF
--- ha.cf
# $(head -c 70000 /dev/zero | tr '\0' 'x')
@BASE@
EOF

mk 641-ha-cf-70000-char-comment-then-word <<EOF
--- ha.cf
# $(head -c 70000 /dev/zero | tr '\0' 'x') keepalive
@BASE@
EOF

mk 642-authkeys-10000-char-key <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 $(head -c 10000 /dev/zero | tr '\0' 'k')
EOF

mk 643-haresources-20000-char-line <<EOF
--- ha.cf
@BASE@
--- haresources
alpha $(for i in $(seq 1 2000); do printf 'gamma%04d ' "$i"; done)
EOF

mk 644-nodes-99-plus-2-ping <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 97); do printf 'n%d ' "$i"; done)
ping 198.51.100.253 198.51.100.254
EOF

mk 645-ucast-70-lines <<EOF
--- ha.cf
@LOG@
@AF@
$(for i in $(seq 1 70); do printf 'ucast eth0 198.51.100.%d\n' "$i"; done)
@NODES@
EOF

mk 646-ucast-interface-trailing-comma <<'EOF'
--- ha.cf
@LOG@
@AF@
ucast eth0, 198.51.100.2
@NODES@
EOF

mk 647-nodes-100-exactly-one-line <<EOF
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha $(for i in $(seq 1 99); do printf 'n%d ' "$i"; done)
EOF

for n in 63 64 65; do
  mk "$((585 + n))-ucast-$n-lines" <<EOF
--- ha.cf
@LOG@
@AF@
$(for i in $(seq 1 "$n"); do printf 'ucast eth0 198.51.100.%d\n' "$i"; done)
@NODES@
EOF
done

# Line-buffer boundaries found by bisection against the real daemon (a line
# of N characters plus its newline).
xs() { head -c "$1" /dev/zero | tr '\0' "$2"; }
mk 651-ha-cf-comment-line-5119-chars <<EOF
--- ha.cf
#$(xs 5118 x)
@BASE@
EOF
mk 652-ha-cf-comment-line-5120-chars <<EOF
--- ha.cf
#$(xs 5119 x)
@BASE@
EOF
mk 653-haresources-line-5118-chars <<EOF
--- ha.cf
@BASE@
--- haresources
alpha $(xs 5112 y)
EOF
mk 654-haresources-line-5119-chars <<EOF
--- ha.cf
@BASE@
--- haresources
alpha $(xs 5113 y)
EOF
mk 655-authkeys-key-line-5119-chars <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 $(xs 5112 k)
EOF
mk 656-authkeys-key-line-5120-chars <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 $(xs 5113 k)
EOF

# Node names are cut at 100 characters; node slots (100) include ping nodes.
mk 657-haresources-node-name-120-chars <<EOF
--- ha.cf
@BASE@
node $(xs 120 g)
--- haresources
$(xs 120 g) 198.51.100.10
EOF
mk 658-haresources-node-name-first-100-of-120 <<EOF
--- ha.cf
@BASE@
node $(xs 120 g)
--- haresources
$(xs 100 g) 198.51.100.10
EOF
mk 659-nodes-98-plus-2-ping <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 96); do printf 'n%d ' "$i"; done)
ping 198.51.100.253 198.51.100.254
EOF
mk 660-nodes-99-plus-ping-group <<EOF
--- ha.cf
@BASE@
node $(for i in $(seq 1 97); do printf 'n%d ' "$i"; done)
ping_group g1 198.51.100.250 198.51.100.251 198.51.100.252 198.51.100.253
EOF

########################################################################
# 661-679 lookups in this machine's databases (users, groups, /etc/hosts)
tv 661 respawn-user-daemon respawn 'daemon /bin/true'
tv 662 respawn-user-nobody respawn 'nobody /bin/true'
tv 663 apiauth-nobody-nogroup apiauth 'myclient uid=nobody gid=nogroup'
tv 664 ping-hosts-file-name ping vm
tv 665 ping-name-uppercase ping LOCALHOST
tv 666 respawn-user-uppercase respawn 'HACLUSTER /usr/libexec/heartbeat/ipfail'
tv 667 apiauth-gid-hacluster-user-name apiauth 'myclient gid=hacluster'
media 668 ucast-target-hosts-file-name 'ucast eth0 vm'
media 669 ucast-target-name-uppercase 'ucast eth0 LOCALHOST'

########################################################################
# 670-699 control characters, rounding to zero, numeric boundaries
tv 670 keepalive-vertical-tab-separator keepalive '<VT>2'
mk 671-keepalive-form-feed-separator <<'EOF'
--- ha.cf
@BASE@
keepalive<FF>2
EOF
mk 672-keepalive-vertical-tab-separator-only <<'EOF'
--- ha.cf
@BASE@
keepalive<VT>2
EOF
mk 673-ha-cf-nul-inside-value <<'EOF'
--- ha.cf
@BASE@
keepalive 2<NUL>x
EOF
mk 674-ha-cf-nul-before-bad-node <<'EOF'
--- ha.cf
@BASE@
bcast eth0<NUL> nosuchiface
EOF
mk 675-haresources-nul-first <<'EOF'
--- ha.cf
@BASE@
--- haresources
<NUL>gamma 198.51.100.10
EOF
mk 676-haresources-nul-after-node <<'EOF'
--- ha.cf
@BASE@
--- haresources
alpha<NUL>gamma 198.51.100.10
EOF
mk 677-authkeys-nul-in-auth-line <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth<NUL> 1
1 sha1 secret
EOF
mk 678-authkeys-nul-line-start <<'EOF'
--- ha.cf
@BASE@
--- authkeys
auth 1
1 sha1 secret
<NUL>garbage line
EOF
mk 679-ha-cf-nul-line-start <<'EOF'
--- ha.cf
@BASE@
<NUL>frobnicate yes
EOF
tv 680 warntime-rounds-to-zero warntime 0.0004
tv 681 warntime-400us warntime 400us
tv 682 debug-256 debug 256
tv 683 debug-255 debug 255
tv 684 rtprio-1 rtprio 1
tv 685 udpport-hex udpport 0x10
tv 686 udpport-exponent udpport 1e3
tv 687 baud-300 baud 300
tv 688 baud-460800 baud 460800
tv 689 baud-230400 baud 230400
tv 690 deadtime-rounds-to-zero deadtime 0.0004
tv 691 initdead-rounds-below-deadtime initdead 29.9996
tv 692 hopfudge-plus hopfudge +3
tv 693 debug-plus debug +3
tv 694 udpport-plus udpport +694

########################################################################
# 695-719 vertical tab and form feed in other places
cc() { # cc NNN slug "line" [FILE]: the line added to ha.cf (default) or as FILE
  local file=${4:-ha.cf}
  if [[ $file == ha.cf ]]; then
    mk "$1-$2" <<EOF
--- ha.cf
@BASE@
$3
EOF
  elif [[ $file == authkeys ]]; then
    mk "$1-$2" <<EOF
--- ha.cf
@BASE@
--- authkeys
auth 1
$3
EOF
  else
    mk "$1-$2" <<EOF
--- ha.cf
@BASE@
--- haresources
$3
EOF
  fi
}
mk 695-node-list-vertical-tab <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node alpha<VT>beta
EOF
mk 696-node-list-form-feed <<'EOF'
--- ha.cf
@LOG@
@AF@
@MEDIA@
node beta<FF>alpha
EOF
cc 697 authkeys-index-vertical-tab '1<VT>sha1 secret' authkeys
cc 698 authkeys-key-form-feed '1 sha1<FF>secret' authkeys
cc 699 haresources-vertical-tab-after-node 'alpha<VT>198.51.100.10' haresources
cc 700 haresources-form-feed-then-unknown 'alpha<FF>gamma 198.51.100.10' haresources
cc 701 auto-failback-vertical-tab-value 'auto_failback <VT>on'
cc 702 keepalive-trailing-vertical-tab 'keepalive 2<VT>'
cc 703 directive-leading-vertical-tab '<VT>keepalive 2'
cc 704 directive-leading-form-feed '<FF>keepalive 2'
cc 705 keepalive-trailing-form-feed 'keepalive 2<FF>'
cc 706 ping-vertical-tab-between-hosts 'ping 198.51.100.253<VT>198.51.100.254'
cc 707 stonith-host-form-feed-separators 'stonith_host<FF>*<FF>null<FF>alpha'
cc 708 apiauth-form-feed-separator 'apiauth myclient<FF>uid=root'
cc 709 respawn-form-feed-separator 'respawn hacluster<FF>/usr/libexec/heartbeat/ipfail'
cc 710 authkeys-trailing-vertical-tab '1 sha1 secret<VT>' authkeys
cc 711 haresources-leading-form-feed '<FF>gamma 198.51.100.10' haresources
cc 712 node-trailing-form-feed-host 'node alpha<FF>'
cc 713 logfacility-trailing-vertical-tab 'logfacility daemon<VT>'

########################################################################
# 720-739 commas in odd places
cc 720 node-leading-comma 'node ,gamma'
cc 721 node-double-comma 'node gamma,,delta'
cc 722 keepalive-leading-comma 'keepalive ,2'
cc 723 deadtime-trailing-comma 'deadtime 10,'
cc 724 auto-failback-trailing-comma 'auto_failback on,'
cc 725 logfacility-two-comma-values 'logfacility daemon,local9'
cc 726 logfacility-comma-values-last-valid 'logfacility local9,daemon'
cc 727 ping-comma-hosts 'ping 198.51.100.253,198.51.100.254'
cc 728 respawn-comma-after-user 'respawn hacluster,/usr/libexec/heartbeat/ipfail'
cc 729 stonith-host-comma-list 'stonith_host *,alpha null alpha'
cc 730 apiauth-comma-after-client 'apiauth myclient,uid=root'
cc 731 node-spaced-comma 'node gamma , delta'
cc 732 directive-only-comma ','
cc 733 directive-comma-glued 'keepalive,2'
cc 734 msgfmt-comma-trailing 'msgfmt netstring,'
cc 735 mcast-trailing-comma-loop 'mcast eth0 239.0.0.43 694 1 0,'

########################################################################
# 740-749 other bytes next to values: SOH, DEL, no-break space
cc 740 keepalive-soh-after-value $'keepalive 2\x01'
cc 741 keepalive-del-after-value $'keepalive 2\x7f'
cc 742 node-list-nbsp $'node gamma\xc2\xa0alpha'
cc 743 keepalive-nbsp-after-value $'keepalive 2\xc2\xa0'
cc 744 auto-failback-latin1-value $'auto_failback o\xf1'
cc 745 haresources-nbsp-after-node $'alpha\xc2\xa0198.51.100.10' haresources
cc 746 authkeys-nbsp-in-key $'1 sha1 se\xc2\xa0cret' authkeys

echo "cases written under $out"
