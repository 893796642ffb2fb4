"""The front door: README.md is short, its figures are the cards' and the report's, its links resolve, and the
Python examples of README.md and docs/ run (docs/DEMO.md's against a served demo)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from zoo.lab.literature import PUBLISHED
from zoo.model import INPUT_DIM
from zoo.store import checkpoint
from zoo.system.paths import checkout_root, default_weights_dir

ROOT = checkout_root()
README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")
PYTHON = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def _card(variant: str, d: int) -> dict:
    return checkpoint.read_card(default_weights_dir() / f"{variant}-d{d}.json")


def _zoo_table() -> dict[str, list[str]]:
    table = README.split("<!-- checked against weights/*.json")[1].split("\n\n")[0]
    return {row[0].strip("`"): row[2:] for row in
            ([cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[3:])}


def test_the_readme_is_short_and_its_two_commands_come_first():
    lines = README.splitlines()
    assert len(lines) <= 120
    first_screen = "\n".join(lines[:15])
    assert "make demo   #" in first_screen and "make test   #" in first_screen
    assert "![" in first_screen and (ROOT / "docs" / "zoo_tab.png").is_file()
    Image.open(ROOT / "docs" / "zoo_tab.png").verify()


def test_the_zoo_table_is_the_cards_and_pca_the_reports():
    table = _zoo_table()
    for variant in ("plain", "denoising", "sparse"):
        assert table[variant] == [f"{_card(variant, d)['metrics']['test_mse']:.5f}" for d in (16, 32, 64)], variant
    report = (ROOT / "docs" / "REPORT.md").read_text()
    pca = {int(d): mse for d, mse in re.findall(r"^\| \w+ \| (\d+) \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|", report, re.M)}
    assert table["PCA"] == [pca[d] for d in (16, 32, 64)]


def test_every_figure_in_the_readme_is_one_a_test_checks():
    deep = _card("deep", 30)
    paper = next(p for p in PUBLISHED if p.model.startswith("deep autoencoder"))
    denoising = {_card("denoising", d)["variant_config"]["max_noise_amplitude"] for d in (16, 32, 64)}
    assert len(denoising) == 1
    sizes = {tuple(_card(v, d)["model_config"]["hidden_dims"]) for v in ("plain", "denoising", "sparse") for d in (16, 32, 64)}
    assert sizes == {(256,)} and "784 -> 256 -> d -> 256 -> 784" in README
    layers = "-".join(map(str, [INPUT_DIM, *deep["model_config"]["hidden_dims"], 30]))
    shift = deep["train_config"]["shift_pixels"]
    sentence = (f"{layers} and back, trained from scratch on training images moved by up to {shift} pixel: "
                f"**{deep['metrics']['test_mse'] * INPUT_DIM:.2f} squared error per test image against the paper's "
                f"{paper.error_per_image:.2f}** (test MSE {deep['metrics']['test_mse']:.5f})")
    assert sentence in " ".join(README.split())
    amplitude = f"{denoising.pop():g}"
    assert f"amplitude up to {amplitude})" in README
    checked = {cell for row in _zoo_table().values() for cell in row}
    checked |= set(re.findall(r"\d+\.\d+", sentence)) | {amplitude}
    assert set(re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", README)) <= checked


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"\w+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", file.read_text(), re.M)
            assert anchor in {_slug(h) for h in headings}, f"{page.name}: {target}"


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """The blocks of one page, in order, in a fresh interpreter (a variant one registers stays there)."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


EXAMPLES = [p for p in [ROOT / "README.md", *DOCS] if PYTHON.search(p.read_text()) and p.name != "DEMO.md"]


@pytest.mark.slow
@pytest.mark.parametrize("page", EXAMPLES, ids=lambda p: p.name)
def test_the_python_examples_run(page, tmp_path):
    """Every page's Python examples but DEMO.md's (those need a served demo: the test below)."""
    blocks = PYTHON.findall(page.read_text())
    done = _run("\n".join(blocks), ROOT)
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_pages_with_examples_are_those_that_run():
    assert {p.name for p in EXAMPLES} == {"README.md", "DATA.md", "INSTALL.md"}


@pytest.mark.slow
def test_the_api_examples_run_against_the_demo(server, tmp_path):
    blocks = PYTHON.findall((ROOT / "docs" / "DEMO.md").read_text())
    code = "\n".join(blocks)
    assert code.count("api_name=") == 7 and 'Client("http://127.0.0.1:7860/"' in code
    done = _run(code.replace("http://127.0.0.1:7860/", server), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Input: your drawing; noise amplitude 0.25, seed 3." in done.stdout
    assert "Training finished** after 1 epoch(s)" in done.stdout


@pytest.mark.parametrize("name", ["BENCHMARKS.md", "TRAINING.md", "DEMO.md", "DATA.md", "INSTALL.md", "ARCHITECTURE.md"])
def test_each_doc_is_read_in_one_sitting(name):
    assert len((ROOT / "docs" / name).read_text().splitlines()) <= 300


def test_every_benchmark_section_has_its_command_machine_and_date():
    sections = (ROOT / "docs" / "BENCHMARKS.md").read_text().split("\n## ")[1:]
    assert len(sections) >= 6
    for section in sections:
        title = section.splitlines()[0]
        assert "```bash" in section and re.search(r"\b20\d\d-\d\d-\d\d\b", section), title
        assert re.search(r"Zen 4|Xeon|EPYC", section), title
