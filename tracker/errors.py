"""The one domain error every workflow raises; admin turns it into a message, the API into 400/409."""

from django.utils.translation import get_language


class WorkflowError(Exception):
    """A transition the rules refuse. `code` is stable for API clients; messages are bilingual."""

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None):
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field

    @property
    def message(self) -> str:
        """The message in the active language."""
        return self.en if (get_language() or "zh-hans").startswith("en") else self.zh

    def __str__(self):
        return f"{self.zh} / {self.en}"


class PermissionRefused(WorkflowError):
    """The user may not take this step (not a clerk, another agency's work, ...)."""
