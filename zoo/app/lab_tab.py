"""The demo's Lab tab: the lab report (docs/REPORT.md) with its figures, as `python -m zoo.report` wrote it."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr

from zoo.system import paths

FIGURE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)]+)\)$", re.MULTILINE)


def default_report() -> Path:
    """Where `python -m zoo.report` writes the report."""
    return paths.docs_dir() / "REPORT.md"


def report_parts(report: Path) -> list[tuple[str, str]]:
    """The lab report split into ("markdown", text) and ("figure", absolute path) parts, in order.

    Gradio's Markdown does not serve local image files, so each figure becomes an Image component.
    """
    if not report.exists():
        return [("markdown", f"**No lab report at {report}.** Write it with `python -m zoo.report`.")]
    text = report.read_text(encoding="utf-8")
    parts, position = [], 0
    for match in FIGURE.finditer(text):
        parts.append(("markdown", text[position:match.start()]))
        parts.append(("figure", str((report.parent / match["path"]).resolve())))
        position = match.end()
    parts.append(("markdown", text[position:]))
    return [(kind, value) for kind, value in parts if value.strip()]


def build_lab_tab(report: Path) -> None:
    """The "Lab" tab, inside a gr.Blocks."""
    with gr.Tab("Lab", id="lab"):
        for kind, value in report_parts(report):
            if kind == "markdown":
                gr.Markdown(value)
            else:
                gr.Image(value, show_label=False, interactive=False, format="png", elem_classes="lab-figure",
                         buttons=["fullscreen"])
