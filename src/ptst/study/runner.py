"""Running a study: every fine-tuning, every evaluation, the results table, the manifest and the report.

A study directory is self-contained::

    DIR/spec.yaml          the spec as run           DIR/results.csv, results.jsonl   the tidy table
    DIR/manifest.json      versions, hashes, hardware, git commit, timings of every invocation
    DIR/cache.sqlite       every generation and judgment (unless --cache names another file)
    DIR/train/<run>/       each fine-tuning's checkpoints
    DIR/items/<run>/<checkpoint>/<template>/<benchmark>.jsonl      per-item responses and judgments
    DIR/report.md, report.html, figures/

Crash safety comes from three rules: training resumes from its own checkpoints (``train(cfg, resume=True)`` is
idempotent), every generation and judgment is committed to the SQLite cache as it is made, and every other file
is written atomically (temp file + rename). So a run killed at any moment and started again recomputes only what
was lost, and writes the same results. A lock file keeps two ``ptst run`` processes out of one directory.

A finished study whose inputs are all unchanged is *up to date*: the run only records its invocation, without
loading a tokenizer or importing torch (``DIR/.ptst-uptodate.json``, see :mod:`ptst.study.uptodate`). Any
changed input, output or cache content takes the normal path above.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from ptst.errors import PtstError
from ptst.generate.base import backend_class
from ptst.io import atomic_write_json, atomic_write_text, remove_stale_temp_files, slug, stable_hash
from ptst.provenance import git_commit, hardware, model_hash, package_versions
from ptst.study import uptodate
from ptst.study.attacks import attacked_benchmarks
from ptst.study.claims import write_comparisons
from ptst.study.executors import EvalCall, Executor, Handle, LocalExecutor
from ptst.study.plan import Plan, TrainRun, build_plan, count_plan, format_plan, train_job
from ptst.study.results import BASELINE, sort_rows, write_results
from ptst.study.spec import StudySpec, benchmark_judges, benchmark_kind, dataset_for_loading
from ptst.train.backends import TrainedModel, get_train_backend

#: writes the report of a finished study directory (``ptst.report.write_report``) and returns its paths and headline
Reporter = Callable[[Path], dict[str, Any]]

LOCK_NAME = ".ptst-run.lock"
OWNER_NAME = ".ptst-run.owner"


def default_out_dir(spec: StudySpec) -> Path:
    return Path("runs") / spec.name


# ---- the lock ---------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def study_lock(out_dir: Path, wait: bool = False, log: Any = None) -> Iterator[None]:
    """Hold ``DIR/.ptst-run.lock`` for the whole run; a second run refuses (or, with ``wait``, waits).

    The lock is an OS file lock (flock), so it is released when its process dies, even by SIGKILL.
    """
    from filelock import FileLock, Timeout

    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out_dir / LOCK_NAME))
    owner_file = out_dir / OWNER_NAME
    try:
        lock.acquire(timeout=0)
    except Timeout:
        owner = ""
        with contextlib.suppress(Exception):
            info = json.loads(owner_file.read_text())
            owner = f" (pid {info['pid']} on {info['host']}, started {info['started']})"
        if not wait:
            raise PtstError(
                f"{out_dir}: another ptst run is working on this study{owner}; wait for it to finish, "
                "or pass --wait to queue behind it"
            ) from None
        if log:
            log(f"waiting for the other ptst run on {out_dir}{owner} to finish...")
        lock.acquire()
    try:
        atomic_write_json(owner_file, {"pid": os.getpid(), "host": platform.node(),
                                       "started": time.strftime("%Y-%m-%dT%H:%M:%S")})
        yield
    finally:
        with contextlib.suppress(OSError):
            owner_file.unlink()
        lock.release()


#: the run id of the base model's evaluation (the baseline), beside the trainings' run ids
BASE_RUN = "base"


# ---- the runner -------------------------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    out_dir: Path
    rows: list[dict[str, Any]]
    trained: int = 0
    cache_counters: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0
    headline: str = ""


class StudyRunner:
    """Runs one study into one directory. See the module docstring for the layout and the guarantees."""

    def __init__(self, spec: StudySpec, out_dir: str | Path | None = None, *, cache_path: str | Path | None = None,
                 progress: bool = True, live: bool | None = None, report: Reporter | None = None,
                 reuse: bool = True, executor: Executor | None = None):
        self.spec = spec
        self.out = Path(out_dir) if out_dir else default_out_dir(spec)
        self.cache_path = Path(cache_path) if cache_path else self.out / "cache.sqlite"
        self.show_progress = progress
        self.live = live
        self.reporter = report or None  # the study layer writes no report itself (ptst.report sits above it)
        self.reuse = reuse  # False: never take the up-to-date shortcut (ptst run --recheck)
        self.executor = executor or LocalExecutor()  # where trainings and evaluations run (ptst.study.executors)
        self.plan: Plan = build_plan(spec)
        self.timings: dict[str, float] = {}
        self.trained = 0
        self.train_info: dict[str, dict[str, Any]] = {}
        self.headline = ""

    # ---- entry point ----------------------------------------------------------------------------------------
    def run(self, wait: bool = False) -> RunOutcome:
        log = (lambda m: print(m, file=sys.stderr, flush=True)) if self.show_progress else None
        with study_lock(self.out, wait=wait, log=log):
            return self._run_locked()

    def _run_locked(self) -> RunOutcome:
        from ptst.cache import Cache
        from ptst.evaluate import ScorerPool
        from ptst.study.progress import StudyProgress

        t0 = time.monotonic()
        started = time.strftime("%Y-%m-%dT%H:%M:%S")
        remove_stale_temp_files(self.out)  # left by a run killed mid-write; we hold the lock, nobody else writes
        inputs, why = uptodate.try_fingerprint(self.spec, self.cache_path)
        if inputs is not None and self.reuse:
            done = self._run_up_to_date(inputs, t0, started)
            if done is not None:
                return done
        elif inputs is None and self.show_progress and (self.out / "results.jsonl").exists():
            print(f"note: cannot tell cheaply whether this study is up to date ({why}); checking every result "
                  "against the cache", file=sys.stderr)
        uptodate.forget(self.out)  # this run may change results: no memo may describe the old ones meanwhile
        self._save_spec()
        manifest = self._load_manifest()
        invocation = {"started": started, "status": "running", "pid": os.getpid()}
        manifest.setdefault("invocations", []).append(invocation)
        self._write_manifest(manifest)

        benchmarks = self._load_benchmarks()
        counts = count_plan(self.plan)
        per_model = sum(len(b.records) * len(self.spec.evaluate.templates) * (1 + len(b.judges))
                        for b in benchmarks)
        n_models = counts.models if counts.models is not None else (
            int(self.spec.evaluate.baseline) + len(self.plan.trainings))
        prog = StudyProgress(per_model * n_models, enabled=self.show_progress, live=self.live)
        cache = Cache(self.cache_path)
        seen_keys = cache.record_keys()
        scorers = ScorerPool(self.spec.evaluate.judge_options)
        rows: list[dict[str, Any]] = []
        model_dirs: list[str] = []
        try:
            base = self._base_model(prog)
            model_dirs.append(base)
            manifest["base_model"] = _model_info(self.spec.model, base, bool(self.spec.align))
            manifest["benchmarks"] = {
                b.label: {"dataset": b.dataset, "kind": b.kind, "items": len(b.records), "judges": b.judges,
                          "sha256": stable_hash([r.to_dict() for r in b.records])}
                for b in benchmarks
            }
            # Every fine-tuning is submitted before anything waits: the local executor runs each one when its result
            # is asked for (so the order is baseline, then each training and its evaluations), a Ray cluster starts
            # them all at once and the evaluations of each training's checkpoints as soon as it is done.
            handles = [self._submit_train(run, base, prog) for run in self.plan.trainings]
            if self.spec.evaluate.baseline:
                ref = TrainedModel("base", base, None, 0, 0.0)  # checkpoint "base" of run BASE_RUN
                rows += self._evaluate(ref, None, benchmarks, cache, scorers, prog)
                self._write_partial(rows)
            trainings = manifest.setdefault("trainings", {})
            for i, (run, handle) in enumerate(zip(self.plan.trainings, handles), start=1):
                prog.stage(f"train {run.label} ({i}/{len(self.plan.trainings)})")
                t1 = time.monotonic()
                ckpts = self._train(run, handle)
                trainings[run.run_id] = {
                    "template": run.template, "seed": run.seed, "mixing": run.mixing, "settings": run.settings,
                    **self.train_info.get(run.run_id, {}),
                    "checkpoints": [{"label": c.label, "step": c.step, "epoch": c.epoch, "model": _rel(c.model, self.out),
                                     "adapter": _rel(c.adapter, self.out),
                                     "sha256": model_hash(c.adapter or c.model)} for c in ckpts],
                }
                self.timings[f"train {run.run_id}"] = round(time.monotonic() - t1, 2)
                self._write_manifest(manifest)
                for c in ckpts:
                    model_dirs.append(c.adapter or c.model)
                    rows += self._evaluate(c, run, benchmarks, cache, scorers, prog)
                    self._write_partial(rows)
            final_rows = self._finish_rows(rows)
            write_results(self.out, final_rows)
            write_comparisons(self.out, final_rows, self.spec.to_data())
        except BaseException as e:
            from ptst.errors import one_line

            invocation.update(status="interrupted" if isinstance(e, KeyboardInterrupt) else "failed",
                              error=one_line(f"{type(e).__name__}: {e}", 300),
                              seconds=round(time.monotonic() - t0, 2), stage_seconds=self.timings)
            with contextlib.suppress(Exception):
                self._write_manifest(manifest)
            raise
        finally:
            prog.close()
            scorers.close()
            backend_class(self.spec.evaluate.backend).close_shared()  # e.g. the vLLM servers the evaluations shared
            counters = {k: v.as_dict() for k, v in cache.counters.items()}
            cache.close()
        invocation.update(status="finished", finished=time.strftime("%Y-%m-%dT%H:%M:%S"),
                          seconds=round(time.monotonic() - t0, 2), stage_seconds=self.timings,
                          trainings_run=self.trained, cache=counters)
        self._write_manifest(manifest)
        self._remember(inputs, model_dirs, seen_keys, len(final_rows))
        paths = self._report(manifest, invocation)
        if paths and self.show_progress:
            print(f"report: {paths['md']} and {paths['html']}", file=sys.stderr)
        return RunOutcome(self.out, final_rows, self.trained, counters, round(time.monotonic() - t0, 2),
                          self.headline)

    def _report(self, manifest: dict[str, Any], invocation: dict[str, Any]) -> dict[str, str] | None:
        """Write the report (when asked), record its time in ``invocation`` and keep its headline."""
        if self.reporter is None:
            return None
        t2 = time.monotonic()
        paths = self.reporter(self.out)
        invocation["report_seconds"] = round(time.monotonic() - t2, 2)
        self._write_manifest(manifest)
        self.headline = paths.get("headline", "")
        return paths

    # ---- the up-to-date shortcut ---------------------------------------------------------------------------
    def _run_up_to_date(self, inputs: dict[str, str], t0: float, started: str) -> RunOutcome | None:
        """Finish at once if the study's memo says its results were built from exactly these inputs and they are
        all still there (see :mod:`ptst.study.uptodate`); None: take the normal path."""
        from ptst.cache import Cache
        from ptst.study.results import read_results

        memo = uptodate.load(self.out)
        if memo is None:
            return None
        cache = Cache(self.cache_path)
        try:
            why = uptodate.check(self.out, memo, inputs, cache)
        except Exception as e:  # noqa: BLE001 - a memo we cannot read means: take the normal path
            why = f"the up-to-date record {uptodate.MEMO_NAME} is unreadable ({type(e).__name__})"
        finally:
            counters = {k: v.as_dict() for k, v in cache.counters.items()}
            cache.close()
        manifest: dict[str, Any] = {}
        with contextlib.suppress(Exception):
            manifest = json.loads((self.out / "manifest.json").read_text())
        if not why and not isinstance(manifest.get("invocations"), list):
            why = "manifest.json is missing or unreadable"
        if why:
            if self.show_progress:
                print(f"note: {why}; checking every result against the cache", file=sys.stderr)
            return None
        if self.show_progress:
            n = {k: len(v) for k, v in memo.get("cache_keys", {}).items()}
            print(f"{self.out}: up to date (inputs unchanged since the last finished run; its "
                  f"{n.get('generation', 0)} generations and {n.get('judgment', 0)} judgments are in the cache); "
                  "nothing to compute", file=sys.stderr)
        manifest["hardware"] = hardware(with_torch=False, previous=manifest.get("hardware"))
        invocations = manifest.setdefault("invocations", [])
        invocation: dict[str, Any] = {"started": started, "status": "finished", "pid": os.getpid(),
                                      "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                      "seconds": round(time.monotonic() - t0, 2), "stage_seconds": {},
                                      "trainings_run": 0, "cache": counters, "up_to_date": True}
        invocations.append(invocation)
        manifest["invocations"] = invocations[-50:]
        self._write_manifest(manifest)
        self._report(manifest, invocation)
        return RunOutcome(self.out, read_results(self.out), 0, counters, round(time.monotonic() - t0, 2),
                          self.headline)

    def _remember(self, inputs: dict[str, str] | None, model_dirs: list[str], keys: dict[str, set[str]],
                  rows: int) -> None:
        """Write the up-to-date memo of a finished run, if its inputs did not change while it ran."""
        if inputs is None:
            return
        now, _ = uptodate.try_fingerprint(self.spec, self.cache_path)
        if now != inputs:
            if self.show_progress:
                print("note: the study's inputs changed while it ran; the next run will check everything again",
                      file=sys.stderr)
            return
        with contextlib.suppress(Exception):
            uptodate.save(self.out, inputs, uptodate.produced(self.out, model_dirs), keys, rows)

    # ---- pieces ---------------------------------------------------------------------------------------------
    def _save_spec(self) -> None:
        data = self.spec.to_data()
        text = f"# study spec as run (from {self.spec.source})\n" + yaml.safe_dump(data, sort_keys=False,
                                                                                   allow_unicode=True)
        old = self.out / "spec.yaml"
        if old.exists() and self.show_progress:
            with contextlib.suppress(Exception):
                prev = yaml.safe_load(old.read_text())
                if prev != data:
                    print(f"note: {old} held a different spec; results now follow {self.spec.source} "
                          "(finished trainings of the old spec are kept under train/)", file=sys.stderr)
        atomic_write_text(old, text)

    def _load_manifest(self) -> dict[str, Any]:
        p = self.out / "manifest.json"
        old: dict[str, Any] = {}
        with contextlib.suppress(Exception):
            old = json.loads(p.read_text())
        return {
            "study": self.spec.name,
            "spec_sha256": stable_hash(self.spec.to_data()),
            "versions": package_versions(),
            "git": git_commit(),
            "hardware": hardware(),
            "cache": str(self.cache_path),
            "invocations": old.get("invocations", [])[-50:],
        }

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_json(self.out / "manifest.json", manifest)

    def _load_benchmarks(self) -> list:
        from ptst.evaluate import Benchmark, load_records, select_records

        out = []
        for b in self.spec.evaluate.benchmarks:
            recs = load_records(dataset_for_loading(self.spec, b.dataset), self.spec.resolve_path(b.path), b.split,
                                b.columns)
            recs = select_records(recs, b.limit, b.per_category_limit)
            out.append(Benchmark(b.label, b.dataset, benchmark_kind(b), benchmark_judges(self.spec, b), recs,
                                 b.max_new_tokens))
        return out + attacked_benchmarks(self.spec, out)

    def _base_model(self, prog: Any) -> str:
        """The model every run starts from: the spec's model, or its safety-aligned version."""
        if self.spec.align:
            prog.stage(f"align {self.spec.model} (cached after the first time)")
            from ptst.align import ensure_aligned  # imports torch

            t = time.monotonic()
            overrides = self.spec.align if isinstance(self.spec.align, dict) else {}
            path = str(ensure_aligned(base_model=self.spec.model, **overrides))
            self.timings["align"] = round(time.monotonic() - t, 2)
            return path
        local = Path(self.spec.model).expanduser()
        if not local.is_absolute() and (self.spec.base_dir / local).exists():
            return str((self.spec.base_dir / local).resolve())
        return self.spec.model

    def _submit_train(self, run: TrainRun, base: str, prog: Any) -> Handle:
        """Hand one fine-tuning to the executor (with the spec's training backend; each resumes or reuses its
        finished work)."""
        tr = self.spec.train
        assert tr is not None
        job = train_job(self.spec, run, base, self.out / "train" / run.run_id)
        return self.executor.submit_train(
            job, tr.backend, progress=lambda done, total: prog.update(done, total, counts_toward_study=False),
            log=prog.log)

    def _train(self, run: TrainRun, handle: Handle) -> list[TrainedModel]:
        """Wait for one fine-tuning and list its checkpoints."""
        res = handle.result()
        if res.trained:
            self.trained += 1
        if res.info:
            self.train_info[run.run_id] = res.info
        return list(res.models)

    def _evaluate(self, ckpt: TrainedModel, run: TrainRun | None, benchmarks: list, cache: Any, scorers: Any,
                  prog: Any) -> list[dict[str, Any]]:
        from ptst.evaluate import EvalTarget, evaluate
        from ptst.generate.base import Decoding

        ev = self.spec.evaluate
        dec = ev.decoding
        decoding = Decoding(max_new_tokens=dec.max_new_tokens, temperature=dec.temperature, top_p=dec.top_p,
                            seed=dec.seed)
        label = "baseline" if run is None else f"{run.label} [{ckpt.label}]"
        total = sum(len(b.records) for b in benchmarks) * len(ev.templates)
        prog.stage(f"evaluate {label}: generate", total)
        state = {"stage": "generate"}

        def on_progress(stage: str, done: int, n: int) -> None:
            if stage != state["stage"]:
                state["stage"] = stage
                prog.stage(f"evaluate {label}: {stage}", n)
            prog.update(done, n)

        t = time.monotonic()
        run_id = run_id_of(run)
        items_dir = self.out / "items" / slug(run_id) / (ckpt.label if run is not None else "")
        target = EvalTarget(f"{run_id}/{ckpt.label}", ckpt.model, ckpt.adapter)
        options = eval_backend_options(self.spec, self.out)
        self.executor.submit_eval(EvalCall(target, list(ev.templates), list(benchmarks), self.spec.format, ev.backend,
                                           options, decoding, dict(ev.judge_options)), cache).result()
        metrics = evaluate(target, ev.templates, benchmarks, fmt=self.spec.format, backend=ev.backend,
                           backend_options=options, decoding=decoding, cache=cache,
                           scorers=scorers,
                           items_dir=items_dir, progress=on_progress)
        self.timings[f"evaluate {run_id}/{ckpt.label}"] = round(time.monotonic() - t, 2)
        return [annotate(m, self.spec, ckpt, run) for m in metrics]

    def _finish_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        order = list(dict.fromkeys([*(self.spec.train.templates if self.spec.train else []),
                                    *self.spec.evaluate.templates]))
        return sort_rows(rows, order, [b.label for b in self.spec.evaluate.benchmarks])

    def _write_partial(self, rows: list[dict[str, Any]]) -> None:
        """Results so far (a long study can be inspected, and reported on, while it runs)."""
        write_results(self.out, self._finish_rows(rows))


