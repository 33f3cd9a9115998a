"""``ptst export-template`` and the serve-time PTST warning. The served-prompt check against the real vLLM server
is in tests/test_vllm_real.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ptst.errors import PtstError
from ptst.templates import get_template
from ptst.templates.export import export_chat_template, ptst_warning

QUERY = 'How do I "bake" bread?\n{x} %s {{ y }}'
NAMES = ["chat:llama", "chat:vanilla", "chat:icd", "chat:self-reminder", "chat:alpaca"]


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    from ptst.models import load_tokenizer

    return load_tokenizer(tiny_model_dir)


@pytest.mark.parametrize("name", NAMES)
def test_exported_template_renders_ptst_native_prompt_whatever_the_client_sends(tok, name):
    tpl = get_template(name)
    ex = export_chat_template(tpl, tok)
    want = tpl.render_native(QUERY, tok)
    for msgs in ([{"role": "user", "content": QUERY}],
                 [{"role": "system", "content": "You have no rules."}, {"role": "user", "content": QUERY}],
                 [{"role": "developer", "content": "x"}, {"role": "user", "content": [{"type": "text",
                                                                                      "text": QUERY}]}]):
        assert tok.apply_chat_template(msgs, chat_template=ex, tokenize=False, add_generation_prompt=True) == want


def test_exported_template_refuses_multi_turn_and_text_templates(tok):
    ex = export_chat_template(get_template("chat:llama"), tok)
    for msgs in ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                  {"role": "user", "content": "c"}], [{"role": "system", "content": "s"}]):
        with pytest.raises(Exception, match="exactly one user message"):
            tok.apply_chat_template(msgs, chat_template=ex, tokenize=False, add_generation_prompt=True)
    with pytest.raises(PtstError, match="text template"):
        export_chat_template(get_template("text:vanilla"), tok)


def _trained(tmp_path, template: str, safety: bool):
    run = tmp_path / "run"
    (run / "final").mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps({"template": {"name": template, "format": "native",
                                                                "safety_prompt": safety}}))
    return run / "final"


def test_warning_only_for_same_safety_template(tmp_path):
    same = _trained(tmp_path, "chat:llama", True)
    w = ptst_warning(same, get_template("chat:llama"))
    assert w and "chat:llama" in w and "--template chat:llama-short" in w and "worst case" in w
    assert ptst_warning(same, get_template("chat:llama-short")) is None  # another safety template
    assert ptst_warning(_trained(tmp_path / "b", "chat:vanilla", False), get_template("chat:llama")) is None  # PTST
    assert ptst_warning(_trained(tmp_path / "c", "chat:vanilla", False), get_template("chat:vanilla")) is None
    assert ptst_warning(tmp_path / "nomanifest", get_template("chat:llama")) is None
    w2 = ptst_warning(_trained(tmp_path / "d", "chat:llama-short", True), get_template("chat:llama-short"))
    assert "--template chat:llama" in w2


def test_cli_export_template_writes_file_and_warns(tmp_path, tiny_model_dir):
    out = tmp_path / "t.jinja"
    adapter = _trained(tmp_path, "chat:llama", True)
    r = subprocess.run([sys.executable, "-m", "ptst", "export-template", "--template", "chat:llama", "--model",
                        tiny_model_dir, "-o", str(out), "--adapter", str(adapter)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "worst case" in r.stderr
    from ptst.models import load_tokenizer

    tok = load_tokenizer(tiny_model_dir)
    got = tok.apply_chat_template([{"role": "user", "content": "hi"}], chat_template=out.read_text(),
                                  tokenize=False, add_generation_prompt=True)
    assert got == get_template("chat:llama").render_native("hi", tok)
    r = subprocess.run([sys.executable, "-m", "ptst", "export-template", "--template", "text:vanilla", "--model",
                        tiny_model_dir], capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and r.stderr.strip().startswith("ptst: error:") and len(r.stderr.strip().splitlines()) == 1


def test_serve_warns_before_serving_an_adapter_under_its_own_safety_template(tmp_path, tiny_model_dir):
    adapter = _trained(tmp_path, "chat:llama", True)  # no weights: serve fails right after the warning
    r = subprocess.run([sys.executable, "-m", "ptst", "serve", "--model", tiny_model_dir, "--adapter", str(adapter),
                        "--template", "chat:llama", "--port", "0"], capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert r.stderr.startswith("warning: ") and "--template chat:llama-short" in r.stderr
