#!/bin/sh
# The README's first command: install dependencies, build, and generate
# articles from the bundled sample, then build them into a Hugo site.
#
# With OPENAI_API_KEY set it calls the real API (OPENAI_BASE_URL, default
# https://api.openai.com/v1).  Without it, it starts the project's local
# stand-in LLM server and says so: the articles are then placeholder text.
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh
make -j"$(nproc 2>/dev/null || echo 2)"

demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
cp -R examples/hugo-site "$demo/site"
mkdir -p "$demo/site/content/posts" "$demo/data"

standin_pid=""
cleanup() {
	if [ -n "$standin_pid" ]; then
		kill "$standin_pid" 2>/dev/null || true
		wait "$standin_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT INT TERM

if [ -z "${OPENAI_API_KEY:-}" ]; then
	build/llm-standin --port 0 --port-file "$demo/standin.port" \
	    --latency-ms 300 --quiet >/dev/null &
	standin_pid=$!
	i=0
	while [ ! -s "$demo/standin.port" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	port=$(cat "$demo/standin.port")
	export OPENAI_BASE_URL="http://127.0.0.1:$port/v1"
	echo
	echo "*** No OPENAI_API_KEY set: using the local stand-in LLM server at"
	echo "*** $OPENAI_BASE_URL. The articles are placeholder text, not model output."
	echo "*** Set OPENAI_API_KEY to call the real API."
	echo
else
	echo "Using the API at ${OPENAI_BASE_URL:-https://api.openai.com/v1}"
fi

status=0
build/articlegen --jobs 4 --content-dir "$demo/site/content/posts" \
    --data-dir "$demo/data" examples/enriched_20261120_060440.json || status=$?

echo
if hugo --quiet --source "$demo/site" --destination public >/dev/null 2>"$demo/hugo.log"; then
	pages=$(find "$demo/site/public/posts" -mindepth 2 -name index.html 2>/dev/null | wc -l)
	echo "Hugo built $pages article pages into $demo/site/public"
	echo "(articles: $demo/site/content/posts, cost ledger: $demo/data/generation_costs.jsonl)"
else
	echo "Hugo failed to build the site; see $demo/hugo.log" >&2
	status=1
fi
exit "$status"
