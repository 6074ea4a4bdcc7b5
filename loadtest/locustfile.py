"""Families using the site, for `make loadtest` (headless locust against gunicorn).

The mix follows what families do in the NE demo area: most search by postcode (urban Newcastle
and rural Northumberland, where search widens), some by town or village name, many add filters
(age, needs, a verified DBS check, how they pay), a few go to the next page; they open the
listings they find and shortlist some. Each kind of request is named, so the report gives
requests/s and p50/p95/p99 for each.
"""

import random
import re

from locust import HttpUser, between, task

URBAN_POSTCODES = ["NE1 4ST", "NE2 1AB", "NE4 5TG", "NE6 2HL", "NE3 1DH", "NE28 6UP"]
RURAL_POSTCODES = ["NE46 3NR", "NE48 2BT", "NE66 1TH", "NE65 7RA", "NE47 9LE", "NE71 6QG"]
PLACES = ["Hexham", "Bellingham", "Alnwick", "Morpeth", "Rothbury", "Newcastle upon Tyne"]
NEEDS = ["autism", "learning-disability", "physical-disability"]

LISTING_LINK = re.compile(r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)"')
SHORTLIST_FORM = re.compile(r'action="(/search/shortlist/add/\d+/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Family(HttpUser):
    wait_time = between(1, 4)  # reading a page before the next click

    def on_start(self):
        self.listings: list[str] = []
        self.client.get("/", name="home")

    def search(self, params: dict, name: str):
        with self.client.get("/search/", params=params, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return None
            found = LISTING_LINK.findall(r.text)
            if found:
                self.listings = found
            r.success()
            return r

    @task(6)
    def search_urban_postcode(self):
        self.search({"postcode": random.choice(URBAN_POSTCODES)}, "search: urban postcode")

    @task(6)
    def search_rural_postcode(self):
        self.search({"postcode": random.choice(RURAL_POSTCODES)}, "search: rural postcode")

    @task(3)
    def search_place_name(self):
        self.search({"postcode": random.choice(PLACES)}, "search: place name")

    @task(4)
    def search_with_filters(self):
        params = {
            "postcode": random.choice(URBAN_POSTCODES + RURAL_POSTCODES),
            "age": random.randint(4, 17),
            "need": random.sample(NEEDS, k=random.randint(1, 2)),
            "mode": random.choice(["both", "go", "come"]),
        }
        if random.random() < 0.5:
            params["verified_dbs"] = "on"
        if random.random() < 0.4:
            params["funding"] = "direct-payment"
        if random.random() < 0.3:
            params["radius"] = random.choice(["5", "10", "20"])
        self.search(params, "search: filters")

    @task(2)
    def next_page(self):
        postcode = random.choice(RURAL_POSTCODES + URBAN_POSTCODES)
        self.search({"postcode": postcode, "radius": "30", "page": 2}, "search: page 2")

    @task(5)
    def open_listing(self):
        if not self.listings:
            return self.search_rural_postcode()
        self.client.get(random.choice(self.listings), name="listing page")

    @task(1)
    def shortlist(self):
        response = self.search(
            {"postcode": random.choice(RURAL_POSTCODES)}, "search: rural postcode"
        )
        if response is None:
            return
        forms = SHORTLIST_FORM.findall(response.text)
        token = CSRF.search(response.text)
        if not forms or not token:
            return
        self.client.post(
            random.choice(forms),
            data={"csrfmiddlewaretoken": token.group(1), "next": "/search/shortlist/"},
            headers={"Referer": response.url},
            name="shortlist: add",
        )
        self.client.get("/search/shortlist/", name="shortlist: view")
