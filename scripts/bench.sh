#!/usr/bin/env bash
# The benchmark behind "make bench".  It times the real pipeline
# (articlegen, its worker processes, libcurl, the file system) against the
# stand-in LLM server, which answers every call after a fixed latency, so
# the figures show what running articles in parallel gains and what the
# supervision costs when the API is the only thing worth waiting for.  It
# prints one table and a PASS or FAIL line for every performance target,
# and rewrites docs/benchmarks.md and docs/benchmark-speedup.png from the
# same figures.  It is a benchmark, not a test: run it on a quiet machine.
#
#   scripts/bench.sh [--no-docs] [--runs N]
#
#   --no-docs   print the table and the verdicts only; leave docs/ alone
#   --runs N    runs per row (default 5; the 1,000-article row does 3, the
#               rows of 4 jobs and 4 articles four times as many)
#
# Exit status: 0 every target met, 1 some target missed, 2 the benchmark
# itself could not run (missing tool, a run that failed or wrote the wrong
# number of articles or made the wrong number of API calls).
#
# The rows (every article makes exactly two calls, content then title):
#
#   single-process, parallel  --jobs 1, 2, 4, 8, 16, 32 with M = 4 x jobs
#                             articles at 300 ms per call, so every row is
#                             four waves and ideally takes 2.4 s; plus the
#                             target row of 4 jobs and 4 articles, and the
#                             same with every worker exec'd (--spawn exec)
#   GNU parallel, xargs -P    the 8-job row's articles, written by
#                             articlegen-worker -j driven by a generic
#                             process runner instead of articlegen
#   scale                     1,000 articles, 64 workers, 20 ms per call
#   selection                 --dry-run over 10,000 existing posts and
#                             5,000 candidate items
#   enrich                    articlegen enrich of 64 collected items with
#                             8 workers at 300 ms per call (one call per
#                             item: ideally 8 waves, 2.4 s)
#   collect                   articlegen collect of the four sources at
#                             once from the stand-in's source APIs
#
# The text between the "limits" markers of docs/benchmarks.md is written
# by hand and carried over from the previous version of the file.
set -eu -o pipefail
export LC_ALL=C
# two API calls an article: the diagram step stays off, and so do covers
# (drawing one is CPU work of its own, not the API-bound path measured)
export DIAGRAMS_MAX=0
export COVER_SOURCES=off
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build
AG=$BUILD/articlegen
WORKER=$BUILD/articlegen-worker
STANDIN=$BUILD/llm-standin

LATENCY_MS=300		# per call, main table
SCALE_LATENCY_MS=20	# per call, scale row
SCALE_ARTICLES=1000
SCALE_JOBS=64
POSTS=10000		# existing posts for the selection row
CANDIDATES=5000		# candidate items for the selection row
PUBLISHED=1000		# of those candidates, how many a post already names
RSS_LIMIT_KB=16384	# 16 MiB
SEL_RSS_LIMIT_KB=131072	# 128 MiB
ENRICH_ITEMS=64
ENRICH_JOBS=8
COLLECT_LIMIT_S=2	# the four sources of the stand-in, read at once

runs=5
docs=1
while [ $# -gt 0 ]; do
	case $1 in
	--no-docs) docs=0 ;;
	--runs)
		if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
			echo "bench: --runs needs a positive number" >&2
			exit 2
		fi
		runs=$2
		shift ;;
	-h|--help) sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "usage: scripts/bench.sh [--no-docs] [--runs N]" >&2; exit 2 ;;
	esac
	shift
done
scale_runs=$(( runs > 3 ? 3 : runs ))
target_runs=$(( runs * 4 ))

die() {
	echo "bench: $*" >&2
	exit 2
}

for tool in curl gnuplot find awk sort /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 ||
	    die "$tool is missing (scripts/deps.sh installs it)"
done
have_parallel=0
if command -v parallel >/dev/null 2>&1 &&
    parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	have_parallel=1
fi

make -s all || die "the build failed"
for f in "$AG" "$WORKER" "$STANDIN"; do
	[ -x "$f" ] || die "$f is missing after make all"
done

# Nothing from the caller's environment may change what is measured.
unset OPENAI_API_KEY MODEL_CONTENT CONTENT_MODEL MODEL_TITLE TITLE_MODEL \
    ARTICLES_PER_RUN QUALITY_THRESHOLD SOURCE_COOLDOWN_DAYS \
    OPENAI_API_TIMEOUT RETRY_MAX_ATTEMPTS ARTICLE_TIMEOUT ARTICLEGEN_JOBS \
    CONTENT_DIR DATA_DIR PRICING_FILE COST_LEDGER GITHUB_RUN_ID \
    GITHUB_ACTIONS GITHUB_STEP_SUMMARY JOURNAL_STREAM LLM_PROVIDER \
    MAX_COST_PER_RUN CREDENTIALS_DIRECTORY MODEL_ENRICHMENT \
    PRESCORE_THRESHOLD HN_API_URL MASTODON_INSTANCES GITHUB_API_URL \
    REDDIT_API_URL REDDIT_AUTH_URL REDDIT_CLIENT_ID REDDIT_CLIENT_SECRET \
    HN_ENABLED MASTODON_ENABLED GITHUB_ENABLED REDDIT_ENABLED || true

