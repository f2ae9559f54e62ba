"""Published replies for the public pages, walked through the real workflows (fixtures of tests/api)."""

from tests.api.conftest import (  # noqa: F401 - fixtures shared with the API tests
    _fresh_throttles,
    assignment,
    cosigner_user,
    proposal,
    published_reply,
    sent_reply,
)
