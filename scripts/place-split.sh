#!/bin/sh
# Run by scripts/post-build.sh: put the console's page chunks (split off by
# xtask/src/split.rs while Trunk ran wasm-bindgen) beside Trunk's files, and
# point their loader at the console's hashed script.
set -eu
stage="${TRUNK_STAGING_DIR:?run by trunk}"
from="${TRUNK_SOURCE_DIR:-.}/target/wasm-split/chunks"
[ -d "$from" ] || { echo "place-split: no chunks in $from; build through cargo xtask" >&2; exit 1; }
main=$(cd "$stage" && ls clientele-web-*.js)
cp "$from"/* "$stage"/
sed -i "s|\"./clientele-web.js\"|\"./$main\"|" "$stage"/clientele-web-split-*.js
