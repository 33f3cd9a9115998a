#!/usr/bin/env bash
# Set up (or reuse) the environment, then run the whole test suite. Extra arguments go to pytest.
#
#   PTST_VLLM=0           skip the vLLM environment (its real test then skips); default: install it (setup-vllm.sh)
#   PTST_TEST_WORKERS=N   pytest-xdist workers (default: one per core, at most one per 4 GiB of memory; 1: no xdist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# tests/test_report_browser.py opens report.html in headless Chromium: install Debian's quietly when it is missing
# and this runs as root (otherwise that test is skipped); in the background, while the environments install
chromium_pid=""
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  ( (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
    >/dev/null 2>&1 || echo "note: could not install chromium; tests/test_report_browser.py will be skipped" >&2 ) &
  chromium_pid=$!
fi
PTST_VLLM="${PTST_VLLM:-1}" bash "$root/scripts/setup.sh"
if [ -n "$chromium_pid" ]; then wait "$chromium_pid" || true; fi
cd "$root"
# Tests run in parallel (pytest-xdist), one worker per core: each worker's torch gets its share of the cores
# (tests/conftest.py), tests sharing a module-scoped fixture stay on one worker and the slow end-to-end tests are
# sent first (--dist loadgroup). --durations lists the slowest tests in every log.
workers="${PTST_TEST_WORKERS:-}"
if [ -z "$workers" ]; then
  workers="$(nproc 2>/dev/null || echo 1)"
  mem_gib=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0) / 1048576 ))
  if [ "$mem_gib" -ge 4 ] && [ "$workers" -gt $(( mem_gib / 4 )) ]; then workers=$(( mem_gib / 4 )); fi
fi
xdist=()
if [ "$workers" -gt 1 ]; then xdist=(-n "$workers" --dist loadgroup); fi
exec "${PTST_VENV:-$root/.venv}/bin/python" -m pytest ${xdist[@]+"${xdist[@]}"} --durations=25 "$@"
