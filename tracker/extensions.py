"""The one place where an app adds to a page, a form or a step owned by an app below it.

A lower app names a hook and reads its contributions when it builds the page; an app above
contributes from its AppConfig.ready() and is never imported from below. Each admin is built once,
by the app that owns its model; nothing is unregistered, subclassed at start-up or patched.

Contributions are read in a fixed order (`order`, then the contribution's dotted name), never in
the order the apps were installed, so a page is the same whatever INSTALLED_APPS says.
`tests/test_extensions.py` lists every contribution per page. docs/architecture.md explains the
hooks with examples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# name → what a contribution is and how the page uses it.
HOOKS: dict[str, str] = {
    "proposal_page_sections": "callable (request, proposal) -> HTML or '': shown below the proposal's form",
    "proposal_fieldsets": "Fieldset: a titled group of read-only callables on the proposal's page",
    "proposal_list_actions": "admin action function on the proposal list (clerks only)",
    "proposal_step_forms": "StepForm: a step (name → TransitionForm) the proposal's page can open",
    "proposal_steps_offered": "callable (proposal, user, names) -> names: the steps a proposal offers now",
    "assignment_step_forms": "StepForm: a step the assignment's page can open",
    "assignment_steps_offered": "callable (assignment, user, names) -> names: the steps an assignment offers now",
    "assignment_clerk_steps": "str: an assignment step that is the office's to take, not the agency's",
    "assignment_queryset": "callable (request, queryset) -> queryset: annotations the assignment list's columns read",
    "assignment_list_columns": "admin display callable (assignment): a column of the assignment list",
    "assignment_fields": "admin display callable (assignment): a read-only field of the assignment's page",
    "agency_inlines": "InlineModelAdmin class on the agency's page",
    "list_exports": "ListExport: the 导出 button of a model's admin list",
    "lead_hints": "callable (proposal) -> text or '': a hint beside the 交办 form's lead agency",
    "timeline_assignment_states": "TextChoices: labels of the states an assignment's timeline entry may name",
    "step_listeners": "callable (event ids): told once a step's timeline entries commit",
    "admin_alerts": "callable (request) -> [Alert]: warnings at the top of admin pages",
    "member_nav_links": "NavLink: a link in the header of the member's own pages (/my/)",
    "workbench_sections": "callable (user, today) -> [workbench Section]: more lists on the user's 工作台 (empty for roles it is not for)",
    "dashboard_sections": "callable (request, scope) -> HTML or '': a section of the 统计分析 dashboard, below the headline",
    "report_sections": "callable (scope) -> ReportSection or None: a chapter of the year-end 办理工作情况报告, before the definitions",
    "member_proposal_sections": "callable (proposal) -> HTML or '': shown on the member's own page of the proposal",
    "answer_limits": "callable (proposal ids) -> {proposal id: working days}: a shorter reply period for some proposals",
    "reply_send_guards": "callable (reply) -> None: asked before a signed reply is sent; raises WorkflowError to hold it back",
    "sweep_planners": "callable (today) -> int: plans more notifications in the outbox at each sweep (returns how many it wrote)",
}


@dataclass(frozen=True)
class Fieldset:
    title: str
    fields: tuple  # admin display callables taking the object
    clerks_only: bool = False


@dataclass(frozen=True)
class StepForm:
    name: str
    form: type


@dataclass(frozen=True)
class NavLink:
    name: str  # the words of the link
    url_name: str


@dataclass(frozen=True)
class ListExport:
    model: type
    resource: type
    select_related: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ReportSection:
    """A chapter of the year-end report: its heading and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class _Contribution:
    order: int
    key: str
    item: Any


_registry: dict[str, list[_Contribution]] = defaultdict(list)


def contribution_name(item: Any) -> str:
    """A stable name for a contribution: its dotted path, or the name it carries."""
    for attribute in ("name", "title"):
        value = getattr(item, attribute, None)
        if isinstance(value, str) and not callable(item):
            return f"{type(item).__name__}:{value}"
    if isinstance(item, ListExport):
        return f"ListExport:{item.model._meta.label}"
    if isinstance(item, str):
        return item
    module = getattr(item, "__module__", "")
    return f"{module}.{getattr(item, '__qualname__', repr(item))}"


def register(hook: str, item: Any, *, order: int = 0) -> Any:
    """Contribute `item` to `hook`; registering the same contribution again changes nothing (start-up
    may run twice). Returns the item, so it can decorate a function."""
    if hook not in HOOKS:
        raise KeyError(f"no hook named {hook!r}; the hooks are listed in tracker/extensions.py")
    key = contribution_name(item)
    if all(existing.key != key for existing in _registry[hook]):
        _registry[hook].append(_Contribution(order, key, item))
    return item


def contributions(hook: str) -> list:
    """What was contributed to `hook`, by `order` then name: the same whatever the app order."""
    if hook not in HOOKS:
        raise KeyError(f"no hook named {hook!r}")
    return [entry.item for entry in sorted(_registry[hook], key=lambda entry: (entry.order, entry.key))]


def contribution_names() -> dict[str, list[str]]:
    """Every hook with the names of its contributions, in the order pages read them."""
    return {hook: [contribution_name(item) for item in contributions(hook)] for hook in HOOKS}


def step_forms(hook: str) -> dict[str, type]:
    return {step.name: step.form for step in contributions(hook)}


def list_export_for(model: type) -> ListExport | None:
    return next((export for export in contributions("list_exports") if export.model is model), None)
