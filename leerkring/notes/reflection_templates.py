"""The reflection templates and their parts: Gibbs' reflective cycle, Korthagen's ALACT model and
a short free reflection answering one prompt, which rotates."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from leerkring.notes.models import ReflectionTemplate


@dataclass(frozen=True)
class Part:
    """One part of a template: stored under ``key`` in ``Reflection.parts``."""

    key: str
    label: object
    #: The helping question shown under the label.
    question: object


@dataclass(frozen=True)
class Template:
    key: ReflectionTemplate
    name: object
    #: One sentence for the chooser: what the template is good for.
    summary: object
    parts: tuple[Part, ...]


#: The free template's one part; its label is the reflection's prompt.
ANSWER = "answer"

TEMPLATES = {
    ReflectionTemplate.GIBBS: Template(
        ReflectionTemplate.GIBBS,
        _l("Gibbs' reflective cycle"),
        _l("Six steps from what happened to what you will do next time: thorough, for a "
           "situation that stays with you."),
        (
            Part("description", _l("Description"), _l("What happened? Who was there, and what "
                                                      "did you and the others do?")),
            Part("feelings", _l("Feelings"), _l("What did you think and feel, before, during "
                                                "and after?")),
            Part("evaluation", _l("Evaluation"), _l("What went well, and what did not?")),
            Part("analysis", _l("Analysis"), _l("Why did it go this way? What helps you "
                                                "understand it: experience, theory, the "
                                                "circle's view?")),
            Part("conclusion", _l("Conclusion"), _l("What else could you have done? What have "
                                                    "you learned?")),
            Part("action_plan", _l("Action plan"), _l("What will you do if it happens again? "
                                                      "What do you want to practise?")),
        ),
    ),
    ReflectionTemplate.ALACT: Template(
        ReflectionTemplate.ALACT,
        _l("Korthagen's ALACT model"),
        _l("Five phases around what mattered most to you and the other person: for learning "
           "from an experience and trying something new."),
        (
            Part("action", _l("Acting"), _l("What did you want to achieve, and what did you "
                                             "do?")),
            Part("looking_back", _l("Looking back"), _l("What happened? What did you want, "
                                                        "think, feel and do, and what about "
                                                        "the other person?")),
            Part("awareness", _l("Awareness of essential aspects"),
                 _l("What was the heart of it? What do you notice now that you look back?")),
            Part("alternatives", _l("Creating alternatives"),
                 _l("What could you do differently? What are the pros and cons of each "
                    "option?")),
            Part("trial", _l("Trial"), _l("What will you try next time, and how will you "
                                          "know whether it works?")),
        ),
    ),
    ReflectionTemplate.FREE: Template(
        ReflectionTemplate.FREE,
        _l("Short reflection"),
        _l("One question to answer in a few sentences: for a quick note after a meeting."),
        (Part(ANSWER, _l("Your answer"), _l("A few sentences are enough.")),),
    ),
}

#: The free template's prompts, by the key stored in ``Reflection.prompt``. Keys are never
#: renamed or removed (stored reflections name them); new ones may be added.
PROMPTS = {
    "surprised": _l("What surprised you?"),
    "differently": _l("What will you do differently?"),
    "yourself": _l("What did you learn about yourself?"),
    "went_well": _l("What went well, and how did you contribute to it?"),
    "wondering": _l("What are you still wondering about?"),
    "stays": _l("What will stay with you from this?"),
    "thanks": _l("Whom would you like to thank, and why?"),
}


def template_for(key: str) -> Template | None:
    try:
        return TEMPLATES[ReflectionTemplate(key)]
    except ValueError:
        return None


def prompt_of_the_day(day: date) -> str:
    """The free template's prompt for a new reflection: a different one each day."""
    keys = list(PROMPTS)
    return keys[day.toordinal() % len(keys)]


def next_prompt(key: str) -> str:
    """The prompt after ``key``, for "ask me something else"."""
    keys = list(PROMPTS)
    return keys[(keys.index(key) + 1) % len(keys)] if key in PROMPTS else keys[0]


def prompt_text(key: str):
    return PROMPTS.get(key, "")


def part_label(template: Template, part: Part, prompt: str = ""):
    """A part's label as shown with the reflection (the free template's part is its prompt)."""
    if part.key == ANSWER and prompt in PROMPTS:
        return PROMPTS[prompt]
    return part.label


def written_parts(reflection) -> list[tuple[str, str]]:
    """The reflection's parts with their labels, in the template's order, leaving out parts
    left empty."""
    template = TEMPLATES[reflection.template]
    parts = reflection.parts or {}
    return [
        (str(part_label(template, part, reflection.prompt)), parts[part.key])
        for part in template.parts
        if (parts.get(part.key) or "").strip()
    ]
