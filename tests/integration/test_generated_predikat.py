"""The generated city with the SKP ratings e-Kinerja exports: a predikat for nearly everyone."""

import psycopg2

from tests.integration.conftest import CITY_MONTHS


def test_a_generated_city_gives_a_predikat_to_at_least_90_percent(published_city):
    url, _ = published_city
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("""select period, count(*) filter (where predikat is not null)::numeric / count(*),
                              count(*) filter (where role = 'OFFICE' and rating_hasil_kerja_basis = 'ATASAN'),
                              count(*) filter (where rating_hasil_kerja_basis = 'OBJEKTIF'),
                              count(*) filter (where tpp_payable_rp is not null)::numeric / count(*)
                       from mart.employee_scorecard group by period order by period""")
        rows = cur.fetchall()
    conn.close()
    assert [r[0] for r in rows] == list(CITY_MONTHS)
    for period, scored, office_by_skp, objective, paid in rows:
        assert scored >= 0.90, (period, scored)
        assert office_by_skp > 150 and objective > 20, period  # both bases in use
        assert paid >= 0.90, period  # the TPP list covers everyone whose attendance is known
