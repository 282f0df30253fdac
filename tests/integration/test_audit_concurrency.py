"""Concurrent appends serialise: the chain never forks, whatever the interleaving.

Each thread has its own database connection and commits its own transactions (so the test is a
TransactionTestCase: real commits, tables flushed afterwards). On SQLite the IMMEDIATE
transactions take the write lock before reading the head; on PostgreSQL an advisory lock does.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from oversight import audit
from oversight.audit.canonical import GENESIS
from oversight.audit.models import AuditEvent

THREADS = 8
PER_THREAD = 25


def _append_from_threads() -> list[BaseException]:
    """Start THREADS threads together, each recording PER_THREAD events; return their errors."""
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(PER_THREAD):
                with transaction.atomic():
                    audit.record(
                        action="load.test",
                        object_type="test.worker",
                        object_id=worker,
                        detail={"worker": worker, "i": i},
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return errors


@pytest.mark.django_db(transaction=True)
def test_eight_threads_appending_at_once_leave_one_unbroken_chain():
    errors = _append_from_threads()

    assert errors == []
    total = THREADS * PER_THREAD
    result = audit.verify()
    assert result.ok, result.reason
    assert result.count == total
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == list(range(1, total + 1))
    links = [prev for _, prev, _ in rows]
    assert links == [GENESIS] + [h for _, _, h in rows[:-1]]
    assert len(set(links)) == total, "two events claim the same predecessor: the chain forked"
    assert result.head_hash == rows[-1][2]


@pytest.mark.django_db(transaction=True)
def test_every_threads_every_event_is_in_the_chain_in_the_order_that_thread_wrote_them():
    errors = _append_from_threads()

    assert errors == []
    per_worker: dict[int, list[int]] = {}
    for summary in AuditEvent.objects.order_by("seq").values_list("summary", flat=True):
        per_worker.setdefault(summary["detail"]["worker"], []).append(summary["detail"]["i"])
    assert Counter({w: len(items) for w, items in per_worker.items()}) == Counter(
        dict.fromkeys(range(THREADS), PER_THREAD)
    )
    for items in per_worker.values():
        assert items == list(range(PER_THREAD))
