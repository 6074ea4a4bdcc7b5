import pytest


@pytest.mark.parametrize("url", ["/", "/accessibility/", "/privacy/", "/cookies/", "/directory/"])
def test_public_site_pages_render_for_anyone(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"govuk-skip-link" in response.content


def test_an_unknown_address_is_a_friendly_404(client, directory):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_privacy_notice_says_search_details_are_kept_out_of_logs(client, directory):
    content = client.get("/privacy/").content.decode()
    assert "What happens to what you type into search" in content
    assert "Our server logs and error reports never keep them" in content
    assert "an age band rather than an exact age" in content
