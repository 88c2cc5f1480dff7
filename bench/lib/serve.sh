# Shared by the benchmarks that time a real server over HTTP (sourced, not
# run): start `jobtrack serve` on a free loopback port, and make a user with
# a bearer token.

# bench_workdir: a temporary folder, work, removed at exit with the server
# (bench_cleanup; a caller with more to do in its own EXIT trap calls it);
# data is JT_BENCH_DATA_DIR when set (a filled store kept between runs),
# else a folder inside work.
bench_workdir() {
	work=$(mktemp -d)
	data=${JT_BENCH_DATA_DIR:-$work/data}
	mkdir -p "$data"
	pid=
	trap bench_cleanup EXIT
}
bench_cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}

# bench_serve BINARY DATA_DIR LOG: starts the server in the background; sets
# pid (to kill in the caller's cleanup) and base (its http://127.0.0.1:PORT).
bench_serve() {
	"$1" serve --listen 127.0.0.1:0 --data-dir "$2" >"$3" 2>&1 &
	pid=$!
	local port
	for _ in $(seq 600); do grep -q '(port ' "$3" && break; sleep 0.1; done
	port=$(grep -o '(port [0-9]*' "$3" | head -1 | cut -d' ' -f2)
	[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$3" >&2; exit 1; }
	base="http://127.0.0.1:$port"
}

# bench_token EMAIL: signs EMAIL up on $base and prints a bearer token.
bench_token() {
	local creds="{\"email\":\"$1\",\"password\":\"correct horse battery\"}"
	curl -fsS -H 'content-type: application/json' -d "$creds" "$base/api/v1/auth/signup" >/dev/null
	curl -fsS -H 'content-type: application/json' -d "$creds" "$base/api/v1/auth/token" |
		sed 's/.*"token":"\([^"]*\)".*/\1/'
}

# bench_user: signs up a new user at $base; sets email and auth (curl's
# authorization header arguments).
bench_user() {
	email="bench-$$-$(date +%s)@example.com"
	auth=(-H "authorization: Bearer $(bench_token "$email")")
}
