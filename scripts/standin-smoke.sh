#!/usr/bin/env bash
#
# standin-smoke.sh: exercise build/llm-standin by hand with curl and jq:
# health, a content and a title request, every fault token, framing
# errors, bearer keys, 64 concurrent delayed requests, /stats, the request
# log and a clean exit on SIGTERM.  Run from the top of the source tree
# after "make build/llm-standin".
#
#   scripts/standin-smoke.sh
#   STANDIN_WRAPPER='valgrind --leak-check=full --error-exitcode=99' \
#       scripts/standin-smoke.sh
#
# With a wrapper (valgrind) the timing limits are relaxed and only
# reported; everything else is checked the same way.  Exits non-zero on
# the first failed check.

set -u

BIN=${STANDIN_BIN:-build/llm-standin}
WRAP=${STANDIN_WRAPPER:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/standin-smoke.XXXXXX")
PIDS=()
FAILED=0
CHECKS=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	exit 1
}

ok() {
	CHECKS=$((CHECKS + 1))
	echo "ok $CHECKS - $*"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	ok "$1"
}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# start NAME [options...]: start an instance; sets PID_NAME and URL_NAME.
start() {
	local name=$1 dir="$TMP/$1" i
	shift
	mkdir -p "$dir"
	$WRAP "$BIN" --port 0 --port-file "$dir/port" --log "$dir/log" "$@" \
	    >"$dir/stdout" 2>"$dir/stderr" &
	local pid=$!
	PIDS+=("$pid")
	for i in $(seq 1 200); do
		[ -s "$dir/port" ] && break
		kill -0 "$pid" 2>/dev/null || fail "$name: exited at start"
		sleep 0.05
	done
	[ -s "$dir/port" ] || fail "$name: no port file"
	# The stdout line follows the port file; give it a moment.
	for i in $(seq 1 100); do
		[ -s "$dir/stdout" ] && break
		sleep 0.05
	done
	local port
	port=$(cat "$dir/port")
	expect_eq "$name: startup line" "$(cat "$dir/stdout")" \
	    "llm-standin: listening on 127.0.0.1:$port"
	printf -v "PID_$name" '%s' "$pid"
	printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
}

# stop NAME: SIGTERM, expect exit status 0.
stop() {
	local name=$1 pidvar="PID_$1" rc
	kill -TERM "${!pidvar}"
	wait "${!pidvar}"
	rc=$?
	expect_eq "$name: exit status after SIGTERM" "$rc" 0
	grep -q 'stopping on signal' "$TMP/$name/stderr" ||
	    fail "$name: no shutdown message"
	if [ -n "$WRAP" ]; then
		grep -E 'ERROR SUMMARY|in use at exit|heap blocks were freed' \
		    "$TMP/$name/stderr" | sed "s/^/$name: /"
		if grep -q 'ERROR SUMMARY: [1-9]' "$TMP/$name/stderr"; then
			cat "$TMP/$name/stderr" >&2
			fail "$name: valgrind reported errors"
		fi
	fi
}

# chat URL BODYFILE OUTFILE [curl options...]: POST a chat request.
# Prints "HTTP_CODE CURL_EXIT".
chat() {
	local url=$1 body=$2 out=$3 code rc
	shift 3
	code=$(curl -s -o "$out" -w '%{http_code}' -D "$out.head" \
	    -H 'Content-Type: application/json' --data-binary "@$body" \
	    "$@" "$url/v1/chat/completions")
	rc=$?
	echo "$code $rc"
}

# set_faults URL LIST
set_faults() {
	local got
	got=$(curl -s -X POST --data-binary "$2" "$1/faults" | jq -r .status)
	[ "$got" = ok ] || fail "POST /faults '$2' refused"
}

content() {
	jq -r '.choices[0].message.content' "$1"
}

command -v jq >/dev/null || fail "jq is needed"
command -v curl >/dev/null || fail "curl is needed"
[ -x "$BIN" ] || fail "$BIN not built"

