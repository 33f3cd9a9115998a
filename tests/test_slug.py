"""ptst.io.slug: the one file-name form of template, benchmark, run and figure names."""

from ptst.io import slug


def test_slug_of_one_name_and_of_parts():
    assert slug("chat:llama") == "chat-llama" and slug("builtin:math:test") == "builtin-math-test"
    assert slug("a b/c") == "a-b-c" and slug("--x--") == "x" and slug("v1.2_x-y") == "v1.2_x-y"
    assert slug("matrix", "asr", "builtin:harmful", "keyword", "") == "matrix-asr-builtin-harmful-keyword"
    assert slug("scatter", None, "mixing") == "scatter-mixing"
    assert slug("") == "_" and slug(":::") == "_" and slug() == "_"
