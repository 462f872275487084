#!/usr/bin/env bash
# Installs Redis and PostgreSQL from Debian when they are missing (for the queue-mode tests in
# test/queue), then prints where their programs are, one `KEY=value` line each:
#   REDIS_SERVER=/usr/bin/redis-server
#   PG_BIN=/usr/lib/postgresql/15/bin
# Idempotent: a no-op (well under a second) once both are installed. Runs one at a time (flock):
# CI starts it early in the background, and the queue suite's global setup waits for that run.
#
# The Debian packages would start a system Redis on 6379 and a PostgreSQL cluster on 5432 if
# invoke-rc.d let them; the tests start their own on free ports, so while installing, a
# policy-rc.d that forbids starting services is put in place (unless one exists already, as in
# Docker images) and removed afterwards.
set -euo pipefail
exec 9>"${TMPDIR:-/tmp}/ensure-queue-services.lock"
flock 9

find_redis() {
	command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; } || true
}
find_pg_bin() {
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
			echo "$dir"
			return
		fi
	done
}

missing=()
[ -n "$(find_redis)" ] || missing+=(redis-server)
[ -n "$(find_pg_bin)" ] || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
			echo "ensure-queue-services: missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2
			exit 1
		fi
		sudo=(sudo -n)
	fi
	policy=/usr/sbin/policy-rc.d
	created_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		created_policy=1
	fi
	cleanup() { if [ -n "$created_policy" ]; then "${sudo[@]}" rm -f "$policy"; fi; }
	trap cleanup EXIT
	started=$(date +%s)
	echo "ensure-queue-services: installing ${missing[*]} (apt-get)" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
		# a fresh machine may have no package lists yet
		"${sudo[@]}" apt-get update >&2
		"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
	fi
	echo "ensure-queue-services: installed in $(($(date +%s) - started)) s" >&2
fi

redis=$(find_redis)
pg_bin=$(find_pg_bin)
if [ -z "$redis" ] || [ -z "$pg_bin" ]; then
	echo "ensure-queue-services: redis-server (${redis:-missing}) or PostgreSQL's initdb/postgres (${pg_bin:-missing}) not found after installing" >&2
	exit 1
fi
echo "REDIS_SERVER=$redis"
echo "PG_BIN=$pg_bin"
