#!/bin/sh
# Measure parallel speedup on the real pipeline: the stand-in LLM server
# answers every call after a fixed latency, and the same M articles are
# generated with --jobs 1 (single-process mode) and --jobs N.
#
#   scripts/bench-speedup.sh [ARTICLES [JOBS [LATENCY_MS]]]   (8 8 300)
#
# Prints wall times, the speedup and PASS/FAIL against the target (5x for
# the defaults).  A benchmark, not a test: run it on a quiet machine.
set -eu
cd "$(dirname "$0")/.."
m=${1:-8}
jobs=${2:-8}
latency=${3:-300}
target=${TARGET_SPEEDUP:-5}

make -s all
work=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-bench.XXXXXX")
standin_pid=""
cleanup() {
	[ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

scripts/gen-enriched.sh "$m" >"$work/enriched.json"
build/llm-standin --port 0 --port-file "$work/port" --latency-ms "$latency" \
    --quiet >/dev/null &
standin_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
export OPENAI_BASE_URL="http://127.0.0.1:$(cat "$work/port")/v1"
unset OPENAI_API_KEY || true

now_ms() { date +%s%3N; }

run() {	# run JOBS DIR -> prints wall ms
	t0=$(now_ms)
	build/articlegen -q --jobs "$1" --max-articles "$m" --content-dir "$2" \
	    --data-dir "$work/data" "$work/enriched.json" >"$work/out.$1" 2>&1 || {
		echo "articlegen --jobs $1 failed:" >&2
		cat "$work/out.$1" >&2
		exit 1
	}
	t1=$(now_ms)
	n=$(find "$2" -name '*.md' | wc -l)
	[ "$n" -eq "$m" ] || { echo "--jobs $1 wrote $n of $m articles" >&2; exit 1; }
	echo $((t1 - t0))
}

t1=$(run 1 "$work/c1")
tn=$(run "$jobs" "$work/cn")
# each article makes two calls, so its ideal time is 2 x latency
ideal1=$((m * 2 * latency))
waves=$(( (m + jobs - 1) / jobs ))
idealn=$((waves * 2 * latency))

echo "articles=$m latency=${latency}ms per call, 2 calls per article"
printf '%-16s %5s %10s %10s %8s\n' mode jobs wall_ms ideal_ms speedup
printf '%-16s %5s %10s %10s %8s\n' single-process 1 "$t1" "$ideal1" 1.00
printf '%-16s %5s %10s %10s %8s\n' parallel "$jobs" "$tn" "$idealn" \
    "$(awk -v a="$t1" -v b="$tn" 'BEGIN { printf "%.2f", a / b }')"
if awk -v a="$t1" -v b="$tn" -v t="$target" 'BEGIN { exit !(a / b >= t) }'; then
	echo "PASS: speedup >= ${target}x"
else
	echo "FAIL: speedup < ${target}x"
	exit 1
fi
