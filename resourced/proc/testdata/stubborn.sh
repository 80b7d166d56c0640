#!/bin/sh
# Ignores SIGTERM and leaves a child that ignores it too; records pids.
trap '' TERM
sh -c 'trap "" TERM; echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; while :; do sleep 1; done' child "$1.child" &
echo $$ > "$1"
while [ ! -f "$1.child" ]; do sleep 0.01; done
echo started
while :; do sleep 1; done
