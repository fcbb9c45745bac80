"""GeoReport v2's two formats. The same data, as nested dicts and lists, becomes

- JSON: lists are arrays, objects are objects, as the spec's examples show;
- XML: a list is an element whose children are named for what they hold (services → service,
  service_requests → request, errors → error…), None is an empty element, True is "true".
  Written with xml.etree, so every text is escaped; the declaration names UTF-8, as the spec asks.
"""

import json
import xml.etree.ElementTree as ET

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class FormatConverter:
    """`<open311_format:fmt>` in a URL: json or xml, nothing else."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for name, child in value.items():
            element.append(_element(name, child))
    elif isinstance(value, list | tuple):
        for child in value:
            element.append(_element(ITEM_TAGS[tag], child))
    elif value is not None:
        element.text = _text(value)
    return element


def to_xml(root: str, value) -> bytes:
    body = ET.tostring(_element(root, value), encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'.encode()


def to_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def respond(fmt: str, root: str, value, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    """`root` names the XML root element; JSON has none (a list is the array itself)."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt], headers=headers)
