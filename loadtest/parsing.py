"""What the load test's users read from the site's pages, as a browser would: links, the forms
they submit with every value the page filled in, and a broker's authenticator code.

Standard library only (and django-otp's TOTP, which needs no Django settings), so it can be
checked against the real pages without locust (tests/loadtest/).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django_otp.oath import totp

# Families: a result's link, and the shortlist's buttons.
LISTING_LINK = re.compile(r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)"')
SHORTLIST_FORM = re.compile(r'action="(/search/shortlist/add/\d+/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Providers: their listings' edit pages and "Confirm still accurate" buttons, on the dashboard.
EDIT_LINK = re.compile(r'href="(/admin/pages/\d+/edit/)"')
CONFIRM_ACTION = re.compile(r"^/admin/directory/listings/\d+/confirm/$")
# Brokers: the requests in their queue.
REQUEST_LINK = re.compile(r'href="(/admin/brokerage/requests/\d+/)"')

EDIT_FORM_ID = "page-edit-form"


@dataclass
class Form:
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action") or ""

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}

    def data(self, **changes) -> dict[str, list[str]]:
        """The values to post, as a browser would send them, with `changes` made."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        for name, value in changes.items():
            values[name] = [str(value)]
        return values


class _FormReader(HTMLParser):
    """Every form on a page with its successful controls: text, hidden and number inputs with
    their values, ticked boxes and chosen radio buttons, selected options (the first, when a
    single select has none), textareas' text. Disabled controls, file inputs, buttons and
    anything inside a <template> (an inline panel's empty form) are left out, as browsers do.
    Controls outside a form that name it (form="...") are counted in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.in_template = 0
        self.select = None  # (form, name, multiple, selected, others)
        self.option = None  # [value, text, selected]
        self.textarea = None  # (form, name, parts)

    def owner(self, attrs: dict) -> Form | None:
        if "form" in attrs:
            return next((f for f in self.forms if f.attrs.get("id") == attrs["form"]), None)
        return self.current

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "form":
            self.current = Form(attrs)
            self.forms.append(self.current)
            return
        if tag == "option" and self.select is not None:
            self.end_option()
            self.option = [attrs.get("value"), "", "selected" in attrs]
            return
        form, name = self.owner(attrs), attrs.get("name")
        if form is None or not name or "disabled" in attrs:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                form.fields.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self.select = (form, name, "multiple" in attrs, [], [])
        elif tag == "textarea":
            self.textarea = (form, name, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[2].append(data)

    def end_option(self):
        if self.option is not None and self.select is not None:
            value, text, selected = self.option
            value = " ".join(text.split()) if value is None else value
            (self.select[3] if selected else self.select[4]).append(value)
        self.option = None

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template = max(0, self.in_template - 1)
            return
        if self.in_template:
            return
        if tag == "option":
            self.end_option()
        elif tag == "select" and self.select is not None:
            self.end_option()
            form, name, multiple, selected, others = self.select
            if not multiple:
                selected = selected[-1:] or others[:1]
            form.fields.extend((name, value) for value in selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            form, name, parts = self.textarea
            text = "".join(parts)
            form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.current = None


def forms(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def form_with(html: str, *, form_id: str = "", field_name: str = "") -> Form | None:
    """The first form with this id, or holding a control of this name."""
    for form in forms(html):
        if form_id and form.attrs.get("id") != form_id:
            continue
        if field_name and field_name not in form.names():
            continue
        return form
    return None


def csrf_token(html: str) -> str | None:
    found = CSRF.search(html)
    return found.group(1) if found else None


def error_summary(html: str) -> str:
    """What a page that refused a form says is wrong, briefly, for locust's failure count."""
    messages = re.findall(r'class="[^"]*error-message[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', html)
    messages += re.findall(r'class="[^"]*messages[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', html)
    return "; ".join(" ".join(m.split()) for m in messages[:3]) or "no message found"


# --- A broker's authenticator app ----------------------------------------------------------


def authenticator_key(password: str, username: str) -> bytes:
    """The same key demo/loadtest.py gives a load-test broker's authenticator app."""
    message = f"short breaks load test authenticator {username}".encode()
    return hmac.new(password.encode(), message, hashlib.sha1).digest()


def authenticator_code(password: str, username: str) -> str:
    """The 6-digit code the broker's app shows now (30-second steps, as django-otp's TOTP
    devices are made)."""
    return f"{totp(authenticator_key(password, username)):06d}"
