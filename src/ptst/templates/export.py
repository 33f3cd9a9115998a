"""PTST in deployment: a model's chat template rewritten so that it always applies a ptst test template.

:func:`export_chat_template` returns a Jinja chat template (for ``vllm serve --chat-template FILE`` and any engine
that reads Hugging Face chat templates) that takes whatever conversation a client sends, keeps its one user
message, and renders exactly the messages ptst's ``native`` format renders for that query: the template's system
prompt (a client's system or developer messages are dropped, so they cannot replace it), the template's user
wrapper around the query, any fixed demonstration turns (``chat:icd``), then the model's own chat template. Like
``ptst serve`` it answers single-turn requests only (an assistant turn or a second user message raises an error
in the engine), because an unchecked history is where jailbreak scaffolding would go.

:func:`ptst_warning` reads an adapter's training manifest and says when it was trained with the very
safety-prompt template it is about to be served with: the paper's worst case (the safety prompt loses its effect
at test time), with the test template PTST recommends instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ptst.errors import PtstError
from ptst.templates.base import Template

_MARK = "\ue000ptst-query\ue000"
RECOMMENDED_TEST_TEMPLATE = "chat:llama"


def _lit(s: str) -> str:
    """A Jinja string literal for ``s`` (JSON's escapes are Jinja's)."""
    return json.dumps(s, ensure_ascii=True)


def model_chat_template(tokenizer: Any) -> str:
    ct = getattr(tokenizer, "chat_template", None)
    if isinstance(ct, dict):
        ct = ct.get("default")
    if not isinstance(ct, str) or not ct.strip():
        name = getattr(tokenizer, "name_or_path", "this model")
        raise PtstError(f"{name}: the tokenizer has no chat template to build on")
    return ct


def export_chat_template(tpl: Template, tokenizer: Any) -> str:
    """The model's chat template with a prelude that renders every request under ``tpl`` (module docstring)."""
    if tpl.kind != "chat":
        raise PtstError(f"template {tpl.name!r} is a text template (no chat roles); export a chat template")
    base = model_chat_template(tokenizer)
    msgs = tpl.native_messages(_MARK)
    try:
        tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    except Exception:  # a template without a system role: ptst's native rendering merges it (apply_chat_template)
        if msgs and msgs[0]["role"] == "system":
            merged = [dict(m) for m in msgs[1:]]
            merged[0]["content"] = msgs[0]["content"] + "\n\n" + merged[0]["content"]
            msgs = merged
    items = []
    for m in msgs:
        c = m["content"]
        if _MARK in c:
            before, after = c.split(_MARK, 1)
            expr = f"{_lit(before)} + ptst.query + {_lit(after)}"
        else:
            expr = _lit(c)
        items.append(f"{{'role': {_lit(m['role'])}, 'content': {expr}}}")
    single = _lit(f"this chat template applies the PTST test template {tpl.name}: send exactly one user message "
                  "(earlier assistant or tool turns are not accepted)")
    prelude = (
        f"{{#- ptst export-template: every request is rendered with the test template {tpl.name} (its system prompt "
        "and user wrapper; client system messages are dropped), then with the model's own chat template below. -#}\n"
        "{%- set ptst = namespace(query='', users=0, other=0) -%}\n"
        "{%- for m in messages -%}\n"
        "{%- if m['role'] == 'user' -%}\n"
        "{%- set ptst.users = ptst.users + 1 -%}\n"
        "{%- if m['content'] is string -%}{%- set ptst.query = m['content'] -%}\n"
        "{%- else -%}{%- set ptst.query = m['content'] | selectattr('type', 'equalto', 'text') "
        "| map(attribute='text') | join('') -%}{%- endif -%}\n"
        "{%- elif m['role'] not in ['system', 'developer'] -%}{%- set ptst.other = ptst.other + 1 -%}\n"
        "{%- endif -%}\n"
        "{%- endfor -%}\n"
        f"{{%- if ptst.users != 1 or ptst.other -%}}{{{{- raise_exception({single}) -}}}}{{%- endif -%}}\n"
        f"{{%- set messages = [{', '.join(items)}] -%}}\n"
    )
    return prelude + base


def training_template(adapter: str | Path) -> dict[str, Any] | None:
    """``{"name", "format", "safety_prompt"}`` of the template an adapter was trained with, from the training
    run's ``manifest.json`` (the adapter directory's, or its run directory's); ``None`` when there is none."""
    p = Path(adapter).expanduser()
    for d in (p, p.parent):
        f = d / "manifest.json"
        if f.is_file():
            try:
                t = json.loads(f.read_text(encoding="utf-8")).get("template")
            except (OSError, ValueError, AttributeError):
                return None
            return t if isinstance(t, dict) and t.get("name") else None
    return None


def ptst_warning(adapter: str | Path | None, tpl: Template) -> str | None:
    """A warning when ``adapter`` was trained under ``tpl`` itself and ``tpl`` carries a safety prompt."""
    if not adapter:
        return None
    t = training_template(adapter)
    if not t or t.get("name") != tpl.name or not tpl.has_safety_prompt:
        return None
    other = RECOMMENDED_TEST_TEMPLATE if tpl.name != RECOMMENDED_TEST_TEMPLATE else "chat:llama-short"
    return (f"warning: {adapter} was fine-tuned with the template {tpl.name}, which carries a safety prompt, and is "
            f"about to be served with that same template: the paper's worst case (the safety prompt loses its "
            f"effect). PTST: fine-tune without a safety prompt (e.g. chat:vanilla) and serve with a safety template; "
            f"for this adapter serve with a different safety template, e.g. --template {other}")
