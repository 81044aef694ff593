#!/bin/sh
# Merge the artifacts of a pipeline's shards into the site: their articles
# into the content directory and their cost-ledger records into the
# ledger.  Safe to run again on the same artifacts, and after a re-run of
# some shards, without duplicating anything:
#
#   - an article is skipped when the content directory already holds the
#     same file, or a post with the same first source URL (the story was
#     published by an earlier attempt of its shard);
#   - another article whose file name is taken gets a -2, -3, ... suffix,
#     as articlegen itself does within one run;
#   - a ledger record is appended only when the ledger does not hold it
#     yet.  A record is one JSON line carrying its run id, item id and
#     time stamp, so a line that is already there is the same record
#     merged before; a second generation of a story is a line of its own.
#
# Usage: scripts/merge-shards.sh CONTENT_DIR LEDGER SHARD_DIR...
# A SHARD_DIR holds posts/*.md and *.jsonl ledger parts; one that does not
# exist is skipped (no shard uploaded anything).  Prints the number of
# articles merged on stdout, what it skipped on stderr.  Exit 0, or 1 on
# an error, 64 on bad usage.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: merge-shards.sh CONTENT_DIR LEDGER SHARD_DIR..." >&2
	exit 64
fi
content=$1
ledger=$2
shift 2
mkdir -p "$content" "$(dirname "$ledger")"
[ -f "$ledger" ] || : >"$ledger"

# The first source URL of a post's front matter ("  url: ..." under
# "sources:"), as written; empty when there is none.
source_url() {
	awk 'NR == 1 && $0 != "---" { exit }
	    NR > 1 && $0 == "---" { exit }
	    /^sources:/ { insrc = 1; next }
	    insrc && /^[^ -]/ { exit }
	    insrc && /^[ -]*url:/ { sub(/^[ -]*url:[ ]*/, ""); print; exit }' "$1"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/merge-shards.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The source URLs already published, one a line.
: >"$tmp/urls"
for f in "$content"/*.md; do
	[ -f "$f" ] || continue
	source_url "$f" >>"$tmp/urls"
done

n=0
for dir in "$@"; do
	[ -d "$dir" ] || continue
	for f in "$dir"/posts/*.md; do
		[ -f "$f" ] || continue
		base=$(basename "$f" .md)
		dest=$content/$base.md
		if [ -f "$dest" ] && cmp -s "$f" "$dest"; then
			echo "merge-shards: $base.md: already merged" >&2
			continue
		fi
		url=$(source_url "$f")
		if [ -n "$url" ] && grep -qxF -- "$url" "$tmp/urls"; then
			echo "merge-shards: $base.md: its story $url is already" \
			    "published" >&2
			continue
		fi
		i=2
		while [ -e "$dest" ]; do
			dest=$content/$base-$i.md
			i=$((i + 1))
		done
		cp "$f" "$dest"
		[ -z "$url" ] || echo "$url" >>"$tmp/urls"
		n=$((n + 1))
	done
	for part in "$dir"/*.jsonl; do
		[ -f "$part" ] || continue
		# Lines of part not yet in the ledger, nor earlier in part.
		# (FILENAME, not NR == FNR: the ledger may be empty)
		awk -v ledger="$ledger" 'FILENAME == ledger { seen[$0] = 1; next }
		    $0 != "" && !seen[$0]++' "$ledger" "$part" >"$tmp/new"
		dup=$(($(wc -l <"$part") - $(wc -l <"$tmp/new")))
		[ "$dup" -eq 0 ] || echo "merge-shards: $part: $dup records" \
		    "already in the ledger" >&2
		cat "$tmp/new" >>"$ledger"
	done
done
echo "$n"
