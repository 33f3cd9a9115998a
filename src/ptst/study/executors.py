"""Where a study's fine-tunings and checkpoint evaluations run: a small registry of executors.

``local`` (the default) runs each piece in the ``ptst run`` process, as it is needed. ``ray`` runs each as a Ray
task (``ptst run SPEC --executor ray [--address ADDR]``; ``pip install 'ptst[ray]'``), all trainings at once and
then the evaluations of each training's checkpoints, with the CPUs/GPUs per task and retries from the spec's
``executor`` section. The study directory must be on a filesystem every node shares.

The driver alone writes the SQLite cache and the results: a Ray evaluation task computes into a throw-away cache on
its own node's local disk and returns every row it made (generations, judgments); the driver stores them in the
study's cache and then evaluates the checkpoint itself from that cache (all hits: no model is loaded), so the item
files and the metric rows are written exactly as the local executor writes them. A training task writes only its
own run directory (checkpoints, as ``ptst train`` does). A task whose worker dies is retried (``max_retries``);
trainings resume from their checkpoints and evaluations are deterministic, so the results are the same.

The runner only sees :class:`Executor`: ``submit_train`` and ``submit_eval`` return a handle whose ``result()``
gives the training's :class:`~ptst.train.backends.TrainOutcome`, or fills the cache for one evaluation.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ptst.errors import PtstError
from ptst.train.backends import TrainJob, TrainOutcome, get_train_backend


@dataclass(frozen=True)
class Resources:
    """What one task asks of the cluster (the spec's ``executor`` section)."""

    cpus: float = 1.0
    gpus: float = 0.0
    max_retries: int = 3


@dataclass
class EvalCall:
    """Everything one checkpoint evaluation needs, in plain data a Ray worker can receive."""

    target: Any  # ptst.evaluate.EvalTarget
    templates: list[str]
    benchmarks: list[Any]  # ptst.evaluate.Benchmark
    fmt: str
    backend: str
    backend_options: dict[str, Any]
    decoding: Any  # ptst.generate.base.Decoding
    judge_options: dict[str, dict[str, Any]] = field(default_factory=dict)


class Handle(ABC):
    @abstractmethod
    def result(self) -> Any: ...


class _Done(Handle):
    def __init__(self, fn: Callable[[], Any]):
        self._fn = fn

    def result(self) -> Any:
        return self._fn()


class Executor(ABC):
    name: str = ""

    @abstractmethod
    def submit_train(self, job: TrainJob, backend: str, progress: Any = None, log: Any = None) -> Handle:
        """Start (or queue) one fine-tuning; ``result()`` is its TrainOutcome."""

    @abstractmethod
    def submit_eval(self, call: EvalCall, cache: Any) -> Handle:
        """Start (or queue) the generations and judgments of one evaluation; ``result()`` leaves them in ``cache``
        (the driver's), so the runner's own evaluation of ``call`` then finds them all there."""

    def close(self) -> None:
        pass


class LocalExecutor(Executor):
    """Everything in this process, when its result is asked for (the runner's evaluation fills the cache itself)."""

    name = "local"

    def submit_train(self, job: TrainJob, backend: str, progress: Any = None, log: Any = None) -> Handle:
        return _Done(lambda: get_train_backend(backend).train(job, progress=progress, log=log))

    def submit_eval(self, call: EvalCall, cache: Any) -> Handle:
        return _Done(lambda: None)


# ---- the work of one task (runs in a Ray worker) ------------------------------------------------------------------

PID_FILE_ENV = "PTST_TASK_PID_FILE"  # tests: each task appends "<kind> <pid>" to this file before working


def _note_pid(kind: str) -> None:
    path = os.environ.get(PID_FILE_ENV)
    if path:
        with open(path, "a") as f:
            f.write(f"{kind} {os.getpid()}\n")


def train_task(job: TrainJob, backend: str) -> TrainOutcome:
    _note_pid("train")
    return get_train_backend(backend).train(job)


def eval_task(call: EvalCall) -> dict[str, list[tuple[str, Any, dict[str, Any]]]]:
    """Evaluate into a temporary cache on this node's local disk; return its rows (the driver stores them)."""
    from ptst.cache import Cache
    from ptst.evaluate import ScorerPool, evaluate

    _note_pid("eval")
    tmp = tempfile.mkdtemp(prefix="ptst-task-")
    cache = Cache(Path(tmp) / "cache.sqlite")
    scorers = ScorerPool(call.judge_options)
    try:
        evaluate(call.target, call.templates, call.benchmarks, fmt=call.fmt, backend=call.backend,
                 backend_options=call.backend_options, decoding=call.decoding, cache=cache, scorers=scorers)
        return cache.export()
    finally:
        scorers.close()
        cache.close()
        shutil.rmtree(tmp, ignore_errors=True)


# ---- ray ----------------------------------------------------------------------------------------------------------


class _RayHandle(Handle):
    def __init__(self, ref: Any, then: Callable[[Any], Any]):
        self._ref = ref
        self._then = then

    def result(self) -> Any:
        import ray

        try:
            value = ray.get(self._ref)
        except ray.exceptions.RayTaskError as e:  # the task's own exception (e.g. a PtstError): raise it here
            cause = e.as_instanceof_cause()
            raise (cause.cause if getattr(cause, "cause", None) is not None else cause) from None
        except ray.exceptions.RayError as e:  # worker died more often than max_retries allows, node lost, ...
            raise PtstError(f"ray: a study task failed: {type(e).__name__}: {str(e).splitlines()[0]}") from None
        return self._then(value)


class RayExecutor(Executor):
    """Each fine-tuning and each checkpoint evaluation as a Ray task (see the module docstring)."""

    name = "ray"

    def __init__(self, address: str | None = None, resources: Resources = Resources()):
        try:
            import ray
        except ImportError:
            raise PtstError("--executor ray needs Ray: pip install 'ptst[ray]'") from None
        self.resources = resources
        self._started = False
        if not ray.is_initialized():
            kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address:
                kw["address"] = address
            else:  # a local cluster of this machine's CPUs
                kw["num_cpus"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
            # workers import ptst from the driver's environment; the study directory is given as absolute paths
            kw["runtime_env"] = {"env_vars": {k: v for k, v in os.environ.items()
                                              if k.startswith(("PTST_", "HF_", "OMP_NUM_THREADS"))}}
            try:
                ray.init(**kw)
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise PtstError(f"ray: cannot connect to the cluster at {address or 'a new local one'}: "
                                f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
            self._started = True
        opts = {"num_cpus": resources.cpus, "num_gpus": resources.gpus, "max_retries": resources.max_retries,
                "retry_exceptions": False}
        self._train = ray.remote(train_task).options(**opts)
        self._eval = ray.remote(eval_task).options(**opts)

    def submit_train(self, job: TrainJob, backend: str, progress: Any = None, log: Any = None) -> Handle:
        return _RayHandle(self._train.remote(job, backend), lambda outcome: outcome)

    def submit_eval(self, call: EvalCall, cache: Any) -> Handle:
        def store(rows: dict[str, list]) -> None:
            for kind, kind_rows in rows.items():
                cache.put_many(kind, kind_rows)

        return _RayHandle(self._eval.remote(call), store)

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()


EXECUTORS: dict[str, type[Executor]] = {"local": LocalExecutor, "ray": RayExecutor}


def get_executor(name: str, address: str | None = None, resources: Resources = Resources()) -> Executor:
    if name not in EXECUTORS:
        raise PtstError(f"unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}")
    if name == "local":
        if address:
            raise PtstError("--address names a Ray cluster; add --executor ray")
        return LocalExecutor()
    return RayExecutor(address, resources)
