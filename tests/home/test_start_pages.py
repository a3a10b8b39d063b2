"""Start pages per role and the root redirect."""
from tests.factories import make_user


def test_root_redirects_anonymous_to_login(client):
    """An anonymous visitor to / is sent to the login page."""
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_each_role_lands_on_its_start_page(app, client, auth):
    """After login, /home sends each role to its own start page."""
    with app.app_context():
        make_user("samordnare@gavle.example", roles=("coordinator",))
        make_user("handlaggare@gavle.example", roles=("officer",))
        make_user("redaktor@gavle.example", roles=("editor",))
        make_user("admin@gavle.example", roles=("admin",))
    expected = {
        "samordnare@gavle.example": ("/home/coordinator", "Samordnarens startsida"),
        "handlaggare@gavle.example": ("/home/officer", "Mina rådfrågningar"),
        "redaktor@gavle.example": ("/home/editor", "Nyhetsbrevet"),
        "admin@gavle.example": ("/admin/users", "Konton"),
    }
    for email, (path, heading) in expected.items():
        auth.login(email)
        response = client.get("/home/")
        assert response.headers["Location"].endswith(path)
        page = client.get(path)
        assert page.status_code == 200
        assert f"<h1>{heading}</h1>" in page.get_data(as_text=True)
        auth.logout()


def test_start_page_of_another_role_is_forbidden(app, client, auth):
    """An officer may not open the coordinator's or the editor's start page."""
    with app.app_context():
        make_user("o@gavle.example", roles=("officer",))
    auth.login("o@gavle.example")
    assert client.get("/home/coordinator").status_code == 403
    assert client.get("/home/editor").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_healthz_is_public(client):
    """/healthz answers without login and checks the database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
