#!/usr/bin/env bash
# Checks what users actually install: builds, packs the tarball, then runs publint and
# "are the types wrong" on it (ESM, CJS and every subpath export).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsup --silent
tmp=$(mktemp -d)
tarball=$(npm pack --silent --pack-destination "$tmp" | tail -n 1)
npx publint "$tmp/$tarball" --strict
npx attw "$tmp/$tarball" --profile node16
rm -rf "$tmp"
