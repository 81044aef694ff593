#!/bin/sh
# The quick verification of a working tree: build, run the unit tests, run
# the demo against the project's local stand-in for the LLM API, build the
# result with Hugo, and print what was checked.  It never calls the real
# API (OPENAI_API_KEY is ignored) and installs nothing: run scripts/deps.sh
# first on a fresh machine.  Logs go to build/verify/.
#
# Exit 0 when every check passed, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 1

out=build/verify
rm -rf "$out"
mkdir -p "$out"
failed=0
summary=""

# Record one check: name, ok|FAIL, detail.
record() {
	summary="$summary$(printf '  %-6s %-12s %s' "$2" "$1" "$3")
"
	[ "$2" = ok ] || failed=1
}

echo "verify: building"
if make -j"$(nproc 2>/dev/null || echo 2)" all build/check_articlegen \
    >"$out/build.log" 2>&1; then
	record build ok "build/articlegen, build/articlegen-worker, build/llm-standin, build/check_articlegen"
else
	record build FAIL "see $out/build.log"
	printf 'verify: summary\n%s' "$summary"
	exit 1
fi

echo "verify: running the unit tests"
ARTICLEGEN_BUILD=$PWD/build ARTICLEGEN_SRC=$PWD build/check_articlegen \
    >"$out/tests.log" 2>&1
st=$?
line=$(grep -E '^[0-9]+%: Checks: ' "$out/tests.log" | tail -n 1)
if [ "$st" -eq 0 ] && [ -n "$line" ]; then
	record "unit tests" ok "$line"
else
	record "unit tests" FAIL "${line:-no summary line}; see $out/tests.log"
fi

echo "verify: running the demo against the stand-in"
site=$out/site
cp -R examples/hugo-site "$site"
mkdir -p "$site/content/posts" "$out/data"
build/llm-standin --port 0 --port-file "$out/standin.port" \
    --latency-ms 50 --quiet >/dev/null 2>"$out/standin.log" &
standin=$!
trap 'kill "$standin" 2>/dev/null; wait "$standin" 2>/dev/null' EXIT
trap 'exit 1' INT TERM
i=0
while [ ! -s "$out/standin.port" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
if [ ! -s "$out/standin.port" ]; then
	record demo FAIL "the stand-in did not start; see $out/standin.log"
else
	url="http://127.0.0.1:$(cat "$out/standin.port")/v1"
	st=0
	env -u OPENAI_API_KEY OPENAI_BASE_URL="$url" build/articlegen \
	    --jobs 4 --content-dir "$site/content/posts" \
	    --data-dir "$out/data" examples/enriched_20261120_060440.json \
	    >"$out/demo.out" 2>"$out/demo.log" || st=$?
	n=$(find "$site/content/posts" -name '*.md' | wc -l)
	if [ "$st" -eq 0 ] && [ "$n" -gt 0 ]; then
		record demo ok "$n articles written with 4 workers against the stand-in at $url (exit 0)"
	else
		record demo FAIL "exit $st, $n articles; see $out/demo.log"
	fi

	if ! command -v hugo >/dev/null 2>&1; then
		record hugo FAIL "hugo is not installed (scripts/deps.sh)"
	elif hugo --quiet --source "$site" --destination public \
	    >"$out/hugo.log" 2>&1; then
		pages=$(find "$site/public/posts" -mindepth 2 -name index.html \
		    2>/dev/null | wc -l)
		if [ "$pages" -eq "$n" ]; then
			record hugo ok "$pages article pages built into $site/public"
		else
			record hugo FAIL "$pages pages for $n articles; see $out/hugo.log"
		fi
	else
		record hugo FAIL "the site does not build; see $out/hugo.log"
	fi
fi

echo "verify: summary"
printf '%s' "$summary"
if [ "$failed" -eq 0 ]; then
	echo "verify: all checks passed (the articles are stand-in text, not model output)"
else
	echo "verify: some checks FAILED"
fi
exit "$failed"
