#!/usr/bin/env bash
# record.sh - ask the REAL Heartbeat 3.0.6 for its verdict on each case and
# store it beside the case: `verdict` (ACCEPTED | REJECTED rc=N) and
# `real.log` (the daemon's output without info/debug lines, with timestamp,
# host and pid removed and the harness's temp paths normalised; the three
# core-dump advice WARNs every run prints are dropped).
#
#   record.sh [CASE_DIR...]     default: every testdata/cases/*/
#   record.sh --corpus          the public corpus setups -> testdata/corpus-verdicts.txt
#
# Uses ../shared/lab/hb-real-check.sh (override with HB_REAL_CHECK) with
# --wait 2; needs root.  A case whose verdict comes back UNKNOWN keeps its old
# files and makes the script exit 1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${HBGO_SHARED:-$(cd "$here/../../.." && pwd)/shared}
check=${HB_REAL_CHECK:-$shared/lab/hb-real-check.sh}
[[ -x $check ]] || { echo "record.sh: $check not found (set HBGO_SHARED)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "record.sh: must run as root" >&2; exit 2; }

# trim_log < daemon output > real.log lines
trim_log() {
  sed -E -e 's/^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ ]+ heartbeat: \[[0-9]+\]: //' \
    -e 's/^heartbeat\[[0-9]+\]: [0-9]{4}\/[0-9]{2}\/[0-9]{2}_[0-9:]{8} //' \
    -e 's#/tmp/hbcheck\.[A-Za-z0-9]+#/tmp/hbcheck.WORK#g' \
    -e 's/^(.*: line [0-9]+:) +[0-9]+ /\1 PID /' |
    grep -v -e '^VERDICT:' -e '^NOTE:' -e '^info:' -e '^debug:' -e '^cp: ' -e '^chmod: ' \
      -e 'Core dumps could be lost' -e 'core_pattern' -e 'core_uses_pid' |
    grep -v '^[[:space:]]*$' || true
}

# The daemon runs in an empty scratch directory: relative paths in a case
# (logfile ha-log, coreroot cores) must neither see nor litter this tree.
scratch=$(mktemp -d /tmp/hbcc-rec.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# run_check HA_CF AUTHKEYS HARESOURCES|"" HOST MODE -> sets $out and $verdict
run_check() {
  local args=("$1" "$2")
  [[ -n $3 ]] && args+=("$3")
  out=$(cd "$scratch" && "$check" "${args[@]}" --host "$4" --mode "$5" --wait 2 2>&1)
  verdict=$(printf '%s\n' "$out" | sed -n -E 's/^VERDICT: (ACCEPTED|REJECTED rc=[0-9]+|UNKNOWN).*/\1/p' | tail -n1)
}

status=0
if [[ ${1:-} == --corpus ]]; then
  pub=$shared/corpus/public
  dest=$here/testdata/corpus-verdicts.txt
  tmp=$(mktemp)
  printf '# ha.cf\tauthkeys\tharesources\thost\tverdict (recorded by record.sh --corpus from the real heartbeat 3.0.6)\n' > "$tmp"
  for cf in "$pub"/*.ha.cf; do
    base=$(basename "$cf" .ha.cf)
    slug=${base#*-}
    ak=$(ls "$pub"/[0-9][0-9][0-9]-"$slug".authkeys 2>/dev/null | head -n1)
    hr=$(ls "$pub"/[0-9][0-9][0-9]-"$slug".haresources 2>/dev/null | head -n1)
    host=$(tr -d '\r' < "$cf" | sed 's/#.*//' | awk '$1=="node"{ gsub(",", " "); print $2; exit }')
    host=${host:-hbcheck}
    akarg=$ak
    if [[ -z $ak ]]; then akarg=$(mktemp); printf 'auth 1\n1 sha1 x\n' > "$akarg"; fi
    run_check "$cf" "$akarg" "$hr" "$host" 0600
    [[ -z $ak ]] && rm -f "$akarg"
    if [[ $verdict != ACCEPTED && $verdict != REJECTED* ]]; then
      echo "UNKNOWN verdict for $base" >&2; printf '%s\n' "$out" >&2; status=1; continue
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$cf")" "$(basename "${ak:--}")" \
      "$(basename "${hr:--}")" "$host" "$verdict" >> "$tmp"
    echo "$base: $verdict"
  done
  mv "$tmp" "$dest"
  exit $status
fi

dirs=("$@")
[[ ${#dirs[@]} -gt 0 ]] || dirs=("$here"/testdata/cases/*/)
for d in "${dirs[@]}"; do
  d=$(cd "$d" && pwd) || { status=1; continue; }
  name=$(basename "$d")
  host=$(cat "$d/host")
  mode=0600; [[ -f $d/mode ]] && mode=$(cat "$d/mode")
  hr=""; [[ -f $d/haresources ]] && hr=$d/haresources
  # A missing authkeys is passed as a path that does not exist: the harness's
  # copy then fails and the daemon really starts without the file.
  run_check "$d/ha.cf" "$d/authkeys" "$hr" "$host" "$mode"
  if [[ $verdict != ACCEPTED && $verdict != REJECTED* ]]; then
    echo "$name: UNKNOWN verdict, keeping old files" >&2; printf '%s\n' "$out" >&2; status=1; continue
  fi
  printf '%s\n' "$verdict" > "$d/verdict"
  printf '%s\n' "$out" | trim_log > "$d/real.log"
  printf '%-50s %s\n' "$name" "$verdict"
done
exit $status
