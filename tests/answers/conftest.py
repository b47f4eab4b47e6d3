from tests.chase.conftest import clock, programme, sandbox  # noqa: F401  (the scenarios' fixtures)