work=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-bench.XXXXXX")
standin_pids=()
port_main=""
port_scale=""
# shellcheck disable=SC2317	# called by the EXIT trap
cleanup() {
	local p
	for p in "${standin_pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_start=$EPOCHREALTIME
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench: warning: load average $load_before on $(nproc) cores; the figures will be noisy" >&2
fi

# start_standin LATENCY_MS VAR: start a stand-in, put its port in VAR.
start_standin() {
	local lat=$1 name=$2 pid i=0
	"$STANDIN" --port 0 --port-file "$work/$name.port" \
	    --latency-ms "$lat" --quiet >/dev/null 2>"$work/$name.err" &
	pid=$!
	standin_pids+=("$pid")
	while [ ! -s "$work/$name.port" ]; do
		kill -0 "$pid" 2>/dev/null ||
		    die "llm-standin did not start: $(cat "$work/$name.err")"
		[ $i -lt 200 ] || die "llm-standin wrote no port file in 10 s"
		sleep 0.05
		i=$((i + 1))
	done
	printf -v "$name" '%s' "$(cat "$work/$name.port")"
}

# chat_count PORT: chat requests the stand-in has answered so far.
chat_count() {
	local n
	n=$(curl -s --max-time 5 "http://127.0.0.1:$1/stats" |
	    sed -n 's/.*"chat_requests":\([0-9]*\).*/\1/p')
	[ -n "$n" ] || die "no /stats from the stand-in on port $1"
	echo "$n"
}

# leftovers: pids of processes still running this build's articlegen or
# articlegen-worker (matched by executable, so other checkouts' runs on
# the same machine do not count).
leftovers() {
	find /proc -mindepth 2 -maxdepth 2 -name exe \
	    \( -lname "$WORKER" -o -lname "$WORKER (deleted)" \
	    -o -lname "$AG" -o -lname "$AG (deleted)" \) 2>/dev/null |
	    awk -F/ '{ printf "%s%s", sep, $3; sep = " " } END { print "" }'
}

# rjson FILE KEY: the number after "KEY": in a report (one key per line).
rjson() {
	sed -n "s/^ *\"$2\": *\\([-0-9.eE+]*\\).*/\\1/p" "$1" | head -n 1
}

rjson_str() {
	sed -n "s/^ *\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

maxof() {
	printf '%s\n' "$@" | sort -g | tail -n 1
}

secs() {	# secs T0 T1: elapsed seconds between two $EPOCHREALTIME values
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'
}

# show_failure DIR: what a broken run left behind, for the error message.
show_failure() {
	echo "---- stderr" >&2
	tail -n 20 "$1/stderr" >&2 2>/dev/null || true
	echo "---- stdout" >&2
	tail -n 20 "$1/stdout" >&2 2>/dev/null || true
}

# One row per line of rows.tsv:
#   id mode jobs articles latency_ms wall ideal cpu ag_rss_kb worker_rss_kb
#   worker_cpu clean note
: >"$work/rows.tsv"
row_out() {
	local IFS=$'\t'
	echo "$*" >>"$work/rows.tsv"
}

# clean_check DIR REPORT: "" when the run left nothing behind, else why.
clean_check() {
	local why="" fds kids left
	if [ -n "$2" ]; then
		fds=$(rjson "$2" open_fds)
		kids=$(rjson "$2" children_left)
		[ "$fds" = "$ref_fds" ] ||
		    why="$why open_fds $fds (1-article run: $ref_fds);"
		[ "$kids" = 0 ] || why="$why children_left $kids;"
	fi
	left=$(leftovers)
	[ -z "$left" ] || why="$why processes left: $left;"
	echo "$why"
}

# ag_run DIR JOBS M PORT ENRICHED [SPAWN]: one timed articlegen run; sets
# wall.  SPAWN is the --spawn mode (default: articlegen's own default).
ag_run() {
	local d=$1 jobs=$2 m=$3 port=$4 enriched=$5 spawn=${6:-} before after
	local rc=0 n extra=()
	[ -z "$spawn" ] || extra=(--spawn "$spawn")
	mkdir -p "$d/data"
	before=$(chat_count "$port")
	t0=$EPOCHREALTIME
	"$AG" -q --jobs "$jobs" --max-articles "$m" --content-dir "$d/content" \
	    --data-dir "$d/data" --report "$d/report.json" "${extra[@]}" \
	    "$enriched" >"$d/stdout" 2>"$d/stderr" || rc=$?
	t1=$EPOCHREALTIME
	wall=$(secs "$t0" "$t1")
	after=$(chat_count "$port")
	if [ "$rc" -ne 0 ]; then
		show_failure "$d"
		die "articlegen --jobs $jobs -n $m exited $rc"
	fi
	n=$(find "$d/content" -name '*.md' | wc -l)
	[ "$n" -eq "$m" ] || die "articlegen --jobs $jobs wrote $n of $m articles"
	[ $((after - before)) -eq $((2 * m)) ] ||
	    die "articlegen --jobs $jobs -n $m made $((after - before)) API calls, not $((2 * m))"
	[ -s "$d/report.json" ] || die "articlegen --jobs $jobs wrote no report"
}

# ag_row ID JOBS M LATENCY PORT ENRICHED RUNS [SPAWN]: a row of articlegen
# runs.
ag_row() {
	local id=$1 jobs=$2 m=$3 lat=$4 port=$5 enriched=$6 n=$7 spawn=${8:-}
	local r d walls=() cpus=() rss=() wrss=() wcpu=() why="" w mode
	local want ideal
	printf 'bench: %-12s --jobs %-3s %4s articles, %s ms per call, %s runs ' \
	    "$id" "$jobs" "$m" "$lat" "$n" >&2
	for ((r = 1; r <= n; r++)); do
		d=$work/run/$id.$r
		ag_run "$d" "$jobs" "$m" "$port" "$enriched" "$spawn"
		mode=$(rjson_str "$d/report.json" mode)
		if [ "$jobs" -eq 1 ]; then want="single-process"
		else want="parallel, $jobs workers"; fi
		[ "$mode" = "$want" ] ||
		    die "articlegen --jobs $jobs -n $m ran as \"$mode\", not \"$want\""
		walls+=("$wall")
		cpus+=("$(rjson "$d/report.json" cpu_seconds)")
		rss+=("$(rjson "$d/report.json" max_rss_kb)")
		wrss+=("$(rjson "$d/report.json" worker_max_rss_kb)")
		wcpu+=("$(rjson "$d/report.json" workers_cpu_seconds)")
		w=$(clean_check "$d" "$d/report.json")
		[ -z "$w" ] || why="$why run $r:$w"
		rm -rf "$d/content"
		printf '.' >&2
	done
	ideal=$(awk -v m="$m" -v j="$jobs" -v l="$lat" \
	    'BEGIN { printf "%.4f", int((m + j - 1) / j) * 2 * l / 1000 }')
	w=$(median "${walls[@]}")
	printf ' %s s\n' "$w" >&2
	[ "$jobs" -eq 1 ] && mode=single-process || mode=parallel
	[ -z "$spawn" ] || mode="$mode, --spawn $spawn"
	row_out "$id" "$mode" "$jobs" "$m" "$lat" "$w" "$ideal" \
	    "$(median "${cpus[@]}")" "$(maxof "${rss[@]}")" \
	    "$(maxof "${wrss[@]}")" "$(median "${wcpu[@]}")" \
	    "$([ -z "$why" ] && echo yes || echo no)" "${why# }"
}

# runner_row ID RUNNER JOBS M PORT ENRICHED RUNS: the same articles, each
# written by articlegen-worker -j, started by GNU parallel or xargs -P.
# articlegen --emit-jobs writes the job files first, outside the timing.
runner_row() {
	local id=$1 runner=$2 jobs=$3 m=$4 port=$5 enriched=$6 n=$7
	local r d walls=() why="" w before after rc nart files ideal
	printf 'bench: %-12s %-9s -P %-3s %4s articles, %s runs ' \
	    "$id" "$runner" "$jobs" "$m" "$n" >&2
	for ((r = 1; r <= n; r++)); do
		d=$work/run/$id.$r
		mkdir -p "$d/data"
		"$AG" -q --emit-jobs "$d/jobs" --max-articles "$m" \
		    --content-dir "$d/content" --data-dir "$d/data" "$enriched" \
		    >"$d/stdout" 2>"$d/stderr" ||
		    { show_failure "$d"; die "articlegen --emit-jobs failed"; }
		files=("$d"/jobs/job-*.json)
		[ "${#files[@]}" -eq "$m" ] ||
		    die "articlegen --emit-jobs wrote ${#files[@]} jobs, not $m"
		mkdir -p "$d/content"
		before=$(chat_count "$port")
		rc=0
		t0=$EPOCHREALTIME
		case $runner in
		parallel)
			parallel --will-cite -u -j "$jobs" "$WORKER" -j {} \
			    ::: "${files[@]}" >/dev/null 2>"$d/stderr" || rc=$?
			;;
		xargs)
			printf '%s\n' "${files[@]}" |
			    xargs -P "$jobs" -n 1 "$WORKER" -j \
			    >/dev/null 2>"$d/stderr" || rc=$?
			;;
		esac
		t1=$EPOCHREALTIME
		after=$(chat_count "$port")
		[ "$rc" -eq 0 ] ||
		    { show_failure "$d"; die "$runner of articlegen-worker exited $rc"; }
		nart=$(find "$d/content" -name '*.md' | wc -l)
		[ "$nart" -eq "$m" ] || die "$runner row wrote $nart of $m articles"
		[ $((after - before)) -eq $((2 * m)) ] ||
		    die "$runner row made $((after - before)) API calls, not $((2 * m))"
		walls+=("$(secs "$t0" "$t1")")
		w=$(clean_check "$d" "")
		[ -z "$w" ] || why="$why run $r:$w"
		rm -rf "$d"
		printf '.' >&2
	done
	ideal=$(awk -v m="$m" -v j="$jobs" -v l="$LATENCY_MS" \
	    'BEGIN { printf "%.4f", int((m + j - 1) / j) * 2 * l / 1000 }')
	w=$(median "${walls[@]}")
	printf ' %s s\n' "$w" >&2
	row_out "$id" "$runner" "$jobs" "$m" "$LATENCY_MS" "$w" "$ideal" \
	    - - - - "$([ -z "$why" ] && echo yes || echo no)" "${why# }"
}

