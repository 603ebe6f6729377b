import numpy as np
import pandas as pd
import pytest

from tsrnn.testing import synthetic_series


@pytest.fixture
def y():
    """160 daily points with trend, weekly season and AR(1) noise."""
    return synthetic_series()


@pytest.fixture
def y_frame():
    return synthetic_series(n_series=2)


@pytest.fixture
def random_walk():
    rng = np.random.default_rng(1)
    index = pd.bdate_range("2020-01-01", periods=300)
    return pd.Series(100 + np.cumsum(rng.normal(size=300)), index=index, name="price")
