"""``bertscore``: text similarity of a response to its reference answer (BERTScore, Zhang et al. 2020), the
helpfulness score of free-text sets such as ChatDoctor.

Scored with the ``bert-score`` package (``pip install 'ptst[metrics]'``). The scoring model is pinned: either a
local model directory (identified by its content hash), or a hub id with a ``revision`` (a commit id), which is
downloaded once at that revision and then identified by its content hash too, so a judgment never silently depends
on a changed upstream model. ``num_layers`` picks the layer whose embeddings are compared (bert-score's tuned
default for ``roberta-large``, 17, is used when the model is ``roberta-large`` and none is given).

Each item gets ``score`` (F1), ``precision``, ``recall`` and ``correct`` (F1 >= ``threshold``); the study reports
the mean F1 (``mean_score``, with its interval) and the share at or above the threshold (``accuracy``).
No IDF weighting and no baseline rescaling (both need corpus- or language-specific files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError, one_line
from ptst.judges.base import Progress, Scorer, register_scorer

#: bert-score's tuned layers for the models a user is likely to name (from bert-score's own table)
KNOWN_LAYERS = {"roberta-large": 17, "FacebookAI/roberta-large": 17, "microsoft/deberta-xlarge-mnli": 40,
                "bert-base-uncased": 9, "distilbert-base-uncased": 5}


def _bert_score():
    try:
        import bert_score
    except ModuleNotFoundError:
        raise PtstError("the bertscore scorer needs bert-score: pip install 'ptst[metrics]'") from None
    return bert_score


@register_scorer("bertscore")
class BertScoreScorer(Scorer):
    kind = "helpfulness"
    version = "1"
    inputs = ("response", "reference")

    def __init__(self, model: str = "roberta-large", revision: str | None = None, num_layers: int | None = None,
                 threshold: float = 0.85, batch_size: int = 16, device: str | None = None):
        local = Path(model).expanduser()
        if not local.is_dir() and not revision:
            raise PtstError(f"bertscore: pin the scoring model {model!r}: give a revision (a commit id of the hub "
                            "model) or a local model directory")
        layers = num_layers if num_layers is not None else KNOWN_LAYERS.get(model)
        if layers is None:
            raise PtstError(f"bertscore: give num_layers for model {model!r} (the layer whose embeddings are compared)")
        if not 0 < threshold <= 1:
            raise PtstError(f"bertscore: threshold must be in (0, 1], got {threshold}")
        self.model, self.revision, self.num_layers = model, revision, int(layers)
        self.threshold, self.batch_size, self.device = float(threshold), int(batch_size), device
        self._dir = str(local) if local.is_dir() else None
        self._scorer: Any = None
        self._hash: str | None = None

    def _model_dir(self) -> str:
        if self._dir is None:
            try:
                from huggingface_hub import snapshot_download

                self._dir = snapshot_download(self.model, revision=self.revision)
            except Exception as e:
                raise PtstError(f"bertscore: cannot download {self.model}@{self.revision}: {one_line(e, 160)}; "
                                "offline? give a local model directory") from None
        return self._dir

    def identity(self) -> dict[str, Any]:
        if self._hash is None:
            from ptst.provenance import model_hash

            self._hash = model_hash(self._model_dir()) or f"{self.model}@{self.revision}"
        return {"name": self.name, "version": self.version, "model": self._hash, "num_layers": self.num_layers,
                "threshold": self.threshold}

    def _get(self) -> Any:
        if self._scorer is None:
            self._scorer = _bert_score().BERTScorer(model_type=self._model_dir(), num_layers=self.num_layers,
                                                    batch_size=self.batch_size, device=self.device or "cpu")
        return self._scorer

    def score(self, rows: Sequence[dict[str, Any]], progress: Progress | None = None) -> list[dict[str, Any]]:
        cands = [str(r["response"]) for r in rows]
        refs = [str(r["reference"]) for r in rows]
        # an empty answer scores 0 (as bert-score itself does), without asking the model
        live = [i for i, c in enumerate(cands) if c.strip()]
        prf = {i: (0.0, 0.0, 0.0) for i in range(len(rows))}
        if live:
            p, r, f = self._get().score([cands[i] for i in live], [refs[i] for i in live])
            prf.update(zip(live, zip(p.tolist(), r.tolist(), f.tolist())))
        out = []
        for i, c in enumerate(cands):
            pi, ri, fi = prf[i]
            out.append({"score": round(fi, 6), "precision": round(pi, 6), "recall": round(ri, 6),
                        "correct": fi >= self.threshold, "extracted": c.strip() or None})
        if progress:
            progress(len(rows), len(rows))
        return out

    def close(self) -> None:
        self._scorer = None
