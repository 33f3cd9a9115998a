"""Loading typed configs (pydantic models) from YAML with one-line errors that name the file and field."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator

from ptst.errors import PtstError
from ptst.io import read_text

M = TypeVar("M", bound=BaseModel)


# Limits on what a YAML file may expand to, checked on the parsed node graph before anything is built from it:
# a few anchors reused many times over (the "billion laughs") make a tiny file expand to more data than memory.
MAX_YAML_NODES = 200_000  # nodes once every alias is expanded
MAX_YAML_ALIASES = 1_000  # alias uses (``*name``) in one document


class _LimitError(yaml.MarkedYAMLError):
    pass


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate mapping keys (instead of keeping the last) and documents whose
    alias expansion is larger than :data:`MAX_YAML_NODES` nodes or uses more than :data:`MAX_YAML_ALIASES`
    aliases. Merge keys (``<<: *base``) still work: keys given beside a merge override it, as YAML says."""

    def compose_document(self) -> Any:
        node = super().compose_document()
        _check_expansion(node)
        return node

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                ident = (key_node.tag, key_node.value)
                if ident in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r} (first on line {seen[ident].line + 1})",
                        key_node.start_mark)
                seen[ident] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _check_expansion(root: Any) -> None:
    """Raise if the node graph, aliases expanded, exceeds the limits; counted on the shared graph (linear in the
    file), never by expanding it."""
    if root is None:
        return
    seen: set[int] = set()
    aliases = 0
    stack = [root]
    while stack:  # every node reached again is an alias use (the composer shares the anchored node)
        node = stack.pop()
        if id(node) in seen:
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise _LimitError(None, None, f"more than {MAX_YAML_ALIASES} YAML aliases", node.start_mark)
            continue
        seen.add(id(node))
        stack.extend(_children(node))
    total = _expanded_size(root, {}, set())
    if total > MAX_YAML_NODES:
        raise _LimitError(None, None, f"YAML expands to {total} nodes, more than {MAX_YAML_NODES} (aliases of "
                          "aliases?); write the values out", root.start_mark)


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [x for pair in node.value for x in pair]
    return []


def _expanded_size(node: Any, memo: dict[int, int], path: set[int]) -> int:
    """Nodes under ``node`` with every alias expanded (memoised per shared node)."""
    nid = id(node)
    if nid in memo:
        return memo[nid]
    if nid in path:
        raise _LimitError(None, None, "recursive YAML alias (an anchor used inside itself)", node.start_mark)
    path.add(nid)
    total = 1
    for k in _children(node):
        total += _expanded_size(k, memo, path)
        if total > MAX_YAML_NODES:  # stop counting early; the caller reports it
            break
    path.discard(nid)
    memo[nid] = total
    return total


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`; errors are one line naming ``source`` and the line."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(e, "problem", None) or str(e)
        raise PtstError(f"{where}: invalid YAML ({problem})") from None
    except RecursionError:
        raise PtstError(f"{source}: invalid YAML (nested too deeply)") from None


def load_yaml(path: str | Path) -> Any:
    """Read a YAML file strictly (see :class:`StrictLoader`): every spec and config ptst reads goes through here."""
    return parse_yaml(read_text(path), str(path))


def _scalar_types(annotation: Any) -> set[Any]:
    """The plain types an annotation allows (``int | None`` -> {int, NoneType}; ``Annotated`` unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _scalar_types(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return set().union(*(_scalar_types(a) for a in get_args(annotation)))
    if origin is Literal:
        return {type(a) for a in get_args(annotation)}
    return {origin or annotation}


def strict_scalar_problem(annotation: Any, value: Any) -> str | None:
    """Why ``value`` must not be coerced to ``annotation``: a boolean where a number belongs (``limit: true``
    would be 1), text where an integer belongs (``"8"``), or anything but true/false where a boolean belongs.
    ``None`` when the value may go on to normal validation."""
    allowed = _scalar_types(annotation)
    if Any in allowed or object in allowed:
        return None
    numbers = {int, float} & allowed
    if isinstance(value, bool):
        if bool not in allowed and numbers:
            return "expected a number, got a boolean"
        return None
    if isinstance(value, str) and int in allowed and not ({str, float} & allowed):
        return "expected an integer, got text"
    if bool in allowed and not isinstance(value, bool) and value is not None:
        if not any(isinstance(value, t) for t in allowed if isinstance(t, type) and t is not bool):
            return "expected true or false"
    return None


def _item_annotation(annotation: Any) -> Any:
    """The element annotation of a list/tuple/set annotation (``list[int] | None`` -> int), else None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _item_annotation(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            item = _item_annotation(arg)
            if item is not None:
                return item
        return None
    if origin in (list, set, frozenset) or (origin is tuple and len(get_args(annotation)) == 2
                                            and get_args(annotation)[1] is Ellipsis):
        return get_args(annotation)[0]
    return None


class StrictModel(BaseModel):
    """A pydantic model whose booleans and integers are not coerced from each other or from text (pydantic's
    lax mode turns ``true`` into 1 and ``"8"`` into 8). Floats still accept integers and numeric text
    (YAML 1.1 reads ``1e-3`` as text)."""

    @field_validator("*", mode="before")
    @classmethod
    def _strict_scalars(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None:
            problem = strict_scalar_problem(field.annotation, value)
            if problem:
                raise ValueError(problem)
            item = _item_annotation(field.annotation) if isinstance(value, (list, tuple)) else None
            for i, v in enumerate(value if item is not None else ()):  # seeds: [true] is no more a seed than true
                problem = strict_scalar_problem(item, v)
                if problem:
                    raise ValueError(f"item {i}: {problem}")
        return value


def format_validation_error(err: ValidationError, source: str) -> str:
    """First problem of a pydantic error as ``source: field 'a.b': message (got value)``."""
    e = err.errors()[0]
    loc = ".".join(str(x) for x in e.get("loc", ())) or "(top level)"
    msg = e.get("msg", "invalid value").removeprefix("Value error, ")
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
