"""2-process data-parallel training on CPU (gloo) under ``accelerate launch``: both ranks must end identical."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_process_ddp_on_cpu_ranks_agree(tiny_model_dir, tmp_path):
    rows = [{"instruction": f"What is {i} plus {i + 1}?", "reference": f"It is {2 * i + 1}."} for i in range(16)]
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "run"
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1"}
    launcher = Path(sys.executable).with_name("accelerate")
    cmd = [str(launcher), "launch", "--config_file", str(REPO / "examples/accelerate/ddp-cpu.yaml"),
           "--main_process_port", str(_free_port()), "-m", "ptst", "train", "--device", "cpu",
           "--model", tiny_model_dir,
           "--dataset", str(data), "-o", str(out), "--batch-size", "4", "--epochs", "1", "--max-length", "256",
           "--lr", "2e-3", "--save-steps", "1"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    ranks = re.findall(r"rank (\d)/2: final loss (\S+) weights sha256 ([0-9a-f]{64})", r.stderr)
    assert sorted(x[0] for x in ranks) == ["0", "1"], r.stderr[-3000:]
    assert ranks[0][1:] == ranks[1][1:]  # same loss and bit-identical trainable weights on both ranks
    assert r.stdout.splitlines() == [str(out.resolve())]  # the run directory, printed once
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "finished" and m["environment"]["hardware"]["world_size"] == 2
    # 16 examples / (4 per process x 2 processes) = 2 optimizer steps, each checkpointed by rank 0
    assert m["global_step"] == 2 and [c["step"] for c in m["checkpoints"]] == [1, 2]
    assert m["final_weights_sha256"] == ranks[0][2]
    assert (out / "final" / "adapter_model.safetensors").exists()