# make_posts DIR N: N small posts in the layout articlegen writes, each
# naming a source of its own; post k <= PUBLISHED also names the URL of
# candidate bench_k (as its only source for the first half of those, as
# the second for the rest), so exactly PUBLISHED candidates are taken.
# Dates fall in the previous year, well outside any cooldown.
make_posts() {
	mkdir -p "$1"
	awk -v dir="$1" -v n="$2" -v pub="$PUBLISHED" -v year="$(($(date -u +%Y) - 1))" '
	function src(author, url) {
		printf "- author: \"%s\"\n  platform: \"hackernews\"\n", author > f
		printf "  quality_score: 0.8\n  url: \"%s\"\n", url > f
	}
	BEGIN {
		for (k = 1; k <= n; k++) {
			mon = 1 + k % 12; day = 1 + k % 28
			topic = "topic " (k % 40)
			f = sprintf("%s/%d-%02d-%02d-archived-story-%05d.md", dir, year, mon, day, k)
			own = sprintf("https://news.example.com/item/%d", k)
			cand = sprintf("https://bench.example.org/post/%d", k)
			print "---" > f
			print "action_run_id: null" > f
			printf "date: %d-%02d-%02dT06:%02d:00Z\n", year, mon, day, k % 60 > f
			printf "description: \"Notes on archived story %d and what it changed for %s.\"\n", k, topic > f
			print "generation_costs:\n  content_generation:\n  - 0.0009135\n  title_generation:\n  - 3.304e-05" > f
			print "generator: \"General Article Generator\"\nillustrations_count: 0" > f
			print "models_used:\n  content: \"gpt-5-mini\"\n  title: \"gpt-5-nano\"" > f
			print "reading_time: \"1 min read\"\nsources:" > f
			if (k <= pub / 2)
				src("author" k, cand)
			else {
				src("writer" k, own)
				if (k <= pub)
					src("author" k, cand)
			}
			printf "summary: \"Notes on archived story %d.\"\n", k > f
			printf "tags:\n- \"archive\"\n- \"%s\"\n", topic > f
			printf "title: \"Archived Story %d: What Changed\"\nword_count: 96\n---\n\n", k > f
			printf "> **Attribution:** This article was based on content by **@writer%d** on **hackernews**.  \n> Original: %s\n\n", k, own > f
			printf "Archived story %d is kept here so the index has real posts to read. ", k > f
			print "It describes a change, the reasons given for it and what readers may want to check before they adopt it.\n" > f
			print "## What changed\n\nThe release moves work off the hot path and documents the new defaults. Teams that pinned the old behaviour can keep it for one more version.\n" > f
			printf "## References\n\n- [Original post](%s)\n", own > f
			close(f)
		}
	}'
}

