"""oversight subjects kinds|count|show|follow|template|import|export — the registry on the console.

``--as USERNAME`` acts as that user: their scope, their permission (a county's officer sees only
their county's subjects; another county's id is "not found"). Without it the command acts as the
server's operator and sees the whole registry.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from oversight.catalog.selectors import catalog_in_force
from oversight.cli import subject_files
from oversight.cli.output import add_format, emit
from oversight.core.errors import DomainError, NotFound
from oversight.core.text import parse_id
from oversight.org.models import User
from oversight.org.scope import Viewer, viewer_for
from oversight.subjects import selectors, services
from oversight.subjects.follow import subjects_follow
from oversight.subjects.models import Subject
from oversight.subjects.presentation import shown_fields

KINDS_HELP = "list the kinds of subject and their fields"


def add_acting_user(parser: CommandParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this user")


def acting_viewer(username: str | None) -> Viewer | None:
    """The viewer a ``--as`` names, or None for the operator; refuses one who may not read."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    viewer = viewer_for(user) if user else None
    if viewer is None or not selectors.may_read(viewer):
        raise CommandError(f"{username} is not an active user who may read the registry")
    return viewer


def scoped(viewer: Viewer | None) -> Any:
    return selectors.subjects_visible(viewer) if viewer else Subject.objects.all()


class Command(BaseCommand):
    help = "The subject registry: its kinds, counts, one subject; keep it in step."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add_format(sub.add_parser("kinds", help=KINDS_HELP))
        count = sub.add_parser("count", help="count subjects by kind (closed ones apart)")
        count.add_argument("--kind", default="")
        add_acting_user(count)
        add_format(count)
        show = sub.add_parser("show", help="show one subject and its fields in words")
        show.add_argument("subject_id")
        add_acting_user(show)
        add_format(show)
        sub.add_parser("follow", help="bring the organisation's units in as subjects")
        subject_files.add_parsers(sub, add_acting_user)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except NotFound:
            raise CommandError("not found (or not in your scope)") from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _kinds(self, options: dict[str, Any]) -> None:
        rows: list[dict[str, Any]] = []
        for kind in catalog_in_force().header.subject_kinds:
            spec = services.kind_fields(kind.code)
            fields = [
                {"name": f.name, "label": str(f.label), "type": f.kind} for f in spec.own.specs
            ]
            rows.append(
                {"code": spec.code, "name": spec.name, "linked": spec.linked, "fields": fields}
            )
        table = [["code", "name", "own fields"]] + [
            [r["code"], r["name"], ", ".join(f["name"] for f in r["fields"]) or "-"] for r in rows
        ]
        emit(self, options["format"], rows, table)

    def _count(self, options: dict[str, Any]) -> None:
        qs = scoped(acting_viewer(options["as_user"]))
        if options["kind"]:
            services.kind_fields(options["kind"])  # an unknown kind is refused, not counted as 0
            qs = qs.filter(kind=options["kind"])
        counts: dict[str, dict[str, int]] = {}
        for row in qs.values("kind", "status").annotate(n=Count("id")).order_by():
            counts.setdefault(row["kind"], {})[row["status"]] = row["n"]
        table = [["kind", "active", "suspended", "closed"]] + [
            [k, c.get("ACTIVE", 0), c.get("SUSPENDED", 0), c.get("CLOSED", 0)]
            for k, c in sorted(counts.items())
        ]
        emit(self, options["format"], counts, table)

    def _show(self, options: dict[str, Any]) -> None:
        viewer = acting_viewer(options["as_user"])
        subject: Subject | None
        if viewer:
            subject = selectors.subject_get(viewer=viewer, subject_id=options["subject_id"])
        else:
            pk = parse_id(options["subject_id"])
            subject = Subject.objects.filter(pk=pk).first() if pk else None
        if subject is None:
            raise NotFound()
        kind = services.kind_fields(subject.kind)
        values = {name: getattr(subject, name) for name in kind.common} | subject.attributes
        names = {subject.agency_id: subject.agency.name}
        shown = shown_fields(kind.all, values, names)
        data = {"id": subject.pk, "kind": subject.kind, "fields": {f.label: f.value for f in shown}}
        emit(
            self,
            options["format"],
            data,
            [["field", "value"], *([f.label, f.value] for f in shown)],
        )

    def _template(self, options: dict[str, Any]) -> None:
        subject_files.template(self, acting_viewer(options["as_user"]), options)

    def _import(self, options: dict[str, Any]) -> None:
        subject_files.run_import(self, acting_viewer(options["as_user"]), options)

    def _export(self, options: dict[str, Any]) -> None:
        subject_files.export(self, acting_viewer(options["as_user"]), options)

    def _follow(self, options: dict[str, Any]) -> None:
        done = subjects_follow()
        self.stdout.write(
            f"created {done.created}, renamed {done.renamed}, closed {done.closed},"
            f" reopened {done.reopened}"
        )
