#!/bin/sh
# Check the systemd files of config/ with systemd's own tools:
#
#   1. "systemd-analyze verify" on every unit.  verify insists that each
#      Exec*= binary exists, so the units are checked from copies in which
#      a binary that is not installed (articlegen, articlegen-publish) is
#      replaced by a stub.  A template unit (NAME@.service) is verified
#      through the instance its users start (NAME@articlegen.service.service).
#      Any line verify prints about the units counts as a failure, not only
#      its exit status (unknown keys are mere warnings to it).
#      Documentation=man:articlegen(1) is looked up in docs/articlegen.1.
#   2. "systemd-sysusers --dry-run" on the sysusers.d file, in an empty
#      root: it must create the user articlegen.
#   3. "systemd-tmpfiles --create" on the tmpfiles.d file, in a scratch
#      root whose articlegen user is the caller: the shared directories
#      must come out as mode 2775.
#
# Usage: scripts/verify-systemd.sh [UNIT...]
# Default: config/*.service config/*.timer, and 2 and 3 on
# config/articlegen.sysusers.conf and config/articlegen.tmpfiles.conf
# (2 and 3 run only without arguments).  Exit 0 when clean, 1 on findings,
# 0 with a "SKIPPED" line when systemd-analyze is not installed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
all=0
if [ $# -eq 0 ]; then
	set -- "$root"/config/*.service "$root"/config/*.timer
	all=1
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "verify-systemd: SKIPPED: systemd-analyze not found" \
	    "(Debian package systemd); the units were not verified"
	exit 0
fi
version=$(systemd-analyze --version | head -n 1)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-units.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '#!/bin/sh\nexit 0\n' >"$tmp/stub"
chmod 755 "$tmp/stub"

status=0
names=""
targets=""
for unit in "$@"; do
	name=$(basename "$unit")
	cp "$unit" "$tmp/$name"
	bins=$(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$unit" |
	    sort -u)
	if [ -z "$bins" ] && [ "${name##*.}" = service ]; then
		echo "verify-systemd: $unit: no Exec*= line" >&2
		status=1
	fi
	for bin in $bins; do
		[ ! -x "$bin" ] || continue
		sed "s|^\\(Exec[A-Za-z]*=[-@:+!]*\\)$bin|\\1$tmp/stub|" \
		    "$tmp/$name" >"$tmp/$name.new"
		mv "$tmp/$name.new" "$tmp/$name"
		echo "verify-systemd: $name: $bin is not installed; a stub" \
		    "stands in"
	done
	case $name in
	*@.service) targets="$targets $tmp/${name%@.service}@articlegen.service.service" ;;
	*) targets="$targets $tmp/$name" ;;
	esac
	names="$names $name"
done

man=--man=no
if command -v man >/dev/null 2>&1; then
	mkdir -p "$tmp/man/man1"
	cp "$root/docs/articlegen.1" "$tmp/man/man1/articlegen.1"
	man=--man=yes
fi

vstatus=0
# shellcheck disable=SC2086
out=$(cd "$tmp" && MANPATH=$tmp/man SYSTEMD_LOG_COLOR=0 systemd-analyze \
    verify "$man" $targets 2>&1) || vstatus=$?
# Keep what concerns our units; verify may also complain about unrelated
# units installed on this machine.
mine=$(printf '%s\n' "$out" | grep 'articlegen' || true)
if [ -n "$mine" ]; then
	printf '%s\n' "$mine" >&2
fi
if [ "$vstatus" -ne 0 ] || [ -n "$mine" ]; then
	status=1
else
	echo "verify-systemd: verified:$names"
fi

if [ "$all" -eq 1 ]; then
	# 2. sysusers.d
	mkdir -p "$tmp/sysroot/etc"
	if out=$(systemd-sysusers --dry-run --root="$tmp/sysroot" \
	    "$root/config/articlegen.sysusers.conf" 2>&1) &&
	    printf '%s\n' "$out" | grep -q "Creating user 'articlegen'"; then
		echo "verify-systemd: articlegen.sysusers.conf creates the" \
		    "user articlegen"
	else
		printf '%s\n' "$out" >&2
		echo "verify-systemd: articlegen.sysusers.conf: FAILED" >&2
		status=1
	fi

	# 3. tmpfiles.d, with the caller as articlegen so that no root is
	# needed to set the owner
	mkdir -p "$tmp/tmproot/etc"
	echo "articlegen:x:$(id -u):$(id -g)::/nonexistent:/bin/false" \
	    >"$tmp/tmproot/etc/passwd"
	echo "articlegen:x:$(id -g):" >"$tmp/tmproot/etc/group"
	modes=""
	if out=$(systemd-tmpfiles --root="$tmp/tmproot" --create \
	    "$root/config/articlegen.tmpfiles.conf" 2>&1); then
		modes=$(cd "$tmp/tmproot" &&
		    { stat -c '%a %n' srv/blog/content/posts srv/blog/data 2>&1 ||
		    true; })
	fi
	if [ "$modes" = "2775 srv/blog/content/posts
2775 srv/blog/data" ]; then
		echo "verify-systemd: articlegen.tmpfiles.conf makes" \
		    "content/posts and data setgid and group-writable (2775)"
	else
		printf '%s\n%s\n' "$out" "$modes" >&2
		echo "verify-systemd: articlegen.tmpfiles.conf: FAILED" >&2
		status=1
	fi
fi

if [ "$status" -ne 0 ]; then
	echo "verify-systemd: FAILED ($version)" >&2
	exit 1
fi
echo "verify-systemd: all clean ($version)"
