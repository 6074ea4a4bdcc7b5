"""What the public sees about safeguarding and freshness: words and colours, never the data."""

from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from .choices import DBSLevel, DBSStatus, Freshness


@dataclass(frozen=True)
class Badge:
    label: str
    colour: str  # GOV.UK tag modifier
    text: str


def dbs_badge(status) -> Badge:
    """`status` is a ListingStatus (or None for a listing not yet processed)."""
    if status is None or status.dbs_status == DBSStatus.NONE:
        return Badge(
            "No DBS check recorded", "grey", "The provider has not given us details of a DBS check."
        )
    level = DBSLevel(status.dbs_level).label if status.dbs_level else "DBS check"
    if status.dbs_status == DBSStatus.VERIFIED:
        return Badge(
            f"{level}, verified {date_format(status.dbs_verified_on, 'j F Y')}",
            "green",
            "The council has checked the certificate.",
        )
    if status.dbs_status == DBSStatus.DUE_SOON:
        return Badge(
            "DBS check due for renewal",
            "yellow",
            f"{level}, verified by the council. It is due for renewal by "
            f"{date_format(status.dbs_next_due, 'j F Y')}.",
        )
    if status.dbs_status == DBSStatus.LAPSED:
        return Badge(
            "DBS check has lapsed",
            "red",
            f"The {level.lower()} was due for renewal on "
            f"{date_format(status.dbs_next_due, 'j F Y')} and has not been renewed.",
        )
    return Badge(
        "DBS check not yet verified",
        "orange",
        f"The provider told us they have an {level.lower()}. The council has not checked it yet.",
    )


def freshness_badge(status, on=None) -> Badge | None:
    if status is None:
        return None
    if status.assured_date is None:
        return Badge("Not yet checked", "grey", "The council has not approved this listing yet.")
    fresh = status.freshness(on)
    checked = date_format(status.assured_date, "j F Y")
    if fresh == Freshness.CURRENT:
        return Badge(f"Last checked {checked}", "blue", "")
    return Badge(
        f"Last checked {checked}",
        "grey",
        "The provider has not confirmed these details recently. "
        "Check with them before you rely on it.",
    )
