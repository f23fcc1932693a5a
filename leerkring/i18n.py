"""Languages and time zones: Dutch first, English complete, dates in the user's zone.

Each area keeps its own catalog in ``leerkring/<area>/translations``; shared strings live in
``leerkring/translations``. English is the source language, so the catalogs are Dutch.
"""

from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_login import current_user

PACKAGE = Path(__file__).parent


def translation_directories() -> list[str]:
    return [str(path) for path in sorted(PACKAGE.glob("**/translations")) if path.is_dir()]


def _person():
    """Whom the text is for: the recipient of a message being written, or the signed-in user."""
    recipient = g.get("recipient")
    if recipient is not None:
        return recipient
    return current_user if current_user and current_user.is_authenticated else None


@contextmanager
def as_recipient(user):
    """Write text in ``user``'s language and time zone (for mail and reminders)."""
    previous = g.get("recipient")
    g.recipient = user
    refresh()
    try:
        yield
    finally:
        g.recipient = previous
        refresh()


def select_locale() -> str:
    """The user's own setting, then the language chosen on this device, then the browser."""
    languages = current_app.config["LANGUAGES"]
    person = _person()
    if person is not None and person.locale in languages:
        return person.locale
    if g.get("recipient") is not None or not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if session.get("locale") in languages:
        return session["locale"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(languages) or default


def select_timezone() -> str:
    person = _person()
    if person is not None and person.timezone:
        return person.timezone
    return current_app.config["LEERKRING_TIMEZONE"]


def init_app(app, babel) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["LEERKRING_TIMEZONE"]
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())


# Catalogs ------------------------------------------------------------------------------------
# Area "core" is the package's own modules (with the sub-packages in CORE_PACKAGES) and the
# shared templates; every other area is a sub-package with its templates in templates/<area>/.

#: Sub-packages that belong to no area of their own.
CORE_PACKAGES = ("permissions",)

#: Templates ending in .txt are plain-text mail (rendered without HTML escaping).
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def areas() -> dict[str, tuple[Path, list[Path]]]:
    """Each area's catalog directory and the sources its messages come from."""
    templates = PACKAGE / "templates"
    result = {
        "core": (
            PACKAGE / "translations",
            [*PACKAGE.glob("*.py"), *(PACKAGE / name for name in CORE_PACKAGES),
             *templates.glob("*.html"), templates / "errors"],
        )
    }
    for package in sorted(p.parent for p in PACKAGE.glob("*/__init__.py")):
        if package.name in CORE_PACKAGES:
            continue
        result[package.name] = (
            package / "translations",
            [package, *([templates / package.name] if (templates / package.name).is_dir() else [])],
        )
    return result


def extract(sources: list[Path]):
    """A babel Catalog of the messages in ``sources``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir, extract_from_file

    catalog = Catalog(project="Leerkring")
    for source in sources:
        if source.is_dir():
            found = (
                (str(source / filename), lineno, message, comments, context)
                for filename, lineno, message, comments, context in extract_from_dir(
                    source, METHOD_MAP, keywords=KEYWORDS
                )
            )
        else:
            method = "jinja2" if source.suffix == ".html" else "python"
            found = (
                (str(source), lineno, message, comments, context)
                for lineno, message, comments, context in extract_from_file(
                    method, source, keywords=KEYWORDS
                )
            )
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, [(str(Path(filename).relative_to(PACKAGE.parent)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def update_catalogs(only: str | None = None) -> dict[str, int]:
    """Bring each area's ``nl`` catalog in line with its sources; returns untranslated counts."""
    from babel.messages.pofile import read_po, write_po

    untranslated = {}
    for name, (directory, sources) in areas().items():
        if only and name != only:
            continue
        template = extract(sources)
        po_path = directory / "nl" / "LC_MESSAGES" / "messages.po"
        if not len(template) and not po_path.exists():
            continue
        if po_path.exists():
            with po_path.open("rb") as f:
                catalog = read_po(f, locale="nl")
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale="nl", project="Leerkring", fuzzy=False,
                              header_comment="# Dutch translations for Leerkring.")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False, sort_output=True)
        untranslated[name] = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return untranslated


def missing_translations() -> dict[str, list[str]]:
    """Messages in the sources without a Dutch translation, per area."""
    from babel.messages.pofile import read_po

    missing = {}
    for name, (directory, sources) in areas().items():
        po_path = directory / "nl" / "LC_MESSAGES" / "messages.po"
        translated = {}
        if po_path.exists():
            with po_path.open("rb") as f:
                translated = {m.id: m for m in read_po(f, locale="nl") if m.id}
        gaps = [
            message.id if isinstance(message.id, str) else message.id[0]
            for message in extract(sources)
            if message.id
            and (
                message.id not in translated
                or translated[message.id].fuzzy
                or not all(translated[message.id].string if isinstance(
                    translated[message.id].string, tuple) else [translated[message.id].string])
            )
        ]
        if gaps:
            missing[name] = gaps
    return missing


def conflicting_translations() -> dict[str, set]:
    """Messages that two areas translate differently: all catalogs share one namespace at run
    time, so only one of the two would ever show."""
    from babel.messages.pofile import read_po

    seen: dict[object, set] = {}
    for directory, _sources in areas().values():
        po_path = directory / "nl" / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as f:
                for message in read_po(f, locale="nl"):
                    if message.id:
                        seen.setdefault(message.id, set()).add(message.string)
    return {str(key): strings for key, strings in seen.items() if len(strings) > 1}


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] != ["update"] or len(sys.argv) > 3:
        sys.exit("usage: python -m leerkring.i18n update [AREA]")
    for area, count in update_catalogs(*sys.argv[2:]).items():
        print(f"{area}: {count} untranslated")
