"""report.html in a real headless browser: the per-item trace's filters (read from the URL hash by the page's
inline JavaScript) and the claims' links to their discordant items.

Needs a Chromium binary (Debian's ``chromium``; scripts/test.sh installs it when missing and it runs as root). The
page must work from a file: URL with the network off, so the browser runs with background networking disabled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from ptst.report import write_report
from tests.fakes.claims_study import outcomes, write_study
from tests.test_claims import BASE, T, U

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium (scripts/test.sh installs it as root)")


def dump_dom(page: Path, fragment: str = "") -> str:
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
             page.resolve().as_uri() + fragment],
            capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def trace_rows(dom: str) -> list[str]:
    return re.findall(r'<tr class="trace-row"[^>]*>', dom)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    n = 12
    # two judges; on the PTST cell they disagree on items 0-2 (keyword: harmful, refusal: not)
    ptst = [{"keyword": i < 3, "refusal": False} for i in range(n)]
    cells = {("harmful", BASE, T, False, "base", None): outcomes(n, range(1)),
             ("harmful", T, T, False, "final", 0): outcomes(n, range(9)),
             ("harmful", U, T, False, "final", 0): ptst,
             ("math", U, U, False, "final", 0): outcomes(n, range(6)),
             ("math", U, T, False, "final", 0): outcomes(n, range(6))}
    out = write_study(tmp_path_factory.mktemp("browser") / "s", cells, judges=("keyword", "refusal"))
    return write_report(out)["html"]


def test_trace_lists_everything_without_a_filter(page):
    dom = dump_dom(page)
    assert len(trace_rows(dom)) == 5 * 12 and "60 of 60 answers" in dom


def test_trace_filters_by_cell_category_and_judge_disagreement(page):
    cell = "train chat:vanilla / test chat:llama"
    dom = dump_dom(page, "#trace?cell=" + quote(cell) + "&benchmark=harmful")
    rows = trace_rows(dom)
    assert len(rows) == 12 and all(f'data-cell="{cell}"' in r for r in rows)
    dom = dump_dom(page, "#trace?disagree=1")
    rows = trace_rows(dom)
    assert len(rows) == 3 and all('data-disagree="1"' in r for r in rows) and "3 of 60 answers" in dom
    dom = dump_dom(page, "#trace?cell=" + quote(cell) + "&benchmark=harmful&category=c1")  # odd items
    rows = trace_rows(dom)
    assert len(rows) == 6 and all('data-category="c1"' in r for r in rows)
    # the filter controls show the state read from the address
    assert re.search(r'<input type="checkbox" id="f-dis"[^>]*>', dump_dom(page, "#trace?disagree=1"))


def test_claims_link_to_discordant_items_side_by_side(page):
    dom = dump_dom(page)
    link = re.search(r'<a href="#(d-\d+)">items</a>', dom)
    assert link, "claim (a) has discordant pairs and must link to them"
    block = dom[dom.index(f'<details id="{link.group(1)}"'):]
    block = block[:block.index("</details>")]
    assert "6 discordant pairs (6 harmful only in A, 0 only in B)" in block
    row = re.search(r"<tr><td>harmful-3.*?</tr>", block, re.S).group(0)  # harmful under A only
    assert "request 3" in row
    assert "chat-llama_s0_mix0_abcd1234 answer 3" in row and "chat-vanilla_s0_mix0_abcd1234 answer 3" in row
    assert "keyword: harmful=yes; refusal: harmful=yes" in row and "keyword: harmful=no; refusal: harmful=no" in row
