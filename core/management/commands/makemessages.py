from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # No fuzzy matching: msgmerge's guesses ("Something went wrong" → "meeting event") are wrong
    # more often than right in two languages, and a fuzzy entry fails tests/core/test_locale.py.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
