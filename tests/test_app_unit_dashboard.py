"""zoo.app.unit_dashboard: a unit's dashboard holds its own numbers, the digits that drive it, and is drawn as HTML."""

import re

import pytest
import torch

import registry
from zoo.analysis import units
from zoo.app import unit_dashboard
from zoo.app.keys import ModelKey


@pytest.fixture(scope="module")
def tables(mnist_test):
    x, y = mnist_test
    return {ModelKey(n, d): units.UnitTable.build(registry.get(n, d=d), x, y) for n, d in (("sparse", 32), ("plain", 32))}


def test_a_dashboard_holds_the_units_numbers(tables, mnist_test):
    key = ModelKey("sparse", 32)
    table = tables[key]
    unit = int(table.firing.argmax())
    view = unit_dashboard.dashboard(tables, key, unit, torch.zeros(784))
    column = table.codes[:, unit]
    assert view["firing_rate"] == pytest.approx(float((column != 0).float().mean()))
    assert view["top"]["activations"] == column.sort(descending=True).values[:16].tolist()
    assert view["top"]["labels"] == mnist_test[1][view["top"]["indices"]].tolist()
    assert len(view["near_median"]["indices"]) == 8 and all(a != 0 for a in view["near_median"]["activations"])
    assert sum(view["histogram"]["counts"]) + view["histogram"]["zeros"] == 10_000
    assert view["top_class"] == max(range(10), key=lambda c: view["class_drive"][c])
    assert [a["model"] for a in view["alike"]] == ["plain-d32"] and -1 <= view["alike"][0]["cosine"] <= 1
    assert len(view["draws"]) == 784


def test_the_list_rows_and_the_html(tables, mnist_test):
    key = ModelKey("sparse", 32)
    rows = unit_dashboard.rows(tables[key])
    assert [r["unit"] for r in rows] == list(range(32)) and all(0 <= r["firing"] <= 1 for r in rows)
    view = unit_dashboard.dashboard(tables, key, 5, torch.zeros(784))
    page = unit_dashboard.dashboard_html(view, mnist_test[0], key.label)
    assert page.count("<img") == 2 + 16 + 8 and 'data-unit="5"' in page and "sparse d=32, unit h5" in page
    assert re.search(r"Fires \(is not zero\) on <b>\d+\.\d+%</b>", page)
