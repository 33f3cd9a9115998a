"""Options of ``ptst serve`` (the CLI flags map one to one onto these fields)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ptst.config import StrictModel


class ServeConfig(StrictModel):
    model_config = ConfigDict(extra="forbid")

    model: str
    adapter: str | None = None
    template: str = "chat:llama"
    format: Literal["native", "llama2"] = "native"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    #: name of the environment variable holding the bearer key clients must send (None: no authentication)
    api_key_env: str | None = None
    max_request_bytes: int = Field(default=1 << 20, ge=1024)
    #: the largest max_tokens a request may ask for; also the default when a request does not say
    max_tokens_limit: int = Field(default=512, ge=1)
    #: prompt + max_tokens must fit here; None: the model's max_position_embeddings
    max_context_tokens: int | None = Field(default=None, ge=1)
    batch_size: int = Field(default=8, ge=1)
    batch_wait_ms: float = Field(default=5.0, ge=0)
    max_queue: int = Field(default=1024, ge=1)
    max_prompts_per_request: int = Field(default=32, ge=1)
    device: str = "auto"
    dtype: str = "auto"
    served_model_name: str | None = None
    cache: bool = False
    expose_prompts: bool = False
    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"

    @property
    def name(self) -> str:
        return self.served_model_name or self.model
