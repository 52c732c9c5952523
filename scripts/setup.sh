#!/usr/bin/env bash
# Install what cascade needs on a fresh Debian/Ubuntu machine: system tools, then the package.
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing system packages: ${need[*]}"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[dev,divisions]" 2>&1 | grep -v "Running pip as the 'root' user" || true
python3 -c "import cascade, cli" 
