#!/usr/bin/env python3
"""Summarise differential-test disagreements by feature and by kind.

usage: classify.py ORACLE_DIR CIB_DIR REPORT...

ORACLE_DIR is testdata/oracle, CIB_DIR holds the generated CIBs as SEED.xml
(go test ./tests/pengine/gen -run TestDump -args -gen.dump DIR -gen.dumpn N),
REPORT files come from TestDifferential's -pediff.report. Prints markdown.
"""
import os
import re
import sys
from collections import defaultdict

FEATURES = {
    "group": "<group ",
    "anonymous clone": "<clone ",
    "unique clone": 'name="globally-unique" value="true"',
    "promotable": 'name="promotable" value="true"',
    "clone-max": 'name="clone-max"',
    "clone-node-max": 'name="clone-node-max"',
    "interleave": 'name="interleave"',
    "location rule": "<rule ",
    "location role": '<rsc_location [^>]*role=',
    "colocation with role": "<rsc_colocation [^>]*role=",
    "order Serialize": 'kind="Serialize"',
    "order Optional": 'kind="Optional"',
    "order asymmetrical": 'symmetrical="false"',
    "order promote": 'first-action="promote"',
    "stickiness default": 'rsc-options-resource-stickiness',
    "migration-threshold": "migration-threshold",
    "symmetric-cluster=false": 'name="symmetric-cluster" value="false"',
    "no quorum": 'have-quorum="0"',
    "no-quorum-policy=freeze": 'name="no-quorum-policy" value="freeze"',
    "no-quorum-policy=demote": 'name="no-quorum-policy" value="demote"',
    "stonith-enabled=true": 'name="stonith-enabled" value="true"',
    "unclean node": 'crmd="offline" join="member"',
    "offline node": 'join="down"',
    "standby": 'name="standby" value="on"',
    "node maintenance": '-maintenance" name="maintenance" value="true"',
    "maintenance-mode": 'name="maintenance-mode" value="true"',
    "is-managed=false": 'name="is-managed" value="false"',
    "resource maintenance": '-meta-maintenance"',
    "target-role": 'name="target-role"',
    "promoted instance": 'operation="promote"',
    "failed start": 'operation_key="[^"]*_start_0" operation="start"[^>]* rc-code="1"',
    "failed stop": 'operation="stop"[^>]* rc-code="1"',
    "failed monitor": '_monitor_10000"[^>]* rc-code="1"',
    "failed probe": '_monitor_0" operation="monitor"[^>]* rc-code="1"',
    "on-fail": "on-fail=",
    "start-failure-is-fatal=false": "start-failure-is-fatal",
    "orphan": 'lrm_resource id="oldrsc"',
    "lsb": 'class="lsb"',
}


def read_reports(paths):
    diffs = {}
    for p in paths:
        seed = None
        for line in open(p):
            m = re.match(r"seed (\d+) \((\d+) nodes x (\d+) resources\):(.*)", line)
            if m:
                seed = int(m.group(1))
                diffs[seed] = {"size": (int(m.group(2)), int(m.group(3))), "lines": [], "err": m.group(4).strip()}
                continue
            if seed is not None and line.strip():
                diffs[seed]["lines"].append(line.rstrip("\n").strip())
    return diffs