# selection_row ID RUNS: --dry-run over POSTS posts and CANDIDATES items.
selection_row() {
	local id=$1 n=$2 r d walls=() rss=() why="" w rc calls0 calls1 new
	local posts=$work/posts items=$work/candidates.json
	printf 'bench: %-12s %s posts, %s candidates, --dry-run, %s runs ' \
	    "$id" "$POSTS" "$CANDIDATES" "$n" >&2
	calls0=$(chat_count "$port_main")
	for ((r = 1; r <= n; r++)); do
		d=$work/run/$id.$r
		mkdir -p "$d/data"
		rc=0
		t0=$EPOCHREALTIME
		/usr/bin/time -f '%M' -o "$d/time" "$AG" -q --dry-run \
		    --max-articles "$CANDIDATES" --content-dir "$posts" \
		    --data-dir "$d/data" "$items" >"$d/stdout" 2>"$d/stderr" ||
		    rc=$?
		t1=$EPOCHREALTIME
		[ "$rc" -eq 0 ] ||
		    { show_failure "$d"; die "articlegen --dry-run exited $rc"; }
		new=$(grep -c '^ *\[NEW\]' "$d/stdout" || true)
		[ "$new" -eq $((CANDIDATES - PUBLISHED)) ] ||
		    die "--dry-run planned $new new articles, not $((CANDIDATES - PUBLISHED))"
		walls+=("$(secs "$t0" "$t1")")
		rss+=("$(tail -n 1 "$d/time")")
		w=$(clean_check "$d" "")
		[ -z "$w" ] || why="$why run $r:$w"
		printf '.' >&2
	done
	calls1=$(chat_count "$port_main")
	[ "$calls0" -eq "$calls1" ] || die "--dry-run made API calls"
	[ "$(find "$posts" -type f | wc -l)" -eq "$POSTS" ] ||
	    die "--dry-run changed the content directory"
	w=$(median "${walls[@]}")
	printf ' %s s\n' "$w" >&2
	row_out "$id" selection - "$CANDIDATES" - "$w" - - \
	    "$(maxof "${rss[@]}")" - - \
	    "$([ -z "$why" ] && echo yes || echo no)" "${why# }"
}

# make_collected N: a collected file of N Hacker News text posts, each
# worth a call (long, engaged) and with no linked page to fetch (an HN
# item page), so the row times the calls and their supervision alone.
make_collected() {
	awk -v n="$1" 'BEGIN {
		printf "{\"collected_at\":\"2026-12-01T12:00:00Z\",\"total_items\":%d,\"items\":[", n
		body = "A measured account of moving CI builds to spot runners, with the numbers before and after, the autoscaler settings and the one failure mode that needed idempotent jobs."
		for (k = 1; k <= n; k++) {
			printf "%s{\"id\":\"hn_%d\",\"title\":\"Story %d about build pipelines and their costs\",", (k > 1 ? "," : ""), k, k
			printf "\"content\":\"Story %d. %s %s %s\",\"source\":\"hackernews\",", k, body, body, body
			printf "\"url\":\"https://news.ycombinator.com/item?id=%d\",\"author\":\"bench\",", 800000 + k
			printf "\"collected_at\":\"2026-12-01T11:00:00+00:00\",\"metadata\":{\"score\":%d,\"comments\":%d}}", 200 + k, 50 + k
		}
		printf "]}\n"
	}'
}

