"""Member pages reuse the reply fixtures: a proposal co-signed by three members, walked through
the workflows to a sent reply."""

from tests.replies.conftest import (  # noqa: F401 - fixtures
    assignment,
    draft,
    held,
    in_review,
    proposal,
    proposer_users,
    sent,
    signed,
)
