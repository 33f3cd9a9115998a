"""The dataset layer: one record type, a registry of named sources that know their own metadata, one resolver of
dataset names (:func:`resolve`), and local files with a column mapping."""

from ptst.data.readers import read_records
from ptst.data.records import Record
from ptst.data.source import Source
from ptst.data.sources import (DatasetRef, get_source, list_sources, load_dataset, parse_columns, register_source,
                               resolve)

__all__ = ["DatasetRef", "Record", "Source", "get_source", "list_sources", "load_dataset", "parse_columns",
           "read_records", "register_source", "resolve"]
