#!/usr/bin/env bash
# demo.sh - a live two-node cluster on this machine, with a failover shown.
#
# Builds two nodes (n1, n2) and a client in network namespaces joined by a
# bridge (198.51.100.0/24, nothing reaches the host's own network), runs
# hbgo's heartbeat on each with a floating IP (IPaddr2 198.51.100.100) and a
# small web service, kills the active node, measures the takeover, brings
# the node back, shows the failback, then removes everything.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${BIN:-$root/bin}
VIP=198.51.100.100
NET=198.51.100
P="hbdemo$$"
W=$(mktemp -d /tmp/hbdemo.XXXXXX)

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root: it builds network namespaces (run: sudo make demo)" >&2
	exit 1
fi
for t in ip python3 curl; do
	command -v $t >/dev/null || { echo "demo needs '$t' (apt-get install iproute2 python3 curl)" >&2; exit 1; }
done
[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] || { echo "demo needs resource-agents (apt-get install resource-agents)" >&2; exit 1; }
[ -x "$BIN/heartbeat" ] || { echo "build first: make build" >&2; exit 1; }

pids=()
cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
	for n in n1 n2; do
		[ -f "$W/$n/run/demoweb.pid" ] && kill -9 "$(cat "$W/$n/run/demoweb.pid")" 2>/dev/null
	done
	for ns in $P-n1 $P-n2 $P-c $P-br; do ip netns del "$ns" 2>/dev/null; done
	[ -n "${DEMO_KEEP:-}" ] && echo "  kept $W" || rm -rf "$W"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

say "network: bridge namespace, nodes n1 ($NET.1), n2 ($NET.2), client ($NET.9)"
ip netns add $P-br
ip -n $P-br link add br0 type bridge
ip -n $P-br link set br0 up
i=0
for n in n1 n2 c; do
	i=$((i + 1)); addr=$i; [ $n = c ] && addr=9
	ip netns add $P-$n
	ip link add eth0 netns $P-$n type veth peer name p-$n netns $P-br
	ip -n $P-br link set p-$n master br0 up
	ip -n $P-$n link set lo up
	ip -n $P-$n addr add $NET.$addr/24 brd + dev eth0
	ip -n $P-$n link set eth0 up
done

for n in n1 n2; do
	d=$W/$n; mkdir -p $d/etc/resource.d $d/state $d/run $d/www
	cat > $d/etc/ha.cf <<CF
logfile $d/ha-log
logfacility none
keepalive 200ms
warntime 500ms
deadtime 1
initdead 2
bcast eth0
auto_failback on
node n1 n2
CF
	printf 'auth 1\n1 sha1 demo-secret\n' > $d/etc/authkeys; chmod 600 $d/etc/authkeys
	echo "n1 IPaddr2::$VIP/24/eth0 demoweb" > $d/etc/haresources
	echo "served by $n" > $d/www/index.html
	cat > $d/etc/resource.d/demoweb <<SCRIPT
#!/bin/sh
# demoweb: a tiny web service for the demo (resource.d style start|stop|status)
PIDF=$d/run/demoweb.pid
case "\$1" in
start) python3 -m http.server 8080 --bind $VIP --directory $d/www >/dev/null 2>&1 &
       echo \$! > \$PIDF; date +%s%N > $d/run/demoweb.started; sleep 0.2 ;;
stop)  [ -f \$PIDF ] && kill \$(cat \$PIDF) 2>/dev/null; rm -f \$PIDF ;;
status) if [ -f \$PIDF ] && kill -0 \$(cat \$PIDF) 2>/dev/null; then echo running; else echo stopped; fi ;;
esac
exit 0
SCRIPT
	chmod 755 $d/etc/resource.d/demoweb
done

start_node() {
	local n=$1 d=$W/$1
	ip netns exec $P-$n "$BIN/heartbeat" --foreground --config-dir $d/etc --state-dir $d/state \
		--run-dir $d/run --node-name $n >>$d/stdout.log 2>&1 &
	pids+=($!)
	eval "pid_$n=$!"
}
served_by() { ip netns exec $P-c curl -s --max-time 0.2 http://$VIP:8080/ 2>/dev/null || true; }
started_ms() { echo $(( $(cat $W/$1/run/demoweb.started) / 1000000 )); }
wait_served_by() {
	local want=$1 limit=$(( $2 * 1000 )) start; start=$(ms)
	while [ $(( $(ms) - start )) -lt $limit ]; do
		[ "$(served_by)" = "served by $want" ] && return 0
		sleep 0.05
	done
	return 1
}
status() {
	# let a resource transition finish before showing who holds what
	for _ in $(seq 30); do
		busy=0
		for n in n1 n2; do
			[ "$(ip netns exec $P-$n "$BIN/cl_status" --run-dir $W/$n/run rscstatus 2>/dev/null)" = transition ] && busy=1
		done
		[ $busy = 0 ] && break
		sleep 0.1
	done
	for n in n1 n2; do
		printf '  %s: ' $n
		if ip netns exec $P-$n "$BIN/cl_status" --run-dir $W/$n/run hbstatus >/dev/null 2>&1; then
			printf 'n1=%s n2=%s holds=%s\n' \
				"$(ip netns exec $P-$n "$BIN/cl_status" --run-dir $W/$n/run nodestatus n1 2>/dev/null)" \
				"$(ip netns exec $P-$n "$BIN/cl_status" --run-dir $W/$n/run nodestatus n2 2>/dev/null)" \
				"$(ip netns exec $P-$n "$BIN/cl_status" --run-dir $W/$n/run rscstatus 2>/dev/null)"
		else echo "down"; fi
	done
}

say "starting heartbeat on n1 and n2 (keepalive 200ms, deadtime 1s, auto_failback on)"
start_node n1; start_node n2
wait_served_by n1 30 || { echo "service never came up"; tail -30 $W/n1/ha-log; exit 1; }
status
echo "  client: $(served_by)"

say "crash of n1: kill -9 of its heartbeat and service, link cut"
t0=$(ms)
kill -9 $pid_n1; wait $pid_n1 2>/dev/null || true; [ -f $W/n1/run/demoweb.pid ] && kill -9 $(cat $W/n1/run/demoweb.pid) 2>/dev/null || true
ip -n $P-n1 link set eth0 down
wait_served_by n2 15 || { echo "no takeover"; tail -30 $W/n2/ha-log; exit 1; }
t1=$(ms)
echo "  takeover: service started on n2 $(( $(started_ms n2) - t0 )) ms after the crash (deadtime 1 s); client served after $(( t1 - t0 )) ms"
status

say "n1 comes back (as after a reboot: address gone, daemon started)"
ip -n $P-n1 addr del $VIP/24 dev eth0 2>/dev/null || true
rm -f $W/n1/run/demoweb.pid
ip -n $P-n1 link set eth0 up
t0=$(ms)
start_node n1
wait_served_by n1 30 || { echo "no failback"; tail -30 $W/n1/ha-log; exit 1; }
t1=$(ms)
echo "  failback: service started on n1 $(( $(started_ms n1) - t0 )) ms after its restart; client served after $(( t1 - t0 )) ms"
status

say "graceful stop of both nodes"
kill -TERM $pid_n1 $pid_n2 2>/dev/null || true
wait $pid_n1 $pid_n2 2>/dev/null || true
echo "  done; cleaning up"
