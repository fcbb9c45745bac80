from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import is_staff_member


def people(request: HttpRequest) -> dict:
    """Staff find their tools in the workspace, residents their questions: asked (one query)
    only when a page shows a signed-in person's links."""
    return {"is_staff_member": SimpleLazyObject(lambda: _is_staff_member(request))}


def _is_staff_member(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and is_staff_member(user)
