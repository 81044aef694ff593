#!/bin/sh
# Install from Debian/Ubuntu packages what one use of articlegen needs.
# Uses sudo when not run as root.  Safe to re-run: installs only what is
# missing.
#
# Usage: scripts/deps.sh [SET]
#   build    compile articlegen (make): compiler and library headers
#   runtime  run binaries built elsewhere: the shared libraries and CA
#            certificates, no compiler (a pipeline's shard jobs)
#   dev      everything: build, tests, the sanitizer and valgrind runs,
#            static analysis, Hugo, the workflow lint and benchmarks
#            (the default; what CI and the README's quickstart use)
#
# "a|b" in a list means either package: the first one installed, else the
# first the package index knows (names differ between releases, e.g.
# libcurl4 became libcurl4t64 in Ubuntu 24.04).
set -eu

BUILD="build-essential pkg-config libbsd-dev libjson-c-dev
libcurl4-openssl-dev libyaml-dev libxml2-dev libcairo2-dev libfontconfig-dev"
RUNTIME="libbsd0 libjson-c5|libjson-c4 libcurl4t64|libcurl4 libyaml-0-2
libxml2 libcairo2 libfontconfig1 fonts-dejavu-core ca-certificates"
DEV="$BUILD check hugo curl ca-certificates fonts-dejavu-core systemd
cppcheck groff-base nodejs gnuplot-nox time parallel
valgrind clang clang-tidy libclang-rt-14-dev"

set_name=${1:-dev}
case $set_name in
build) PACKAGES=$BUILD ;;
runtime) PACKAGES=$RUNTIME ;;
dev) PACKAGES=$DEV ;;
-h|--help)
	sed -n '2,17s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "deps: unknown set '$set_name' (build, runtime or dev)" >&2
	exit 64
	;;
esac

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null |
	    grep -q "install ok installed"
}

missing=""
for group in $PACKAGES; do
	found=""
	for p in $(echo "$group" | tr '|' ' '); do
		if installed "$p"; then
			found=$p
			break
		fi
	done
	[ -n "$found" ] || missing="$missing $group"
done
if [ -z "$missing" ]; then
	echo "deps: $set_name: all packages present"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: $set_name: need root or sudo to install:$missing" >&2
	exit 1
fi
$SUDO apt-get update -qq

# Resolve each alternative to the first name the package index knows.
install=""
for group in $missing; do
	pick=""
	for p in $(echo "$group" | tr '|' ' '); do
		if apt-cache show "$p" >/dev/null 2>&1; then
			pick=$p
			break
		fi
	done
	if [ -z "$pick" ]; then
		echo "deps: $set_name: no package $group in the index" >&2
		exit 1
	fi
	install="$install $pick"
done
echo "deps: $set_name: installing:$install"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $install
