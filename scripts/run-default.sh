#!/usr/bin/env bash
# Set up (or reuse) the environment, then run ptst's main job: the built-in offline study (`ptst run`).
# Extra arguments go to `ptst run`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
exec "${PTST_VENV:-$root/.venv}/bin/ptst" run "$@"