def kinds(lines):
    exp = [l.split(None, 1)[1] for l in lines if l.startswith("expected:")]
    got = [l.split(None, 1)[1] for l in lines if l.startswith("got:")]
    out = set()
    allx = exp + got
    if any(l.startswith("fence ") for l in allx):
        out.add("fencing decision")
    if any(l.startswith("node ") for l in allx):
        out.add("node state (unclean/standby/maintenance flags)")
    if any(l.split()[0] in ("promote", "demote") for l in allx) or any(
            l.startswith("rsc ") and l.split()[3] in ("Promoted", "Unpromoted") for l in allx):
        out.add("promotable roles (promote/demote)")
    ers = {tuple(l.split()[1:4]) for l in exp if l.startswith("rsc ")}
    grs = {tuple(l.split()[1:4]) for l in got if l.startswith("rsc ")}
    efl = {tuple(l.split()[1:3]): l for l in exp if l.startswith("rsc ")}
    gfl = {tuple(l.split()[1:3]): l for l in got if l.startswith("rsc ")}
    if any(k in gfl and gfl[k] != efl[k] and tuple(efl[k].split()[1:4]) == tuple(gfl[k].split()[1:4]) for k in efl):
        out.add("instance flags (failed/blocked/unmanaged)")
    eid = {k[0] for k in ers}
    gid = {k[0] for k in grs}
    if any(":" in i for i in eid ^ gid) and {i.split(":")[0] for i in eid} == {i.split(":")[0] for i in gid}:
        out.add("unique clone instance numbering")
    if eid & gid and any(i in gid for i in eid):
        moved = [i for i in eid & gid if {k[1] for k in ers if k[0] == i} != {k[1] for k in grs if k[0] == i}]
        if moved:
            out.add("placement (same resource, other node)")
    if eid - gid:
        out.add("resource we leave stopped that Pacemaker runs")
    if gid - eid:
        out.add("resource we run that Pacemaker leaves stopped")
    if not ers ^ grs and any(l.split()[0] in ("start", "stop") for l in allx):
        out.add("same final state, different start/stop actions (restart/recovery)")
    if not out:
        out.add("other")
    return out


def main():
    oracle_dir, cib_dir, reports = sys.argv[1], sys.argv[2], sys.argv[3:]
    diffs = read_reports(reports)
    compared, rejected = [], 0
    for name in os.listdir(oracle_dir):
        seed = int(name.split(".")[0])
        body = open(os.path.join(oracle_dir, name)).read()
        if "\n# rejected: " in body:
            rejected += 1
        else:
            compared.append(seed)
    compared.sort()
    agree = [s for s in compared if s not in diffs]
    print(f"Seeds with an oracle result: {len(compared)} ({rejected} more rejected by crm_verify/crm_simulate).")
    print(f"Agreement: {len(agree)}/{len(compared)} = {100.0 * len(agree) / max(1, len(compared)):.1f}%\n")
    feats = {}
    for s in compared:
        text = open(os.path.join(cib_dir, f"{s}.xml")).read()
        feats[s] = {f for f, pat in FEATURES.items() if re.search(pat, text)}
    print("## Agreement by feature present in the CIB\n")
    print("| feature | seeds | agree | rate |")
    print("|---|---:|---:|---:|")
    rows = []
    for f in FEATURES:
        with_f = [s for s in compared if f in feats[s]]
        if not with_f:
            continue
        a = sum(1 for s in with_f if s not in diffs)
        rows.append((a / len(with_f), f, len(with_f), a))
    for rate, f, n, a in sorted(rows):
        print(f"| {f} | {n} | {a} | {100 * rate:.0f}% |")
    by_kind = defaultdict(list)
    for s, d in diffs.items():
        if s not in compared:
            continue
        ks = {"engine error: " + d["err"]} if d["err"] else kinds(d["lines"])
        for k in ks:
            by_kind[k].append(s)
    print("\n## Disagreements by kind (a seed can show several)\n")
    for k, seeds in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        small = min(seeds, key=lambda s: (diffs[s]["size"][0] * diffs[s]["size"][1], len(diffs[s]["lines"])))
        n, r = diffs[small]["size"]
        print(f"### {k}: {len(seeds)} seeds\n")
        print(f"Seeds: {' '.join(map(str, sorted(seeds)[:25]))}{' ...' if len(seeds) > 25 else ''}\n")
        print(f"Smallest example: seed {small} ({n} nodes x {r} resources), features: "
              f"{', '.join(sorted(feats[small]))}\n")
        print("```")
        for l in diffs[small]["lines"][:12]:
            print(l)
        if len(diffs[small]["lines"]) > 12:
            print(f"... {len(diffs[small]['lines']) - 12} more lines")
        print("```\n")


if __name__ == "__main__":
    main()
