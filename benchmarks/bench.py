"""``ptst bench`` as a script: ``python benchmarks/bench.py [--quick] [--json] [--out FILE]`` (same options)."""

import sys

from ptst.cli.main import main

if __name__ == "__main__":
    main(["bench", *sys.argv[1:]])
