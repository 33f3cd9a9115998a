#!/usr/bin/env bash
# Set up (or reuse) the environment, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
exec "${PTST_VENV:-$root/.venv}/bin/python" -m pytest "$@"
