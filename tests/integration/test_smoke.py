from oversight.org import selectors


def test_city_fixture_scopes_a_county_leader_to_their_county(city):
    names = set(selectors.agency_list(viewer=city.a_leader.viewer).values_list("code", flat=True))
    assert names == {"CITY-A", "CITY-A-P1"}
