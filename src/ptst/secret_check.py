"""Finding secrets in configuration data before ptst stores any of it (a study spec is copied into its run folder).

Secrets come only from the environment (``*_env`` names a variable) or a file the user names (``*_file``). The
walker :func:`find_secret` goes through nested mappings and lists and reports the first of:

* a key that names a secret (``api_key``, ``token``, ``password``, ``authorization``...), whatever its value
  (a string, a number, or a mapping such as ``{value: sk-...}``); ``*_env`` and ``*_file`` keys are the allowed
  ways to point at one;
* a ``*_env`` value that is not an environment variable name (a key pasted where the variable's name belongs);
* a value anywhere that looks like a credential (``sk-...``, ``hf_...``, ``Bearer ...``, a GitHub or AWS token).

It returns ``(field, reason)`` and never the value itself, so the error message cannot leak it.
"""

from __future__ import annotations

import re
from typing import Any

# key names that hold a secret (matched at the end of the name: openai_api_key, hf_token, password)
SECRET_KEY_RE = re.compile(r"(^|_)(api_?key|key|secret|password|passwd|token|authorization|bearer|credentials?)$",
                           re.IGNORECASE)
# where the name of a secret goes, not the secret
POINTER_SUFFIXES = ("_env", "_file", "_path")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# values shaped like credentials of the services ptst talks to (and a few common others)
KEY_VALUE_RE = re.compile(
    r"(^|\s)(sk-[A-Za-z0-9_-]{16,}|sk_[A-Za-z0-9]{16,}|hf_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[abpr]-[A-Za-z0-9-]{10,}|Bearer\s+\S{8,})"
)

ADVICE = "secrets are never put in a spec; name an environment variable (e.g. api_key_env: OPENAI_API_KEY)"


def looks_like_key(value: Any) -> bool:
    return isinstance(value, str) and KEY_VALUE_RE.search(value) is not None


def find_secret(obj: Any, field: str = "") -> tuple[str, str] | None:
    """``(field, reason)`` of the first secret in ``obj`` (nested mappings and lists), or ``None``."""
    def join(k: Any) -> str:
        return f"{field}.{k}" if field else str(k)

    if isinstance(obj, dict):
        for k, v in obj.items():
            name = str(k)
            where = join(name)
            if name.lower().endswith("_env"):
                if v is not None and not (isinstance(v, str) and ENV_NAME_RE.match(v)):
                    return where, "must name an environment variable (letters, digits, _), not hold a value; " + ADVICE
                continue
            if SECRET_KEY_RE.search(name) and not name.lower().endswith(POINTER_SUFFIXES) and v not in (None, ""):
                return where, ADVICE
            found = find_secret(v, where)
            if found:
                return found
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            found = find_secret(v, join(i))
            if found:
                return found
        return None
    if looks_like_key(obj):
        return field or "(top level)", "looks like an API key or token; " + ADVICE
    return None
