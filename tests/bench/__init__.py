"""The benchmark (``nox -s bench``): a synthetic repository generator and the runner.

No tests live here (no ``test_`` modules), so pytest never collects the benchmark itself;
``tests/test_bench_generator.py`` tests the generator on a small repository.
"""
