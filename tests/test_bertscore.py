"""The bertscore helpfulness scorer on a tiny BERT built here (random weights, the tiny model's tokenizer): identical
texts score F1 = 1, the scoring model is pinned (a local directory by content hash, a hub id only with a revision),
and a study-style metric row reports the mean F1."""

from __future__ import annotations

import pytest

from ptst.errors import PtstError

pytest.importorskip("bert_score")


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory, tiny_model_dir):
    from transformers import BertConfig, BertModel

    from transformers import AutoTokenizer

    d = tmp_path_factory.mktemp("tiny-bert")
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    tok.model_max_length = 128  # a real scoring model's tokenizer says its limit (512 for roberta-large)
    tok.save_pretrained(d)
    cfg = BertConfig(vocab_size=512, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    import torch

    torch.manual_seed(0)
    BertModel(cfg).save_pretrained(d)
    return str(d)


def test_identical_texts_score_one_and_different_ones_less(tiny_bert, tmp_path):
    from ptst.cache import Cache
    from ptst.judges import get_scorer, score_cached

    s = get_scorer("bertscore", model=tiny_bert, num_layers=2, threshold=0.99)
    rows = [{"response": "Rest and drink water.", "reference": "Rest and drink water."},
            {"response": "Buy a red car today.", "reference": "Rest and drink water."},
            {"response": "", "reference": "Rest and drink water."}]
    out = score_cached(s, rows, cache=Cache(tmp_path / "c.db"))
    assert out[0]["score"] == pytest.approx(1.0, abs=1e-4) and out[0]["correct"] is True
    assert out[1]["score"] < out[0]["score"] and out[1]["correct"] is False
    assert out[2]["extracted"] is None  # an empty answer counts as no answer
    again = score_cached(get_scorer("bertscore", model=tiny_bert, num_layers=2, threshold=0.99), rows,
                         cache=Cache(tmp_path / "c.db"))
    assert [r["score"] for r in again] == [r["score"] for r in out]  # served from the cache
    ident = s.identity()
    assert ident["num_layers"] == 2 and len(ident["model"]) >= 16  # the model's content hash, not its path

    from ptst.metrics import judge_rows

    items = [{"category": None, "judges": {"bertscore": {k: v for k, v in r.items() if k not in rows[0]}}}
             for r in out]
    m = {x.metric: x for x in judge_rows(items, "helpfulness", ["bertscore"])}
    assert m["mean_score"].value == pytest.approx(sum(r["score"] for r in out) / 3)
    assert m["accuracy"].value == pytest.approx(1 / 3)


def test_the_scoring_model_must_be_pinned(monkeypatch, tiny_bert):
    from ptst.judges import get_scorer

    with pytest.raises(PtstError, match="pin the scoring model 'roberta-large'"):
        get_scorer("bertscore")
    with pytest.raises(PtstError, match="give num_layers"):
        get_scorer("bertscore", model="someone/model", revision="abc")
    import huggingface_hub

    asked = []
    monkeypatch.setattr(huggingface_hub, "snapshot_download",
                        lambda repo, revision=None: asked.append((repo, revision)) or tiny_bert)
    s = get_scorer("bertscore", model="roberta-large", revision="0123abcd", num_layers=2)
    assert s.identity()["num_layers"] == 2
    assert asked == [("roberta-large", "0123abcd")]  # the download names the pinned revision
    assert get_scorer("bertscore", model="roberta-large", revision="x").num_layers == 17  # bert-score's tuned layer
