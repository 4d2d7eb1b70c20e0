#!/usr/bin/env bash
# Install what the tests need and run every test: unit tests on SQLite (and on PostgreSQL when
# TEST_DATABASE_URL is set) and browser tests in headless Chromium.
# Extra arguments go to pytest, e.g. `bash scripts/run_tests.sh -k loader`.
# System packages are installed only when missing, so a prepared machine needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian packages for what is missing: Chromium and its driver (browser tests), poppler (the tests
# read PDF reports) and DejaVu fonts (Tajik Cyrillic in the PDF reports).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# fc-list's output is read whole first: `fc-list | grep -q` fails under pipefail when grep stops early.
fonts=$(fc-list 2>/dev/null || true)
grep -qi "DejaVu Sans" <<<"$fonts" || missing+=(fonts-dejavu-core fontconfig)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m pytest --headless "$@"
