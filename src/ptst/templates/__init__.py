"""Prompt templates: the paper's seven (plus user-defined ones), each rendered as llama2 / openai / native."""

from ptst.templates.base import FORMATS, RenderedExample, Template, apply_chat_template, encode_prompt
from ptst.templates.builtin import LLAMA_BASE_PROMPT, LLAMA_SHORT_PROMPT, MPT_PROMPT
from ptst.templates.registry import (
    get_template,
    list_templates,
    load_templates_file,
    register_template,
    safety_prompts,
)

__all__ = [
    "FORMATS",
    "LLAMA_BASE_PROMPT",
    "LLAMA_SHORT_PROMPT",
    "MPT_PROMPT",
    "RenderedExample",
    "Template",
    "apply_chat_template",
    "encode_prompt",
    "get_template",
    "list_templates",
    "load_templates_file",
    "register_template",
    "safety_prompts",
]
