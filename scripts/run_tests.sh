#!/usr/bin/env bash
# Install what the tests need and run every test: unit tests on SQLite (and on PostgreSQL when
# TEST_DATABASE_URL is set) and browser tests in headless Chromium.
# Extra arguments go to pytest, e.g. `bash scripts/run_tests.sh -k loader`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing Chromium and its driver for the browser tests (Debian packages)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Exports: PDF reports need fonts with Tajik Cyrillic (DejaVu) and the tests read PDFs with poppler.
if ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "DejaVu Sans"; then
  echo "Installing fonts and poppler-utils for the PDF report tests (Debian packages)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fonts-dejavu-core fontconfig poppler-utils >/dev/null
fi

python3 -m pytest --headless "$@"
