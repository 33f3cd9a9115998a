"""The prompt-template object and its three renderings.

A :class:`Template` is a system prompt (or none) plus a user wrapper around the query. The same object renders

* ``llama2``: the reference strings of the PTST code, used for Llama-2 and Mistral as in the paper
  (``[INST] <<SYS>>\\n...\\n<</SYS>>\\n\\nQuestion: q [/INST]``; BOS is left to the tokenizer);
* ``openai``: ``[{"role": "system", ...}, {"role": "user", ...}]`` as the reference GPT-3.5 code builds them, the
  system message always present (empty for vanilla);
* ``native``: the same system prompt and user wrapper passed through the model tokenizer's own chat template
  (ChatML, Llama-3, ...).

and, from the same object, a training example (prompt + completion + EOS), so training and testing differ only in
which template is chosen. The query is inserted verbatim: ``%`` and ``{}`` inside it are never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ptst.errors import PtstError

FORMATS = ("llama2", "openai", "native")
Format = Literal["llama2", "openai", "native"]

B_INST, E_INST = "[INST]", "[/INST]"
B_SYS, E_SYS = "<<SYS>>\n", "\n<</SYS>>\n\n"
PLACEHOLDERS = ("%s", "{query}")


def split_wrapper(wrapper: str, where: str) -> tuple[str, str]:
    """Split a user wrapper at its single query placeholder (``%s`` or ``{query}``)."""
    hits = [(p, wrapper.count(p)) for p in PLACEHOLDERS]
    total = sum(c for _, c in hits)
    if total != 1:
        raise PtstError(
            f"{where}: the user wrapper must contain exactly one query placeholder (%s or {{query}}), found {total}"
        )
    ph = next(p for p, c in hits if c == 1)
    before, after = wrapper.split(ph)
    return before, after


@dataclass
class RenderedExample:
    """One training example rendered by a template.

    ``prompt`` is a string (``llama2``/``native``) or a list of chat messages (``openai``). ``completion`` is the
    text the model learns to produce; for string formats it is exactly what follows ``prompt`` in the training
    sequence (including the separating space, and for ``native`` the chat template's end-of-turn marker).
    ``add_eos`` tells the tokenizing step to append the tokenizer's EOS token id after the completion.
    """

    prompt: str | list[dict[str, str]]
    completion: str
    add_eos: bool

    @property
    def messages(self) -> list[dict[str, str]]:
        if not isinstance(self.prompt, list):
            raise TypeError("messages are only defined for the openai rendering")
        return [*self.prompt, {"role": "assistant", "content": self.completion}]


@dataclass(frozen=True)
class Template:
    """A prompt template: system prompt (``None`` = no system block) and user wrapper with one ``%s``.

    ``kind`` is ``chat`` (wrapped in the model's chat format) or ``text`` (a plain completion prompt).
    ``openai_system``/``openai_user`` override the system prompt and wrapper for the ``openai`` rendering, because
    the reference GPT-3.5 code words them differently (no ``Question:`` prefix, ``Be helpful...``).
    """

    name: str
    kind: Literal["chat", "text"]
    user: str
    system: str | None = None
    safety: bool = False
    openai_system: str | None = None
    openai_user: str | None = None
    description: str = ""
    source: str = "builtin"
    _parts: tuple[str, str] = field(default=("", ""), repr=False, compare=False)
    _openai_parts: tuple[str, str] = field(default=("", ""), repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"template {self.name!r} ({self.source})"
        if self.kind not in ("chat", "text"):
            raise PtstError(f"{where}: kind must be 'chat' or 'text', got {self.kind!r}")
        if self.kind == "text" and self.system is not None:
            raise PtstError(f"{where}: a text template has no system prompt; put the whole text in 'user'")
        object.__setattr__(self, "_parts", split_wrapper(self.user, where))
        object.__setattr__(self, "_openai_parts", split_wrapper(self.openai_user_wrapper, where + " openai_user"))

    # ---- derived properties -------------------------------------------------------------------------------
    @property
    def has_safety_prompt(self) -> bool:
        return self.safety

    @property
    def openai_user_wrapper(self) -> str:
        if self.openai_user is not None:
            return self.openai_user
        return self.user

    @property
    def openai_system_prompt(self) -> str:
        if self.openai_system is not None:
            return self.openai_system
        return self.system or ""

    def wrap_user(self, query: str) -> str:
        before, after = self._parts
        return before + query + after

    def wrap_openai_user(self, query: str) -> str:
        before, after = self._openai_parts
        return before + query + after

    # ---- inference prompts --------------------------------------------------------------------------------
    def render_llama2(self, query: str) -> str:
        body = self.wrap_user(query)
        if self.kind == "text":
            return body
        if self.system is not None:
            body = B_SYS + self.system + E_SYS + body
        return B_INST + " " + body + " " + E_INST

    def render_openai(self, query: str) -> list[dict[str, str]]:
        if self.kind == "text":  # a completion prompt sent as the user turn, with an empty system message
            return [{"role": "system", "content": ""}, {"role": "user", "content": self.render_llama2(query)}]
        return [
            {"role": "system", "content": self.openai_system_prompt},
            {"role": "user", "content": self.wrap_openai_user(query)},
        ]

    def native_messages(self, query: str) -> list[dict[str, str]]:
        msgs = [] if self.system is None else [{"role": "system", "content": self.system}]
        msgs.append({"role": "user", "content": self.wrap_user(query)})
        return msgs

    def render_native(self, query: str, tokenizer: Any) -> str:
        if self.kind == "text":
            return self.render_llama2(query)
        return apply_chat_template(tokenizer, self.native_messages(query), add_generation_prompt=True)

    def render(self, query: str, fmt: str = "llama2", tokenizer: Any = None) -> str | list[dict[str, str]]:
        """Inference prompt for ``query``: a string for ``llama2``/``native``, chat messages for ``openai``."""
        fmt = check_format(fmt)
        if fmt == "llama2":
            return self.render_llama2(query)
        if fmt == "openai":
            return self.render_openai(query)
        if tokenizer is None:
            raise PtstError("the native format needs a model's tokenizer (pass --model)")
        return self.render_native(query, tokenizer)

    # ---- training examples --------------------------------------------------------------------------------
    def render_example(
        self, query: str, completion: str, fmt: str = "llama2", tokenizer: Any = None
    ) -> RenderedExample:
        """Training example: the inference prompt of ``query`` followed by ``completion`` and EOS."""
        fmt = check_format(fmt)
        if fmt == "openai":
            return RenderedExample(self.render_openai(query), completion, add_eos=False)
        if fmt == "native" and self.kind == "chat":
            if tokenizer is None:
                raise PtstError("the native format needs a model's tokenizer (pass --model)")
            msgs = self.native_messages(query)
            prompt = apply_chat_template(tokenizer, msgs, add_generation_prompt=True)
            full = apply_chat_template(
                tokenizer, [*msgs, {"role": "assistant", "content": completion}], add_generation_prompt=False
            )
            if not full.startswith(prompt):
                raise PtstError(
                    f"template {self.name!r}: the model's chat template renders the assistant turn in a way that "
                    "does not extend the generation prompt; use --format llama2"
                )
            tail = full[len(prompt):]
            eos = getattr(tokenizer, "eos_token", None)
            return RenderedExample(prompt, tail, add_eos=not (eos and eos in tail))
        prompt = self.render(query, "llama2")
        assert isinstance(prompt, str)
        sep = "" if (not prompt or prompt[-1].isspace()) else " "
        return RenderedExample(prompt, sep + completion, add_eos=True)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "safety_prompt": self.safety,
            "system": self.system,
            "user": self.user,
            "openai_system": self.openai_system_prompt,
            "openai_user": self.openai_user_wrapper,
            "description": self.description,
            "source": self.source,
        }


#: the paper's user wrapper of a chat template (the reference GPT-3.5 code sends the query alone)
QUESTION_USER = "Question: %s"


def question_template(name: str, system: str | None, description: str, *, safety: bool = False,
                      openai_system: str | None = None, suffix: str = "", cls: type[Template] = Template,
                      **fields: Any) -> Template:
    """A chat template in the paper's question style: the user turn is :data:`QUESTION_USER` (the bare query in the
    ``openai`` rendering), with ``suffix`` after the query in both; the ``openai`` system prompt is
    ``openai_system`` where the reference code words it differently, else ``system`` ("" for none). ``cls`` and
    ``fields``: a Template subclass and its own fields."""
    return cls(name=name, kind="chat", user=QUESTION_USER + suffix, system=system, safety=safety,
               openai_system=(system or "") if openai_system is None else openai_system, openai_user="%s" + suffix,
               description=description, **fields)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise PtstError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt


def apply_chat_template(tokenizer: Any, messages: list[dict[str, str]], add_generation_prompt: bool) -> str:
    """Render messages with the tokenizer's own chat template.

    Some chat templates (older Mistral, Gemma) reject a ``system`` role; then the system prompt is put in front
    of the first user message, separated by a blank line, which is what those models' own documentation does.
    """
    if not getattr(tokenizer, "chat_template", None):
        name = getattr(tokenizer, "name_or_path", "this model")
        raise PtstError(f"{name}: the tokenizer has no chat template; use --format llama2")
    try:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    except Exception as e:  # jinja2 TemplateError raised by the template itself
        if messages and messages[0]["role"] == "system":
            merged = [dict(m) for m in messages[1:]]
            merged[0]["content"] = messages[0]["content"] + "\n\n" + merged[0]["content"]
            return tokenizer.apply_chat_template(merged, tokenize=False, add_generation_prompt=add_generation_prompt)
        raise PtstError(f"chat template failed: {e}") from None


def encode_prompt(tokenizer: Any, text: str) -> list[int]:
    """Token ids of a rendered prompt, adding the tokenizer's special tokens (BOS) unless the text has them.

    ``llama2`` strings leave BOS to the tokenizer (as the reference code does); ``native`` strings produced by a
    chat template usually start with the BOS text already, and must not get a second one.
    """
    return tokenizer(text, add_special_tokens=adds_special_tokens(tokenizer, text))["input_ids"]


def adds_special_tokens(tokenizer: Any, text: str) -> bool:
    """Whether :func:`encode_prompt` lets the tokenizer add its special tokens (BOS) to ``text``: only when the
    text does not start with the BOS text already. Other engines (vLLM's ``add_special_tokens``) follow this."""
    bos = getattr(tokenizer, "bos_token", None)
    return not (bool(bos) and text.startswith(bos))
