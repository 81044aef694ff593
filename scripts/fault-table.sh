#!/bin/sh
# Run articlegen against the stand-in LLM server under each fault the
# supervision handles and print one row per fault: articles written and
# failed, API calls that reached the server, seconds, exit code.
#
#   scripts/fault-table.sh [ARTICLES]     (default 4, with --jobs 2)
set -eu
# two API calls an article: the diagram step stays off
export DIAGRAMS_MAX=0
export COVER_SOURCES=${COVER_SOURCES:-off}
cd "$(dirname "$0")/.."
n=${1:-4}
make -s all
work=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-faults.XXXXXX")
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

start_standin() {	# start_standin ARGS...
	rm -f "$work/port"
	build/llm-standin --port 0 --port-file "$work/port" --quiet "$@" \
	    >/dev/null &
	spid=$!
	i=0
	while [ ! -s "$work/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat "$work/port")
}
stop_standin() {
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	spid=""
}
calls() {
	curl -s "http://127.0.0.1:$port/stats" |
	    sed -n 's/.*"chat_requests":\([0-9]*\).*/\1/p'
}
now_ms() { date +%s%3N; }

# row NAME STANDIN_ARGS [-- ENV...] ; ACTION runs articlegen
row() {
	name=$1
	written=$(find "$work/c" -name '*.md' 2>/dev/null | wc -l)
	failed=$(grep -c '^  FAIL' "$work/out" 2>/dev/null || true)
	temps=$(find "$work/c" -name '.articlegen-*' 2>/dev/null | wc -l)
	printf '%-26s %7s %6s %9s %8s %4s %s\n' "$name" "$written" "$failed" \
	    "$(calls)" "$secs" "$rc" "$([ "$temps" -eq 0 ] || echo "TEMP FILES LEFT: $temps")"
}

run() {	# run [ENV=VALUE...] -- [ARGS...]
	rm -rf "$work/c"
	t0=$(now_ms)
	rc=0
	env OPENAI_BASE_URL="http://127.0.0.1:$port/v1" "$@" \
	    build/articlegen -q --jobs 2 -n "$n" -o "$work/c" \
	    --data-dir "$work/d" examples/enriched_20261120_060440.json \
	    >"$work/out" 2>"$work/err" || rc=$?
	secs=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
}

printf '%-26s %7s %6s %9s %8s %4s\n' fault written failed api_calls seconds exit
for f in "none" "rate:1" "status:500" "8*status:500" "hang" "malformed" \
    "truncated" "50*status:401" "50*quota" "slow:6000"; do
	case $f in
	none) start_standin ;;
	*) start_standin --faults "$f" ;;
	esac
	case $f in
	hang) run OPENAI_API_TIMEOUT=2 ;;
	8\*status:500) run RETRY_MAX_ATTEMPTS=1 ;;
	slow:6000) run ARTICLE_TIMEOUT=2 ;;
	*) run ;;
	esac
	label=$f
	[ "$f" = hang ] && label="hang (api timeout 2 s)"
	[ "$f" = slow:6000 ] && label="slow:6000 (article 2 s)"
	[ "$f" = "8*status:500" ] && label="8*status:500 (1 retry)"
	row "$label"
	stop_standin
done

# a worker killed with SIGKILL in the middle of an article
start_standin --latency-ms 1500
rm -rf "$work/c"
t0=$(now_ms)
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" build/articlegen -q --jobs 2 \
    -n "$n" -o "$work/c" --data-dir "$work/d" \
    examples/enriched_20261120_060440.json >"$work/out" 2>"$work/err" &
apid=$!
sleep 0.7
# the first child of articlegen (its workers), found without procps
for st in /proc/[0-9]*/stat; do
	set -- $(cat "$st" 2>/dev/null || echo 0 x x 0)
	if [ "$4" = "$apid" ]; then kill -9 "$1"; break; fi
done
rc=0
wait "$apid" || rc=$?
secs=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
row "worker SIGKILL"
stop_standin

# SIGTERM in the middle of a run, then a second run
start_standin --latency-ms 800
rm -rf "$work/c"
t0=$(now_ms)
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" build/articlegen -q --jobs 2 \
    -n "$n" -o "$work/c" --data-dir "$work/d" \
    examples/enriched_20261120_060440.json >"$work/out" 2>"$work/err" &
apid=$!
sleep 0.5
kill -TERM "$apid"
rc=0
wait "$apid" || rc=$?
secs=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
row "SIGTERM mid-run"
t0=$(now_ms)
rc=0
OPENAI_BASE_URL="http://127.0.0.1:$port/v1" build/articlegen -q --jobs 2 \
    -n "$n" -o "$work/c" --data-dir "$work/d" \
    examples/enriched_20261120_060440.json >"$work/out" 2>"$work/err" || rc=$?
secs=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
row "  then again (dir total)"
stop_standin
