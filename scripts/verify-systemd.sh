#!/bin/sh
# Check the systemd units with "systemd-analyze verify".
#
# verify insists that ExecStart's binary exists, so the units are checked
# from a copy whose ExecStart points at a stub when /usr/local/bin/articlegen
# is not installed.  Any line verify prints about the units counts as a
# failure, not only its exit status (unknown keys are mere warnings to it).
# Documentation=man:articlegen(1) is looked up in docs/articlegen.1.
#
# Usage: scripts/verify-systemd.sh [SERVICE TIMER]
# Default: config/articlegen.service config/articlegen.timer.  Exit 0 when
# clean, 1 on findings, 0 with a "SKIPPED" line when systemd-analyze is not
# installed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
service=${1:-$root/config/articlegen.service}
timer=${2:-$root/config/articlegen.timer}

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "verify-systemd: SKIPPED: systemd-analyze not found" \
	    "(Debian package systemd); the units were not verified"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/articlegen-units.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

bin=$(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' "$service" | head -n 1)
if [ -z "$bin" ]; then
	echo "verify-systemd: $service: no ExecStart=" >&2
	exit 1
fi
if [ -x "$bin" ]; then
	cp "$service" "$tmp/articlegen.service"
else
	printf '#!/bin/sh\nexit 0\n' >"$tmp/articlegen-stub"
	chmod 755 "$tmp/articlegen-stub"
	sed "s|^ExecStart=\\([-@:+!]*\\)$bin|ExecStart=\\1$tmp/articlegen-stub|" \
	    "$service" >"$tmp/articlegen.service"
	echo "verify-systemd: $bin is not installed; ExecStart points at a stub"
fi
cp "$timer" "$tmp/articlegen.timer"

man=--man=no
if command -v man >/dev/null 2>&1; then
	mkdir -p "$tmp/man/man1"
	cp "$root/docs/articlegen.1" "$tmp/man/man1/articlegen.1"
	man=--man=yes
fi

status=0
out=$(cd "$tmp" && MANPATH=$tmp/man SYSTEMD_LOG_COLOR=0 systemd-analyze \
    verify "$man" "$tmp/articlegen.service" "$tmp/articlegen.timer" 2>&1) ||
    status=$?
# Keep what concerns our units; verify may also complain about unrelated
# units installed on this machine.
mine=$(printf '%s\n' "$out" | grep 'articlegen' || true)
if [ -n "$mine" ]; then
	printf '%s\n' "$mine" >&2
fi
if [ "$status" -ne 0 ] || [ -n "$mine" ]; then
	echo "verify-systemd: FAILED ($(systemd-analyze --version | head -n 1))" >&2
	exit 1
fi
echo "verify-systemd: articlegen.service and articlegen.timer verified" \
    "($(systemd-analyze --version | head -n 1))"