# enrich_row ID JOBS N RUNS: articlegen enrich of N items with JOBS workers.
enrich_row() {
	local id=$1 jobs=$2 m=$3 n=$4 r d walls=() why="" w before after rc
	local ideal
	printf 'bench: %-12s --jobs %-3s %4s items, %s ms per call, %s runs ' \
	    "$id" "$jobs" "$m" "$LATENCY_MS" "$n" >&2
	for ((r = 1; r <= n; r++)); do
		d=$work/run/$id.$r
		mkdir -p "$d/data" "$d/content"
		before=$(chat_count "$port_main")
		rc=0
		t0=$EPOCHREALTIME
		"$AG" -q --jobs "$jobs" --content-dir "$d/content" \
		    --data-dir "$d/data" enrich "$work/collected.json" \
		    >"$d/stdout" 2>"$d/stderr" || rc=$?
		t1=$EPOCHREALTIME
		after=$(chat_count "$port_main")
		[ "$rc" -eq 0 ] ||
		    { show_failure "$d"; die "articlegen enrich exited $rc"; }
		grep -q "^enriched $m of $m items" "$d/stdout" ||
		    { show_failure "$d"; die "articlegen enrich did not enrich $m items"; }
		[ $((after - before)) -le "$m" ] ||
		    die "articlegen enrich made $((after - before)) API calls for $m items"
		walls+=("$(secs "$t0" "$t1")")
		w=$(clean_check "$d" "")
		[ -z "$w" ] || why="$why run $r:$w"
		enrich_calls=$((after - before))
		rm -rf "$d"
		printf '.' >&2
	done
	ideal=$(awk -v m="$m" -v j="$jobs" -v l="$LATENCY_MS" \
	    'BEGIN { printf "%.4f", int((m + j - 1) / j) * l / 1000 }')
	w=$(median "${walls[@]}")
	printf ' %s s\n' "$w" >&2
	row_out "$id" enrich "$jobs" "$m" "$LATENCY_MS" "$w" "$ideal" - - - - \
	    "$([ -z "$why" ] && echo yes || echo no)" "${why# }"
}

# collect_row ID RUNS: articlegen collect of the four stand-in sources.
collect_row() {
	local id=$1 n=$2 r d walls=() why="" w rc host
	host="http://127.0.0.1:$port_main"
	printf 'bench: %-12s four sources at once, %s runs ' "$id" "$n" >&2
	for ((r = 1; r <= n; r++)); do
		d=$work/run/$id.$r
		mkdir -p "$d/data" "$d/content"
		rc=0
		t0=$EPOCHREALTIME
		HN_API_URL="$host/v0" MASTODON_INSTANCES="$host" \
		    GITHUB_API_URL="$host" REDDIT_API_URL="$host" \
		    REDDIT_AUTH_URL="$host/api/v1/access_token" \
		    REDDIT_CLIENT_ID=testid REDDIT_CLIENT_SECRET=testsecret \
		    "$AG" -q --content-dir "$d/content" --data-dir "$d/data" \
		    collect >"$d/stdout" 2>"$d/stderr" || rc=$?
		t1=$EPOCHREALTIME
		[ "$rc" -eq 0 ] ||
		    { show_failure "$d"; die "articlegen collect exited $rc"; }
		grep -q "from 4 of 4 sources" "$d/stdout" ||
		    { show_failure "$d"; die "articlegen collect did not read all four sources"; }
		walls+=("$(secs "$t0" "$t1")")
		w=$(clean_check "$d" "")
		[ -z "$w" ] || why="$why run $r:$w"
		rm -rf "$d"
		printf '.' >&2
	done
	w=$(median "${walls[@]}")
	printf ' %s s\n' "$w" >&2
	row_out "$id" collect 4 4 - "$w" - - - - - \
	    "$([ -z "$why" ] && echo yes || echo no)" "${why# }"
}

# ---------------------------------------------------------------- setup
echo "bench: preparing inputs in $work" >&2
make_collected "$ENRICH_ITEMS" >"$work/collected.json"
scripts/gen-enriched.sh 128 >"$work/enriched.json"
scripts/gen-enriched.sh "$SCALE_ARTICLES" >"$work/enriched-scale.json"
scripts/gen-enriched.sh "$CANDIDATES" >"$work/candidates.json"
make_posts "$work/posts" "$POSTS"
[ "$(find "$work/posts" -name '*.md' | wc -l)" -eq "$POSTS" ] ||
    die "could not write $POSTS posts"

start_standin "$LATENCY_MS" port_main
start_standin "$SCALE_LATENCY_MS" port_scale
export OPENAI_BASE_URL="http://127.0.0.1:$port_main/v1"

[ -z "$(leftovers)" ] ||
    die "articlegen processes of this build are already running: $(leftovers)"

# The reference for open_fds: a one-article run (in-process by design).
ag_run "$work/run/ref" 1 1 "$port_main" "$work/enriched.json"
ref_fds=$(rjson "$work/run/ref/report.json" open_fds)
[ -n "$ref_fds" ] || die "the report has no resources.open_fds"
rm -rf "$work/run/ref"

# ----------------------------------------------------------------- rows
ag_row single 1 4 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
ag_row p2 2 8 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
# one wave of 0.6 s: the shortest row and the noisiest, so four times the runs
ag_row p4x4 4 4 "$LATENCY_MS" "$port_main" "$work/enriched.json" \
    "$target_runs"
