"""partnermap: who a country is tied to, how, and since when — as maps.

The notebook API is the CLI's API::

    import partnermap
    data = partnermap.load()                       # bundled Japan dataset
    view = partnermap.select(data, categories=["security"], as_of="2023-09")
    m = partnermap.build_map(view)                 # a folium.Map, shows inline
    partnermap.save_map(m, "output/security.html")
"""

from __future__ import annotations

from importlib import import_module

# The one place the version is written (pyproject.toml reads it: [tool.hatch.version]); a constant,
# not importlib.metadata, which alone took half of `partnermap --help`'s start-up.
__version__ = "0.2.0"

# Public names and the module each lives in; imported on first use so that
# ``import partnermap`` (and ``partnermap --help``) stays instant.
_EXPORTS = {
    "load": "reader",
    "default_path": "reader",
    "validate": "report",
    "Report": "report",
    "select": "filters",
    "Selection": "filters",
    "EmptySelection": "errors",
    "build_map": "render",
    "to_html": "render",
    "embed_snippet": "render",
    "save_map": "export",
    "save_static": "export",
    "save_deck": "export",
    "save_story": "export",
    "load_story": "story",
    "build_story": "render",
    "build_story_deck": "slides",
    "scene": "scenes",
    "Scene": "scenes",
    "build_figure": "static",
    "draw_figure": "static",
    "figure_bytes": "static",
    "build_deck": "slides",
    "to_geodataframe": "dump",
    "write_text": "export",
    "tie_rows": "tables",
    "format_ties": "tables",
    "bibliography": "cite",
    "sources_of": "cite",
    "to_feature_collection": "dump",
    "save_workbook": "export",
    "save_tables": "export",
    "save_import": "export",
    "save_starter": "export",
    "workbook_bytes": "sheets",
    "read_dataset": "sheets",
    "diff": "changes",
    "format_diff": "changes",
    "Change": "changes",
    "Dataset": "model",
    "Partner": "model",
    "Tie": "model",
    "Source": "model",
    "PartialDate": "dates",
    "PartnermapError": "errors",
    "DataError": "errors",
    "UsageError": "errors",
    "ValidationError": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'partnermap' has no attribute {name!r}")
