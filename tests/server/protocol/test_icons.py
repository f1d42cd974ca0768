"""Icons as the 2025-11-25 schema has them: each with its type, and ours with the size they scale to."""

from __future__ import annotations

from make_mcp.server.protocol.icons import app_icons, server_icons, toolset_icons


def test_our_icons_are_svg_data_uris_that_scale_to_any_size() -> None:
    for icon in (*server_icons(), *toolset_icons("scenarios")):
        assert icon.src.startswith("data:image/svg+xml,")
        assert icon.mime_type == "image/svg+xml" and icon.sizes == ["any"]


def test_an_apps_icon_keeps_the_type_its_data_uri_declares_and_an_address_gives_none() -> None:
    (png,) = app_icons("data:image/png;base64,iVBORw0KGgo=") or []
    (served,) = app_icons("https://eu1.make.com/static/img/packages/slack.png") or []
    assert png.mime_type == "image/png" and png.sizes is None
    assert served.mime_type is None
    assert app_icons("javascript:alert(1)") is None and app_icons(None) is None
