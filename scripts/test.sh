#!/usr/bin/env bash
# Set up (or reuse) the environment, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# PTST_VLLM=0 skips the vLLM environment (its real test then skips); default: install it (scripts/setup-vllm.sh)
PTST_VLLM="${PTST_VLLM:-1}" bash "$root/scripts/setup.sh"
cd "$root"
exec "${PTST_VENV:-$root/.venv}/bin/python" -m pytest "$@"
