"""The ``ptst`` command line. One module per command group; each exposes ``register(app)``."""
