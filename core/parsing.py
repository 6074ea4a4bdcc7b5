"""Reading numbers people (or anyone) put in a URL or a form.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as digits the
family never typed, and a number too big for the database's integers overflows it. Every id
read from a request goes through `parse_id`: plain ASCII digits that fit a database key, or
nothing."""

MAX_ID = 2**63 - 1  # the largest integer key SQLite and PostgreSQL (bigint) hold


def parse_id(text) -> int | None:
    """A positive database id from `text`, or None if it is not one."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The ids among `values`, in order, without repeats; anything else is left out."""
    found = []
    for value in values:
        parsed = parse_id(value)
        if parsed is not None and parsed not in found:
            found.append(parsed)
    return found


class IdConverter:
    """`<id:name>` in a URL: an id that fits a database key. A longer number matches no URL
    (a 404), where Django's `<int:...>` passes it on and the database overflows."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)
        return parsed

    def to_url(self, value) -> str:
        return str(int(value))