# ---------------------------------------------------------------- prompts
cat >"$TMP/article.txt" <<'EOF'
Write a comprehensive tech blog article about the topic below. Treat the
source as evidence.

SOURCE MATERIAL:
"Kubernetes 1.31 ships a scheduler plugin API that lets operators add custom
scoring without forking the scheduler. The release also retires beta APIs."
Author: @k8sfan
Primary URL: https://example.com/k8s-article

TOPICS: kubernetes, devops, cloud computing

EVIDENCE PACK (use ONLY these sources):
Primary source: https://example.com/k8s-article
- https://kubernetes.io/blog/2024/08/13/kubernetes-v1-31-release/

CONTENT TYPE: NEWS
EOF
cat >"$TMP/title.txt" <<'EOF'
Create a compelling, snappy blog article title.
ARTICLE PREVIEW: Kubernetes 1.31 ships a scheduler plugin API.
TOPICS: kubernetes, devops, cloud computing
Requirements: under 60 characters, not clickbait.
Return ONLY the title.
EOF
jq -n --rawfile p "$TMP/article.txt" \
    '{model: "gpt-5-mini", messages: [{role: "user", content: $p}]}' \
    >"$TMP/article.json"
jq -n --rawfile p "$TMP/title.txt" \
    '{model: "gpt-5-nano", max_tokens: 50,
      messages: [{role: "user", content: $p}]}' >"$TMP/title.json"
jq -n --arg p "TOPICS: rust, webassembly
Primary source: https://example.org/rust-wasm" \
    '{model: "m", messages: [{role: "system", content: "be brief"},
      {role: "user", content: $p}]}' >"$TMP/other.json"

# ------------------------------------------------------------- main server
start main --faults 'status:502'
U=$URL_main

expect_eq "health" "$(curl -s "$U/health")" '{"status":"ok"}'

r=$(chat "$U" "$TMP/article.json" "$TMP/r0")
expect_eq "--faults from the command line applies first" "$r" "502 0"

r=$(chat "$U" "$TMP/article.json" "$TMP/a1")
expect_eq "content request status" "$r" "200 0"
expect_eq "content object" "$(jq -r .object "$TMP/a1")" chat.completion
expect_eq "content model echoed" "$(jq -r .model "$TMP/a1")" gpt-5-mini
expect_eq "content id" "$(jq -r .id "$TMP/a1")" chatcmpl-standin-3
expect_eq "content finish_reason" \
    "$(jq -r '.choices[0].finish_reason' "$TMP/a1")" stop
content "$TMP/a1" >"$TMP/a1.md"
for want in '## Key Takeaways' '## Conclusion' '```' \
    '[the source](https://example.com/k8s-article)'; do
	grep -qF -- "$want" "$TMP/a1.md" || fail "article lacks '$want'"
done
ok "article has takeaways, conclusion, code block and source link"
words=$(wc -w <"$TMP/a1.md")
[ "$words" -ge 600 ] && [ "$words" -le 900 ] ||
    fail "article has $words words"
ok "article has $words words (600-900)"
sections=$(grep -c '^## ' "$TMP/a1.md")
[ "$sections" -ge 5 ] && [ "$sections" -le 6 ] ||
    fail "article has $sections level-2 headings"
ok "article has $sections level-2 headings"
links=$(grep -o '](http' "$TMP/a1.md" | wc -l)
[ "$links" -ge 2 ] && [ "$links" -le 3 ] || fail "article has $links links"
ok "article has $links inline links"
pchars=$(jq -r '.messages[0].content | length' "$TMP/article.json")
cchars=$(jq -r '.choices[0].message.content | length' "$TMP/a1")
expect_eq "usage" "$(jq -c .usage "$TMP/a1")" \
    "{\"prompt_tokens\":$(( (pchars + 3) / 4 )),\"completion_tokens\":$(( (cchars + 3) / 4 )),\"total_tokens\":$(( (pchars + 3) / 4 + (cchars + 3) / 4 ))}"

