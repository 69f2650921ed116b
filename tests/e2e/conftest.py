"""One local stack per test run, started as `make run` starts it, on its own ports.

The end-to-end and browser tests share it; infra/stack_process.py starts it (the
screenshots tool starts it the same way).
"""

import pytest

from infra.stack_process import LocalStack, running_stack

__all__ = ["LocalStack", "local_stack"]


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("stack") / "stack.log"
    with running_stack(log_path) as stack:
        yield stack
