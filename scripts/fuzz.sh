#!/bin/sh
# Run each libFuzzer harness built by "make fuzz" for a fixed time and
# print one summary line per harness: executions, coverage (libFuzzer's
# cov: edges and ft: features), corpus size and crashes.  Exits non-zero
# when any harness crashed, leaked, timed out or could not run.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS HARNESS...
#
# The seed corpus tests/fuzz/corpus/<harness>/ is only read; inputs found
# during the run go to BUILD_DIR/fuzz-corpus/<harness>/ (kept between runs,
# so coverage accumulates) and any crashing input to
# BUILD_DIR/fuzz-artifacts/<harness>/.  Extra libFuzzer flags may be given
# in FUZZ_FLAGS.
set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 BUILD_DIR SECONDS HARNESS..." >&2
	exit 64
fi
build=$1
secs=$2
shift 2

status=0
summary=""
for h in "$@"; do
	bin="$build/fuzz/$h"
	work="$build/fuzz-corpus/$h"
	art="$build/fuzz-artifacts/$h"
	log="$build/fuzz-logs/$h.log"
	seeds="tests/fuzz/corpus/$h"
	mkdir -p "$work" "$art" "$(dirname "$log")"
	: >"$log.start"
	echo "fuzz: $h for ${secs}s (log: $log)"
	# -close_fd_mask=2: the code under test logs warnings on stderr
	# for every bad input; libFuzzer keeps its own copy of stderr.
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	    -rss_limit_mb=4096 -max_len=65536 -close_fd_mask=2 \
	    -artifact_prefix="$art/" ${FUZZ_FLAGS:-} "$work" "$seeds" \
	    >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' \
	    -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$log.start" \
	    2>/dev/null | wc -l)
	if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
		crashes=1	# died without an artifact
	fi
	line=$(printf '%-18s executions: %s (%s/s)  cov: %s  ft: %s  corpus: %s  crashes: %s' \
	    "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
	    "${corp:-?}" "$crashes")
	summary="$summary$line
"
	if [ "$crashes" -ne 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|fuzz_[a-z]+:|Test unit written' \
		    "$log" | head -n 20
	fi
done
echo
echo "fuzz summary (${secs}s per harness):"
printf '%s' "$summary"
exit $status
