"""The FHIR export: one Observation per episode, the agreed codes, and it validates (R4B models)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle

from crampwise.domain.enums import Muscle
from crampwise.domain.history import History
from crampwise.reports.fhir import cramp_code, fhir_bundle, validate_fhir
from tests.reports.sample import NOW, sample_history


def test_the_bundle_validates_and_holds_one_observation_per_episode() -> None:
    history = sample_history()
    document = fhir_bundle(history, now=NOW)
    validate_fhir(document)
    parsed = Bundle.model_validate(json.loads(json.dumps(document)))
    assert parsed.type == "collection"
    kinds = [e.resource.get_resource_type() for e in parsed.entry]
    assert kinds[0] == "Patient"
    assert kinds.count("Observation") == len(history.cramps)


def test_an_observation_carries_code_site_side_period_severity_and_context() -> None:
    history = sample_history()
    cramp = history.cramps[-1]  # left calf, 240 s, severity 8, at rest
    obs = next(
        e["resource"] for e in fhir_bundle(history, now=NOW)["entry"] if e["resource"].get("id") == cramp.id
    )
    assert obs["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "449918009",
        "display": "Cramp in lower leg",
    }
    assert obs["bodySite"]["coding"][0]["code"] == "53840002"
    assert obs["effectivePeriod"] == {
        "start": cramp.at.isoformat(),
        "end": (cramp.at + timedelta(seconds=240)).isoformat(),
    }
    components = {c["code"]["coding"][0]["code"]: c for c in obs["component"]}
    assert components["272741003"]["valueCodeableConcept"]["coding"][0]["code"] == "7771000"
    assert components["72514-3"]["valueInteger"] == 8
    assert components["context"]["valueCodeableConcept"]["coding"][0]["code"] == "rest"
    assert "swelling" in obs["note"][0]["text"]
    assert obs["subject"]["reference"] == fhir_bundle(history, now=NOW)["entry"][0]["fullUrl"]


@pytest.mark.parametrize(
    ("muscle", "snomed"),
    [
        (Muscle.CALF, "449918009"),
        (Muscle.SHIN, "449918009"),
        (Muscle.HAMSTRING, "449917004"),
        (Muscle.FOOT, "449917004"),
        (Muscle.OTHER, None),
    ],
)
def test_the_cramp_code_fits_the_site_and_always_has_icd10(muscle: Muscle, snomed: str | None) -> None:
    code = cramp_code(muscle)
    systems = {c["system"]: c["code"] for c in code["coding"]}
    assert systems.get("http://snomed.info/sct") == snomed
    assert systems["http://hl7.org/fhir/sid/icd-10"] == "R25.2"
    assert code["text"]


def test_since_filters_and_ids_are_stable() -> None:
    history = sample_history()
    recent = fhir_bundle(history, now=NOW, since=NOW - timedelta(days=30))
    n_recent = sum(1 for c in history.cramps if c.at >= NOW - timedelta(days=30))
    assert len(recent["entry"]) == 1 + n_recent
    assert fhir_bundle(history, now=NOW) == fhir_bundle(history, now=NOW)


def test_an_empty_journal_is_a_valid_bundle_with_only_the_patient() -> None:
    document = fhir_bundle(History(athlete=sample_history().athlete), now=NOW)
    validate_fhir(document)
    assert len(document["entry"]) == 1


def test_an_invalid_document_is_refused() -> None:
    document = fhir_bundle(sample_history(), now=NOW)
    del document["entry"][1]["resource"]["status"]  # required (1..1) in R4
    with pytest.raises(ValueError):
        validate_fhir(document)
