"""JSON with comments (JSONC): the text form of SDK app sections."""

from __future__ import annotations


def without_comments(text: str) -> str:
    """The text with its // and /* */ comments (outside strings) replaced by spaces."""
    kept: list[str] = []
    index, in_string = 0, False
    while index < len(text):
        char = text[index]
        if in_string:
            kept.append(char)
            if char == "\\" and index + 1 < len(text):
                kept.append(text[index + 1])
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            kept.append(char)
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = len(text) if end == -1 else end
            continue
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = len(text) if end == -1 else end + 2
            kept.append(" ")
            continue
        else:
            kept.append(char)
        index += 1
    return "".join(kept)