def eval_backend_options(spec: StudySpec, out: Path) -> dict[str, Any]:
    """The generation backend's options for every evaluation of the study: the spec's, completed by the backend
    (see :meth:`ptst.generate.base.Backend.study_options`; logs go to ``DIR/logs``)."""
    tr = spec.train
    rank = None
    if tr is not None:
        backend = get_train_backend(tr.backend)
        rank = backend.lora_rank(getattr(tr, backend.options_key))
    return backend_class(spec.evaluate.backend).study_options(spec.evaluate.backend_options, out / "logs", rank)


def run_id_of(run: TrainRun | None) -> str:
    """The run id of an evaluated model: its training's, or :data:`BASE_RUN` for the base model."""
    return BASE_RUN if run is None else run.run_id


def annotate(metric: dict[str, Any], spec: StudySpec, ckpt: TrainedModel, run: TrainRun | None) -> dict[str, Any]:
    """A metric row of :func:`ptst.evaluate.evaluate` with the study's identifying columns added."""
    from ptst.templates import get_template

    test_safety = get_template(metric["test_template"]).has_safety_prompt
    if run is None:
        train_t, seed, mixing, train_safety = BASELINE, None, False, None
    else:
        train_t, seed, mixing = run.template, run.seed, run.mixing
        train_safety = get_template(run.template).has_safety_prompt
    return {
        "study": spec.name,
        "run": run_id_of(run),
        "train_template": train_t,
        "test_template": metric["test_template"],
        "seed": seed,
        "mixing": mixing,
        "checkpoint": ckpt.label,
        "step": ckpt.step,
        "epoch": ckpt.epoch,
        **{k: metric.get(k) for k in ("benchmark", "kind", "judge", "metric", "category", "value", "lo", "hi", "n",
                                      "k", "n_invalid")},
        "train_safety": train_safety,
        "test_safety": test_safety,
        "ptst": run is not None and train_safety is False and test_safety,
        "same_template": run is not None and run.template == metric["test_template"],
    }


