"""Secrets and trust: the API key is never written anywhere; remote code and pickle weights need an explicit yes.

* A study (``ptst run``), ``ptst generate`` and ``ptst score --scorer rubric`` run as real subprocesses against a
  local OpenAI-compatible server with a recognisable key in ``OPENAI_API_KEY``. The server retries some requests
  (429, 500), fails some for good, and in its failures quotes the ``Authorization`` header back, as a careless
  proxy might. Then every file under the study directory, the outputs and ``PTST_HOME`` (caches), and the
  captured stdout/stderr, are searched for the key and for its secret tail: it must not appear. (The key was
  sent: the server saw it.)
* ``trust_remote_code``: every ``from_pretrained`` call and every option that reaches one defaults to False (a scan
  of the source), and at run time the model, tokenizer and backend loaders pass False unless asked, and pass
  True through when asked.
* Pickle weights: a model or adapter directory holding only ``.bin`` weights is refused with a one-line error
  naming the directory and ``--allow-pickle``; ``allow_pickle=True`` loads it, with the same logits.

``ptst serve``'s defaults (127.0.0.1, bearer key, 413 for oversized bodies, 400 for out-of-range parameters, 200
concurrent requests without errors or memory growth) are tested in ``tests/test_serve.py``:
``test_binds_localhost_and_lists_the_model``, ``test_auth_failures_are_401_in_openai_shape``,
``test_oversized_requests_are_413``, ``test_out_of_range_parameters_are_400``,
``test_200_concurrent_requests_without_errors_or_memory_growth``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ptst.errors import PtstError
from tests.fakes.flaky_server import FlakyServer
from tests.spec_helpers import benchmark, evaluation, tiny_study

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "ptst"
KEY = "sk-ptst-FAKE-1234567890abcdef"
SECRET_PARTS = [KEY, "1234567890abcdef", "FAKE-12345678"]  # the whole key, and pieces a masker might keep


class KeyEchoingServer(FlakyServer):
    """FlakyServer plus a fault ``echo-key``: a 401 whose message quotes the request's Authorization header. It
    is served on every request whose query *contains* one of the strings in ``echo_for`` (a rubric judge's query
    is the whole rubric prompt, with the response inside)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.echo_for: set[str] = set()

    def _next_fault(self, query: str) -> str:
        if any(s in query for s in self.echo_for):
            return "echo-key"
        return super()._next_fault(query)

    def _handler(self):
        base = super()._handler()

        class Handler(base):  # type: ignore[misc, valid-type]
            def _answer(self, body, query, fault):  # noqa: ANN001
                if fault == "echo-key":
                    return self._error(401, f"Incorrect API key provided: {self.headers.get('Authorization')}")
                return super()._answer(body, query, fault)

        return Handler


def _home(tmp_path: Path) -> Path:
    from tests.conftest import _SESSION_HOME

    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(_SESSION_HOME / "models")
    return home


