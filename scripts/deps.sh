#!/bin/sh
# Install what articlegen needs to build, test and run its demo, from
# Debian/Ubuntu packages.  Uses sudo when not run as root.  Safe to re-run.
set -eu

PACKAGES="build-essential pkg-config libbsd-dev libjson-c-dev
libcurl4-openssl-dev check libyaml-dev hugo curl ca-certificates
libxml2-dev libcairo2-dev libfontconfig-dev fonts-dejavu-core
cppcheck groff-base nodejs gnuplot-nox time parallel
valgrind clang clang-tidy libclang-rt-14-dev"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: need root or sudo to install:$missing" >&2
	exit 1
fi
echo "deps: installing:$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
