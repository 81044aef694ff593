#!/bin/sh
# A real run under valgrind memcheck: articlegen and every worker it
# starts (--trace-children), against the stand-in LLM server, in parallel
# and in single-process mode, with one article failing on a server error.
# Fails on any memcheck error or definite leak.  Part of make check-valgrind.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-vg.XXXXXX")
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$build"/llm-standin --port 0 --port-file "$work/port" --quiet \
    --faults "2*status:500" >/dev/null &
spid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
export OPENAI_BASE_URL="http://127.0.0.1:$(cat "$work/port")/v1"

vg="valgrind --quiet --trace-children=yes --leak-check=full \
    --errors-for-leak-kinds=definite --error-exitcode=99 \
    --log-file=$work/vg.%p.log"
status=0
for jobs in 3 1; do
	rc=0
	RETRY_MAX_ATTEMPTS=0 $vg "$build"/articlegen -q --jobs $jobs -n 3 \
	    -o "$work/c$jobs" --data-dir "$work/d" --report "$work/r$jobs.json" \
	    examples/enriched_20261120_060440.json >/dev/null 2>"$work/err" ||
	    rc=$?
	# exit 1: the articles that met the server errors failed, as planned
	case $rc in
	0|1) ;;
	*) echo "valgrind-run: --jobs $jobs exited $rc" >&2; status=1 ;;
	esac
done
for f in "$work"/vg.*.log; do
	if [ -s "$f" ]; then
		echo "valgrind-run: memcheck reports in $(basename "$f"):" >&2
		cat "$f" >&2
		status=1
	fi
done
n=$(ls "$work"/vg.*.log | wc -l)
[ $status -eq 0 ] && echo "valgrind-run: $n processes (articlegen and workers), no errors, no definite leaks"
exit $status
