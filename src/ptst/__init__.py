"""ptst: fine-tune chat LLMs without losing their safety alignment.

The package follows the pipeline of a study, one subpackage per stage:

    templates -> data -> models -> train -> generate -> judges -> metrics -> study -> report

Importing ``ptst`` is cheap: heavy libraries (torch, transformers) are imported by the stages that need them.
"""

__version__ = "0.1.0"

from ptst.errors import PtstError  # noqa: E402

__all__ = ["PtstError", "__version__"]