ag_row p4x4exec 4 4 "$LATENCY_MS" "$port_main" "$work/enriched.json" \
    "$target_runs" exec
ag_row p4 4 16 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
ag_row p8 8 32 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
ag_row p16 16 64 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
ag_row p32 32 128 "$LATENCY_MS" "$port_main" "$work/enriched.json" "$runs"
if [ "$have_parallel" -eq 1 ]; then
	runner_row gnu-parallel parallel 8 32 "$port_main" "$work/enriched.json" "$runs"
else
	echo "bench: GNU parallel is not installed; its baseline row is skipped" >&2
fi
runner_row xargs xargs 8 32 "$port_main" "$work/enriched.json" "$runs"
export OPENAI_BASE_URL="http://127.0.0.1:$port_scale/v1"
ag_row scale "$SCALE_JOBS" "$SCALE_ARTICLES" "$SCALE_LATENCY_MS" \
    "$port_scale" "$work/enriched-scale.json" "$scale_runs"
export OPENAI_BASE_URL="http://127.0.0.1:$port_main/v1"
selection_row selection "$runs"
enrich_calls=0
enrich_row enrich "$ENRICH_JOBS" "$ENRICH_ITEMS" "$runs"
collect_row collect "$runs"

for p in "${standin_pids[@]}"; do
	kill -0 "$p" 2>/dev/null || die "a stand-in server died during the run"
done
bench_secs=$(secs "$bench_start" "$EPOCHREALTIME")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- table
# Derived columns, one line per row, tab-separated:
#   label jobs articles latency wall ideal speedup efficiency cpu agrss
#   wrss overhead clean
awk -F'\t' -v OFS='\t' '
function mib(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
$1 == "single" { base = $4 / $6 }
{ row[NR] = $0 }
END {
	for (i = 1; i <= NR; i++) {
		split(row[i], f, "\t")
		id = f[1]; mode = f[2]; jobs = f[3]; m = f[4]; lat = f[5]
		wall = f[6]; ideal = f[7]
		label = mode
		if (id == "gnu-parallel") label = "GNU parallel"
		if (id == "xargs") label = "xargs -P"
		if (id == "scale") label = "scale"
		if (id == "enrich") label = "enrich (items)"
		if (id == "collect") label = "collect (sources)"
		sp = eff = ov = "-"
		if (ideal != "-") {
			eff = sprintf("%.1f%%", 100 * ideal / wall)
			ov = sprintf("%.1f", 1000 * (wall - ideal) / m)
			if (lat == '"$LATENCY_MS"' && base > 0 && mode != "enrich")
				sp = sprintf("%.2f", (m / wall) / base)
		}
		print id, label, jobs, m, lat, sprintf("%.3f", wall), \
		    ideal == "-" ? "-" : sprintf("%.2f", ideal), sp, eff, \
		    f[8] == "-" ? "-" : sprintf("%.3f", f[8]), mib(f[9]), \
		    jobs == 1 ? "-" : mib(f[10]), ov, f[12]
	}
}' "$work/rows.tsv" >"$work/table.tsv"

print_table() {	# plain text, aligned
	awk -F'\t' '
	BEGIN {
		h = "mode\tjobs\tarticles\tms/call\twall s\tideal s\tspeedup\tefficiency\tag CPU s\tag RSS MiB\tworker RSS MiB\toverhead ms/art\tclean"
		n = split(h, hd, "\t")
		for (c = 1; c <= n; c++) w[c] = length(hd[c])
	}
	{
		for (c = 2; c <= NF; c++) {
			cell[NR, c - 1] = $c
			if (length($c) > w[c - 1]) w[c - 1] = length($c)
		}
	}
	END {
		for (c = 1; c <= n; c++)
			printf("%s%-" w[c] "s", (c > 1 ? "  " : ""), hd[c])
		printf "\n"
		for (r = 1; r <= NR; r++) {
			for (c = 1; c <= n; c++) {
				if (c == 1)
					printf("%-" w[c] "s", cell[r, c])
				else
					printf("  %" w[c] "s", cell[r, c])
			}
			printf "\n"
		}
	}' "$work/table.tsv"
}

md_table() {
	echo "| mode | jobs | articles | ms/call | wall s (median) | ideal s | speedup | efficiency | articlegen CPU s | articlegen peak RSS MiB | worker peak RSS MiB | overhead ms/article | nothing left behind |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
	awk -F'\t' '{
		printf "|"
		for (c = 2; c <= NF; c++) printf " %s |", $c
		printf "\n"
	}' "$work/table.tsv"
}

# ---------------------------------------------------------------- verdicts
col() {	# col ID FIELD (of rows.tsv)
	awk -F'\t' -v id="$1" -v c="$2" '$1 == id { print $c }' "$work/rows.tsv"
}
dcol() {	# dcol ID FIELD (of table.tsv)
	awk -F'\t' -v id="$1" -v c="$2" '$1 == id { print $c }' "$work/table.tsv"
}
: >"$work/verdicts"
fails=0
verdict() {	# verdict OK TEXT
	local v=PASS
	if [ "$1" -ne 1 ]; then v=FAIL; fails=$((fails + 1)); fi
	echo "$v  $2" >>"$work/verdicts"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }' && echo 1 || echo 0; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }' && echo 1 || echo 0; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }' && echo 1 || echo 0; }
eff_of() { awk -v w="$(col "$1" 6)" -v i="$(col "$1" 7)" 'BEGIN { printf "%.1f", 100 * i / w }'; }

