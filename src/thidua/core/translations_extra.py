"""Strings from Django and libraries whose Vietnamese or Indonesian translation is missing or
weak upstream; listed here so `makemessages` puts them in our catalogues (which take precedence)."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Username"),
    gettext_noop("Password"),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Email"),
]
