#!/usr/bin/env bash
# Prepares this checkout: a virtual environment with the pinned packages, the
# project installed into it, and (with --test) Debian's Chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
requirements=requirements.txt
[ "$want_tests" = 1 ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements*.txt pyproject.toml | sha256sum | cut -c1-16)-$want_tests"
if [ ! -f "$stamp" ]; then
  echo "setup: installing $requirements into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-build.txt
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements"
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  touch "$stamp"
fi

if [ "$want_tests" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
