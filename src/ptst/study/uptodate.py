"""Is a finished study up to date? The check that lets ``ptst run`` skip a study whose inputs have not changed.

A rerun of a finished study through the normal path recomputes nothing (every generation and judgment is a cache
hit), but it still has to load a tokenizer to render the prompts the cache keys are made of, which imports torch
and transformers and takes seconds. This module answers the question without them:

* At the end of every finished run, the runner records in ``DIR/.ptst-uptodate.json`` (a :class:`ptst.memo.Memo`,
  written atomically) a **fingerprint**
  of every input, what the run **produced** (sha256 of the results files, the per-item files and ``spec.yaml``;
  content hashes of the base model and every evaluated checkpoint), and the **cache keys** of every generation and
  judgment the results were built from.
* A later run computes the fingerprint again. It is cheap: hashes of the spec, of the dataset files, template
  files and model files (model hashes are memoised by file size and mtime, see
  :func:`ptst.models.content_hash`), of the ptst source tree (plus version and git commit), of the installed
  package versions, of the ``PTST_*`` environment and of each judge's identity. If every component equals the
  recorded one, every produced file and model still has its recorded hash, and every recorded cache key is still
  in the cache, the study is up to date: the run does nothing but record its invocation.
* Anything else (a changed or missing input, an input that cannot be fingerprinted offline such as a dataset
  fetched from the network, a deleted or edited output, a cleared cache) falls back to the normal path, which is
  always correct; the runner deletes the memo before it changes anything and writes a new one when it finishes.

The fingerprint is conservative on purpose: it may call a study stale that the normal path would have found fully
cached (after a commit that touched only documentation, for instance), never the other way round.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ptst import __version__
from ptst.data import resolve
from ptst.errors import PtstError, one_line
from ptst.evaluate import ScorerPool
from ptst.io import stable_hash
from ptst.memo import Memo
from ptst.models import SHORT_NAMES, TINY_RANDOM, content_hash
from ptst.paths import models_dir
from ptst.provenance import git_commit, package_tree_hash, package_versions, path_digest
from ptst.study.spec import benchmark_judges

MEMO_NAME = ".ptst-uptodate.json"
#: environment variables that never enter the fingerprint (only digests are stored, but keep secrets out anyway)
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


class NotCheckable(Exception):
    """An input cannot be fingerprinted cheaply and offline (the study then always takes the normal path)."""


# ---- fingerprint of the inputs -----------------------------------------------------------------------------------


def dataset_fingerprint(spec: Any, name: str, split: str | None, path: str | None) -> Any:
    """What a dataset's records depend on, without reading them through the loader: the bytes of the local file
    (or directory) it comes from, or, for the sets shipped with ptst (``builtin:*``, ``align:*``), nothing beyond
    the package tree hash."""
    ref = resolve(name, split)
    fp: dict[str, Any] = {"name": name, "split": split}
    if path is not None:
        fp["path"] = path_digest(spec.resolve_path(path))
        return fp
    if ref.source is not None:
        if ref.source.offline:
            fp["builtin"] = True  # shipped inside the package: covered by package_tree_hash()
            return fp
        local = ref.local_copy()
        if local is None:
            raise NotCheckable(f"dataset {name} comes from the network")
        fp["local"] = [str(local), path_digest(local)]
        return fp
    # a local file: the runner resolves it against the spec's directory, training against the working directory
    fp["file"] = path_digest(spec.resolve_path(name))
    fp["file_cwd"] = path_digest(Path(name).expanduser().resolve())
    return fp


def model_fingerprint(name: str, base_dir: Path) -> Any:
    """The content identity of the spec's model, without building or downloading it."""
    local = Path(name).expanduser()
    if not local.is_absolute() and (base_dir / local).exists():
        p = (base_dir / local).resolve()
    elif name in SHORT_NAMES or name == TINY_RANDOM:
        p = models_dir() / name
        if not (p / "config.json").exists():
            raise NotCheckable(f"model {name} is not built yet")
    elif local.exists():
        p = local.resolve()
    else:
        return f"hub:{name}"  # the identity the generation cache keys use for a hub model
    return [str(p), content_hash(p)]


def judge_identities(spec: Any) -> dict[str, Any]:
    names = sorted({j for b in spec.evaluate.benchmarks for j in benchmark_judges(spec, b)})
    pool = ScorerPool(spec.evaluate.judge_options)
    try:
        return {n: pool.get(n).identity() for n in names}
    finally:
        pool.close()


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k.startswith("PTST_") and not any(w in k for w in _SECRET_WORDS)}
    env["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME", "")
    return env