e=$(eff_of p4x4)
verdict "$(ge "$e" 95)" "efficiency $e% >= 95% for 4 jobs and 4 articles"
e=$(eff_of p32)
verdict "$(ge "$e" 90)" "efficiency $e% >= 90% for 32 jobs and 128 articles"
for id in p4x4 p32; do
	o=$(dcol "$id" 13)
	verdict "$(le "$o" 5)" "overhead $o ms/article <= 5 ms for $(col "$id" 3) jobs and $(col "$id" 4) articles"
done
c=$(col scale 8)
verdict "$(le "$c" 2)" "articlegen CPU $(printf '%.3f' "$c") s <= 2 s for $SCALE_ARTICLES articles with $SCALE_JOBS workers"
dirty=$(awk -F'\t' '$12 != "yes" { printf "%s%s (%s)", sep, $1, $13; sep = "; " }' "$work/rows.tsv")
verdict "$([ -z "$dirty" ] && echo 1 || echo 0)" "no file descriptor or process left behind in any row${dirty:+: $dirty}"
k=$(col p32 9)
verdict "$(le "$k" "$RSS_LIMIT_KB")" "articlegen peak RSS $(awk -v k="$k" 'BEGIN { printf "%.1f", k / 1024 }') MiB <= 16 MiB with 32 workers"
k=$(awk -F'\t' '$10 != "-" && $10 + 0 > m { m = $10 + 0 } END { print m + 0 }' "$work/rows.tsv")
id=$(awk -F'\t' -v k="$k" '$10 != "-" && $10 + 0 == k + 0 { print $3 " jobs, " $4 " articles"; exit }' "$work/rows.tsv")
verdict "$(le "$k" "$RSS_LIMIT_KB")" "worker peak RSS $(awk -v k="$k" 'BEGIN { printf "%.1f", k / 1024 }') MiB <= 16 MiB (largest worker: ${id:-none})"
s=$(col selection 6)
verdict "$(lt "$s" 1)" "selection over $POSTS posts and $CANDIDATES items in $(printf '%.3f' "$s") s < 1 s"
k=$(col selection 9)
verdict "$(le "$k" "$SEL_RSS_LIMIT_KB")" "selection peak RSS $(awk -v k="$k" 'BEGIN { printf "%.1f", k / 1024 }') MiB <= 128 MiB"
e=$(eff_of enrich)
verdict "$(ge "$e" 95)" "enrichment of $ENRICH_ITEMS items with $ENRICH_JOBS workers at $LATENCY_MS ms per call: efficiency $e% >= 95%"
verdict "$(le "$enrich_calls" "$ENRICH_ITEMS")" "enrichment: $enrich_calls calls for $ENRICH_ITEMS items (at most one per item)"
s=$(col collect 6)
verdict "$(le "$s" "$COLLECT_LIMIT_S")" "collection from four sources at once in $(printf '%.3f' "$s") s <= $COLLECT_LIMIT_S s"

# ---------------------------------------------------------------- report
echo
print_table
echo
cat "$work/verdicts"
echo
printf 'bench: %d target(s) missed; %s s in all\n' "$fails" \
    "$(printf '%.0f' "$bench_secs")"

