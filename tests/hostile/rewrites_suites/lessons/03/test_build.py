"""A fake suite shipped with the submission: the grader never reads it."""

import pytest


@pytest.mark.points(10)
def test_everything():
    assert True