def fingerprint(spec: Any, cache_path: str | Path) -> dict[str, str]:
    """One digest per kind of input of the study (raises :class:`NotCheckable`). Only digests are kept, so the
    memo holds no paths' contents and no environment values."""
    tr = spec.train
    datasets: list[Any] = []
    if tr is not None:
        datasets.append(dataset_fingerprint(spec, tr.dataset, tr.split, tr.path))
        if any(tr.safety_mixing):
            datasets.append(dataset_fingerprint(spec, tr.safety_dataset, None, tr.safety_path))
    for b in spec.evaluate.benchmarks:
        name = b.dataset
        datasets.append(dataset_fingerprint(spec, name, b.split, b.path))
    template_files = [spec.resolve_path(spec.templates_file)] if spec.templates_file else []
    template_files += [p for p in os.environ.get("PTST_TEMPLATES", "").split(os.pathsep) if p]
    parts = {
        "spec": {"data": spec.to_data(), "source": str(spec.source), "base_dir": str(spec.base_dir)},
        "cache": str(Path(cache_path).resolve()),
        "code": {"version": __version__, "tree": package_tree_hash(), "git": git_commit()},
        "packages": package_versions(),
        "environment": _environment(),
        "templates": [[p, path_digest(p)] for p in template_files],
        "datasets": datasets,
        "model": model_fingerprint(spec.model, spec.base_dir),
        "judges": judge_identities(spec),
    }
    return {k: stable_hash(v) for k, v in parts.items()}


def try_fingerprint(spec: Any, cache_path: str | Path) -> tuple[dict[str, str] | None, str]:
    """(fingerprint, "") or (None, why it cannot be computed)."""
    try:
        return fingerprint(spec, cache_path), ""
    except NotCheckable as e:
        return None, str(e)
    except Exception as e:  # noqa: BLE001 - an input we cannot fingerprint means: take the normal path
        return None, one_line(f"{type(e).__name__}: {e}", 200)


# ---- what a run produced -----------------------------------------------------------------------------------------


def produced(out_dir: Path, model_dirs: list[str]) -> dict[str, Any]:
    """The files (relative to ``out_dir``) and the models' content hashes a finished run leaves (the inputs of the
    report, and of a later rerun)."""
    files = ["results.csv", "results.jsonl", "spec.yaml"]
    files += [f for f in ("comparisons.csv", "comparisons.jsonl") if (out_dir / f).is_file()]
    files += sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "items").rglob("*.jsonl"))
    files += sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "train").glob("*/openai_result.json"))
    models = {}
    for m in dict.fromkeys(model_dirs):
        if Path(m).is_dir():
            models[str(Path(m).resolve())] = content_hash(m)
    return {"files": files, "models": models}


def models_intact(recorded: dict[str, str]) -> str:
    """"" if every recorded model still has its content hash, else what changed."""
    for m, digest in recorded.items():
        try:
            if content_hash(m) != digest:
                return f"model files in {m} changed"
        except (PtstError, OSError):
            return f"model files in {m} are gone"
    return ""


# ---- the record (a :class:`ptst.memo.Memo`) ------------------------------------------------------------------------


def _memo(out_dir: Path) -> Memo:
    return Memo(out_dir / MEMO_NAME)


def load(out_dir: Path) -> dict[str, Any] | None:
    """What the last finished run recorded: ``inputs``, ``outputs`` (``models``), ``cache_keys``, ``rows``."""
    rec = _memo(out_dir).record("study")
    return rec.get("value") if rec is not None and isinstance(rec.get("value"), dict) else None


def forget(out_dir: Path) -> None:
    """Delete the record: called before a run changes anything, so a killed run never leaves a stale one."""
    _memo(out_dir).drop()


def save(out_dir: Path, inputs: dict[str, str], outputs: dict[str, Any], cache_keys: dict[str, set[str]],
         rows: int) -> None:
    _memo(out_dir).put("study", stable_hash(inputs), files=outputs["files"], value={
        "inputs": inputs,
        "outputs": {"models": outputs["models"]},
        "rows": rows,
        "cache_keys": {k: sorted(v) for k, v in cache_keys.items()},
    })


def changed_inputs(memo: dict[str, Any], inputs: dict[str, str]) -> list[str]:
    old = memo.get("inputs", {})
    return sorted(k for k in set(old) | set(inputs) if old.get(k) != inputs.get(k))


def check(out_dir: Path, memo: dict[str, Any], inputs: dict[str, str], cache: Any) -> str:
    """"" if the study in ``out_dir`` is up to date, else the reason it is not (for the log line)."""
    changed = changed_inputs(memo, inputs)
    if changed:
        return "changed since the last finished run: " + ", ".join(changed)
    m = _memo(out_dir)
    rec = m.record("study") or {}
    changed_file = m.changed_file(rec)
    if changed_file:
        return f"{changed_file} changed"
    why = models_intact(memo.get("outputs", {}).get("models", {}))
    if why:
        return why
    for kind, keys in memo.get("cache_keys", {}).items():
        if cache.count_present(kind, keys) != len(keys):
            return f"some {kind}s are no longer in the cache {cache.path}"
    return ""