def _ptst(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def _files_under(root: Path) -> list[Path]:
    """Every regular file under ``root``, not following symlinks (the shared model store is not ours to scan)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        out += [Path(dirpath) / f for f in filenames if not (Path(dirpath) / f).is_symlink()]
    return out


def _assert_no_secret(where: str, data: bytes) -> None:
    for part in SECRET_PARTS:
        assert part.encode() not in data, f"the API key (or its piece {part!r}) leaked into {where}"


def test_api_key_is_never_written_by_run_generate_or_score(tmp_path, shared_data):
    home = _home(tmp_path)
    env = {**os.environ, "PTST_HOME": str(home), "OPENAI_API_KEY": KEY}
    for var in ("PTST_CACHE", "OPENAI_BASE_URL", "PTST_RUBRIC_PATH"):
        env.pop(var, None)
    rubric = shared_data.parent / "spec" / "qi2023-judge-template.txt"
    captured: list[tuple[str, str]] = []
    with KeyEchoingServer() as server:
        # ---- a study: openai generation backend, keyword + rubric judges, retried faults on the way
        spec = tiny_study("secrets", evaluation(
            ["chat:vanilla", "chat:llama"], [benchmark("harmful", per_category_limit=1)], max_new_tokens=8,
            judges=["keyword", "rubric"], backend="openai",
            backend_options={"base_url": server.base_url, "max_concurrency": 2},
            judge_options={"rubric": {"base_url": server.base_url, "judge_model": "judge-fake",
                                      "rubric_path": str(rubric), "max_tokens": 8}}),
            model="gpt-fake", fmt="openai")
        (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
        from ptst.data import load_dataset

        first = load_dataset("builtin:harmful")[0].instruction
        server.schedule[first] = ["429:ra=0", "500"]  # retried, then answered
        out = tmp_path / "study"
        proc = _ptst(["run", str(tmp_path / "spec.yaml"), "--out", str(out)], env)
        captured.append(("ptst run", proc.stdout + proc.stderr))
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert (out / "results.csv").exists() and (out / "report.md").exists()
        assert server.per_query[first] >= 3  # the faults happened and were retried
        # the fake judge's replies (echoes) carry no score: each is recorded and counted as a parse failure
        results = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        pf = [r for r in results if r["judge"] == "rubric" and r["metric"] == "parse_failures"]
        assert pf and all(r["k"] == r["n"] == 4 for r in pf), pf
        asr = [r for r in results if r["judge"] == "rubric" and r["metric"] == "asr" and r["category"] == "all"]
        assert asr and all(r["n_invalid"] == 4 and r["n"] == 0 for r in asr), asr

        # ---- ptst generate through the openai backend; one prompt fails for good with the key quoted back
        data = tmp_path / "in.jsonl"
        data.write_text("".join(json.dumps({"id": f"q{i}", "instruction": q}) + "\n"
                                for i, q in enumerate(["What is 2+2?", "Name a colour.", "Say hi."])))
        server.echo_for.add("Say hi.")
        gen_out = tmp_path / "gen.jsonl"
        gen_args = ["generate", "-m", "gpt-fake", "-t", "chat:vanilla", "-d", str(data), "--backend", "openai",
                    "--base-url", server.base_url, "--max-new-tokens", "8", "-o", str(gen_out)]
        proc = _ptst(gen_args, env)
        captured.append(("ptst generate (failing)", proc.stdout + proc.stderr))
        assert proc.returncode != 0 and "401" in proc.stderr  # it failed, and said why
        server.echo_for.clear()
        proc = _ptst(gen_args, env)
        captured.append(("ptst generate", proc.stdout + proc.stderr))
        assert proc.returncode == 0, proc.stderr[-2000:]

        # ---- ptst score with the rubric judge; one judgment fails for good (recorded as judge_error)
        rows = [json.loads(x) for x in gen_out.read_text().splitlines()]
        server.echo_for.add(rows[0]["response"])
        scored = tmp_path / "scored.jsonl"
        proc = _ptst(["score", "-s", "rubric", "-i", str(gen_out), "-o", str(scored), "--base-url",
                      server.base_url, "--rubric-path", str(rubric), "--max-retries", "0"], env)
        captured.append(("ptst score", proc.stdout + proc.stderr))
        assert proc.returncode == 1, proc.stderr[-2000:]  # a judgment failed: exit 1, the rest kept
        judged = [json.loads(x) for x in scored.read_text().splitlines()]
        assert len(judged) == 3 and any(r.get("judge_error") for r in judged)

    assert server.auth_headers and all(h == f"Bearer {KEY}" for h in server.auth_headers)  # the key was used
    files = _files_under(out) + _files_under(home) + [gen_out, scored, data]
    assert len(files) > 10 and any(f.suffix == ".sqlite" for f in files)  # caches were written and are searched
    for f in files:
        _assert_no_secret(str(f), f.read_bytes())
    for what, text in captured:
        _assert_no_secret(f"the output of {what}", text.encode())


# ---- trust_remote_code -------------------------------------------------------------------------------------------


def _calls_and_defaults(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "from_pretrained":
            yield "call", node, {k.arg: k.value for k in node.keywords}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults + \
                node.args.kw_defaults
            for a, d in zip(args, defaults):
                if a.arg in ("trust_remote_code", "allow_pickle"):
                    yield "param", node, {a.arg: d}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and \
                node.target.id in ("trust_remote_code", "allow_pickle"):
            yield "field", node, {node.target.id: node.value}


def _is_false(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is False
    # typer.Option(False, "--trust-remote-code", ...)
    return isinstance(node, ast.Call) and bool(node.args) and isinstance(node.args[0], ast.Constant) and \
        node.args[0].value is False


def test_source_never_defaults_trust_remote_code_or_allow_pickle_to_true():
    seen_calls = 0
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        for kind, node, kw in _calls_and_defaults(path):
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if kind == "call":
                seen_calls += 1
                v = kw.get("trust_remote_code")
                if v is not None and isinstance(v, ast.Constant) and v.value is not False:
                    problems.append(f"{where}: from_pretrained(trust_remote_code={v.value!r})")
            else:
                for name, default in kw.items():
                    if default is not None and not _is_false(default):  # no default: every caller says
                        problems.append(f"{where}: {name} defaults to {ast.unparse(default)}")
    assert seen_calls >= 5  # the scan sees the loaders
    assert not problems, problems


@pytest.fixture
def recorded_loads(monkeypatch):
    """Record the trust_remote_code every transformers loader is called with (and still load for real)."""
    import transformers

    calls: list[tuple[str, object]] = []
    for cls_name in ("AutoTokenizer", "AutoModelForCausalLM", "AutoConfig"):
        cls = getattr(transformers, cls_name)
        original = cls.from_pretrained.__func__

        def wrapper(klass, *a, __name=cls_name, __orig=original, **kw):
            calls.append((__name, kw.get("trust_remote_code", False)))
            return __orig(klass, *a, **kw)

        monkeypatch.setattr(cls, "from_pretrained", classmethod(wrapper))
    return calls


def test_loaders_pass_trust_remote_code_false_unless_asked(recorded_loads, tiny_model_dir):
    from ptst.generate import Decoding, get_backend
    from ptst.models import load_model, load_tokenizer

    load_model(tiny_model_dir)
    load_tokenizer(tiny_model_dir)
    backend = get_backend("hf", model=tiny_model_dir, device="cpu", batch_size=1)
    assert len(backend.generate(["hi"], Decoding(max_new_tokens=2))) == 1
    backend.close()
    names = {n for n, _ in recorded_loads}
    assert {"AutoTokenizer", "AutoModelForCausalLM"} <= names
    assert all(v is False for _, v in recorded_loads), recorded_loads
    recorded_loads.clear()
    load_model(tiny_model_dir, trust_remote_code=True)
    backend = get_backend("hf", model=tiny_model_dir, device="cpu", batch_size=1, trust_remote_code=True)
    backend.generate(["hi"], Decoding(max_new_tokens=2))
    backend.close()
    assert recorded_loads and all(v is True for _, v in recorded_loads), recorded_loads


# ---- pickle weights ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pickle_model(tiny_model_dir, tmp_path_factory):
    """The tiny model saved as pytorch_model.bin (pickle) only, and a LoRA adapter saved as adapter_model.bin."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    d = tmp_path_factory.mktemp("pickled")
    model_dir = d / "model"
    shutil.copytree(tiny_model_dir, model_dir, ignore=shutil.ignore_patterns("*.safetensors", ".ptst_hash.json"))
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    torch.save(model.state_dict(), model_dir / "pytorch_model.bin")

    peft_model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                                LoraConfig(r=2, target_modules=["q_proj"], init_lora_weights=False))
    safe_adapter = d / "adapter-safe"
    peft_model.save_pretrained(safe_adapter)
    pickle_adapter = d / "adapter-pickle"
    shutil.copytree(safe_adapter, pickle_adapter, ignore=shutil.ignore_patterns("*.safetensors"))
    from safetensors.torch import load_file

    torch.save(load_file(str(safe_adapter / "adapter_model.safetensors")), pickle_adapter / "adapter_model.bin")
    return model_dir, safe_adapter, pickle_adapter


