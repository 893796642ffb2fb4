"""`python -m zoo.report`: every section and figure written, and the committed report is what it writes."""

import importlib
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from zoo import registry
from zoo.lab import report
from zoo.lab.literature import PUBLISHED
from zoo.lab.seeds import TOLERANCE_SE, differences
from zoo.store import shipped
from zoo.system.paths import checkout_root

ROOT = checkout_root()  # the tests and benchmarks run from a checkout
SECTIONS = ["## 1. Which d reconstructs best", "## 2. The decoder's weights as 28x28 images",
            "## 3. Denoising against noise amplitude", "## 4. The three questions",
            "### (a) Why learn a representation h?",
            "### (b) The number of parameters as a function of d", "### (c) The size of h relative to the 28x28 image",
            "## 5. The sparse autoencoder", "## 6. Against the literature", "## 7. Reading the codes: maps and units"]
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
    # Every section says which command and functions produced it, and those functions exist under those names.
    for section in text.split("\n## ")[1:]:
        named = re.search(r"\*Command: `python -m zoo\.report` \(((?:`[\w.]+`(?:, )?)+)\)\.\*", section)
        assert named, section[:200]
        for qualified in re.findall(r"`([\w.]+)`", named[1]):
            module, _, function = qualified.rpartition(".")
            assert callable(getattr(importlib.import_module(module), function)), qualified
    return text


def test_the_committed_reports_pca_is_the_papers_so_the_measures_agree():
    """PCA at d=30 on all 60,000 training images, as the paper computed it: the same error per image, to its digits."""
    literature = (ROOT / "docs" / "REPORT.md").read_text().split("## 6. Against the literature")[1]
    pca_here = float(re.search(r"\| PCA \(here\) \| 30 \| (\d+\.\d\d) \|", literature)[1])
    assert pca_here == pytest.approx(next(p.error_per_image for p in PUBLISHED if p.model == "PCA"), abs=0.01)


def test_a_smoke_run_never_writes_over_the_committed_report():
    assert report.default_out_dir(quick=True) == ROOT / "report-quick"
    assert report.default_out_dir(quick=False) == ROOT / "docs"


def test_no_weights_is_one_clear_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "zoo.report", "--weights-dir", str(tmp_path / "none"), "--out",
                          str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip() == f"error: no trained models in {tmp_path / 'none'}; run: python train_all.py"
    assert not (tmp_path / "REPORT.md").exists()


COMMITTED = ROOT / "docs" / "REPORT.md"
SEEDS = len(report.ReportConfig().seeds)


def test_the_check_passes_the_committed_report_and_fails_it_edited_by_hand():
    text = COMMITTED.read_text()
    assert differences(text, text, SEEDS) == []
    exact = re.search(r"\| plain \| 16 \| (\d\.\d{5}) \|", text).group(1)  # from the shipped zoo: exact
    edited = text.replace(f"| plain | 16 | {exact} |", f"| plain | 16 | {float(exact) + 1e-5:.5f} |")
    assert len(differences(text, edited, SEEDS)) == 1
    assert differences(text, text.replace("exactly", "nearly", 1), SEEDS)  # a changed word


def test_a_mean_over_seeds_may_move_within_its_spread_and_no_further():
    row = re.search(r"\| course \| 64 \| (\d\.\d{5}) ± (\d\.\d{5}) \|", COMMITTED.read_text())
    mean, sd = float(row.group(1)), float(row.group(2))
    text = row.group(0)
    allowed = TOLERANCE_SE * math.sqrt(2 * sd ** 2 / SEEDS)  # the same sd in both reports
    near = text.replace(row.group(1), f"{mean + 0.9 * allowed:.5f}")
    far = text.replace(row.group(1), f"{mean + allowed + 2e-5:.5f}")
    assert differences(text, near, SEEDS) == []
    assert len(differences(text, far, SEEDS)) == 1


@pytest.mark.slow
def test_a_quick_run_writes_every_section_and_figure(tmp_path):
    """The report's code end to end on tiny extra models (quick_config): every section, figure and named function."""
    models, cards = registry.load_zoo()
    text = report.build_report(models, cards, tmp_path, report.quick_config())
    assert text == (tmp_path / "REPORT.md").read_text() == _check_written(tmp_path)
    assert "mean ± sd" in text and not list(tmp_path.rglob("*.tmp"))


@pytest.mark.full_report
def test_the_committed_report_is_what_the_command_writes(tmp_path):
    """One run of the command (`make check-report`, run by CI after `make test`): every section and figure
    written, files atomically, a figure of an older layout removed, and the numbers."""
    assert COMMITTED.exists(), "docs/REPORT.md is missing: run python -m zoo.report"
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "from_an_old_layout.png").write_bytes(b"stale")
    out = subprocess.run([sys.executable, "-m", "zoo.report", "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert out.returncode == 0, out.stderr[-3000:]
    fresh = _check_written(tmp_path)
    _check_written(ROOT / "docs")
    assert not (tmp_path / "figures" / "from_an_old_layout.png").exists()
    assert not list(tmp_path.rglob("*.tmp"))  # atomic writes leave no temporary files
    models, _ = registry.load_zoo()
    literature = fresh[fresh.index("## 6. Against the literature"):fresh.index("## 7. Reading the codes")]
    codes = fresh[fresh.index("## 7. Reading the codes"):]
    for name, d in models:
        if shipped.on_grid(name):
            assert f"| {name} | {d} | " in fresh  # a row of the reconstruction table for every model of the grid
        assert f"| {registry.model_label(name, d)} (" in literature  # one beside the paper's figures
        assert re.search(rf"\| {registry.model_label(name, d)} \| {d} \| \d+ \(\d+\.\d%\) \| \d+ \| \d+ \| \d+ \|", codes)
    # The extra models, trained once per seed, are written mean ± sd; what comes from the shipped zoo alone is plain.
    assert re.search(r"\| course \| 16 \| \d\.\d{5} ± \d\.\d{5} \|", fresh)
    assert re.search(r"\| plain \| 16 \| \d\.\d{5} \| \d+\.\d\d \|", fresh)
    # Exact numbers (the shipped zoo and MNIST) to the printed digit; the means over seeds of the models
    # the command trains itself within their spread. A stale report fails: rerun python -m zoo.report.
    problems = differences(COMMITTED.read_text(), fresh, SEEDS)
    assert not problems, "\n".join(problems[:20])


def test_the_committed_report_cites_every_published_figure_once_beside_deep_on_both_sets():
    """zoo.lab.literature's figures, each on its set of images, and the deep model's test and training error."""
    literature = COMMITTED.read_text().split("## 6. Against the literature")[1].split("## 7.")[0]
    for p in PUBLISHED:
        row = f"| {p.model} (published) | {p.latent_dim} | {p.error_per_image:.2f} | {p.measured_on} | {p.training}; "
        assert literature.count(row) == 1, row
    deep = registry.model_label("deep", 30)
    rows = {kind: float(re.search(rf"\| {re.escape(deep)} \([^|]+\) \| 30 \| (\d+\.\d\d) \| {kind} \|", literature)[1])
            for kind in ("test", "training")}
    assert rows["training"] < rows["test"]  # the gap the recipe works against
    assert f"{rows['test']:.2f} on test images against" in literature
