"""Small numbers in anything exported or published: a count from 1 to 4 is written "fewer than
5", so no child, family or small group of services can be picked out (the council's statement,
the commissioners' downloads)."""

SUPPRESS_BELOW = 5
SUPPRESSED = f"fewer than {SUPPRESS_BELOW}"


def is_small(count) -> bool:
    return isinstance(count, int) and 0 < count < SUPPRESS_BELOW
