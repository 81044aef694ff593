#!/bin/sh
# articlegen-publish SITE_DIR: commit what articlegen wrote into the Hugo
# site checkout SITE_DIR (content/posts and the cost ledger
# data/generation_costs.jsonl) and push it to the branch's upstream.
# With nothing new it does nothing.  When the push is refused because the
# remote moved, it rebases once and pushes again.  Run by
# articlegen-publish.service as the user articlegen; installed as
# PREFIX/libexec/articlegen/articlegen-publish.
#
# Exit 0 when published or nothing was new, 1 on a git error, 64 on bad
# usage.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: articlegen-publish SITE_DIR" >&2
	exit 64
fi
cd "$1"

git add -- content/posts
if [ -f data/generation_costs.jsonl ]; then
	git add -- data/generation_costs.jsonl
fi
if git diff --cached --quiet; then
	echo "articlegen-publish: nothing new to publish"
	exit 0
fi
n=$(git diff --cached --name-only --diff-filter=A -- content/posts | wc -l)
git -c user.name=articlegen -c user.email=articlegen@localhost \
    commit -q -m "articlegen: $n new articles"
if ! git push -q; then
	echo "articlegen-publish: push refused, rebasing onto the remote"
	git pull -q --rebase
	git push -q
fi
echo "articlegen-publish: published $n new articles"
