"""One clear, accessible SVG per protocol position, shipped with the knowledge base."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from crampwise.knowledge.relief import illustration_svg, load_relief

SVG = "{http://www.w3.org/2000/svg}"
FOLDER = resources.files("crampwise.knowledge").joinpath("illustrations")


def referenced() -> list[str]:
    names = []
    for protocol in load_relief().protocols.values():
        for step in protocol.steps:
            if step.illustration:
                names.append(step.illustration)
            if step.alternative is not None:
                names.append(step.alternative.illustration)
    return names


def shipped() -> list[str]:
    return sorted(p.name for p in FOLDER.iterdir() if p.name.endswith(".svg"))


def test_every_stretch_position_has_a_figure_and_no_figure_is_orphaned() -> None:
    assert sorted(set(referenced())) == shipped()
    assert len(shipped()) >= len(load_relief().protocols)


@pytest.mark.parametrize("name", shipped())
def test_figure_is_accessible_and_self_contained(name: str) -> None:
    text = illustration_svg(name)
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 240 200"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text and len(title.text) > 10
    assert desc is not None and desc.text and "highlighted" in desc.text
    assert root.get("aria-label") == title.text
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    # The cramping muscle is marked, and the strokes are thick enough to read on a phone.
    assert root.findall(f".//{SVG}path[@class='muscle']")
    widths = [float(el.get("stroke-width", "0")) for el in root.iter() if el.get("stroke-width")]
    assert min(widths) >= 3


@pytest.mark.parametrize("bad", ["../relief.toml", "calf.png", "a/b.svg"])
def test_illustration_names_are_plain_svg_file_names(bad: str) -> None:
    with pytest.raises(ValueError, match="illustration"):
        illustration_svg(bad)
