"""The hostile submissions are data for tests/test_grading_class.py, never tests themselves.

Some ship their own ``conftest.py``, ``pytest.ini`` or ``test_build.py``:
pytest must not collect anything here.
"""

collect_ignore_glob = ["*"]
