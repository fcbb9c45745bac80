"""The kinds of message apps send, registered by the apps themselves (notifications knows none).

An app registers its kinds in its AppConfig.ready(); the registry gives residents' preference
page its labels and tells which kinds carry an unsubscribe link.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    # Essential messages (a confirmation code) carry no unsubscribe link and ignore opt-outs.
    essential: bool = False
    # Staff messages are not offered on the residents' preference page.
    for_staff: bool = False
    # Context keys (a one-time code) erased from the outbox row once the message is sent or
    # given up: the secret lives in the database only until it has left.
    secret: tuple[str, ...] = ()


_registry: dict[str, Kind] = {}


def register(
    name: str,
    label: str | Promise,
    *,
    essential: bool = False,
    for_staff: bool = False,
    secret: tuple[str, ...] = (),
) -> Kind:
    kind = Kind(name=name, label=label, essential=essential, for_staff=for_staff, secret=secret)
    _registry[name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _registry.get(name)


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.name)
