"""Full-text search on PostgreSQL over a table's stored `search_document` column (built by
the apps' migrations from the public copies of their text), for any app's selectors."""

import re

from django.db import connection
from django.db.models.functions import Coalesce

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(query: str) -> list[str]:
    return [word for word in _WORD.findall(query.lower()) if len(word) >= 2][:8]


def pg_query(query: str):
    from django.contrib.postgres.search import SearchQuery

    # "russian" stems Russian words (дорога finds дороги); "simple" with prefixes finds Kazakh
    # words under their suffixes (мектеп finds мектептің), which no stemmer of PostgreSQL knows.
    russian = SearchQuery(query, config="russian", search_type="websearch")
    found = words(query)
    if not found:
        return russian
    prefixes = " & ".join(f"{word}:*" for word in found)
    return russian | SearchQuery(prefixes, config="simple", search_type="raw")


def pg_document(model, *, qualified: bool = True):
    """The stored, GIN-indexed search document of a PostgreSQL row (see the search migrations).

    Unqualified inside a subquery, whose table Django renames: the name then means its own row.
    """
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import RawSQL

    table = connection.ops.quote_name(model._meta.db_table)
    column = f"{table}.search_document" if qualified else "search_document"
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611 - no input


def unindexed_desc(field: str):
    """`field` descending, in a form no b-tree index matches.

    Ordered by a plain indexed date with LIMIT 20, PostgreSQL walks that index and tests each
    row against the search: fast for a common word, a scan of the whole table (5 s over a
    million questions) for a rare one. Ordered by this expression it takes the matches from the
    GIN index and sorts only them, which stays fast for both.
    """
    return Coalesce(field, field).desc()
