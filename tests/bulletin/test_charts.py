"""The SVG charts: under disclosure control, with a table as their text alternative."""
import re

from coordinator.bulletin import charts
from coordinator.database import local_today

from ..factories import make_consultation, make_user


def test_the_start_page_chart_hides_small_counts(app, client, auth):
    with app.app_context():
        user = make_user("s@gavle.example", roles=("coordinator",))
        today = local_today()
        for _ in range(7):
            make_consultation(user, area="hrv", received_on=today)
        for _ in range(3):
            make_consultation(user, area="vbe", received_on=today)
    auth.login("s@gavle.example")
    page = client.get("/home/coordinator").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*class=\"chart\".*?</svg>", page, re.S).group(0)
    assert "<script" not in svg and "role=\"img\"" in svg and "<title" in svg
    assert "Våldsbejakande extremism (VBE): 3" not in svg  # a small count is never a bar
    table = page.split("Siffrorna som tabell", 1)[1].split("</table>", 1)[0]
    assert "färre än 5" in table and "<td>3</td>" not in table
    assert "Dolda uppgifter" in svg  # what is hidden is one grey segment


def test_a_month_with_nothing_hidden_draws_every_area(app):
    with app.test_request_context():
        user = make_user(roles=("coordinator",))
        today = local_today()
        for n in range(12):
            make_consultation(user, area="hrv" if n < 6 else "vbe", received_on=today)
        chart = charts.monthly_by_area(today, 5)
    month = chart.months[-1]
    assert [month.line.text(c) for c in month.line.cells] == ["6", "6", "0", "0"]
    assert "Hedersrelaterat våld (HRV): 6" in chart.svg and "Dolda uppgifter" not in chart.svg
    assert len(chart.months) == 12


def test_the_start_page_also_shows_the_sectors_of_the_last_year(app, client, auth):
    with app.app_context():
        user = make_user("s@gavle.example", roles=("coordinator",))
        for _ in range(6):
            make_consultation(user, sector="police", received_on=local_today())
        make_consultation(user, sector="leisure", received_on=local_today())
    auth.login("s@gavle.example")
    page = client.get("/home/coordinator").get_data(as_text=True)
    sectors = page.split("Rådfrågningar per frågande verksamhet", 1)[1]
    assert "Polis" in sectors and "färre än 5" in sectors  # 1 of leisure hidden, and police with it
    assert "<td>6</td>" not in sectors and "<td>1</td>" not in sectors
