"""How place names are matched, whatever the case, accents or punctuation typed."""

import re
import unicodedata


def place_key(text: str) -> str:
    """What a place name is matched on: "St. Mary's & Bamburgh" and "saint marys and
    bamburgh" both give "st marys and bamburgh". Lower case, accents dropped, "&" as "and",
    hyphens and slashes as spaces, other punctuation removed, "St." and "Saint" as "st"."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[-/]", " ", text)
    text = re.sub(r"[^a-z0-9 ]", "", text)
    return " ".join("st" if word == "saint" else word for word in text.split())
