from django.shortcuts import render

# Twenty rows, as a list page shows: no database, nothing of the portal's.
ROWS = [{"pk": n, "name": f"Territory {n}", "kind": "district"} for n in range(1, 21)]


def rows_view(request):
    return render(request, "rows.html", {"rows": ROWS})
