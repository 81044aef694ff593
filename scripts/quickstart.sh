#!/bin/sh
# The README's first command: install dependencies, build, run the whole
# pipeline (articlegen run: collect, enrich, generate) from an empty data
# and content directory, then build the articles into a Hugo site.
#
# With OPENAI_API_KEY set it calls the real API (OPENAI_BASE_URL, default
# https://api.openai.com/v1) and reads the real sources.  Without it, it
# starts the project's local stand-in server and says so: the stand-in
# answers the model API and every source's API, so the demo runs offline
# and the articles are placeholder text.
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
	standin="http://127.0.0.1:$port"
	export OPENAI_BASE_URL="$standin/v1"
	# the sources' APIs are the stand-in's too
	export HN_API_URL="$standin/v0" MASTODON_INSTANCES="$standin" \
	    GITHUB_API_URL="$standin" REDDIT_API_URL="$standin" \
	    REDDIT_AUTH_URL="$standin/api/v1/access_token" \
	    REDDIT_CLIENT_ID=testid REDDIT_CLIENT_SECRET=testsecret \
	    REDDIT_SUBREDDITS=programming,rust
	# the stories link to real sites: offline, those pages are not
	# fetched (a proxy on a closed local port refuses them) and the
	# research says the page was not available
	export ALL_PROXY=http://127.0.0.1:1 NO_PROXY=127.0.0.1
	echo
	echo "*** No OPENAI_API_KEY set: using the local stand-in server at $standin"
	echo "*** for the model API and for the Hacker News, Mastodon, GitHub and"
	echo "*** Reddit APIs. Stories and articles are canned placeholder text."
	echo "*** Set OPENAI_API_KEY to call the real API and read the real sources."
	echo
else
	echo "Using the API at ${OPENAI_BASE_URL:-https://api.openai.com/v1}"
fi

status=0
build/articlegen --jobs 4 --content-dir "$demo/site/content/posts" \
    --data-dir "$demo/data" run || status=$?

echo
if hugo --quiet --source "$demo/site" --destination public >/dev/null 2>"$demo/hugo.log"; then
	pages=$(find "$demo/site/public/posts" -mindepth 2 -name index.html 2>/dev/null | wc -l)
	echo "Hugo built $pages article pages into $demo/site/public"
	echo "(articles: $demo/site/content/posts; their covers: $demo/site/static/images;"
	echo "collected and enriched stories, cost ledger: $demo/data)"
else
	echo "Hugo failed to build the site; see $demo/hugo.log" >&2
	status=1
fi
exit "$status"
