"""The attack objects: what each attack is (its settings, hashed into every cache key it touches) and how it turns a
benchmark's items into attacked prompts under one template."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, ClassVar, Sequence

from ptst.attacks.prompts import TARGET_FIELD, Prompt, attacked_query, record_target, render_prefilled
from ptst.errors import PtstError

ATTACK_KINDS = ("prefill", "gcg")
#: nanoGCG's default initial suffix (20 "x" tokens)
GCG_SUFFIX_INIT = "x x x x x x x x x x x x x x x x x x x x"



@dataclass(frozen=True)
class Attack:
    """An attack applied to some benchmarks (``benchmarks``: their labels; None: every safety benchmark)."""

    name: str
    benchmarks: tuple[str, ...] | None = None
    requests: int | None = None  # attack at most the first N items of each benchmark (None: all)

    kind: ClassVar[str] = "none"

    def key(self) -> dict[str, Any]:
        """The settings the attacked prompts depend on (the label and the benchmark choice aside)."""
        d = asdict(self)
        for k in ("name", "benchmarks", "requests"):
            d.pop(k)
        return {"kind": self.kind, **d}

    def label(self, benchmark: str) -> str:
        return f"{benchmark}+{self.name}"

    def select(self, records: Sequence[Any]) -> list[Any]:
        return list(records if self.requests is None else records[: self.requests])

    def attacked_prompts(self, template: Any, records: Sequence[Any], fmt: str, tokenizer: Any,
                         backend: Callable[[], Any], cache: Any) -> list[tuple[Prompt, str]]:
        """(prompt, prefill) per record: the prompt to generate from and the text the judged response starts with
        (the forced prefix, or ""). ``backend()`` gives the evaluated model's generation backend."""
        raise NotImplementedError

    def generations_per_request(self) -> int:
        return 1


@dataclass(frozen=True)
class Prefill(Attack):
    """The prefilling attack: the answer is forced to start with ``prefix`` (``{target}``: each record's own
    affirmative target, JailbreakBench's ``Target``, falling back to ``fallback``)."""

    name: str = "prefill"
    prefix: str = "Sure, here is"
    fallback: str | None = "Sure, here is"

    kind: ClassVar[str] = "prefill"

    def attacked_prompts(self, template, records, fmt, tokenizer, backend, cache):
        out = []
        for r in records:
            pre = record_target(r, self.prefix, self.fallback, self.name)
            out.append((render_prefilled(template.render(r.instruction, fmt, tokenizer=tokenizer), pre), pre))
        return out


@dataclass(frozen=True)
class GCG(Attack):
    """GCG through nanoGCG: a suffix per request, optimised against the evaluated model under the test template
    towards ``target`` (``{target}``: the record's own, else ``fallback``). Budget: ``steps`` x ``search_width``
    candidate evaluations per request."""

    name: str = "gcg"
    steps: int = 250
    search_width: int = 512
    topk: int = 256
    suffix_init: str = GCG_SUFFIX_INIT
    target: str = TARGET_FIELD
    fallback: str | None = "Sure, here is"
    seed: int = 0

    kind: ClassVar[str] = "gcg"

    def attacked_prompts(self, template, records, fmt, tokenizer, backend, cache):
        from ptst.attacks.gcg import gcg_suffixes

        if fmt == "openai":
            raise PtstError(f"attack {self.name!r}: GCG needs the model's gradients (backend hf, format llama2 or "
                            "native), not an API")
        suffixes = gcg_suffixes(self, template, records, fmt, backend(), cache)
        return [(template.render(attacked_query(r.instruction, s), fmt, tokenizer=tokenizer), "")
                for r, s in zip(records, suffixes)]


_CLASSES: dict[str, type[Attack]] = {"prefill": Prefill, "gcg": GCG}


def attack_from_dict(d: dict[str, Any]) -> Attack:
    """An attack from plain settings (``kind`` picks the class; the study spec's ``attacks:`` entries)."""
    d = dict(d)
    kind = d.pop("kind", None)
    if kind not in _CLASSES:
        raise PtstError(f"unknown attack kind {kind!r}; choose one of {', '.join(ATTACK_KINDS)}")
    if d.get("benchmarks") is not None:
        d["benchmarks"] = tuple(d["benchmarks"])
    d = {k: v for k, v in d.items() if v is not None or k in ("benchmarks", "requests", "fallback")}
    try:
        return _CLASSES[kind](**d)
    except TypeError as e:
        raise PtstError(f"attack {kind!r}: {e}") from None
