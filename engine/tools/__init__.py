"""The tools on top: the CLI, batches and the worker pool, scenario tests, the pytest plugin."""
