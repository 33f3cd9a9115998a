#!/usr/bin/env bash
# Set up (or reuse) the environment, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# PTST_VLLM=0 skips the vLLM environment (its real test then skips); default: install it (scripts/setup-vllm.sh)
PTST_VLLM="${PTST_VLLM:-1}" bash "$root/scripts/setup.sh"
# tests/test_report_browser.py opens report.html in headless Chromium: install Debian's quietly when it is missing
# and this runs as root (otherwise that test is skipped)
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
    >/dev/null 2>&1 || echo "note: could not install chromium; tests/test_report_browser.py will be skipped" >&2
fi
cd "$root"
exec "${PTST_VENV:-$root/.venv}/bin/python" -m pytest "$@"
