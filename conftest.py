# The kata's pytest plugin (--impl, points, score lines) for every suite in this repository.
pytest_plugins = ["kata.plugin"]
