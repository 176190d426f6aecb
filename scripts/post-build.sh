#!/bin/sh
# Trunk post_build hook. Trunk starts hooks of one stage side by side, so
# the steps that depend on each other run here in order: the page chunks
# join the build before the service worker lists it.
set -eu
dir=$(dirname "$0")
sh "$dir/place-split.sh"
# A host without rewrites (GitHub Pages) answers an unknown path with its
# 404.html: the shell, which finds its folder from the address.
cp "${TRUNK_STAGING_DIR:?run by trunk}/index.html" "$TRUNK_STAGING_DIR/404.html"
sh "$dir/sw-precache.sh"
