"""The check page asks what `crampwise check --ask` asks, says when answering could raise the
level, and records answers the same way; `/sources` holds the full references pages link to."""

from __future__ import annotations

from fastapi.testclient import TestClient

from crampwise.knowledge.redflags import red_flags
from crampwise.knowledge.sources import all_sources
from crampwise.services.triage import questions


def test_the_check_form_asks_every_question_of_check_ask(client: TestClient) -> None:
    html = client.get("/check").text
    asked = questions()
    for flag in asked.flags:
        assert f'name="flags" value="{flag.code}"' in html
    for q in asked.symptoms:
        assert f'name="symptoms" value="{q.symptom.value}"' in html
    for words in ("chest pain", "fainted", "saddle", "heavier than you started"):
        assert words in html


def test_the_page_says_answering_could_raise_the_level_until_answered(client: TestClient) -> None:
    before = client.get("/check").text
    assert 'id="ask-hint"' in before
    assert "the questions below ask about signs such as chest pain" in before
    assert "`crampwise check --ask`" not in before  # the page's own words, not the command's
    after = client.post("/check", data={}).text  # answered, every answer "no"
    assert "Answers recorded on your latest cramp (c-0002)" in after
    assert 'id="ask-hint"' not in after and 'id="ask-hint"' not in client.get("/check").text


def test_a_yes_raises_the_level_and_is_kept_on_the_latest_cramp(client: TestClient) -> None:
    html = client.post("/check", data={"flags": ["cauda_equina"]}).text
    assert '<span class="level level-emergency">emergency</span>' in html.split("</h1>", 1)[1][:200]
    assert "cauda_equina" in client.get("/api/v1/cramps/c-0002").json()["notes"]
    kept = red_flags().get("cauda_equina").message  # later reviews still see it (lower once it is old)
    assert kept in client.get("/check").text


def test_without_a_cramp_answers_count_for_this_review_only(empty_client: TestClient) -> None:
    empty_client.post("/settings", data={"name": "Zoe", "timezone": "Europe/Oslo", "units": "metric"})
    html = empty_client.post("/check", data={"flags": ["exertional_chest_pain"]}).text
    assert "your answers count for this review only" in html
    assert "About your latest cramp" not in html


def test_sources_page_shows_the_cited_references_in_full(client: TestClient) -> None:
    html = client.get("/sources?cite=miller2022_jat,crampwise_convention").text
    miller = all_sources()["miller2022_jat"]
    assert miller.title in html and miller.link in html
    assert "a crampwise convention, not evidence" in html
    assert "The 2 sources" in html and 'href="/sources">Every source' in html
    assert html.count('<li id="') == 2
    every = client.get("/sources").text
    assert every.count('<li id="') == len(all_sources())
    assert client.get("/sources?cite=nobody2099").status_code == 404
