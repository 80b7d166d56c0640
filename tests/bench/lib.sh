# lib.sh - shared helpers of the benchmark scripts (sourced, not run).
# Runs hbgo's heartbeat as lab hosts in the namespaces of the shared lab
# scripts (netns-lab.sh), next to or instead of the real Heartbeat 3.0.6.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB=${HBGO_SHARED:-$ROOT/../shared}/lab
BIN=${HBGO_BIN:-$ROOT/bin}
export LAB_NET=${LAB_NET:-198.51.100}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

need() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces)"
    [[ -x $LAB/netns-lab.sh ]] || die "lab scripts not found in $LAB (set HBGO_SHARED)"
    [[ -x $BIN/heartbeat ]] || die "$BIN/heartbeat missing: run make build"
    [[ -x /usr/libexec/heartbeat/heartbeat ]] || die "the real heartbeat 3.0.6 is not installed"
}

# ours_init DIR NODE HA_CF_TEMPLATE: per-node config for our daemon: the
# template ha.cf (as real-heartbeat.sh init wrote it) with log paths of
# its own, the same authkeys and haresources, and an hbtest script that
# logs like the lab's (epoch seconds.nanoseconds, node, event).
ours_init() {
    local d=$1 n=$2 tpl=$3
    rm -rf "$d"; mkdir -p "$d"/{etc/resource.d,state,run,log}
    sed -e "s#^logfile .*#logfile $d/log/ha-log#" -e "s#^debugfile .*#debugfile $d/log/ha-debug#" \
        "$tpl/ha.cf" > "$d/etc/ha.cf"
    cp "$tpl/authkeys" "$tpl/haresources" "$d/etc/"; chmod 600 "$d/etc/authkeys"
    cat > "$d/etc/resource.d/hbtest" <<RS
#!/bin/sh
LOG=$d/log/hbtest.log
STATE=$d/run/hbtest.state
now() { date +%s.%N; }
case "\$1" in
  start)  echo "\$(now) $n start-begin" >> \$LOG; : > \$STATE; echo "\$(now) $n start-done" >> \$LOG ;;
  stop)   echo "\$(now) $n stop-begin" >> \$LOG; rm -f \$STATE; echo "\$(now) $n stop-done" >> \$LOG ;;
  status) if [ -f \$STATE ]; then echo running; else echo stopped; fi ;;
  *) exit 1 ;;
esac
exit 0
RS
    chmod 755 "$d/etc/resource.d/hbtest"
}

# ours_start DIR NODE: start our daemon in the node's namespace; prints its
# pid (ip netns exec executes the daemon in place, so $! is the daemon).
ours_start() {
    local d=$1 n=$2
    rm -f "$d/run/hbtest.state"   # a restart is a reboot
    ip netns exec "${LAB_PREFIX}$n" "$BIN/heartbeat" --foreground --config-dir "$d/etc" \
        --state-dir "$d/state" --run-dir "$d/run" --node-name "$n" >>"$d/log/stdout" 2>&1 &
    echo $!
}

# lines FILE PATTERN: how many lines match (0 when the file is missing).
lines() { local c=0; [[ -f $1 ]] && c=$(grep -c "$2" "$1" || true); echo "${c:-0}"; }

# wait_more FILE PATTERN OLDCOUNT TIMEOUT_S: until more lines match.
wait_more() {
    local i lim=$(( $4 * 100 ))
    for ((i = 0; i < lim; i++)); do
        (( $(lines "$1" "$2") > $3 )) && return 0
        sleep 0.01
    done
    return 1
}

# stats: min median max of the numbers on stdin (one per line).
stats() { sort -n | awk '{v[NR]=$1} END{if(NR==0){print "- - -"; exit} m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.3f %.3f %.3f\n", v[1], m, v[NR]}'; }
