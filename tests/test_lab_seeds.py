"""zoo.lab.seeds: results over seeds combined field by field; a report's numbers checked against a fresh run."""

import statistics

import pytest

from zoo.lab.seeds import Spread, differences, over_seeds


def test_over_seeds_makes_every_measurement_a_spread_and_keeps_settings():
    rows = over_seeds([[{"d": 16, "mse": 0.5, "dead": 0}], [{"d": 16, "mse": 0.7, "dead": 0}],
                       [{"d": 16, "mse": 0.9, "dead": 0}]], fixed=("d",))
    row, = rows
    assert row["d"] == 16
    assert row["mse"] == Spread(statistics.fmean([0.5, 0.7, 0.9]), statistics.stdev([0.5, 0.7, 0.9]), 3)
    assert row["dead"] == Spread(0.0, 0.0, 3)  # agreeing seeds are still a measurement: another CPU may differ


def test_a_setting_that_differs_between_seeds_is_an_error():
    with pytest.raises(ValueError, match="d differs between seeds"):
        over_seeds([{"d": 16}, {"d": 32}], fixed=("d",))


def test_a_spread_formats_scales_and_orders_by_its_mean():
    s = Spread(0.3671, 0.0213, 3)
    assert f"{s:.5f}" == "0.36710 ± 0.02130"
    assert f"{100 * s:.1f}%" == "36.7 ± 2.1%"
    assert f"{s / 2:.3f}" == "0.184 ± 0.011"
    assert f"{-s:.2f}" == "-0.37 ± 0.02"
    assert s < 0.4 and s > 0.3 and max([s, 0.35]) is s and sorted([0.5, s, 0.1]) == [0.1, s, 0.5]


def test_differences_finds_moved_numbers_and_words():
    text = "MSE 0.01234 at d=16; zeros 36.7 ± 2.1% over seeds."
    assert differences(text, text, 3) == []
    assert differences(text, text.replace("0.01234", "0.01235"), 3) == [
        "0.01234 became 0.01235 (an exact number) in ...'MSE '"]
    # 5 standard errors of a difference of two means over 3 seeds: 5 * sqrt(2 * 2.1^2 / 3) + 0.05 = 8.62
    assert differences(text, text.replace("36.7", "45.3"), 3) == []
    assert len(differences(text, text.replace("36.7", "45.4"), 3)) == 1
    assert differences(text, text.replace("zeros", "ones"), 3)
