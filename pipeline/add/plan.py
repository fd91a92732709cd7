"""What `pipeline add` will do, decided before anything is written: for each page its event
id, whether its page.txt and event.toml are written or kept, the athletes registered, and what
a person must review. Any problem refuses the whole add, every problem listed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import InputError, PipelineError, SourceError, raise_problems
from core.rows import AthleteRow
from pipeline.add.existing import event_key, filed_events, refiled
from pipeline.add.names import printed_names
from pipeline.add.new_athletes import Ledger, register_names
from pipeline.add.page_facts import draft_event
from pipeline.add.paths import registered_identity
from pipeline.add.reference_review import alias_proposals
from pipeline.add.source import (
    SourcePage,
    check_event_id,
    derive_event_id,
    read_source,
    source_from_bytes,
)
from pipeline.add.targets import check_places, event_places, registry_places
from pipeline.add.toml_draft import Rendered, render
from pipeline.derive.from_raw import event_tables
from pipeline.read.rawtree import scan_raw
from pipeline.read.reference_files import reference_names
from pipeline.read.snapshot import Snapshot
from pipeline.resolve.reference import References, load_references
from pipeline.resolve.registry import load_registry

NO_REFERENCES = References()


@dataclass
class PagePlan:
    """One page: where it goes, what is written, what is kept and why."""

    given: str  # the page as named on the command line
    event_id: str
    folder: Path  # <raw>/events/<event_id>
    shown: str  # that folder as messages name it
    data: bytes
    page_action: str  # "copied", "replaced" or "" (the same page is there)
    event_key: tuple[str, str]  # what makes two pages one event: its name (folded) and Games
    toml: str | None = None  # the drafted event.toml to write; None keeps the one there
    toml_action: str = ""  # "drafted", "re-drafted", or why the one there is kept
    review: list[str] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """Whether the event folder is written (the page, its event.toml or both change)."""
        return bool(self.page_action) or self.toml is not None


@dataclass
class AddPlan:
    """Everything one `pipeline add` writes."""

    raw: Path
    registry_folder: Path
    registry_shown: str
    pages: list[PagePlan]
    athletes: list[AthleteRow]
    first_printed: dict[str, str]  # athlete id -> page:line where the page first prints it


def _next_line(athletes_csv: Path) -> int:
    """The line of athletes.csv a new athlete takes (line 2 in a file yet to be made)."""
    if not athletes_csv.is_file():
        return 2
    data = athletes_csv.read_bytes()
    # LF lines, as the registry reader counts them (a U+2028 inside a quoted name is no line).
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return lines + 1


def _validate(plan: PagePlan, source: SourcePage, ledger: Ledger, fill_toml: str) -> None:
    """Parse the page and the draft as `pipeline run` will; a problem is reported at the page
    as given (the copy is not written yet)."""
    try:
        event_tables(plan.event_id, plan.shown, source.data, fill_toml.encode(), ledger.registry)
    except SourceError as error:
        if error.path == f"{plan.shown}/page.txt":
            raise dataclasses.replace(error, path=source.path) from None
        raise


def _draft(source: SourcePage, event_id: str, ledger: Ledger) -> tuple[Rendered, str]:
    """The draft with its review notes, and a copy with its placeholder days filled in."""
    draft = draft_event(source, event_id, registered_identity(ledger.registry))
    return render(draft), render(draft, fill=source.event.start_date).text


def _old_draft(plan: PagePlan, old: bytes, ledger: Ledger) -> str | None:
    """The draft `pipeline add` makes of the page being replaced, if it can make one."""
    try:
        source = source_from_bytes(f"{plan.shown}/page.txt", old)
        return _draft(source, plan.event_id, ledger)[0].text
    except PipelineError:
        return None


def _toml(plan: PagePlan, old_page: bytes | None, draft: Rendered, ledger: Ledger) -> None:
    """Draft event.toml, or keep the one there and say why."""
    existing = plan.folder / "event.toml"
    if not existing.is_file():
        plan.toml, plan.toml_action = draft.text, "drafted"
    elif old_page is None:
        plan.toml_action = "kept: it was there before the page; review it against the page"
    elif old_page == plan.data:
        return
    elif existing.read_text(encoding="utf-8", errors="replace") == _old_draft(
        plan, old_page, ledger
    ):
        plan.toml, plan.toml_action = draft.text, "re-drafted"
    else:
        plan.toml_action = (
            "kept: it is not the draft of the page it replaces (edited by hand?); review it "
            "against the new page, or delete it and add the page again to re-draft it"
        )
    if plan.toml is not None:
        plan.review += [f"{plan.shown}/event.toml:{line}: {text}" for line, text in draft.review]
    elif plan.toml_action:
        plan.review.append(f"{plan.shown}/event.toml: {plan.toml_action}")


def plan_page(
    path: Path,
    raw: Path,
    ledger: Ledger,
    event_id: str | None,
    force: bool,
    references: References = NO_REFERENCES,
) -> tuple[PagePlan | None, list[PipelineError]]:
    """The plan of one page, or the problems that refuse it (in line order)."""
    source = read_source(path)
    chosen = event_id or derive_event_id(source.event)
    shown = f"{raw.as_posix()}/events/{chosen}"
    folder = raw / "events" / chosen
    there = folder / "page.txt"
    old = there.read_bytes() if there.is_file() else None
    action = "" if old == source.data else ("copied" if old is None else "replaced")
    if action == "replaced" and not force:
        message = (
            f"expected the page given ({source.path}), or --force to replace it, found another page"
        )
        return None, [InputError(f"{shown}/page.txt", message)]
    key = event_key(source.event)
    plan = PagePlan(source.path, chosen, folder, shown, source.data, action, key)
    names = printed_names(source, ledger.registry)
    problems = [*names.problems, *register_names(ledger, source.path, names.names)]
    if problems:
        return None, sorted(problems, key=lambda problem: getattr(problem, "line", 0))
    draft, filled = _draft(source, chosen, ledger)
    _validate(plan, source, ledger, filled)
    _toml(plan, old, draft, ledger)
    plan.review += alias_proposals(source, ledger.registry, references)
    return plan, []


def _plan_pages(
    pages: list[Path],
    raw: Path,
    ledger: Ledger,
    event_id: str | None,
    force: bool,
    references: References,
) -> tuple[list[PagePlan], list[PipelineError]]:
    """The plan of each page that has no problem, and the problems of the others."""
    plans: list[PagePlan] = []
    problems: list[PipelineError] = []
    for path in pages:
        try:
            plan, found = plan_page(path, raw, ledger, event_id, force, references)
        except PipelineError as error:
            plan, found = None, [error]
        problems += found
        if plan is None:
            continue
        other = next((p for p in plans if p.event_id == plan.event_id), None)
        if other is not None:
            message = (
                f"expected one page per event, found a second page for {plan.event_id} "
                f"(the first: {other.given})"
            )
            problems.append(InputError(plan.given, message))
        plans.append(plan)
    return plans, problems


def _registry_written(folder: Path, athletes: list[AthleteRow]) -> list[str]:
    """The registry files an add writes: athletes.csv if it registers someone or it is
    missing, aliases.csv if it is missing."""
    return [
        name
        for name in ("athletes.csv", "aliases.csv")
        if not (folder / name).is_file() or (name == "athletes.csv" and athletes)
    ]


def _written_problems(plan: AddPlan, folders: list[Path]) -> list[InputError]:
    """What refuses a planned add at the places it writes: a page of an event raw/ holds
    under another id, and a place holding something an add may not write over."""
    plans, events_shown = plan.pages, f"{plan.raw.as_posix()}/events"
    filed = filed_events(folders) if plans else {}
    problems = [
        problem
        for page in plans
        if (problem := refiled(page.given, page.event_id, page.event_key, filed, events_shown))
    ]
    written = _registry_written(plan.registry_folder, plan.athletes)
    places = registry_places(plan.registry_folder, plan.registry_shown, written)
    for page in plans:
        if page.writes:
            places += event_places(page.folder, page.shown)
    return problems + check_places(places, plan.raw) if places else problems


def plan_add(pages: list[Path], raw: Path, event_id: str | None, force: bool) -> AddPlan:
    """Plan adding `pages` to `raw`, once raw/ holds only what the pipeline reads (as for
    `pipeline run`); refuse with every problem if any page or target has one."""
    if event_id is not None:
        if len(pages) != 1:
            raise InputError("--id", f"expected one PAGE with --id, found {len(pages)}")
        check_event_id(event_id)
    folders = scan_raw(raw, raw.as_posix())
    folder, shown = raw / "registry", f"{raw.as_posix()}/registry"
    ledger = Ledger(
        load_registry(folder, shown, new_registry=True), _next_line(folder / "athletes.csv")
    )
    # The references (raw/reference/): where one spells a medalist of a page's event as no
    # athlete or alias is spelt, the alias line to review.
    shown_files = ((raw / name, f"{raw.as_posix()}/{name}") for name in reference_names(raw))
    references = load_references(shown_files, ledger.registry, Snapshot())
    plans, problems = _plan_pages(pages, raw, ledger, event_id, force, references)
    first_printed = {new.athlete_id: new.where for new in ledger.new}
    plan = AddPlan(raw, folder, shown, plans, ledger.rows, first_printed)
    if not problems:
        problems += _written_problems(plan, folders)
    raise_problems(problems)
    return plan
