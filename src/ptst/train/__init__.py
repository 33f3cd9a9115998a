"""Fine-tuning: ``TrainConfig`` (CLI, YAML and Python share it), ``train`` / ``train_on_examples``, run manifests.

Importing this package is cheap; torch and transformers load when a run starts.
"""

from ptst.train.config import TrainConfig
from ptst.train.manifest import Checkpoint, read_manifest
from ptst.train.presets import PRESETS
from ptst.train.trainer import TrainResult, prepare_data, train, train_on_examples

__all__ = ["PRESETS", "Checkpoint", "TrainConfig", "TrainResult", "prepare_data", "read_manifest", "train",
           "train_on_examples"]
