"""The study executor registry (ptst.study.executors) and the cache export a Ray task hands to the driver."""

import pytest

from ptst.cache import Cache
from ptst.errors import PtstError
from ptst.study.executors import EXECUTORS, LocalExecutor, get_executor


def test_registry_names_and_errors():
    assert set(EXECUTORS) == {"local", "ray"}
    assert isinstance(get_executor("local"), LocalExecutor)
    with pytest.raises(PtstError, match="unknown executor 'dask'"):
        get_executor("dask")
    with pytest.raises(PtstError, match="--address names a Ray cluster"):
        get_executor("local", address="auto")


def test_cache_export_round_trips_into_another_cache(tmp_path):
    a = Cache(tmp_path / "a.sqlite")
    a.put_many("generation", [("k1", {"text": "hi"}, {"backend": "hf"}), ("k2", {"text": "yo"}, None)])
    a.put("judgment", "j1", {"harmful": False}, {"judge": "keyword"})
    rows = a.export()
    a.close()
    b = Cache(tmp_path / "b.sqlite")
    for kind, kind_rows in rows.items():
        b.put_many(kind, kind_rows)
    assert b.get_many("generation", ["k1", "k2"]) == {"k1": {"text": "hi"}, "k2": {"text": "yo"}}
    assert b.get("judgment", "j1") == {"harmful": False}
    b.close()
