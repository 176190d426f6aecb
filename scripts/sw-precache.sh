#!/bin/sh
# Run after place-split.sh (scripts/post-build.sh): write this build's file list and a version into the
# service worker, so it precaches exactly what the console needs offline.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
cd "$dir"
# Paths relative to sw.js, so one build serves from any folder.
list=$(find . -type f ! -name sw.js ! -name 404.html | sed 's|^\./||' | sort)
version=$(echo "$list" | sha256sum | cut -c1-12)
json=$(echo "$list" | awk 'BEGIN{printf "[\"./\""} {printf ",\"%s\"", $0} END{printf "]"}')
sed -i "s|\[\] /\*PRECACHE\*/|$json|; s|dev /\*VERSION\*/|$version|" sw.js
