#!/bin/sh
# The leader dies on SIGTERM; its child ignores SIGTERM.
sh -c 'trap "" TERM; echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; while :; do sleep 1; done' child "$1.child" &
while :; do sleep 1; done