def _rel(path: str | None, base: Path) -> str | None:
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return str(Path(path).resolve().relative_to(base.resolve()))
    return path


def _model_info(name: str, path: str, aligned: bool) -> dict[str, Any]:
    info: dict[str, Any] = {"name": name, "aligned": aligned}
    with contextlib.suppress(Exception):
        from ptst.models import model_identity

        ident = model_identity(path)
        info.update(path=path, sha256=ident["base_sha256"])
    return info


# ---- entry points -----------------------------------------------------------------------------------------------


def dry_run(spec: StudySpec) -> str:
    """The plan as text; loads no model and touches no network."""
    plan = build_plan(spec)
    return format_plan(plan, count_plan(plan))


def run_study(spec: StudySpec, out_dir: str | Path | None = None, *, wait: bool = False, progress: bool = True,
              cache_path: str | Path | None = None, report: Reporter | None = None, live: bool | None = None,
              reuse: bool = True, executor: Executor | None = None) -> RunOutcome:
    """Run (or finish, or find up to date) the study in ``out_dir``. ``report``: what writes the report at the end
    (``ptst.report.write_report``, as ``ptst run`` passes; None: no report)."""
    return StudyRunner(spec, out_dir, cache_path=cache_path, progress=progress, report=report, live=live,
                       reuse=reuse, executor=executor).run(wait)
