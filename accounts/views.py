from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import staff_roles_of


@login_required
def workspace_view(request: HttpRequest) -> HttpResponse:
    """The staff workspace's front page: the territories this person acts in."""
    return render(request, "accounts/workspace.html", {"roles": staff_roles_of(user=request.user)})
