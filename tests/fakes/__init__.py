"""Local fake servers and recorded HTTP exchanges for the OpenAI-compatible client, backend and fine-tuning tests."""
