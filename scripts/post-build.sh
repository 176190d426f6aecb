#!/bin/sh
# Trunk post_build hook. Trunk starts hooks of one stage side by side, so
# the steps that depend on each other run here in order: the page chunks
# join the build before the service worker lists it.
set -eu
dir=$(dirname "$0")
sh "$dir/place-split.sh"
sh "$dir/sw-precache.sh"
