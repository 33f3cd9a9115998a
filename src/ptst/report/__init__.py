"""Study reports: the paper's matrices, heatmaps, PTST verdict and figures, as report.md and report.html."""

from ptst.report.render import build_report, write_report

__all__ = ["build_report", "write_report"]
