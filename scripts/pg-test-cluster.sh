#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into DIR, unix socket
# only (no TCP port), trust authentication, run as the `postgres` user (the
# tests run as root, which PostgreSQL refuses to run as).
#   pg-test-cluster.sh start DIR   starts it and prints its URL
#   pg-test-cluster.sh stop DIR    stops it and removes DIR
# The URL names the maintenance database; tests create databases of their own.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -x "$bindir/initdb" ] || { echo "pg-test-cluster: PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }

as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	chmod 0755 "$dir"
	as_postgres test -x "$dir" || { echo "pg-test-cluster: the postgres user cannot reach $dir (make its parent folders searchable, e.g. chmod 755)" >&2; exit 1; }
	as_postgres "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# Tests: small and fast, nothing here needs to survive a crash. Benchmarks
	# (PG_TEST_DURABLE=1) keep fsync and full-page writes, as a real server would.
	durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_TEST_DURABLE:-0}" = 1 ] && durability="-c synchronous_commit=off"
	as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' $durability -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgres://postgres@/postgres?host=$dir"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_postgres "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
