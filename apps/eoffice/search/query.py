"""Turning what a person typed into one Tantivy query: match, rank, filter, permit.

The text: ``"quoted"`` parts are phrases; any other word is a term that must match (AND);
a word that the analyzer splits (``QĐ-UBND``, ``45/UBND-VP``) is a phrase of its parts. All
match on the folded field, so "ho so dat dai" finds "hồ sơ đất đai" and "dong du" finds
"Đông Dư". Ranking adds, as optional clauses: the whole text as a phrase (documents that say
it in one piece first), the same with diacritics (exact spelling first when it was typed
with accents), and matches in summary / số ký hiệu / issuer.

The permission filter and the filters are clauses of the same boolean query, with score 0:
the engine skips documents the user may not read while it collects the top hits. Filtering
afterwards would be wrong (a page of 20 could come back empty while readable hits exist
further down) and slow (unaccented syllables match most documents). See docs/search.md.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import tantivy

from eoffice.search.schema import SCHEMA, exact_tokens, folded_tokens, pairs_of

Must, Should = tantivy.Occur.Must, tantivy.Occur.Should

PHRASE_BOOST = 3.0  # the whole text as one phrase
EXACT_BOOST = 2.0  # the words with their diacritics
META_BOOST = 1.5  # in summary, số ký hiệu or issuer
MAX_TERMS = 32  # a query longer than this is cut: nobody types more, and cost grows with it


@dataclass(frozen=True)
class SearchScope:
    """Who is searching, as the index's permission fields see it.

    ``units``: units whose documents the user reads (:func:`eoffice.permissions.units_in_scope`);
    ``led_units``: units the user leads directly (for secret documents assigned to a unit);
    ``doctypes``: the DocTypes whose role permission lets them read (None: all);
    ``is_admin``: reads every unit; secret documents only where named, as everyone.
    """

    user_id: int | None
    units: frozenset[int] = frozenset()
    led_units: frozenset[int] = frozenset()
    doctypes: frozenset[str] | None = None
    is_admin: bool = False


@dataclass
class Filters:
    """What a search may be narrowed to (every list is "any of")."""

    doctype: str | None = None
    document_type: list[str] = field(default_factory=list)
    workflow_state: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _term(field_name: str, value):
    return tantivy.Query.term_query(SCHEMA, field_name, value)


def _any_of(field_name: str, values) -> tantivy.Query:
    values = list(values)
    if not values:
        return tantivy.Query.empty_query()
    return tantivy.Query.term_set_query(SCHEMA, field_name, values)


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A clause that narrows without changing scores."""
    return tantivy.Query.const_score_query(query, 0.0)


def permission_query(scope: SearchScope) -> tantivy.Query | None:
    """What ``scope`` may read, as a query (None: everything).

    Mirrors ``incoming_scope``: visible (a unit in scope, or assigned to the user) and, if
    secret, named (a reader, or a leader of a unit it was assigned to).
    """
    if scope.user_id is None:
        return tantivy.Query.empty_query()
    cleared = tantivy.Query.boolean_query(
        [
            (Should, _term("secret", 0)),
            (Should, _term("readers", scope.user_id)),
            (Should, _any_of("lead_units", scope.led_units)),
        ]
    )
    if scope.is_admin:
        # Every unit, but secret documents only where named (eoffice.permissions.admin_filter).
        return cleared
    visible = tantivy.Query.boolean_query(
        [(Should, _any_of("units", scope.units)), (Should, _term("users", scope.user_id))]
    )
    clauses = [(Must, visible), (Must, cleared)]
    if scope.doctypes is not None:
        clauses.append((Must, _any_of("doctype", scope.doctypes)))
    return tantivy.Query.boolean_query(clauses)


def filter_queries(filters: Filters) -> list[tantivy.Query]:
    out = []
    if filters.doctype:
        out.append(_term("doctype", filters.doctype))
    if filters.document_type:
        out.append(_any_of("document_type", filters.document_type))
    if filters.workflow_state:
        out.append(_any_of("workflow_state", filters.workflow_state))
    if filters.units:
        out.append(_any_of("units", filters.units))
    if filters.date_from or filters.date_to:
        to_dt = lambda d: datetime.datetime(d.year, d.month, d.day) if d else None  # noqa: E731
        out.append(
            tantivy.Query.range_query(
                SCHEMA,
                "date",
                tantivy.FieldType.Date,
                lower_bound=to_dt(filters.date_from),
                upper_bound=to_dt(filters.date_to),
            )
        )
    return out


def split_text(text: str) -> tuple[list[str], list[str]]:
    """(quoted phrases, other words) of what was typed."""
    phrases = [p for p in re.findall(r'"([^"]*)"', text or "") if p.strip()]
    rest = re.sub(r'"[^"]*"?', " ", text or "")
    return phrases, rest.split()


def _phrase_or_term(field_name: str, tokens: list[str]) -> tantivy.Query:
    if len(tokens) == 1:
        return _term(field_name, tokens[0])
    return tantivy.Query.phrase_query(SCHEMA, field_name, tokens)


def _pairs_clause(tokens: list[str]):
    pairs = pairs_of(tokens)
    if not pairs:
        return None
    return _filter(
        tantivy.Query.boolean_query([(Must, _term("pairs", pair)) for pair in sorted(set(pairs))])
    )


def text_query(text: str) -> tuple[list, int]:
    """The matching and ranking clauses of ``text``, and how many terms it has."""
    phrases, words = split_text(text)
    clauses: list = []
    all_tokens: list[str] = []
    for raw in phrases + words:
        tokens = folded_tokens(raw)[:MAX_TERMS]
        if not tokens:
            continue
        all_tokens += tokens
        clauses.append((Must, _phrase_or_term("text_f", tokens)))
        if len(tokens) > 1:
            narrowing = _pairs_clause(tokens)
            if narrowing is not None:
                clauses.append((Must, narrowing))
        exact = exact_tokens(raw)[:MAX_TERMS]
        if exact and exact != tokens:  # typed with diacritics: exact spelling ranks first
            clauses.append(
                (Should, tantivy.Query.boost_query(_phrase_or_term("text_d", exact), EXACT_BOOST))
            )
        for token in tokens:
            clauses.append((Should, tantivy.Query.boost_query(_term("meta_f", token), META_BOOST)))
        if len(all_tokens) >= MAX_TERMS:
            break
    if len(all_tokens) > 1 and not phrases:
        # Unaccented syllables are unselective: documents saying the words in one piece first.
        clauses.append(
            (
                Should,
                tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(SCHEMA, "text_f", all_tokens), PHRASE_BOOST
                ),
            )
        )
    return clauses, len(all_tokens)


def build_query(text: str, scope: SearchScope, filters: Filters | None = None) -> tantivy.Query:
    """The one query a search runs: text, filters and permission together."""
    clauses, terms = text_query(text)
    if terms == 0:
        clauses = [(Must, tantivy.Query.all_query())]
    permission = permission_query(scope)
    if permission is not None:
        clauses.append((Must, _filter(permission)))
    for narrowing in filter_queries(filters or Filters()):
        clauses.append((Must, _filter(narrowing)))
    return tantivy.Query.boolean_query(clauses)
