"""Numbers measured over several seeds: their mean and spread, written as "mean ± sd".

A model trained on one machine cannot be bit-identical on another CPU (its kernels round
differently, and training amplifies the last bits). So what the lab report trains itself is
trained once per seed and reported as the mean and sample standard deviation over the seeds;
the spread over seeds also covers the spread over machines. Whatever is the same for every seed
(computed from the shipped zoo and MNIST alone) stays a plain, exact number.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Spread:
    """The mean and sample standard deviation of one quantity over n seeds; orders by the mean."""

    mean: float
    sd: float
    n: int

    def __format__(self, spec: str) -> str:
        spec = spec or ".1f"  # "{}" and str(): a mean count of units, say, with one decimal
        return f"{format(self.mean, spec)} ± {format(self.sd, spec)}"

    def __str__(self) -> str:
        return format(self)

    # Scaling by an exact number keeps the relative spread: 100 * zero_fraction is a percentage.
    def __mul__(self, factor: float) -> "Spread":
        return Spread(self.mean * factor, self.sd * abs(factor), self.n)

    __rmul__ = __mul__

    def __truediv__(self, divisor: float) -> "Spread":
        return self * (1 / divisor)

    def __lt__(self, other) -> bool:
        return self.mean < mean(other)

    def __le__(self, other) -> bool:
        return self.mean <= mean(other)

    def __gt__(self, other) -> bool:
        return self.mean > mean(other)

    def __ge__(self, other) -> bool:
        return self.mean >= mean(other)

    def __neg__(self) -> "Spread":
        return self * -1


def mean(value: Any) -> Any:
    """The mean of a Spread; any other value unchanged (for figures, which plot one number)."""
    return value.mean if isinstance(value, Spread) else value


def over_seeds(results: list[Any], fixed: tuple[str, ...] = ()) -> Any:
    """Combine one result per seed into one: dicts and lists field by field, every number a Spread.

    Keys in `fixed` name settings rather than measurements (d, the l1 weight): they must be the same
    for every seed and are kept as they are, as are strings. A measurement becomes a Spread even
    where the seeds agree (three models with 0 dead units), since another machine may not.

    >>> over_seeds([{"d": 16, "mse": 0.5}, {"d": 16, "mse": 0.7}], fixed=("d",))
    {'d': 16, 'mse': Spread(mean=0.6, sd=0.14142135623730948, n=2)}
    """
    first = results[0]
    if isinstance(first, dict):
        return {key: _same(key, [r[key] for r in results]) if key in fixed else over_seeds([r[key] for r in results], fixed)
                for key in first}
    if isinstance(first, (list, tuple)):
        return type(first)(over_seeds(list(column), fixed) for column in zip(*results))
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return Spread(statistics.fmean(results), statistics.stdev(results) if len(results) > 1 else 0.0, len(results))
    return _same("value", results)


def _same(name: str, values: list[Any]) -> Any:
    if any(v != values[0] for v in values):
        raise ValueError(f"{name} differs between seeds: {values!r}")
    return values[0]


# A number as the report writes it: 0.00989, 36.7%, 402,704, 1e-05, 6.04x (the x is a word).
NUMBER = re.compile(r"\d[\d,]*\.?\d*(?:e-?\d+)?%?")
SPREAD_SEPARATOR = " ± "
# How many standard errors of the difference of two means over seeds may separate them. The check is
# then wrong about one time in a hundred for one mean over three seeds with Student's t (4 degrees
# of freedom); the report's means come in rows that move together, so a whole report fails seldom.
TOLERANCE_SE = 5.0


def differences(committed: str, fresh: str, seeds: int) -> list[str]:
    """Where a freshly generated text disagrees with the committed one, one line each; [] if it agrees.

    The words must be the same and every plain number the same string. A "mean ± sd" over `seeds`
    seeds may move by TOLERANCE_SE standard errors of the difference of two such means,
    sqrt((sd_committed² + sd_fresh²) / seeds), plus half a unit of its last printed digit.
    """
    old_numbers, old_words = NUMBER.findall(committed), NUMBER.split(committed)
    new_numbers, new_words = NUMBER.findall(fresh), NUMBER.split(fresh)
    if old_words != new_words:
        where = next(i for i, (a, b) in enumerate(zip(old_words + [""], new_words + [""])) if a != b)
        return [f"the words differ after number {where}: {old_words[where][:80]!r} against {new_words[where][:80]!r}"]
    problems = []
    for i, (old, new) in enumerate(zip(old_numbers, new_numbers)):
        if old_words[i].endswith(SPREAD_SEPARATOR):
            continue  # an sd, checked with its mean
        if old_words[i + 1] == SPREAD_SEPARATOR:
            (mean_old, sd_old), (mean_new, sd_new) = map(_value, (old, old_numbers[i + 1])), map(
                _value, (new, new_numbers[i + 1]))
            allowed = TOLERANCE_SE * math.sqrt((sd_old ** 2 + sd_new ** 2) / seeds) + _half_unit(old)
            if abs(mean_new - mean_old) > allowed:
                problems.append(f"{old} ± {old_numbers[i + 1]} became {new} ± {new_numbers[i + 1]} "
                                f"(allowed to move {allowed:.3g}) in ...{old_words[i][-60:]!r}")
        elif old != new:
            problems.append(f"{old} became {new} (an exact number) in ...{old_words[i][-60:]!r}")
    return problems


def _value(number: str) -> float:
    return float(number.rstrip("%").replace(",", ""))


def _half_unit(number: str) -> float:
    """Half a unit of the last printed digit: 0.005 for 36.71, 0.5 for 12."""
    digits = number.rstrip("%").split("e")[0]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 0.5 * 10 ** -decimals
