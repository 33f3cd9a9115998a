"""Loading typed configs (pydantic models) from YAML with one-line errors that name the file and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ptst.errors import PtstError
from ptst.io import read_text

M = TypeVar("M", bound=BaseModel)


def load_yaml(path: str | Path) -> Any:
    text = read_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(e, "problem", None) or str(e)
        raise PtstError(f"{where}: invalid YAML ({problem})") from None


def format_validation_error(err: ValidationError, source: str) -> str:
    """First problem of a pydantic error as ``source: field 'a.b': message (got value)``."""
    e = err.errors()[0]
    loc = ".".join(str(x) for x in e.get("loc", ())) or "(top level)"
    msg = e.get("msg", "invalid value")
    if e.get("type") == "extra_forbidden":
        msg = "unknown field"
    got = e.get("input")
    got_s = ""
    if e.get("type") not in ("missing", "extra_forbidden") and not isinstance(got, (dict, list)):
        got_s = f" (got {got!r})"
    more = len(err.errors()) - 1
    tail = f" [+{more} more problem{'s' if more > 1 else ''}]" if more > 0 else ""
    return f"{source}: field '{loc}': {msg}{got_s}{tail}"


def validate(model: type[M], data: Any, source: str) -> M:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as e:
        raise PtstError(format_validation_error(e, source)) from None


def load_model_yaml(model: type[M], path: str | Path) -> M:
    data = load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise PtstError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return validate(model, data, str(path))
