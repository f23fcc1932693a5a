"""The intervision methods a circle discusses a case with, as step templates: the form shows
each method's steps as prompts, and the meeting page shows them as a guide while the circle
works through the case."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from leerkring.notes.models import CaseMethod


@dataclass(frozen=True)
class Step:
    title: str
    #: What the circle does in this step, as a prompt for the one who leads it.
    prompt: str


@dataclass(frozen=True)
class Method:
    key: CaseMethod
    label: str
    #: One sentence: what the method is good for.
    description: str
    steps: tuple[Step, ...]


INCIDENT = Method(
    CaseMethod.INCIDENT,
    _l("Incident method"),
    _l("A short, recent incident where you had to act on the spot; the circle first gathers "
       "the facts, then everyone says what they would do, and you choose your own approach."),
    (
        Step(_l("Bring in the incident"),
             _l("The case presenter briefly describes a concrete moment where a decision was "
                "needed, and stops at the point of decision (about five minutes).")),
        Step(_l("Questions for information"),
             _l("The others ask only factual questions (who, what, where, when) until the "
                "picture is complete. No advice and no interpretations yet.")),
        Step(_l("What is the problem?"),
             _l("Everyone writes down what they think the real problem or dilemma is; compare "
                "and agree on the question behind the incident.")),
        Step(_l("Advice or own approach"),
             _l("Each member says, one by one, what they would have done at that moment and "
                "why. The case presenter listens and does not react yet.")),
        Step(_l("The case presenter chooses"),
             _l("The case presenter tells what they actually did, and says which approach or "
                "advice they take with them and why.")),
        Step(_l("Evaluation"),
             _l("What did this case teach each of us? How did the method work for the "
                "circle?")),
    ),
)

SOCRATIC = Method(
    CaseMethod.SOCRATIC,
    _l("Socratic dialogue"),
    _l("A slow, careful conversation about one general question, such as “When is it right "
       "to step in?”, examined through a single example from practice."),
    (
        Step(_l("The question"),
             _l("Agree on one general question worth examining, phrased so that everyone can "
                "answer it from experience.")),
        Step(_l("The example"),
             _l("One member tells a concrete example they took part in themselves, that has "
                "come to an end, and in which the question was at stake.")),
        Step(_l("Core statement"),
             _l("Find the moment in the example where the question mattered most, and put the "
                "case presenter's answer into one sentence: the core statement.")),
        Step(_l("Questions"),
             _l("Examine the core statement with open questions: what exactly do you mean, "
                "what made you think so, what did you take for granted?")),
        Step(_l("Positions"),
             _l("Each member says whether they agree with the core statement, and on what "
                "grounds. Look for the rules and values behind the different positions.")),
        Step(_l("Conclusion"),
             _l("Formulate together what the circle now thinks is an answer to the question, "
                "and where you still differ. Look back on how the dialogue went.")),
    ),
)

GOSSIP = Method(
    CaseMethod.GOSSIP,
    _l("Gossip method"),
    _l("You listen with your back to the circle while the others talk about your case as if "
       "you were not there, so you hear their ideas without having to respond."),
    (
        Step(_l("The case presenter tells"),
             _l("The case presenter describes the situation and the question for the circle "
                "(about five minutes).")),
        Step(_l("Clarifying questions"),
             _l("The others ask questions to understand the situation. No advice yet.")),
        Step(_l("The circle talks, the case presenter listens"),
             _l("The case presenter turns their back to the circle and listens without "
                "reacting, taking notes. The circle talks about the case as if the presenter "
                "were not there: what strikes them, what they would feel, what they would "
                "try.")),
        Step(_l("The case presenter responds"),
             _l("The case presenter turns round and says what they heard, what touched them, "
                "what was useful and what they will do with it.")),
        Step(_l("Evaluation"),
             _l("How was it to be talked about, and to talk about someone who was listening? "
                "What does each of us take from this case?")),
    ),
)

FREE = Method(
    CaseMethod.FREE,
    _l("Free format"),
    _l("An open conversation without fixed rounds, for a case that asks for one or for a "
       "circle that wants to find its own way."),
    (
        Step(_l("What happened?"),
             _l("The case presenter tells the situation and the question for the circle.")),
        Step(_l("What do we notice?"),
             _l("What strikes the others, what do they recognise, what do they want to know "
                "more about?")),
        Step(_l("What could help?"),
             _l("Ideas, experiences and possible approaches from the circle.")),
        Step(_l("What do you take from it?"),
             _l("The case presenter says what they will do next, and what the circle learned "
                "together.")),
    ),
)

METHODS: dict[CaseMethod, Method] = {method.key: method for method in (INCIDENT, SOCRATIC,
                                                                        GOSSIP, FREE)}


def method_of(key) -> Method:
    return METHODS[CaseMethod(key)]
