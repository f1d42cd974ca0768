from make_mcp.tools.jsonc import without_comments


def test_comments_go_and_comment_marks_inside_strings_stay() -> None:
    assert without_comments('{"a": "x//y", // c\n "b": /* d */ 1}') == '{"a": "x//y", \n "b":   1}'
    assert without_comments('{"a": "q\\"//"}') == '{"a": "q\\"//"}'
