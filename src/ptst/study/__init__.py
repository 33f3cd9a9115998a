"""Studies: the train x test template grid of PTST as one spec, one command and one results table."""

from ptst.study.plan import Plan, build_plan, count_plan, format_plan
from ptst.study.runner import RunOutcome, StudyRunner, dry_run, run_study
from ptst.study.spec import StudySpec, builtin_spec_path
from ptst.study.validate import check_spec, load_spec, spec_from_data

__all__ = [
    "Plan",
    "RunOutcome",
    "StudyRunner",
    "StudySpec",
    "build_plan",
    "builtin_spec_path",
    "check_spec",
    "count_plan",
    "dry_run",
    "format_plan",
    "load_spec",
    "run_study",
    "spec_from_data",
]
