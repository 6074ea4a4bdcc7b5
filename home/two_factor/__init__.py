"""Two-factor sign-in for everyone who uses the Wagtail admin (django-otp).

- `rules.py`: who must use a second factor, and what a signed-in person must do next;
- `services.py`: setting up an authenticator app, backup codes, checking a code, removing;
- `middleware.py`: the step after the password, and staff sessions ending when idle;
- `views.py`, `forms.py`: the pages, in the admin at /admin/two-factor/ (`home/wagtail_hooks.py`).

No secret (an authenticator's key, a backup code) is ever logged or put in the audit trail.
"""
