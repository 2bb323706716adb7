"""``eoffice search rebuild | flush | status | query TEXT``: the site's search index by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Tantivy search index of the site: rebuild it from the database, apply pending changes, look."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "rebuild", help="recreate the index from the database (searches go on meanwhile)"
        )
        sub.add_parser("flush", help="apply the changes waiting for the index job now")
        sub.add_parser(
            "status", help="where the index is, how many documents, how many changes wait"
        )
        query = sub.add_parser("query", help="search as an administrator (for checking)")
        query.add_argument("text")
        query.add_argument("--limit", type=int, default=10)

    def handle(self, *args, action, **options):
        from eoffice import search
        from eoffice.search import index as idx
        from eoffice.search.index import IndexBusy

        if action == "rebuild":
            try:
                count = search.rebuild()
            except IndexBusy as exc:
                raise CommandError(f"the index is being written by another process: {exc}") from exc
            self.stdout.write(f"Search index rebuilt: {count} documents.")
        elif action == "flush":
            from eoffice.search.jobs import flush

            self.stdout.write(f"{flush()} documents written.")
        elif action == "status":
            generation = idx.current_generation()
            index = idx.reader_index()
            docs = index.searcher().num_docs if index else 0
            try:
                from eoffice.search.jobs import pending_count

                waiting = pending_count()
            except Exception:  # noqa: BLE001  (no Redis: inline jobs)
                waiting = "?"
            self.stdout.write(f"index: {idx.root()} ({generation or 'none'})")
            self.stdout.write(f"documents: {docs}; changes waiting: {waiting}")
        elif action == "query":
            results = search.search(
                search.SearchScope(user_id=None, is_admin=True),
                options["text"],
                limit=options["limit"],
            )
            self.stdout.write(f"{results.total} found")
            for hit in results.hits:
                self.stdout.write(
                    f"{hit.score:7.3f}  {hit.doctype}  {hit.name}  {hit.content[:100]}"
                )