chat "$U" "$TMP/article.json" "$TMP/a2" >/dev/null
content "$TMP/a2" | cmp -s - "$TMP/a1.md" || fail "article not deterministic"
ok "same prompt, same article"
chat "$U" "$TMP/other.json" "$TMP/a3" >/dev/null
content "$TMP/a3" | cmp -s - "$TMP/a1.md" && fail "different prompts, same article"
content "$TMP/a3" | grep -qF '[the source](https://example.org/rust-wasm)' ||
    fail "second article lacks its source link"
ok "different prompt, different article"

r=$(chat "$U" "$TMP/title.json" "$TMP/t1")
expect_eq "title request status" "$r" "200 0"
title=$(content "$TMP/t1")
case $title in
Kubernetes:\ *) ;;
*) fail "title '$title'" ;;
esac
[ ${#title} -lt 60 ] || fail "title too long: '$title'"
ok "title '$title'"
chat "$U" "$TMP/title.json" "$TMP/t2" >/dev/null
expect_eq "title deterministic" "$(content "$TMP/t2")" "$title"

# -------------------------------------------------------------- faults
set_faults "$U" 'ok,status:500,status:400,status:401,status:403'
expect_eq "fault ok" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
expect_eq "fault status:500" "$(chat "$U" "$TMP/article.json" "$TMP/f")" \
    "500 0"
expect_eq "status:500 type" "$(jq -r .error.type "$TMP/f")" server_error
expect_eq "fault status:400" "$(chat "$U" "$TMP/article.json" "$TMP/f")" \
    "400 0"
expect_eq "status:400 type" "$(jq -r .error.type "$TMP/f")" \
    invalid_request_error
expect_eq "fault status:401" "$(chat "$U" "$TMP/article.json" "$TMP/f")" \
    "401 0"
expect_eq "status:401 error" "$(jq -c '[.error.type, .error.code]' "$TMP/f")" \
    '["invalid_request_error","invalid_api_key"]'
expect_eq "fault status:403" "$(chat "$U" "$TMP/article.json" "$TMP/f")" \
    "403 0"

set_faults "$U" 'rate:7,quota'
expect_eq "fault rate:7" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "429 0"
expect_eq "rate code" "$(jq -r .error.code "$TMP/f")" rate_limit_exceeded
grep -qi '^Retry-After: 7' "$TMP/f.head" || fail "no Retry-After: 7"
grep -qi '^retry-after-ms: 7000' "$TMP/f.head" || fail "no retry-after-ms"
ok "rate headers"
expect_eq "fault quota" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "429 0"
expect_eq "quota error" "$(jq -c '[.error.type, .error.code]' "$TMP/f")" \
    '["insufficient_quota","insufficient_quota"]'

set_faults "$U" 'hang'
expect_eq "fault hang (client gives up after 1 s)" \
    "$(chat "$U" "$TMP/article.json" "$TMP/f" --max-time 1)" "000 28"

set_faults "$U" 'malformed'
expect_eq "fault malformed" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
expect_eq "malformed body" "$(cat "$TMP/f")" "this is not json {"

set_faults "$U" 'truncated'
expect_eq "fault truncated (curl: partial file)" \
    "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 18"

set_faults "$U" 'empty'
expect_eq "fault empty" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
expect_eq "empty content" "$(jq -c '[.choices[0].message.content,
    .usage.completion_tokens]' "$TMP/f")" '["",0]'

set_faults "$U" 'slow:700'
t0=$(now_ms)
expect_eq "fault slow:700" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
dt=$(( $(now_ms) - t0 ))
[ "$dt" -ge 700 ] || fail "slow:700 answered after $dt ms"
ok "slow:700 answered after $dt ms"

set_faults "$U" 'close'
expect_eq "fault close (curl: empty reply)" \
    "$(chat "$U" "$TMP/article.json" "$TMP/f")" "000 52"

set_faults "$U" 'big'
expect_eq "fault big" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
expect_eq "big content length" "$(jq -r '.choices[0].message.content |
    utf8bytelength' "$TMP/f")" 12582912

set_faults "$U" '2*status:503, ok'
expect_eq "repeat 1/3" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "503 0"
expect_eq "repeat 2/3" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "503 0"
expect_eq "repeat 3/3" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"
expect_eq "empty queue answers normally" \
    "$(chat "$U" "$TMP/article.json" "$TMP/f")" "200 0"

expect_eq "bad fault list refused" "$(curl -s -o /dev/null -w '%{http_code}' \
    -X POST --data-binary 'status:200,bogus' "$U/faults")" 400

# ------------------------------------------------------ protocol details
printf '{"model": "m", "messages": [' >"$TMP/bad.json"
expect_eq "malformed request JSON" "$(chat "$U" "$TMP/bad.json" "$TMP/f")" \
    "400 0"
expect_eq "400 error shape" "$(jq -c .error "$TMP/f")" \
    '{"message":"The request body is not valid JSON.","type":"invalid_request_error","param":null,"code":null}'
echo '{"model": "m"}' >"$TMP/nomsg.json"
expect_eq "missing messages" "$(chat "$U" "$TMP/nomsg.json" "$TMP/f")" "400 0"
expect_eq "missing messages param" "$(jq -r .error.param "$TMP/f")" messages

expect_eq "path without /v1" "$(curl -s -o /dev/null -w '%{http_code}' \
    --data-binary "@$TMP/article.json" "$U/chat/completions")" 200
expect_eq "models list" "$(curl -s -o "$TMP/f" -w '%{http_code}' \
    "$U/v1/models")" 200
expect_eq "models list first id" "$(jq -r '.data[0].id' "$TMP/f")" gpt-5-mini
expect_eq "unknown path" "$(curl -s -o "$TMP/f" -w '%{http_code}' \
    "$U/v1/embeddings")" 404
expect_eq "404 code" "$(jq -r .error.code "$TMP/f")" unknown_url
expect_eq "wrong method" "$(curl -s -o /dev/null -w '%{http_code}' \
    "$U/v1/chat/completions")" 405

expect_eq "chunked body refused" "$(curl -s -o /dev/null -w '%{http_code}' \
    -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/article.json" \
    "$U/v1/chat/completions")" 411

