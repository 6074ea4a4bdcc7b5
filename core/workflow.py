"""The one workflow engine: every status change in the product runs through `Workflow.move`.

An app's `workflow.py` says *what* may happen: its states, a table of moves (from, to, which
roles, guards, on-enter hooks), how to tell who someone is to a record, where the history
row goes and who hears (through the app's `notifications.py`). The engine does the rest the
same way for every workflow, inside one transaction:

1. lock the record's row, so two people acting at once cannot lose an update;
2. compare the status the person saw (`expected_status`) with the status now, and tell a
   stale form what changed;
3. refuse a move the table does not have, or one the person's role may not make;
4. run the move's guards (each raises `TransitionRefused` with a plain message);
5. save the new status with any field changes, write one history row, run the move's
   on-enter hooks, and notify.

Every refusal is a `TransitionRefused`, a `ValidationError` with a message written for the
person who tried, and a `code`: "stale", "illegal", "forbidden" or "blocked".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

SYSTEM = "system"  # the product itself: a date passed, the last provider declined


class TransitionRefused(ValidationError):
    """A move that cannot be made now. `code` says why: stale, illegal, forbidden, blocked."""

    def __init__(self, message, code: str = "blocked", params=None):
        super().__init__(message, code=code, params=params)
        self.code = code


@dataclass(frozen=True)
class Context:
    """What a guard, a hook or a notification is told about the move being made."""

    obj: models.Model
    source: str
    target: str
    actor: object
    role: str
    note: str


Hook = Callable[[Context], None]


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    roles: frozenset[str]
    guards: tuple[Hook, ...] = ()
    on_enter: tuple[Hook, ...] = ()

    def __init__(self, source, target, roles: Iterable[str], *, guards=(), on_enter=()):
        object.__setattr__(self, "source", str(source))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "roles", frozenset(str(r) for r in roles))
        object.__setattr__(self, "guards", tuple(guards))
        object.__setattr__(self, "on_enter", tuple(on_enter))


def copy_fields(source: models.Model, target: models.Model) -> None:
    """Bring the caller's copy of a record up to date with the saved one, field by field."""
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


@dataclass
class Workflow:
    """One workflow. Apps build one instance each in their `workflow.py`."""

    name: str
    model: type[models.Model]
    states: type[models.TextChoices]
    moves: tuple[Move, ...]
    roles_of: Callable[[object, models.Model], set[str]]
    record: Callable[[Context], None]
    notify: Callable[[Context], None] | None = None
    noun: str = "record"
    status_field: str = "status"
    before_save: Callable[[Context], None] | None = None
    stale_detail: Callable[[models.Model, object], str] | None = None
    _index: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        for move in self.moves:
            key = (move.source, move.target)
            if key in self._index:
                raise ValueError(f"{self.name}: the move {key} is in the table twice")
            if move.source not in self.states.values and move.source != "":
                raise ValueError(f"{self.name}: unknown state {move.source!r}")
            if move.target not in self.states.values:
                raise ValueError(f"{self.name}: unknown state {move.target!r}")
            self._index[key] = move

    # --- reading the table -------------------------------------------------------------------

    def table(self) -> dict[str, dict[str, frozenset[str]]]:
        """{from: {to: roles}} for every state, empty for a final one."""
        table = {state: {} for state in self.states.values}
        for move in self.moves:
            table.setdefault(move.source, {})[move.target] = move.roles
        return table

    @property
    def article(self) -> str:
        return "An" if self.noun[:1].lower() in "aeiou" else "A"

    def describe(self, status: str) -> str:
        return self.states(status).label if status in self.states.values else status

    def find(self, source: str, target: str) -> Move | None:
        return self._index.get((str(source), str(target)))

    def allowed_moves(self, user, obj) -> list[str]:
        """The statuses this person may move the record to now (for the buttons they see)."""
        roles = self.roles_of(user, obj) if user is not None else set()
        current = getattr(obj, self.status_field)
        return [m.target for m in self.moves if m.source == current and m.roles & roles]

    # --- making a move -----------------------------------------------------------------------

    def move(
        self,
        obj: models.Model,
        to: str,
        *,
        user=None,
        system: bool = False,
        expected_status: str | None = None,
        note: str = "",
        changes: dict | None = None,
        notify: bool = True,
    ):
        """Move `obj` to `to` as `user`, or as the product (`system=True`). Returns the saved
        record; `obj` is brought up to date too."""
        to = str(to)
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            current = getattr(locked, self.status_field)
            if expected_status is not None and current != str(expected_status):
                detail = self.stale_detail(locked, user) if self.stale_detail else ""
                raise TransitionRefused(
                    f"Someone else has changed this {self.noun} since you opened it: it is "
                    f"now “{self.describe(current)}”{detail}. Nothing was changed.",
                    code="stale",
                )
            move = self.find(current, to)
            if move is None:
                raise TransitionRefused(
                    f"{self.article} {self.noun} that is “{self.describe(current)}” cannot "
                    f"move to “{self.describe(to)}”.",
                    code="illegal",
                )
            role = self.role_for(move, user, locked, system)
            context = Context(locked, current, to, user, role, note.strip())
            for guard in move.guards:
                guard(context)
            for name, value in (changes or {}).items():
                setattr(locked, name, value)
            setattr(locked, self.status_field, to)
            if self.before_save:
                self.before_save(context)
            locked.save()
            self.record(context)
            for hook in move.on_enter:
                hook(context)
            if notify and self.notify:
                self.notify(context)
        copy_fields(locked, obj)
        return locked

    def role_for(self, move: Move, user, obj, system: bool) -> str:
        """The role the move is made in. `system=True` is the product moving the record as a
        consequence of what `user` did (the last provider declined, a family chose another
        offer); `user` is then recorded as the one who set it off."""
        if system and SYSTEM in move.roles:
            return SYSTEM
        roles = (self.roles_of(user, obj) if user is not None else set()) & move.roles
        if not roles:
            who = "You cannot" if user is not None else "Only a person can"
            raise TransitionRefused(
                f"{who} move this {self.noun} from “{self.describe(move.source)}” to "
                f"“{self.describe(move.target)}”.",
                code="forbidden",
            )
        return sorted(roles)[0]


def note_required(message: str) -> Hook:
    """A guard: the move needs a reason (the form's `note`), saying `message` when there is
    none."""

    def guard(context: Context) -> None:
        if not context.note:
            raise TransitionRefused({"note": message}, code="blocked")

    return guard
