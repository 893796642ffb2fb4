"""How the report writes: number formats, tables, the line naming a section's functions, and the writer
that collects the Markdown and saves figures atomically."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from matplotlib.figure import Figure

from zoo.lab import measures
from zoo.lab.report.settings import COMMAND, ReportConfig
from zoo.model import ModelConfig
from zoo.system import atomic


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def mse(value: float) -> str:
    return f"{value:.5f}"


def pct(value: float, digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}%"


def points(share: float) -> float:
    """A share in percentage points, rounded as `pct` prints it."""
    return round(100 * share, 1)


def times(value: float) -> str:
    return f"{value:.2f}x"


def exponent(value: float) -> str:
    """1e-4, not 0.0001 or 1e-04."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def course_config() -> ModelConfig:
    """The course's model: one Linear layer each side (its d does not matter where this is used)."""
    return ModelConfig(hidden_dims=())


def layers(config: ModelConfig) -> str:
    """The layer widths with the code as d: "784 -> 256 -> d -> 256 -> 784"."""
    widths = [*config.layer_sizes[:-1], "d", *config.decoder_layer_sizes[1:]]
    return " -> ".join(map(str, widths))


def formula(config: ModelConfig) -> str:
    slope, intercept = measures.parameter_formula(config)
    return f"{slope}·d + {intercept:,}"




def over(config: ReportConfig) -> str:
    """How a number from the extra models is written, for the prose."""
    return f"(once per seed {', '.join(map(str, config.seeds))}: mean ± standard deviation over the {len(config.seeds)} seeds)"


def source(*functions) -> str:
    """The line under a section's title: the command, and the functions that computed the section."""
    names = ", ".join(f"`{f.__module__}.{f.__qualname__}`" for f in functions)
    return f"*Command: `{COMMAND}` ({names}).*"


class Writer:
    """Collects the markdown and saves figures beside it, atomically."""

    def __init__(self, out_dir: Path, config: ReportConfig):
        self.out_dir, self.config = out_dir, config
        self.parts: list[str] = []
        self.figures: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text.strip("\n"))

    def figure(self, fig: Figure, name: str, alt: str) -> None:
        buffer = io.BytesIO()
        # No Software/date metadata: the same figure gives the same bytes.
        fig.savefig(buffer, format="png", dpi=self.config.figure_dpi, bbox_inches="tight", metadata={"Software": None})
        atomic.write_bytes(self.out_dir / "figures" / name, buffer.getvalue())
        self.figures.append(name)
        self.add(f"![{alt}](figures/{name})")

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def step(config: ReportConfig, message: str, start: float) -> None:
    if config.progress:
        print(f"[report] {time.perf_counter() - start:5.0f} s  {message}", file=sys.stderr, flush=True)