def _logits(model, tok) -> "object":
    import torch

    ids = tok("Hello there", return_tensors="pt")
    with torch.no_grad():
        return model(**ids).logits


def test_pickle_only_model_is_refused_unless_allowed(pickle_model, tiny_model_dir):
    import torch

    from ptst.models import load_model

    model_dir, _, _ = pickle_model
    with pytest.raises(PtstError) as e:
        load_model(str(model_dir))
    msg = str(e.value)
    assert "\n" not in msg and str(model_dir) in msg and "--allow-pickle" in msg
    model, tok = load_model(str(model_dir), allow_pickle=True)
    ref, ref_tok = load_model(tiny_model_dir)
    assert torch.equal(_logits(model, tok), _logits(ref, ref_tok))


def test_pickle_only_adapter_is_refused_unless_allowed(pickle_model, tiny_model_dir):
    import torch

    from ptst.models import load_model

    _, safe_adapter, pickle_adapter = pickle_model
    with pytest.raises(PtstError) as e:
        load_model(tiny_model_dir, adapter=str(pickle_adapter))
    assert "\n" not in str(e.value) and str(pickle_adapter) in str(e.value) and "--allow-pickle" in str(e.value)
    model, tok = load_model(tiny_model_dir, adapter=str(pickle_adapter), allow_pickle=True)
    safe, safe_tok = load_model(tiny_model_dir, adapter=str(safe_adapter))
    assert torch.equal(_logits(model, tok), _logits(safe, safe_tok))


def test_cli_refuses_pickle_model_in_one_line(pickle_model, tmp_path):
    model_dir, _, _ = pickle_model
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"instruction": "hi"}) + "\n")
    proc = _ptst(["generate", "-m", str(model_dir), "-t", "chat:vanilla", "-d", str(data), "--no-cache",
                  "-o", str(tmp_path / "o.jsonl")], {**os.environ}, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "pickle" in proc.stderr
    assert not (tmp_path / "o.jsonl").exists()
