"""zoo.training.config: a TrainConfig that cannot train is refused when it is made."""

import pytest

from zoo.training.config import TrainConfig


def test_bad_config_is_refused():
    with pytest.raises(ValueError, match="positive"):
        TrainConfig(epochs=0)
    with pytest.raises(ValueError, match="precision must be one of"):
        TrainConfig(precision="float16")