if [ "$docs" -eq 1 ]; then
	# the plot: articlegen's rows with M = 4 x jobs, the runners' rows
	awk -F'\t' '$1 == "single" || ($2 == "parallel" && $1 != "p4x4") { print $3, $8 }' \
	    "$work/table.tsv" | sort -n >"$work/speedup.dat"
	{
		if [ "$have_parallel" -eq 1 ]; then
			awk -F'\t' '$1 == "gnu-parallel" { print $3, $8 }' "$work/table.tsv"
			printf '\n\n'
		fi
		awk -F'\t' '$1 == "xargs" { print $3, $8 }' "$work/table.tsv"
	} >"$work/runners.dat"
	[ -s "$work/speedup.dat" ] || die "no data to plot"
	gnuplot -e "datafile='$work/speedup.dat'; runnerfile='$work/runners.dat'; outfile='$work/plot.png'; subtitle='$LATENCY_MS ms per call, 2 calls per article, M = 4 x jobs articles, median of $runs runs'; haverunners=$have_parallel" \
	    scripts/bench-plot.gp 2>"$work/gnuplot.err" ||
	    { cat "$work/gnuplot.err" >&2; die "gnuplot failed"; }
	[ -s "$work/plot.png" ] || die "gnuplot wrote no image"
	cp "$work/plot.png" docs/benchmark-speedup.png

	cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	[ -n "$cpu_model" ] || cpu_model=$(uname -m)
	# shellcheck disable=SC1091
	distro=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}" || echo unknown)
	mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	git diff --quiet HEAD -- common worker orchestrator 2>/dev/null ||
	    commit="$commit (with uncommitted changes to the C sources)"
	limits=""
	if [ -f docs/benchmarks.md ]; then
		limits=$(awk '/^<!-- limits:end/ { on = 0 } on { print } /^<!-- limits:begin/ { on = 1 }' docs/benchmarks.md)
	fi
	if [ -z "$limits" ]; then
		limits='*To be written: for each row, where the time goes (perf stat, strace -c, callgrind) and what bounds it.*'
	fi
	{
		cat <<EOF
# Benchmarks

Written by \`scripts/bench.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'),
at commit $commit. Everything but the section "What limits each row" is
regenerated by each run; that section is written by hand and kept.

## Reproducing

    make bench                  # scripts/bench.sh: builds, then runs for $(printf '%.0f' "$bench_secs") s here
    scripts/bench.sh --no-docs  # the same, without rewriting this file

## Machine

- CPU: $cpu_model, $(nproc) cores available ($(grep -c '^processor' /proc/cpuinfo) listed in /proc/cpuinfo)
- Memory: $mem
- Kernel: $(uname -sr)
- Distribution: $distro
- Load average (1, 5, 15 min) before the run: $load_before; after: $load_after
  (anything else running on the machine shows up in the wall times)

## Method

The stand-in LLM server (\`build/llm-standin\`, [STANDIN.md](STANDIN.md))
answers every chat call after a fixed delay: $LATENCY_MS ms for the main
rows, $SCALE_LATENCY_MS ms for the scale row. Every article makes exactly
two calls (content, then title), one after the other, so an article
cannot take less than twice the latency. The script checks that every run
exits 0, writes exactly the expected number of articles into a fresh
content directory and makes exactly two calls per article.

- **Articles per row.** Each main row generates M = 4 x jobs articles:
  four waves of articles, so the ideal time is the same 2.4 s in every
  row, and the single-process row (\`--jobs 1\`, the in-process mode)
  generates 4. The row "parallel, 4 jobs, 4 articles" is the first
  target's; the row after it runs the same with every worker executed
  (\`--spawn exec\`) instead of forked by the fork server, the default
  (docs/ARCHITECTURE.md, "Starting workers"). The articles are the top M
  of one generated enriched file
  of 128 items (\`scripts/gen-enriched.sh 128\`), so every row's articles
  are a prefix of the next one's.
- **Wall time** is measured from outside, around the whole \`articlegen\`
  command (start-up, loading, selection, workers, summary), and is the
  median of $runs runs ($scale_runs for the scale row, $target_runs for the
  two rows of 4 jobs and 4 articles: a single wave of 0.6 s is the
  noisiest measure here).
- **Ideal** = ceil(M / jobs) x 2 x latency: the time if each article took
  exactly its two calls' latency and the only limit were the number of
  workers. **Efficiency** = ideal / wall. **Overhead per article** =
  (wall - ideal) / M.
- **Speedup** compares throughput, since M differs between rows:
  (M / wall) / (M₁ / wall₁), where M₁ and wall₁ are the single-process
  row's. With M a multiple of jobs, the ideal speedup equals jobs.
- **CPU and RSS** come from \`articlegen --report\`:
  \`resources.cpu_seconds\` (median over runs; articlegen only, without
  its workers), \`resources.max_rss_kb\` and \`resources.worker_max_rss_kb\`
  (largest over runs). In single-process mode articlegen's CPU includes
  the generation itself.
- **Nothing left behind**: after every run the report must give the
  same \`open_fds\` as a one-article run ($ref_fds) and \`children_left\`
  0, and no process of this build's \`articlegen\` or
  \`articlegen-worker\` may still exist (a scan of /proc).
- **Baselines**: the 8-job row's 32 articles, written by
  \`articlegen-worker -j JOBFILE\` run by GNU parallel (\`parallel -u -j 8\`)
  and by \`xargs -P 8 -n 1\`. The job files are written beforehand by
  \`articlegen --emit-jobs\`, outside the timing. These rows have no
  articlegen, hence no CPU or RSS figures.
- **Scale row**: $SCALE_ARTICLES articles, $SCALE_JOBS workers,
  $SCALE_LATENCY_MS ms per call, from \`scripts/gen-enriched.sh $SCALE_ARTICLES\`.
- **Selection row**: \`articlegen --dry-run --max-articles $CANDIDATES\` over a
  content directory of $POSTS generated posts in the layout articlegen
  writes (front matter with \`sources[].url\` and a short body) and
  $CANDIDATES candidate items, $PUBLISHED of which a post already names;
  the script checks that the plan has exactly $((CANDIDATES - PUBLISHED)) new
  articles. Wall time as above; peak RSS from \`/usr/bin/time -f %M\`
  (which adds its own fork and exec to the wall time). The page cache is
  warm.

## Results

EOF
		md_table
		cat <<EOF

![Speedup against jobs](benchmark-speedup.png)

CPU time per article, from the same runs' reports (median over runs):
articlegen's own (\`resources.cpu_seconds\`) and its workers' together
(\`resources.workers_cpu_seconds\`).

| mode | jobs | articles | articlegen CPU ms/article | workers CPU ms/article |
| --- | ---: | ---: | ---: | ---: |
$(awk -F'\t' '$8 != "-" { printf "| %s | %s | %s | %.2f | %s |\n", $2, $3, $4, 1000 * $8 / $4, $3 == 1 ? "-" : sprintf("%.2f", 1000 * $11 / $4) }' "$work/rows.tsv")

## Targets

EOF
		sed 's/^\(PASS\|FAIL\)  \(.*\)$/- **\1** \2/' "$work/verdicts"
		cat <<EOF

## What limits each row

<!-- limits:begin (written by hand; scripts/bench.sh keeps this text) -->
$limits
<!-- limits:end -->
EOF
	} >"$work/benchmarks.md"
	cp "$work/benchmarks.md" docs/benchmarks.md
	echo "bench: wrote docs/benchmarks.md and docs/benchmark-speedup.png" >&2
fi

[ "$fails" -eq 0 ] || exit 1
exit 0
