"""FHIR R4 export: a `Bundle` (type `collection`) with one `Observation` per cramp episode.

Shape (research/PEERS.md section 5.2): a patient-reported (`survey`) Observation whose `code`
is a SNOMED CT cramp finding, `effectivePeriod` = the episode (start + duration), `bodySite`
= the SNOMED body structure with its side in `text`, and components for laterality, severity
(LOINC 72514-3, 0-10 numeric rating) and context (a local CodeSystem: no standard code exists).

Codes and how they were checked (docs/report.md keeps the same table):
- 449918009 "Cramp in lower leg" (SNOMED CT) for calf and shin: used with that display by the
  Thai MoPH FHIR IG profile of pregnancy cramps.
- 449917004 (SNOMED CT) for other lower-limb sites (thigh, hip, buttock, foot, toes): a lower
  limb cramp finding per CADEC annotations; its display is not confirmed in a SNOMED browser,
  so none is sent and `code.text` carries the meaning.
- R25.2 "Cramp and spasm" (ICD-10) on every episode, so muscle `other` still has a code.
- Body structures (DICOM CID 4031 tables): 53840002 calf of leg, 30021000 lower leg,
  68367000 thigh, 29836001 hip region, 46862004 buttock, 56459004 foot, 29707007 toe.
- Laterality: 272741003 (attribute) with 7771000 left, 24028007 right, 51440002 right and left.
Validated against the `fhir.resources` R4B models (4.3.0), whose Observation and Bundle
elements used here are the same as R4 (4.0.1).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from crampwise.domain.enums import CrampContext, Muscle, Side
from crampwise.domain.history import History
from crampwise.domain.records import Cramp

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Local code systems: crampwise's own vocabulary, not resolvable on the web.
LOCAL = "urn:crampwise:fhir:CodeSystem"
CONTEXT_SYSTEM = f"{LOCAL}:cramp-context"
FIELD_SYSTEM = f"{LOCAL}:cramp-field"
NAMESPACE = uuid.UUID("5b0c6f0e-2d1a-4e53-9a41-8f3c0c1f7a11")  # for stable urn:uuid ids

LOWER_LEG = {Muscle.CALF, Muscle.SHIN}
BODY_SITE: dict[Muscle, tuple[str, str]] = {
    Muscle.CALF: ("53840002", "Calf of leg"),
    Muscle.SHIN: ("30021000", "Lower leg"),
    Muscle.HAMSTRING: ("68367000", "Thigh"),
    Muscle.QUADRICEPS: ("68367000", "Thigh"),
    Muscle.ADDUCTOR: ("68367000", "Thigh"),
    Muscle.HIP_FLEXOR: ("29836001", "Hip region"),
    Muscle.GLUTE: ("46862004", "Buttock"),
    Muscle.FOOT: ("56459004", "Foot"),
    Muscle.TOES: ("29707007", "Toe"),
}
LATERALITY: dict[Side, tuple[str, str]] = {
    Side.LEFT: ("7771000", "Left"),
    Side.RIGHT: ("24028007", "Right"),
    Side.BOTH: ("51440002", "Right and left"),
}
CONTEXT_DISPLAY = {
    CrampContext.EXERCISE: "During exercise",
    CrampContext.AFTER_EXERCISE: "After exercise",
    CrampContext.REST: "At rest",
    CrampContext.SLEEP: "During sleep",
}


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(parts))}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def cramp_code(muscle: Muscle) -> dict[str, Any]:
    """The Observation.code of a cramp at this muscle (see the module docstring for the codes)."""
    coding: list[dict[str, Any]] = []
    if muscle in LOWER_LEG:
        coding.append({"system": SNOMED, "code": "449918009", "display": "Cramp in lower leg"})
        text = "Cramp in lower leg"
    elif muscle in BODY_SITE:
        coding.append({"system": SNOMED, "code": "449917004"})
        text = f"Cramp in lower limb ({muscle.value.replace('_', ' ')})"
    else:
        text = "Muscle cramp (site not in the crampwise vocabulary)"
    coding.append({"system": ICD10, "code": "R25.2", "display": "Cramp and spasm"})
    return {"coding": coding, "text": text}


def _body_site(cramp: Cramp) -> dict[str, Any]:
    side = f"{cramp.side.value} " if cramp.side and cramp.side != Side.BOTH else ""
    both = " (both sides)" if cramp.side == Side.BOTH else ""
    label = "site not specified" if cramp.muscle == Muscle.OTHER else cramp.muscle.value.replace("_", " ")
    text = f"{side}{label}{both}".capitalize()
    site = BODY_SITE.get(cramp.muscle)
    coding = [{"system": SNOMED, "code": site[0], "display": site[1]}] if site else []
    return {"coding": coding, "text": text} if coding else {"text": text}


def _components(cramp: Cramp) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if cramp.side is not None:
        code, display = LATERALITY[cramp.side]
        out.append(
            {
                "code": {"coding": [{"system": SNOMED, "code": "272741003", "display": "Laterality"}]},
                "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code, "display": display}]},
            }
        )
    if cramp.severity is not None:
        out.append(
            {
                "code": {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": "72514-3",
                            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                        }
                    ],
                    "text": "Severity (0-10)",
                },
                "valueInteger": int(cramp.severity),
            }
        )
    out.append(
        {
            "code": {
                "coding": [{"system": FIELD_SYSTEM, "code": "context", "display": "Context of the cramp"}]
            },
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": CONTEXT_SYSTEM,
                        "code": cramp.context.value,
                        "display": CONTEXT_DISPLAY[cramp.context],
                    }
                ]
            },
        }
    )
    if cramp.duration_s is not None:
        out.append(
            {
                "code": {"coding": [{"system": FIELD_SYSTEM, "code": "duration", "display": "Duration"}]},
                "valueQuantity": {
                    "value": float(cramp.duration_s),
                    "unit": "s",
                    "system": "http://unitsofmeasure.org",
                    "code": "s",
                },
            }
        )
    return out


def _note(cramp: Cramp, history: History) -> str:
    parts = []
    session = history.session_of(cramp)
    if session is not None:
        parts.append(f"Linked session {session.id}: {session.sport.value}, {session.duration_s / 60:.0f} min")
    if cramp.relief:
        worked = {True: " (worked)", False: " (did not work)"}.get(cramp.relief_worked, "")  # type: ignore[arg-type]
        parts.append("Relief: " + ", ".join(r.value.replace("_", " ") for r in cramp.relief) + worked)
    if cramp.symptoms:
        parts.append("Symptoms: " + ", ".join(s.value.replace("_", " ") for s in cramp.symptoms))
    if cramp.notes:
        parts.append(f"Notes: {cramp.notes}")
    return ". ".join(parts)


def observation(cramp: Cramp, history: History, patient_ref: str) -> dict[str, Any]:
    """One cramp episode as a FHIR R4 Observation (a plain JSON dict)."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(cramp.id or uuid.uuid5(NAMESPACE, _iso(cramp.at))),
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": cramp_code(cramp.muscle),
        "subject": {"reference": patient_ref},
        "performer": [{"reference": patient_ref}],
        "bodySite": _body_site(cramp),
        "component": _components(cramp),
    }
    if cramp.id:
        resource["identifier"] = [{"system": f"{LOCAL}:cramp-id", "value": cramp.id}]
    if cramp.duration_s is not None:
        end = cramp.at + timedelta(seconds=float(cramp.duration_s))
        resource["effectivePeriod"] = {"start": _iso(cramp.at), "end": _iso(end)}
    else:
        resource["effectiveDateTime"] = _iso(cramp.at)
    note = _note(cramp, history)
    if note:
        resource["note"] = [{"text": note}]
    return resource


def fhir_bundle(history: History, *, now: datetime, since: datetime | None = None) -> dict[str, Any]:
    """The FHIR R4 `collection` Bundle of this athlete's episodes (from `since` when given)."""
    name = history.athlete.name
    patient_url = _urn("patient", name)
    patient: dict[str, Any] = {"resourceType": "Patient", "name": [{"text": name}]}
    if history.athlete.birth_year is not None:
        patient["birthDate"] = str(history.athlete.birth_year)
    if history.athlete.sex is not None:
        patient["gender"] = {"female": "female", "male": "male"}.get(history.athlete.sex.value, "other")
    entries = [{"fullUrl": patient_url, "resource": patient}]
    for cramp in history.cramps:
        if (since is not None and cramp.at < since) or cramp.at > now:
            continue
        entries.append(
            {
                "fullUrl": _urn("cramp", name, cramp.id or _iso(cramp.at)),
                "resource": observation(cramp, history, patient_url),
            }
        )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(NAMESPACE, f"bundle/{name}/{_iso(now)}")),
        "type": "collection",
        "timestamp": _iso(now),
        "entry": entries,
    }


def validate_fhir(document: dict[str, Any]) -> None:
    """Parse the document with the `fhir.resources` R4B models; raises on any invalid element."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(document)
