"""Write the public copies of a table again, in batches: after the masking rules change
(manage.py remask_public_text) and in the data migration that filled them the first time.

Rows are read in primary-key order, a batch at a time under a row lock (a service writing an
original meanwhile waits, so its copy is never overwritten with an older one), and only the
rows whose copy differs are written, so a second run writes nothing. It takes the model as an argument: migrations
pass their historical model, the services the live one.
"""

from dataclasses import dataclass

from django.db import models, transaction

from core.masking import mask_personal_data


@dataclass
class RemaskCount:
    rows: int = 0
    changed: int = 0


def remask_table(model: type[models.Model], copies: dict[str, str], *, batch_size: int = 1000) -> RemaskCount:
    """`copies`: original field → public copy field (the same name masks the field in place)."""
    sources, targets = list(copies), list(dict.fromkeys(copies.values()))
    count = RemaskCount()
    last_pk = None
    while True:
        with transaction.atomic():
            queryset = model._default_manager.order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            batch = list(queryset.select_for_update().only("pk", *sources, *targets)[:batch_size])
            if not batch:
                return count
            changed = []
            for row in batch:
                new = {target: mask_personal_data(getattr(row, source) or "") for source, target in copies.items()}
                if any(getattr(row, target) != value for target, value in new.items()):
                    for target, value in new.items():
                        setattr(row, target, value)
                    changed.append(row)
            if changed:
                model._default_manager.bulk_update(changed, targets)
        count.rows += len(batch)
        count.changed += len(changed)
        last_pk = batch[-1].pk
