# Sourced by the benchmarks that time a real server over HTTP: start
# `jobtrack serve` on loopback and make a user with an API token.
# bench_serve BIN DATA_DIR LOG: starts it; sets pid and base (its URL).
bench_serve() {
	"$1" serve --listen 127.0.0.1:0 --data-dir "$2" >"$3" 2>&1 &
	pid=$!
	for _ in $(seq 300); do grep -q '(port ' "$3" && break; sleep 0.1; done
	base="http://127.0.0.1:$(grep -o '(port [0-9]*' "$3" | head -1 | cut -d' ' -f2)"
}
# bench_token EMAIL: signs EMAIL up on $base and prints a bearer token.
bench_token() {
	local creds="{\"email\":\"$1\",\"password\":\"correct horse battery\"}"
	curl -fsS -H 'content-type: application/json' -d "$creds" "$base/api/v1/auth/signup" >/dev/null
	curl -fsS -H 'content-type: application/json' -d "$creds" "$base/api/v1/auth/token" |
		sed 's/.*"token":"\([^"]*\)".*/\1/'
}
