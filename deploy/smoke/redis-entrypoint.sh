#!/bin/sh
# The official redis image turns protected mode off by default (its clients are other containers); so does this one.
set -e
if [ "$1" = redis-server ]; then shift; exec redis-server --protected-mode no "$@"; fi
exec "$@"
