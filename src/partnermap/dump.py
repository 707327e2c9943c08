"""A Dataset back to a partner file: the schema's own GeoJSON.

``partnermap list --format geojson`` writes a filtered view this way, so the
result opens in QGIS/GDAL (ties become a JSON field) *and* loads back into
partnermap: load -> select -> dump -> load round-trips. With ``derived=False``
what the package derives (territories from codes, capitals as anchors) is left
out, as a person would write the file (``partnermap import`` writes that).
"""

from __future__ import annotations

import json

from shapely.geometry import mapping

from .model import Dataset, Partner, Source, Tie
from .vocab import SCHEMA_VERSION, Kind, Nature, Relationship


def _put_translations(out: dict, record) -> None:
    for field_name, lang, text in record.translations:
        out[f"{field_name}_{lang}"] = text


def _source(s: Source) -> dict:
    out = {"title": s.title, "publisher": s.publisher, "date": s.date_text}
    for key in ("author", "container", "locator", "url"):
        value = getattr(s, key)
        if value is not None:
            out[key] = value
    return out


def _tie(t: Tie) -> dict:
    out = {
        "id": t.id, "title": t.title, "category": t.category.value, "type": t.type.value,
        "status": t.status.value,
    }
    if t.nature is not Nature.COOPERATION:
        out["nature"] = t.nature.value
    out["dates"] = {s.value: str(d) for s, d in t.dates}
    out["summary"] = t.summary
    if t.parties:
        out["parties"] = list(t.parties)
    if t.note:
        out["note"] = t.note
    if t.curation:
        out["curation"] = t.curation
    if t.retroactive:
        out["retroactive"] = True
    _put_translations(out, t)
    if t.change:
        out["change"] = t.change
    out["sources"] = [_source(s) for s in t.sources]
    return out


def _partner(p: Partner, derived: bool) -> dict:
    props: dict = {"id": p.id, "name": p.name}
    if p.short_name:
        props["short_name"] = p.short_name
    _put_translations(props, p)
    props["kind"] = p.kind.value
    if derived or not p.anchor_derived:
        props["anchor"] = list(p.anchor)
    if p.relationship is not Relationship.PARTNER:
        props["relationship"] = p.relationship.value
    if p.members or p.kind is not Kind.STATE:
        props["members"] = list(p.members)
    props["ties"] = [_tie(t) for t in p.ties]
    geometry = mapping(p.geometry) if derived or not p.derived else None
    return {"type": "Feature", "properties": props, "geometry": geometry}


def to_feature_collection(dataset: Dataset, *, derived: bool = True) -> dict:
    """The dataset (or a filtered view of it) as a valid partner file.

    ``derived``: also write the territories and anchors partnermap derives from
    codes (what GIS software needs); False writes only what the source file gave.
    """
    metadata: dict = {
        "title": dataset.title,
        "version": dataset.version,
        # a snapshot is "as of" its own day, so its statuses validate
        "as_of": dataset.view_date.isoformat() if dataset.view_date else str(dataset.as_of),
    }
    for key in ("description", "license"):
        if getattr(dataset, key):
            metadata[key] = getattr(dataset, key)
    _put_translations(metadata, dataset)
    focal = {"id": dataset.focal.id, "name": dataset.focal.name}
    _put_translations(focal, dataset.focal)
    if derived or not dataset.focal.anchor_derived:
        focal["anchor"] = list(dataset.focal.anchor)
    metadata["focal"] = focal
    if dataset.view_date or dataset.changes_since:
        metadata["view"] = {k: v.isoformat() for k, v in
                            (("as_of", dataset.view_date), ("changes_since", dataset.changes_since)) if v}
    return {"type": "FeatureCollection", "partnermap": SCHEMA_VERSION, "metadata": metadata,
            "features": [_partner(p, derived) for p in dataset.partners]}


def dumps(dataset: Dataset, *, derived: bool = True) -> str:
    return json.dumps(to_feature_collection(dataset, derived=derived), ensure_ascii=False, indent=1) + "\n"


def to_geodataframe(dataset: Dataset):
    """One row per partner, for analysis in a notebook (``.explore()``, joins, ``to_file``).

    Columns: id, name, one ``name_<lang>`` per language the file's partner names
    come in (``name_ja``; None where a partner has none), kind, relationship,
    members, one count column per category (ties not ended), the tie ids, and
    the territory (EPSG:4326).
    """
    import geopandas as gpd

    from .vocab import TERMINAL_STATUSES, Category

    langs = sorted({lg for p in dataset.file.partners for f, lg, _ in p.translations if f == "name"})
    rows = []
    for p in dataset.partners:
        live = [t for t in p.ties if t.status not in TERMINAL_STATUSES]
        rows.append({
            "id": p.id, "name": p.name,
            **{f"name_{lg}": p.text("name", lg) if p.has_text("name", lg) else None for lg in langs},
            "kind": p.kind.value,
            "relationship": p.relationship.value, "members": ",".join(p.members),
            **{c.value: sum(t.category is c for t in live) for c in Category},
            "ties": ",".join(t.id for t in p.ties), "geometry": p.geometry,
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
