"""The dataset layer: one record type, named sources, local files with a column mapping."""

from ptst.data.readers import read_records
from ptst.data.records import Record
from ptst.data.sources import Source, get_source, list_sources, load_dataset, parse_columns, register_source

__all__ = ["Record", "Source", "get_source", "list_sources", "load_dataset", "parse_columns", "read_records", "register_source"]
