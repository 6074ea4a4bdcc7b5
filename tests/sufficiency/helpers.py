from tests.helpers import PASSWORD, csv_rows, downloaded

DASHBOARD = "/admin/sufficiency/"


def sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def tables(response) -> dict:
    assert response.status_code == 200, response.status_code
    return {
        table.id: table for section in response.context["sections"] for table in section["tables"]
    }


def rows(table) -> dict[str, list]:
    """A table's rows by their name, without the name."""
    return {row[0]: row[1:] for row in table.rows}


def csv_download(client, name, **params):
    """A table's CSV without its last line, which says when its figures were counted (every
    download ends so)."""
    response = client.get(DASHBOARD, {**params, "download": name})
    body = csv_rows(downloaded(response))
    assert len(body[-1]) == 1 and body[-1][0].startswith("Figures as at "), body[-1]
    return body[:-1]