v=$(curl -s -v -o /dev/null -H 'Expect: 100-continue' \
    --data-binary "@$TMP/article.json" "$U/v1/chat/completions" 2>&1)
echo "$v" | grep -q '< HTTP/1.1 100 Continue' || fail "no 100 Continue"
echo "$v" | grep -q '< HTTP/1.1 200 OK' || fail "no 200 after 100 Continue"
ok "Expect: 100-continue"

head -c $((8 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$TMP/huge.json"
expect_eq "body over 8 MiB" "$(curl -s -o /dev/null -w '%{http_code}' \
    --data-binary "@$TMP/huge.json" "$U/v1/chat/completions")" 413

v=$(curl -s -v -o /dev/null -o /dev/null "$U/health" "$U/health" 2>&1)
echo "$v" | grep -qi 're-using existing connection' ||
    fail "keep-alive connection not reused"
ok "keep-alive"

# Two requests in one write: answered in order on one connection.
r=$(exec 3<>"/dev/tcp/127.0.0.1/${U##*:}" &&
    printf 'GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3 &&
    timeout 5 cat <&3 | grep -o 'HTTP/1.1 [0-9]*' | tr '\n' ' ')
expect_eq "pipelined requests" "$r" "HTTP/1.1 200 HTTP/1.1 404 "

# A client that disconnects mid-request must not disturb the server.
(exec 3<>"/dev/tcp/127.0.0.1/${U##*:}" &&
    printf 'POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"mo' >&3)
expect_eq "alive after a half-sent request" "$(curl -s "$U/health")" \
    '{"status":"ok"}'

stats=$(curl -s "$U/stats")
expect_eq "stats chat_requests" "$(echo "$stats" | jq .chat_requests)" 28
expect_eq "stats by_status" "$(echo "$stats" | jq -c .by_status)" \
    '{"200":31,"400":4,"401":1,"403":1,"404":2,"405":1,"411":1,"413":1,"429":2,"500":1,"502":1,"503":2}'
n=$(wc -l <"$TMP/main/log")
# The /stats request counts itself and is logged before curl returns.
expect_eq "stats requests = log lines" "$(echo "$stats" | jq .requests)" "$n"
expect_eq "log sequence numbers in order" \
    "$(cut -d' ' -f1 "$TMP/main/log" | tr '\n' ' ')" "$(seq 1 "$n" | tr '\n' ' ')"
grep -q '^3 POST /v1/chat/completions gpt-5-mini 200 ' "$TMP/main/log" ||
    fail "log line 3"
grep -q ' POST /v1/chat/completions gpt-5-mini - 0 hang$' "$TMP/main/log" ||
    fail "log line for hang"
ok "log lines"
stop main

# ------------------------------------------------------------ bearer key
export STANDIN_SMOKE_KEY="sk-smoke-$$-secret"
start keyed --require-key STANDIN_SMOKE_KEY
U=$URL_keyed
expect_eq "no key" "$(chat "$U" "$TMP/article.json" "$TMP/f")" "401 0"
expect_eq "wrong key" "$(chat "$U" "$TMP/article.json" "$TMP/f" \
    -H 'Authorization: Bearer sk-nope')" "401 0"
expect_eq "wrong key code" "$(jq -r .error.code "$TMP/f")" invalid_api_key
expect_eq "right key" "$(chat "$U" "$TMP/article.json" "$TMP/f" \
    -H "Authorization: Bearer $STANDIN_SMOKE_KEY")" "200 0"
stop keyed
if grep -rqF "$STANDIN_SMOKE_KEY" "$TMP/keyed"; then
	fail "the key appears in the output or log"
fi
ok "key never printed or logged"
unset STANDIN_SMOKE_KEY
"$BIN" --require-key STANDIN_SMOKE_UNSET --port 0 >/dev/null 2>&1
expect_eq "unset key variable is a usage error" "$?" 64
"$BIN" --bind 0.0.0.0 >/dev/null 2>&1
expect_eq "other bind address refused" "$?" 64

# ------------------------------------------------------------ concurrency
start conc --latency-ms 300
U=$URL_conc
CURLS=()
t0=$(now_ms)
for i in $(seq 1 64); do
	curl -s -o "$TMP/conc/r$i" -w '%{http_code} %{time_total}\n' \
	    --data-binary "@$TMP/article.json" "$U/v1/chat/completions" \
	    >"$TMP/conc/w$i" &
	CURLS+=($!)
done
wait "${CURLS[@]}"
dt=$(( $(now_ms) - t0 ))
echo "64 concurrent requests with 300 ms latency: ${dt} ms in total"
cat "$TMP"/conc/w* | awk '$1 != 200 || $2 < 0.29 { bad++ } END { exit bad > 0 }' ||
    fail "some concurrent replies failed or came early"
ok "64 replies, each 200 after at least 300 ms"
if [ -z "$WRAP" ]; then
	[ "$dt" -lt 1000 ] || fail "concurrent requests took $dt ms"
	ok "concurrent requests finished in $dt ms (< 1000)"
fi
stats=$(curl -s "$U/stats")
expect_eq "concurrency stats" "$(echo "$stats" | jq -c \
    '[.requests, .chat_requests, .by_status, .open_connections]')" \
    '[65,64,{"200":64},1]'
stop conc

echo "all $CHECKS checks passed"
