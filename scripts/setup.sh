#!/usr/bin/env bash
# Set up cascade on a Debian/Ubuntu machine, as root or as a user with sudo:
#   1. the system packages it needs (apt), only those that are missing;
#   2. a project virtual environment in .venv (the system Python of Debian 12 / Ubuntu 23.04+ is
#      "externally managed": pip refuses to install into it), with the package and its extras.
# Idempotent and quick when everything is there (CI runs it every time): no apt and no pip call then.
#
# Environment:
#   PYTHON=python3      the interpreter the venv is made from (the PATH's python3 by default;
#                       /usr/bin/python3 works, pyenv's works too)
#   VENV=.venv          where the virtual environment lives
#   BROWSER=1           install chromium + chromium-driver for the browser tests (BROWSER=0 skips)
#   EXTRAS=dev,divisions,cluster,postgres   the package extras to install
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
BROWSER=${BROWSER:-1}
EXTRAS=${EXTRAS:-dev,divisions,cluster,postgres}

say() { echo "setup: $*"; }

# --- 1. system packages -----------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
want=(antiword tesseract-ocr tesseract-ocr-vie fonts-dejavu-core gettext)   # gettext: msgfmt/xgettext, the catalogue tests
want+=(postgresql)   # initdb/pg_ctl: the tests start a throw-away PostgreSQL server (tests/pg.py)
[ "$BROWSER" = 1 ] && want+=(chromium chromium-driver)
# the venv module needs ensurepip, which Debian ships apart in python3-venv (python3.X-venv)
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  want+=("python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
fi
need=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${want[@]}"; do installed "$p" || need+=("$p"); done
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=()
  elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); say "using sudo for apt-get"
  else say "missing system packages (${need[*]}) and neither root nor sudo: install them, then rerun"; exit 1
  fi
  say "installing system packages with apt-get: ${need[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || say "apt-get update failed; trying with the current lists"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  say "system packages installed"
fi

# --- 2. the project virtual environment -------------------------------------------------------
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sys" >/dev/null 2>&1; then
  say "creating the virtual environment $VENV with $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
# reinstall only when pyproject.toml or the extras changed (the install is editable: code needs none)
stamp="$VENV/.cascade-setup"
want_stamp="$(sha256sum pyproject.toml | cut -d' ' -f1) $EXTRAS $(pwd)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  say "installing cascade[$EXTRAS] into $VENV (pip, from PyPI)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$EXTRAS]"
  echo "$want_stamp" > "$stamp"
fi
"$VENV/bin/python" -c "import cascade, cli"
say "ready: $VENV/bin/cascade, $VENV/bin/python -m pytest"
