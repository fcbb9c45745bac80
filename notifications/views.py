from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from notifications import kinds, services
from notifications.models import Preference, Unsubscription


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs without a CSRF token; the signed link is the proof
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = kinds.get(data["k"])
    done = Unsubscription.objects.filter(address=data["a"], kind=data["k"]).exists()
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": kind.label if kind else data["k"], "done": done, "token": token},
    )


@login_required(login_url="accounts:sign_in")
def preferences_view(request: HttpRequest) -> HttpResponse:
    offered = [kind for kind in kinds.all_kinds() if not kind.essential and not kind.for_staff]
    current = {p.kind: p for p in Preference.objects.filter(user=request.user)}
    if request.method == "POST":
        for kind in offered:
            services.preference_set(
                user=request.user,
                kind=kind.name,
                email=f"{kind.name}:email" in request.POST,
                sms=f"{kind.name}:sms" in request.POST,
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    rows = [
        {
            "kind": kind,
            "email": current[kind.name].email if kind.name in current else True,
            "sms": current[kind.name].sms if kind.name in current else True,
        }
        for kind in offered
    ]
    return render(request, "notifications/preferences.html", {"rows": rows})
