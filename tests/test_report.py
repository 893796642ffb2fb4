"""`python -m zoo.report`: every section and figure written, and the committed report is what it writes."""

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from zoo import report
from zoo.checkpoint import default_weights_dir

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["## 1. Which d reconstructs best", "## 2. The decoder's weights as 28x28 images",
            "## 3. Denoising against noise amplitude", "## 4. The three questions",
            "### (a) Why learn a representation h?",
            "### (b) The number of parameters as a function of d", "### (c) The size of h relative to the 28x28 image",
            "## 5. The sparse autoencoder"]
FIGURE = re.compile(r"!\[[^\]]*\]\((figures/[^)]+)\)")


def _check_written(out: Path) -> str:
    text = (out / "REPORT.md").read_text()
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    referenced = FIGURE.findall(text)
    assert len(referenced) >= 10 and len(set(referenced)) == len(referenced)
    for name in referenced:
        image = Image.open(out / name)
        image.verify()
    assert sorted(p.name for p in (out / "figures").iterdir()) == sorted(Path(r).name for r in referenced)
    assert "**NO**" not in text  # every parameter count equals its formula
    # Every section says which command and function produced it.
    for section in text.split("\n## ")[1:]:
        assert "*Command: `python -m zoo.report` (`zoo.analysis." in section
    return text


def test_quick_report_on_the_shipped_zoo_writes_every_section_and_figure_and_spares_docs():
    out = ROOT / "report-quick"  # where --quick writes by default (git-ignored)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "figures" / "from_an_old_layout.png").write_bytes(b"stale")
    committed = ROOT / "docs" / "REPORT.md"
    before = committed.stat().st_mtime_ns if committed.exists() else None
    done = subprocess.run([sys.executable, "-m", "zoo.report", "--quick"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    text = _check_written(out)
    models, _ = report.load_zoo(default_weights_dir())
    for name, d in models:
        assert f"| {name} | {d} | " in text  # a row of the reconstruction table for every shipped model
    assert not (out / "figures" / "from_an_old_layout.png").exists()
    assert not list(out.rglob("*.tmp"))  # atomic writes leave no temporary files
    assert (committed.stat().st_mtime_ns if committed.exists() else None) == before  # a smoke run never touches docs/


def test_no_weights_is_one_clear_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "zoo.report", "--weights-dir", str(tmp_path / "none"), "--out",
                          str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip() == f"error: no trained models in {tmp_path / 'none'}; run: python train_all.py"
    assert not (tmp_path / "REPORT.md").exists()


NUMBER = re.compile(r"\d[\d,]*\.?\d*(?:e-?\d+)?%?")


def _numbers_and_words(text: str) -> tuple[list[str], list[str]]:
    return NUMBER.findall(text), NUMBER.split(text)


def _close(a: str, b: str) -> bool:
    x, y = (float(s.rstrip("%").replace(",", "")) for s in (a, b))
    if a.endswith("%"):  # accuracies and sparsity of models trained by the report itself
        return abs(x - y) <= 1.0
    return math.isclose(x, y, rel_tol=0.05, abs_tol=1e-9)


@pytest.mark.slow
def test_the_committed_report_is_what_the_command_writes(tmp_path):
    committed = ROOT / "docs" / "REPORT.md"
    assert committed.exists(), "docs/REPORT.md is missing: run python -m zoo.report"
    out = subprocess.run([sys.executable, "-m", "zoo.report", "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert out.returncode == 0, out.stderr[-3000:]
    fresh = _check_written(tmp_path)
    _check_written(ROOT / "docs")
    old_numbers, old_words = _numbers_and_words(committed.read_text())
    new_numbers, new_words = _numbers_and_words(fresh)
    # The words are the same; the numbers match to rounding (the extra models the report trains may
    # differ in the last digits on another CPU). A stale report fails here: rerun python -m zoo.report.
    assert new_words == old_words
    far = [(a, b) for a, b in zip(old_numbers, new_numbers) if not _close(a, b)]
    assert not far, f"numbers that moved (committed, regenerated): {far[:20]}"
