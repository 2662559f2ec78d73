"""Benchmarks: each measure printed beside a floor measured in the same run.

Run with `python -m benchmarks` from the repository root. Timings are never
asserted in the test suite (a loaded CI machine would make them flaky); they
live here, where a person reads the table. Each row gives the floor (the
cheapest comparable thing this machine can do, e.g. plain `yaml.load` of the
same files), our figure, their ratio and the target from issue 7.
"""
