"""Hostile values for property-based tests of anything a URL or a form reads: other scripts'
digits ("²", "٣"), numbers too big for any database integer, NUL bytes, long strings and
values of the wrong type."""

from hypothesis import strategies as st

unicode_digits = st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=24)
huge_numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
with_nul = st.text(max_size=20).map(lambda text: text + "\x00" + text)
long_strings = st.text(min_size=300, max_size=3000)
wrong_types = st.sampled_from(
    [
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "1.5",
        "-0",
        "1e309",
        "NaN",
        "Infinity",
        "0x10",
        " ",
        "²",
        "٣٤",
    ]
)
hostile = st.one_of(
    st.text(max_size=40), unicode_digits, huge_numbers, with_nul, long_strings, wrong_types
)
