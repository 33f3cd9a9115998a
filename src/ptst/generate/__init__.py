"""Generation: backends (hf, openai) behind one interface, with every completion cached."""

from ptst.generate.base import Backend, Decoding, Prompt, generate_cached, get_backend, list_backends, register_backend

__all__ = ["Backend", "Decoding", "Prompt", "generate_cached", "get_backend", "list_backends", "register_backend"]
