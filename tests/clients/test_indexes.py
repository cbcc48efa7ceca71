"""Each index of the clients app is used by the query it serves (EXPLAIN names it), on a
table big enough that the planner prefers it to reading every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import selectors

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def many_clients(west_practice):
    """30,000 clients of one area (a coordinator's area holds tens of thousands), with
    names, postcodes, phone and NHS numbers of every kind, written in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO clients_client (
                first_name, last_name, preferred_name, date_of_birth, address, postcode, phone,
                nhs_number, practical_needs, support_wanted, communication_needs, next_of_kin_name,
                next_of_kin_relationship, next_of_kin_phone, status, closed_reason, created_at,
                area_id, gp_practice_id
            )
            SELECT 'First' || n, 'Surname' || (n %% 700), '', DATE '1941-03-14', '1 Fore Street',
                   'TR' || (n %% 27) || ' ' || (n %% 9) || 'AB', '01872 ' || lpad(n::text, 6, '0'),
                   (9000000000 + n)::text, '', '{}', '', '', '', '', 'active', '', now(), %s, %s
            FROM generate_series(1, 30000) AS n
            """,
            [west_practice.area_id, west_practice.pk],
        )
        # What autovacuum does in time: move the new rows from the index's pending list
        # into the index proper, and take the statistics the planner uses.
        cursor.execute("SELECT gin_clean_pending_list('client_search_trgm_idx'::regclass)")
        cursor.execute("ANALYZE")


@pytest.mark.parametrize("search", ["Pengelly", "PL14 9ZZ", "01726 555", "4010232137", "Ada Pengelly"])
def test_the_staff_client_search_uses_the_trigram_index(many_clients, coordinator, search):
    clients = selectors.clients_for_staff(coordinator, search=search)

    assert "client_search_trgm_idx" in clients.explain(), clients.explain()
    assert "client_search_trgm_idx" in clients[:25].explain()


def test_a_deep_page_of_the_client_list_reads_its_keys_from_the_order_index(many_clients, coordinator):
    """The last page's keys come from `client_area_order_idx` in order: no sort of the
    area's 30,000 clients, and no row read before the page."""
    paged = selectors.PagedByKeys(selectors.clients_for_staff(coordinator))
    with CaptureQueriesContext(connection) as captured:
        page = paged[29_975:30_000]
    (sql,) = [query["sql"] for query in captured]
    with connection.cursor() as cursor:
        # The test's transaction cannot VACUUM, so the new rows are not marked all-visible and
        # the planner prices an index-only scan as if it read every row from the table; on a
        # vacuumed database it takes the index unprompted (the million-concern copy: an
        # index-only scan of 16,666 entries, ~3 ms, against ~150 ms for a sort). Without the
        # index there is no plan without a sort, so this still fails.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert len(page) == 25
    assert "client_area_order_idx" in plan, plan
    assert "Seq Scan on clients_client" not in plan, plan
