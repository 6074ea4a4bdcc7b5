"""What a family reads of their request's history: what was done for them, in their words.

The request's event log is the broker's record (who moved it, their notes, the candidates
they weighed). The family sees each step their request took, how many providers were asked,
never a provider's name the family was not offered, and never the broker's working notes."""

import re
from dataclasses import dataclass
from datetime import datetime

from .choices import Status
from .models import SupportRequest

ASKED = re.compile(r"^Asked (\d+) provider")
STEPS = {
    Status.SUBMITTED: "You sent your request. It is waiting for a broker.",
    Status.ASSIGNED: "A broker is finding support for you.",
    Status.OFFERS_SENT: "Your broker asked providers if they can help.",
    Status.CHOOSING: "A provider can help. You can choose.",
    Status.AGREEING: "You chose a provider. The support is being agreed.",
    Status.MATCHED: "The support is agreed.",
    Status.UNMATCHED: "Your broker could not find a suitable provider.",
    Status.WITHDRAWN: "The request was withdrawn.",
}
LOOKING_AGAIN = "Your broker is looking for support again."
# A move whose note the broker writes for the family to read: why the agreement fell through.
FOR_THE_FAMILY = "Agreement fell through: "


@dataclass(frozen=True)
class Step:
    at: datetime
    words: str


def providers_asked(count: int) -> str:
    return f"Your broker asked {count} provider{'' if count == 1 else 's'} if they can help."


def family_timeline(request: SupportRequest) -> list[Step]:
    steps = []
    events = request.events.filter(offer__isnull=True).exclude(to_status=Status.DRAFT)
    for event in events.order_by("at", "id"):
        asked = ASKED.match(event.note)
        if event.from_status == event.to_status:
            continue  # the broker's working notes (contact made, candidates) stay theirs
        if event.note.startswith(FOR_THE_FAMILY):
            words = event.note
        elif event.to_status == Status.OFFERS_SENT and asked:
            words = providers_asked(int(asked[1]))
        elif event.to_status == Status.ASSIGNED and event.from_status != Status.SUBMITTED:
            words = LOOKING_AGAIN
        else:
            words = STEPS.get(event.to_status, Status(event.to_status).label)
        steps.append(Step(event.at, words))
    return steps
