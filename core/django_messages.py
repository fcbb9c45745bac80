"""Django, DRF and django-filter messages that their own Kazakh catalogues leave in English
(and a few date names that our formats need in another form: DJANGO_DATES).

Django's kk catalogue is only partly translated (django/conf ~61%, django.contrib.auth ~48%),
django-filter ships no kk catalogue at all, and DRF's kk catalogue lacks a few strings. A
resident using the Kazakh UI would see those validation, login and API errors in English.

Nothing here runs at request time. Each message is only *marked* so that ``make messages``
(``makemessages``) keeps it in locale/kk and locale/ru, where it gets a translation. Our
LOCALE_PATHS catalogue is searched before the apps' catalogues, so the project's translation
wins. That only works while every msgid matches the library's source byte for byte (curly
quotes, ``%(name)s`` placeholders, msgctxt and plural form included): keep them copied, not
retyped. The ru translations are copied from the libraries' own ru catalogues where they exist.

``gettext_noop`` marks singular messages, ``pgettext_lazy`` messages with a context and
``ngettext_lazy`` plural ones; the lazy objects are never evaluated here.

Left out on purpose: the admin's catalogue and admin-only auth strings (password-hash widget,
admin user forms), field descriptions shown only by admindocs, language names, DEBUG-only pages
and messages that already have a Kazakh translation in Django's own catalogue.

To refresh after upgrading Django, DRF or django-filter: for each package, compare the source
msgids (the ``en`` catalogue, or ``xgettext`` over the package when it ships none) with its kk
catalogue (``polib.pofile``, or ``polib.mofile`` when only the .mo is shipped). Entries whose kk
msgstr is empty, fuzzy or absent and that a user can see belong here. Then run ``make messages``,
translate the new empty entries in locale/kk and locale/ru, and ``make compilemessages``;
tests/core/test_django_messages.py fails while any of them is untranslated.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

# Django core (django/conf/locale): validators, form and model field errors, formsets, timesince, the CSRF failure page.
DJANGO = (
    # django/core/paginator.py
    gettext_noop("…"),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    # django/core/validators.py
    gettext_noop("Enter a valid domain name."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    gettext_noop("Enter a valid %(protocol)s address."),
    gettext_noop("IPv4"),
    gettext_noop("IPv6"),
    gettext_noop("IPv4 or IPv6"),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. "
        "%(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    gettext_noop("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    gettext_noop("Null characters are not allowed."),
    # django/db/models/base.py
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    # django/db/models/constraints.py
    gettext_noop("Constraint “%(name)s” is violated."),
    # django/db/models/fields/__init__.py
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s."),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(value)s” value must be either True, False, or None."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."),
    gettext_noop(
        "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time."
    ),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."),
    gettext_noop("“%(value)s” value must be a float."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value must be either None, True or False."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."),
    gettext_noop("“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time."),
    gettext_noop("“%(value)s” is not a valid UUID."),
    # django/db/models/fields/json.py
    gettext_noop("Value must be valid JSON."),
    # django/db/models/fields/related.py
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # django/forms/fields.py
    gettext_noop("Enter a valid duration."),
    gettext_noop("The number of days must be between {min_days} and {max_days}."),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    # django/forms/forms.py
    gettext_noop("(Hidden field %(name)s) %(error)s"),
    # django/forms/formsets.py
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You "
        "may need to file a bug report if the issue persists."
    ),
    ngettext_lazy(
        "Please submit at most %(num)d form.",
        "Please submit at most %(num)d forms.",
        "num",
    ),
    ngettext_lazy(
        "Please submit at least %(num)d form.",
        "Please submit at least %(num)d forms.",
        "num",
    ),
    # django/forms/models.py
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("“%(pk)s” is not a valid value."),
    # django/forms/utils.py
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or "
        "it may not exist."
    ),
    # django/utils/ipv6.py
    gettext_noop("This is not a valid IPv6 address."),
    # django/utils/text.py
    pgettext_lazy("String to return when truncating text", "%(truncated_text)s…"),
    # django/utils/timesince.py
    ngettext_lazy(
        "%(num)d year",
        "%(num)d years",
        "num",
    ),
    ngettext_lazy(
        "%(num)d month",
        "%(num)d months",
        "num",
    ),
    ngettext_lazy(
        "%(num)d week",
        "%(num)d weeks",
        "num",
    ),
    ngettext_lazy(
        "%(num)d day",
        "%(num)d days",
        "num",
    ),
    ngettext_lazy(
        "%(num)d hour",
        "%(num)d hours",
        "num",
    ),
    ngettext_lazy(
        "%(num)d minute",
        "%(num)d minutes",
        "num",
    ),
    # django/views/csrf.py
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop(
        "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by "
        "your web browser, but none was sent. This header is required for security reasons, to ensure "
        "that your browser is not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable “Referer” headers, please re-enable them, at "
        "least for this site, or for HTTPS connections, or for “same-origin” requests."
    ),
    gettext_noop(
        'If you are using the <meta name="referrer" content="no-referrer"> tag or including the '
        "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the "
        "“Referer” header to do strict referer checking. If you’re concerned about privacy, use "
        'alternatives like <a rel="noreferrer" …> for links to third-party sites.'
    ),
    gettext_noop(
        "You are seeing this message because this site requires a CSRF cookie when submitting forms. "
        "This cookie is required for security reasons, to ensure that your browser is not being hijacked "
        "by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please re-enable them, at least for "
        "this site, or for “same-origin” requests."
    ),
    gettext_noop("More information is available with DEBUG=True."),
)

# Django's date names that config/formats needs in another form than Django's kk catalogue
# gives: the month after a day number in lowercase ("7 желтоқсан", not "7 Желтоқсан"), and the
# weekdays as Kazakh calendars abbreviate them (Django's kk has "Сб" for Tuesday, "Ср" in Russian).
# The ru translations are Django's own.
DJANGO_DATES = (
    # django/utils/dates.py
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)

# django.contrib.auth: login, password change/reset and password validators.
DJANGO_AUTH = (
    # django/contrib/auth/forms.py (Django's kk writes "құпия сөз"; the site writes "құпиясөз")
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("Email"),
    # django/contrib/auth/models.py
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("email address"),
    # django/contrib/auth/password_validation.py
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "number",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django/contrib/auth/validators.py
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z "
        "letters, numbers, and @/./+/-/_ characters."
    ),
    gettext_noop("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
    # django/contrib/auth/views.py
    gettext_noop("Password reset"),
    gettext_noop("Password reset sent"),
    gettext_noop("Enter new password"),
    gettext_noop("Password reset unsuccessful"),
    gettext_noop("Password reset complete"),
    gettext_noop("Password change"),
    gettext_noop("Password change successful"),
)

# Django REST framework: missing from its kk catalogue.
REST_FRAMEWORK = (
    # rest_framework/fields.py
    gettext_noop("A valid biginteger is required."),
)

# Django REST framework messages its kk catalogue has but its ru one lacks:
# without them a Russian request falls back to the default language, Kazakh.
REST_FRAMEWORK_RU = (
    # rest_framework/exceptions.py
    gettext_noop("Invalid input."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
    # rest_framework/fields.py
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop('Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Datetime value out of range."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    # rest_framework/validators.py
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
)

# django-filter ships no kk catalogue at all (Yes/No/Unknown are left to Django's own).
DJANGO_FILTERS = (
    # django_filters/conf.py
    gettext_noop("date"),
    gettext_noop("year"),
    gettext_noop("month"),
    gettext_noop("day"),
    gettext_noop("week day"),
    gettext_noop("hour"),
    gettext_noop("minute"),
    gettext_noop("second"),
    gettext_noop("contains"),
    gettext_noop("is in"),
    gettext_noop("is greater than"),
    gettext_noop("is greater than or equal to"),
    gettext_noop("is less than"),
    gettext_noop("is less than or equal to"),
    gettext_noop("starts with"),
    gettext_noop("ends with"),
    gettext_noop("is in range"),
    gettext_noop("is null"),
    gettext_noop("matches regex"),
    gettext_noop("search"),
    gettext_noop("is contained by"),
    gettext_noop("overlaps"),
    gettext_noop("has key"),
    gettext_noop("has keys"),
    gettext_noop("has any keys"),
    # django_filters/fields.py
    gettext_noop("Select a lookup."),
    gettext_noop("Range query expects two values."),
    # django_filters/filters.py
    gettext_noop("Today"),
    gettext_noop("Yesterday"),
    gettext_noop("Past 7 days"),
    gettext_noop("This month"),
    gettext_noop("This year"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("%s (descending)"),
    gettext_noop("Ordering"),
    # django_filters/rest_framework/filterset.py
    gettext_noop("Submit"),
    # django_filters/utils.py
    gettext_noop("exclude"),
    # django_filters/widgets.py
    gettext_noop("All"),
    # django_filters/templates/django_filters/rest_framework/form.html
    gettext_noop("Field filters"),
)
