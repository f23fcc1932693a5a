from leerkring.text import render_markdown


def test_markdown_is_rendered_and_raw_html_is_not():
    html = render_markdown("**Agenda**\n\n1. Casus\n2. Reflectie\n\n<script>alert(1)</script>")
    assert "<strong>Agenda</strong>" in html
    assert "<ol>" in html
    assert "<script>" not in html


def test_links_are_kept_safe():
    html = render_markdown("[Teams](https://teams.example.org/meet) [x](javascript:alert(1))")
    assert 'href="https://teams.example.org/meet"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "href=\"javascript" not in html
