"""The template registry: built-in templates plus any the user adds in YAML.

A YAML file adds safety prompts and templates without touching code::

    safety_prompts:
      my-guard: "Answer helpfully, but never help with anything dangerous or illegal."
    templates:
      chat:my-guard:
        kind: chat                # chat (default) or text
        safety_prompt: my-guard   # system prompt taken from safety_prompts (marks the template as safe), or:
        # system: "..."           # any system prompt; add `safety: true` if it is a safety prompt
        user: "Question: %s"      # exactly one %s (or {query}) where the query goes
        openai_system: "..."      # optional wording for the openai rendering
        openai_user: "%s"
        description: "..."

Files named in ``$PTST_TEMPLATES`` (``os.pathsep``-separated) are loaded on first use; the CLI's ``--templates``
option and a study's ``templates_file`` load more.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ptst.config import load_yaml, validate
from ptst.errors import PtstError
from ptst.templates.base import QUESTION_USER, Template
from ptst.templates.builtin import BUILTIN_TEMPLATES, SAFETY_PROMPTS

_TEMPLATES: dict[str, Template] = {}
_SAFETY_PROMPTS: dict[str, str] = {}
_LOADED_ENV = False


def _ensure_builtins() -> None:
    global _LOADED_ENV
    if not _TEMPLATES:
        for t in BUILTIN_TEMPLATES:
            _TEMPLATES[t.name] = t
        _SAFETY_PROMPTS.update(SAFETY_PROMPTS)
    if not _LOADED_ENV:
        _LOADED_ENV = True
        for p in filter(None, os.environ.get("PTST_TEMPLATES", "").split(os.pathsep)):
            load_templates_file(p)


def register_template(template: Template, overwrite: bool = False) -> Template:
    _ensure_builtins()
    if template.name in _TEMPLATES and not overwrite and _TEMPLATES[template.name] != template:
        raise PtstError(f"template {template.name!r} ({template.source}) is already defined")
    _TEMPLATES[template.name] = template
    return template


def get_template(name: str) -> Template:
    _ensure_builtins()
    try:
        return _TEMPLATES[name]
    except KeyError:
        raise PtstError(f"unknown template {name!r}; known: {', '.join(sorted(_TEMPLATES))}") from None


def list_templates() -> list[Template]:
    _ensure_builtins()
    return [_TEMPLATES[k] for k in sorted(_TEMPLATES)]


def safety_prompts() -> dict[str, str]:
    _ensure_builtins()
    return dict(_SAFETY_PROMPTS)


class _TemplateEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = "chat"
    user: str = QUESTION_USER
    system: str | None = None
    safety_prompt: str | None = None
    safety: bool | None = None
    openai_system: str | None = None
    openai_user: str | None = None
    description: str = ""


class _TemplatesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    safety_prompts: dict[str, str] = {}
    templates: dict[str, _TemplateEntry] = {}


def load_templates_file(path: str | Path) -> list[Template]:
    """Register the safety prompts and templates of a YAML file; returns the templates it defined."""
    _ensure_builtins()
    spec = validate(_TemplatesFile, load_yaml(path), str(path))
    for name, text in spec.safety_prompts.items():
        if name in _SAFETY_PROMPTS and _SAFETY_PROMPTS[name] != text:
            raise PtstError(f"{path}: field 'safety_prompts.{name}': already defined with different text")
        _SAFETY_PROMPTS[name] = text
    out = []
    for name, e in spec.templates.items():
        system, safety = e.system, bool(e.safety)
        if e.safety_prompt is not None:
            if e.system is not None:
                raise PtstError(f"{path}: field 'templates.{name}': give either system or safety_prompt, not both")
            if e.safety_prompt not in _SAFETY_PROMPTS:
                raise PtstError(
                    f"{path}: field 'templates.{name}.safety_prompt': unknown safety prompt {e.safety_prompt!r}"
                )
            system = _SAFETY_PROMPTS[e.safety_prompt]
            safety = True if e.safety is None else e.safety
        t = Template(
            name=name,
            kind=e.kind,  # type: ignore[arg-type]
            user=e.user,
            system=system,
            safety=safety,
            openai_system=e.openai_system,
            openai_user=e.openai_user,
            description=e.description,
            source=str(path),
        )
        out.append(register_template(t))
    return out


def _reset_for_tests() -> None:
    global _LOADED_ENV
    _TEMPLATES.clear()
    _SAFETY_PROMPTS.clear()
    _LOADED_ENV = False


def as_dict(t: Template) -> dict[str, Any]:
    return t.summary()
