"""A family's answers as questions and answers, in the words of the form: the check-your-answers
page, and the family's download of their data."""

from .choices import SupportKind
from .models import SupportRequest


def answer_rows(found: SupportRequest, *, needs=None, skills=None, days=None) -> list[dict]:
    """The check-your-answers summary: (question, answer, step to change it). `needs`,
    `skills` and `days` default to the request's own (give them for an unsaved request)."""
    needs = found.needs.all() if needs is None else needs
    skills = found.skills.all() if skills is None else skills
    days = found.days.all() if days is None else days
    kinds = [SupportKind(k).label for k in found.support_kinds if k in SupportKind.values]
    times = (
        f"{found.time_from:%H:%M} to {found.time_to:%H:%M}"
        if found.time_from and found.time_to
        else "Any time"
    )
    when = [
        w
        for w, on in (("Term time", found.term_time), ("School holidays", found.school_holidays))
        if on
    ]
    rows = [
        ("Who is asking", found.get_requester_display(), "who"),
        ("First name", found.child_first_name or "Not given", "age"),
        ("Age", f"{found.age}" if found.age is not None else "", "age"),
        ("Needs", ", ".join(n.name for n in needs) or "None given", "needs"),
        ("Communication", found.communication or "Nothing added", "communication"),
        ("Personal care and health", found.care_and_health or "Nothing added", "care"),
        ("Training needed", ", ".join(s.name for s in skills) or "None", "care"),
        ("Behaviour support", found.behaviour_support or "Nothing added", "behaviour"),
        ("Kind of support", ", ".join(kinds), "support"),
        ("Days", ", ".join(d.name for d in days), "days"),
        ("Times", times, "times"),
        ("When in the year", ", ".join(when) or "Not said", "times"),
        (
            "Hours a week",
            f"{found.hours_per_week}" if found.hours_per_week else "Not said",
            "times",
        ),
        ("Area", found.postcode_sector, "postcode"),
        (
            "How far you could travel",
            f"Up to {found.travel_miles} miles" if found.travel_miles else "",
            "travel",
        ),
        (
            "Personal assistant",
            found.get_pa_gender_display() if found.pa_gender else "No preference",
            "preferences",
        ),
        ("Language", found.language.name if found.language else "No preference", "preferences"),
        ("Culture or faith", found.culture_faith or "Nothing added", "preferences"),
        (
            "Paid for by",
            found.funding.name
            if found.funding
            else ("I don't know yet" if found.funding_unknown else ""),
            "funding",
        ),
        (
            "Budget per hour",
            f"£{found.hourly_budget:.2f}" if found.hourly_budget else "Not said",
            "funding",
        ),
        ("Your name", found.contact_name, "contact"),
        ("Phone", found.contact_phone or "Not given", "contact"),
        ("Sharing", "You agree" if found.consent_to_share else "", "consent"),
    ]
    return [{"key": k, "value": v, "step": s} for k, v, s in rows]
