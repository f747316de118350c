"""Conversation history: cleaning untrusted history and rewriting follow-ups into standalone queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ingest.lexicon import Lexicon
from ingest.text import STOPWORDS as _STOP
from ingest.text import content_terms, stem
from ingest.vocabulary import Vocabulary
from qa.question import COMBINED, GENERIC, graded, is_everyday, question_type
from qa.safety import names_someone

Message = dict[str, str]
MAX_MESSAGE_CHARS = 4000

# Words that point back into the conversation ("is it safe", "what about her", "that one") and
# openings that continue it ("and for older people?", "what about prozac?").
_ANAPHOR = re.compile(
    r"\b(it|its|it's|it’s|they|them|their|this|that|thats|these|those|one|ones|he|him|his|she|her|hers|same|the drug|the medication|the medicine|the pills?|the tablets?)\b",
    re.I,
)
_THING = re.compile(r"\b(it|its|it's|it’s|this one|that one|the drug|the medication|the medicine|the same)\b", re.I)
_THEY = re.compile(r"\b(they|they're|theyre|they’re|them)\b", re.I)  # the things the part before named
# "how soon does it show up", "what's it called when they carry on": "it" is what happens (the part before's
# subject), or says nothing at all, not the medicine
_EVENT_IT = re.compile(
    r"\b(?:it|they|this|that)\s+(?:(?:usually|normally|typically|tend to|often|generally)\s+)?"
    r"(?:shows?|showing|happens?|happening|appears?|develops?|occurs?|comes? on|goes away|settles?|eases?|passes?"
    r"|carry on|carries on|continues?|persists?|lingers?|gets? better"
    # "how long does it normally go on for": how long what happens lasts; "last in your body" is the medicine's
    r"|go(?:es)? on|drags? on|lasts?(?!\s+in\s+(?:the|your|my|his|her|their)\s+(?:body|system)))\b",
    re.I,
)
# "would going over that work any better": past what the part before asks for (a dose), not past the medicine
_BEYOND_THAT = re.compile(
    r"\b(?:over|above|beyond|past|more than|higher than|exceed(?:s|ing)?)\s+(?:that|this)\b", re.I
)
# "does doing it that way actually work": the way the part before asked about, not the medicine
_THAT_WAY = re.compile(r"\b(?:(?:that|this|the same) way|like (?:that|this)|doing (?:it|that|this))\b", re.I)
_CALLED = re.compile(r"\bwhat(?:'s|’s|s| is)\s+it\s+called\b", re.I)  # of a drug named before: its other name
# "can sertraline cause it", "were ssris worse for it": "it" is what a medicine does, not the medicine
_DONE_BY = re.compile(
    r"\b(?:cause[sd]?|causing|trigger(?:s|ed)?|give[sn]?|gave|do|does|did|worse for|better for|for)\s+it\b", re.I
)
# "does it even matter", "is that bad": what the part before told, judged, whatever medicine it named
_JUDGES_IT = re.compile(
    r"\W*(?:(?:and|but|so|also)\s+)?(?:does|do|will|would|is|was|could)\s+(?:it|that|this)\s+(?:(?:even|really|actually)\s+)?"
    r"(?:matter|a bad thing|bad|a problem|a big deal|serious|an issue|harmful|normal|common|usual|expected|ok|okay|right|true|correct|accurate|a myth|legit)\W*$",
    re.I,
)
_PERSON = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
_FOLLOW_UP_START = re.compile(
    r"^\s*(?:(?:ok|okay|right|hmm|cool|thanks|great|alright)\b[,.!]?\s+)?(and|also|so|but|or|then|ok so|okay so|what about|how about|what if|same|for|is that|does that|why)\b",
    re.I,
)
_COMPARED_WITH_CLASS = re.compile(
    r"\b(?:than|compared (?:with|to)|vs\.?|versus|like|unlike|as) (?:(?:the|other|most|all|normal|regular|typical|my|your|his|her|their|old|previous|last)\s+)*"
    r"(?:ssris?|snris?|antidepressants?|maois?)\b",
    re.I,
)
_GOES_ON = re.compile(r"^\W*(?:(?:ok|okay|right)\b[,.!]?\s+)?(?:and|so|but|also|then)\b", re.I)  # the talk goes on
_CLASS_WORD = re.compile(r"\b(ssris?|snris?|antidepressants?|maois?)\b", re.I)
_RISKIER = re.compile(r"\b(?:more|less) (?:risky|dangerous|of a risk)\b|\b(?:riskier|safer)\b", re.I)
_IS_IT_OF_CLASS = re.compile(
    r"\b(?:is|isn'?t|was) (?:it|this|that|this one|that one)\s+(?:\w+\s+)?(?:an?\s+)?(?:ssri|snri|maoi|antidepressant)\b",
    re.I,
)
_CLASS_KIND = re.compile(r"\b(?:ssris?|snris?|antidepressants?|maois?)[- ](?:type|kind|like|style|based)\b", re.I)
_QUESTION_WORDS = frozenset({"whats", "what's", "what’s", "hows", "whys", "wats", "wat", "tell", "me", "about", "info"})
_SHORT = 6  # a question this short (in words) with no drug of its own leans on the conversation
# A choice between medicines ("which one is least likely to", "which is best for that").
_WHICH_RANKS = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\b(?:\s+\w+){0,5}?\s+(?:least|most|best|worst|lowest|highest|safest|fewest|less|more"
    r"|longest|shortest|quickest|fastest|slowest|strongest|weakest|mildest)\b",
    re.I,
)
# "what about X" / "how about X" with a word of its own: X is asked about in place of something before.
_NEW_SUBJECT = re.compile(
    r"^\W*(?:and\s+)?(?:what|how)\s+about\s+(?!(?:it|them|that|this|those|him|her)\b)\w{4,}", re.I
)
# A choice among medicines ("which ones are approved for kids"): not about the one discussed before.
_WHICH_OF = re.compile(
    r"\bwhich\s+(?:ones|of them|ssris|snris|antidepressants|drugs|medicines|medications|meds|pills)\b"
    # "which one do they usually try first": a choice among medicines, not the one under discussion
    r"|\bwhich (?:one|drug|medicine|ssri|antidepressant) (?:do|would|should|did|will) (?:they|doctors|you|gps?|psychiatrists)"
    r" (?:\w+ )?(?:try|use|give|prescribe|start|pick|choose|recommend|go for)\b",
    re.I,
)
# "for that", "with that": the condition or topic asked about before, not a medicine.
_THAT_TOPIC = re.compile(
    r"\b(?:for|with|about|on|treat|treating)\s+(?:that|this)\b(?!\s+(?:one|drug|medicine|pill))", re.I
)
# "the second one", "the latter": one of two medicines named together before
_ORDINAL = re.compile(
    r"\bthe (first|second|former|latter|other)(?: one| drug| medicine)?\b(?! (?:time|week|day|month|dose|trimester|way|side|hand|half|day|night|thing|stuff|people))",
    re.I,
)
# "which of the two", "both of them": the medicines of the last turns together, not only the latest one.
_BOTH = re.compile(r"\b(?:of the two|the two of them|both|either|between them|between the two)\b", re.I)
# Asking whether something is all right for the patient: "a bad idea for me", "is that combo ok".
_VERDICT = re.compile(
    r"\b(?:ok|okay|safe|alright|fine|bad idea|good idea|risky|a problem|combo|for me|as well|too)\b", re.I
)
# "and for ocd?", "what about in pregnancy?": the last question again, for someone or something else
_SAME_FOR = re.compile(r"^\W*(?:and|but|what|how)(?:\s+about)?\s+(?:for|in|with|during|when)\b", re.I)
# "both of those", "those two": two things named just before
_THOSE_TWO = re.compile(
    r"\b(?:both of (?:those|them|these)|(?:those|these|the) two|either of (?:those|them|these))\b", re.I
)
# "what about my dad", "and for my daughter?": the last question again, for another person
_FOR_ANOTHER = re.compile(r"^\W*(?:(?:and|but|so|ok|okay)\s+)?(?:(?:what|how)\s+about|for|same for|and for)\b", re.I)
_VAGUE = frozenset({"soon", "usually", "normally", "often", "long", "much", "happen", "happens", "after", "before"})
# Conditions the notes cover: one named earlier stays in a follow-up that names none ("should he try talking
# therapy first" after "my husband has ptsd").
_CONDITION = re.compile(
    r"\b(ptsd|post[- ]traumatic stress(?: disorder)?|ocd|obsessive[- ]compulsive(?: disorder)?|panic(?: disorder| attacks)?"
    r"|social anxiety|generali[sz]ed anxiety|gad|pmdd|premenstrual dysphoric disorder|premature ejaculation"
    r"|hot flushes|hot flashes|fibromyalgia|nerve pain|bulimia|(?:mild |moderate |severe )?depression)\b",
    re.I,
)
_TREATMENT_CHOICE = re.compile(
    r"\b(?:therapy|treatment|treat|try|first|next|option|options|approved|recommended|suggested|best)\b", re.I
)
# "how long does that go on for", "how common is that": what was asked about before, not the medicine.
_THAT_EVENT = re.compile(r"\b(?:that|thats|this)\b(?!\s+(?:one|drug|medicine|medication|pill|tablet|med))", re.I)
# "can you get them just from missing a dose" after a question on withdrawal symptoms: "them" are the symptoms
# (not the tablets one takes), when the last question was about things of that kind.
_THEM_EVENTS = re.compile(
    r"\b(?<!take )(?<!taking )(?<!stop )(?<!stopping )(?:get|getting|have|having|cause|causes|prevent|avoid|stop|notice)\s+them\b",
    re.I,
)
# "will it sort itself out", "does that go away": a problem's course, so "it" is the problem
_IT_PASSES = re.compile(
    r"\b(?:it|that|this)\s+(?:\w+\s+)?(?:sort itself out|sorts itself out|go away|goes away|get better|gets better|settle|settles"
    r"|wear off|wears off|pass|passes|clear up|clears up|resolve|resolves|fade|fades|ease off|come back|comes back"
    r"|creep up|creeps up|creeping up|creep back|creeps back|creeping back)\b",
    re.I,
)
# "is that why ...", "could that be the reason ...": what the conversation was about may explain something new
_THAT_WHY = re.compile(r"\b(?:is|was|could|would|might) (?:that|this|it) (?:be )?(?:why|the reason|because)\b", re.I)
_THEY_ARE = re.compile(r"\b(?:are|were|can|could|should|would|will|must)\s+(?:they|these|those)\b", re.I)
_PLURAL_TOPIC = re.compile(r"\b(?:symptoms|effects|withdrawals|zaps|dreams|sweats|nightmares|problems)\b", re.I)
# "what can i do about it", "does it make it worse", "is it the drug or my depression": "it" is a problem
_IT_PROBLEM = re.compile(
    r"\b(?:about|help with|deal with|cope with|live with|treat|prevent|avoid|causes?|caused|makes?|made)\s+(?:it|that|this)\b"
    r"(?!\s+one)|\b(?:is|was) (?:it|that|this) (?:from )?(?:the drug|the medicine|the tablets?|the pills?|my depression|the depression)\b",
    re.I,
)
# "should i just push through it": putting up with the problem the conversation is about
_ENDURE_IT = re.compile(
    r"\b(?:push|pushing|power|ride|riding|tough|stick|sticking|put up|wait|waiting|sit)\s+(?:through|out|with)?\s*(?:it|this|that)\b"
    r"|\b(?:ride|tough|stick|wait|sit) (?:it|this|that) out\b",
    re.I,
)
# "is there any antidepressant where people get it less", "is there one that does that less": another medicine,
# chosen on the problem asked about, not the one the patient takes
_ANOTHER_WITH_LESS = re.compile(
    r"\b(?:is|are) there (?:an?|any|one|another|other|some)\b(?:\s+\w+){0,6}?\s+(?:less|fewer|not|doesn'?t|dont|don'?t|without)\b",
    re.I,
)
# "would it help (him) to ...", "... help?": with what the conversation is about, unless it says with what
_HELPS = re.compile(
    r"\b(?:help|helps)\b(?!\s+(?:\w+\s+)?(?:with|for)\b)|\b(?:make (?:a|any) difference|work|fix it|sort it)\W*$", re.I
)
# "is it ok with tizanidine", "can you take it alongside ibuprofen": "it" combined with the medicine named
_IT_WITH = re.compile(r"\bit\s+(?:\w+\s+){0,3}?(?:with|alongside|together with)\s+(?:my\s+|the\s+)?", re.I)
_HAS_IT = re.compile(r"\b(?:with|for|have|has|got|had) (?:it|that|this)\b", re.I)  # "teenagers with it": the condition
# "... for pmdd? how many people responded in the trial": the trial of that treatment for that condition
_THE_STUDY = re.compile(r"\b(?:the|that|this) (?:trials?|study|studies|research|review|data|results?)\b", re.I)
_AGES = frozenset({"older", "young"})
_PERINATAL = frozenset({"pregnant", "breastfeeding"})  # one follows the other, so a question names the one it means
_POPULATION_WORDS = {
    "older": "an older adult",
    "young": "a teenager",
    "pregnant": "pregnancy",
    "breastfeeding": "breastfeeding",
}


def clean_text(text: str) -> str:
    """Drop control, format and surrogate characters (newlines and tabs stay); other spaces become ' '."""
    text = text.replace("\r\n", "\n")
    kept = []
    for ch in text:
        if ch in "\n\t" or ch.isprintable():
            kept.append(ch)
        elif unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch == "\r":
            kept.append(" ")
    return "".join(kept).strip()


def _content(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # Gradio multimodal part
        return value["text"]
    if isinstance(value, list):
        parts = [p for p in (_content(v) for v in value) if p]
        return " ".join(parts) if parts else None
    return None


def clean_history(history: Any, max_messages: int = 20) -> list[Message]:
    """Keep well-formed user/assistant messages; drop anything else without failing."""
    if not isinstance(history, (list, tuple)):
        return []
    out: list[Message] = []

    def keep(role: Any, value: Any) -> None:
        content = _content(value)
        text = clean_text(clean_text(content)[:MAX_MESSAGE_CHARS]) if content else ""
        if role in ("user", "assistant") and text:
            out.append({"role": role, "content": text})

    for item in history:
        if isinstance(item, (list, tuple)) and len(item) == 2:  # old Gradio pairs format
            keep("user", item[0])
            keep("assistant", item[1])
        elif isinstance(item, dict):
            keep(item.get("role"), item.get("content"))
    return out[-max_messages:] if max_messages else []


def _carrying(question: str, extra: list[str]) -> str:
    """The question with what it leans on in brackets, after its own closing punctuation:
    "what dose is safe for him (escitalopram, an older adult)?"."""
    return f"{question.rstrip(' ?.!')} ({', '.join(extra)})?"


def is_follow_up(question: str) -> bool:
    words = re.findall(r"\w+", question)
    return bool(_ANAPHOR.search(question) or _FOLLOW_UP_START.search(question) or len(words) <= _SHORT)


@dataclass(frozen=True)
class Context:
    """What the conversation so far is about."""

    drugs: tuple[str, ...]  # the latest drugs under discussion
    populations: frozenset[str]  # who the user asked about ("my dad is 70" → older)
    topic: str  # the latest user question without its drug names
    earlier_drugs: tuple[str, ...] = ()  # drugs of the user's turns before the latest one that named any, latest first
    conditions: tuple[str, ...] = ()  # conditions the user named ("ptsd"), latest first
    answered_drugs: tuple[str, ...] = ()  # the drugs the last answer named, in its order ("sertraline and paroxetine")
    last_answer: str = ""  # the last answer's text, without its sources list


def conversation_context(history: list[Message], lexicon: Lexicon, vocabulary: Vocabulary) -> Context:
    drugs: tuple[str, ...] = ()
    earlier: list[str] = []
    conditions: list[str] = []
    topic = ""
    populations: set[str] = set()
    for msg in reversed(history):
        if msg["role"] != "user":
            continue
        conditions.extend(c.lower() for c in _CONDITION.findall(msg["content"]) if c.lower() not in conditions)
        found = lexicon.mentions(msg["content"])
        if found and drugs:
            earlier.extend(m.generic for m in found if m.generic not in drugs and m.generic not in earlier)
        if found and not drugs:
            drugs = tuple(dict.fromkeys(m.generic for m in found))
            cut, last = [], 0
            for m in found:
                cut.append(msg["content"][last : m.start])
                last = m.end
            cut.append(msg["content"][last:])
            own = re.sub(r"\s+", " ", "".join(cut)).strip(" ?.!")
            if not [w for w in re.findall(r"[a-z]+", own.lower()) if w not in _STOP and w not in _QUESTION_WORDS]:
                own = ""  # "whats mirtazapine" asks what the drug is: no topic besides the drug
            # a later message naming its own topic ("could it be her sodium") stays the topic
            topic = topic if topic and _specific(topic, vocabulary) else own
        elif not topic or (not _specific(topic, vocabulary) and _specific(msg["content"], vocabulary)):
            # "what is serotonin syndrome" → "how do doctors tell if you have it": the earlier one names the topic
            topic = msg["content"].strip(" ?.!")
        populations |= vocabulary.expand(msg["content"]).populations
    answered: tuple[str, ...] = ()
    last_answer = next((m["content"] for m in reversed(history) if m["role"] == "assistant"), "").split("**Sources**")[
        0
    ]
    if last_answer:
        answered = tuple(dict.fromkeys(m.generic for m in lexicon.mentions(last_answer)))
    if not drugs:
        for msg in reversed(history):
            if msg["role"] == "assistant":
                found = lexicon.mentions(msg["content"].split("**Sources**")[0])
                if found:
                    drugs = (found[0].generic,)
                    break
    return Context(drugs, frozenset(populations), topic, tuple(earlier), tuple(conditions[:1]), answered, last_answer)


def _names_what_was_said(question: str, said: str) -> bool:
    """Whether the question points at something the last answer named with "the" ("how long is the gap"
    after "switches need a drug-free gap")."""
    named = {stem(w) for w in re.findall(r"\bthe\s+([a-z]{3,})\b", question.lower()) if w not in GENERIC}
    return bool(named) and bool(named & content_terms(said))


def rewrite(
    question: str,
    history: list[Message],
    lexicon: Lexicon,
    vocabulary: Vocabulary | None = None,
    answered: str = "",
) -> str:
    """Rule-based standalone query: bring the drugs, the people and the topic under discussion into
    a follow-up that leans on them ("what dose is safe for him" → "... (escitalopram, an older adult)").
    `answered` is what the last answer was about (its section heading), for "when does that show up"."""
    if not history:
        return question
    vocabulary = vocabulary or Vocabulary([])
    ctx = conversation_context(history, lexicon, vocabulary)
    own_drugs = lexicon.mentions(question)
    names_none = not own_drugs and not _CLASS_WORD.search(question)
    # Any question that names no medicine, in a conversation about one, is about it ("what side effects
    # should we look out for" after "my daughter just started fluoxetine"): ellipsis, not only pronouns.
    if not is_follow_up(question) and not (names_none and ctx.drugs):
        return question
    own = vocabulary.expand(question)
    extra: list[str] = []
    points_back = bool(_THING.search(question))
    if _WHICH_RANKS.search(question) and ctx.topic:
        # "which one is least likely to": a choice between medicines, on the topic asked before; between the
        # ones the conversation named, when it named more than one ("... sertraline?", "and paroxetine?")
        between = [*ctx.drugs, *ctx.earlier_drugs] if names_none and ctx.earlier_drugs else []
        return _carrying(question, [*between, ctx.topic])
    if not own_drugs and ctx.topic and _ANOTHER_WITH_LESS.search(question) and _specific(ctx.topic, vocabulary):
        return _carrying(question, [ctx.topic])
    if (
        own_drugs
        and ctx.topic
        and (points_back or _FOLLOW_UP_START.search(question))
        and not COMBINED.search(question)  # "it together with effexor" combines, it does not swap
        and all(lexicon.has_own_note(m.generic) for m in own_drugs)
        and (
            ctx.drugs
            and all(lexicon.has_own_note(d) for d in ctx.drugs)
            and not {m.generic for m in own_drugs} & set(ctx.drugs)
        )
    ):
        # "what about paxil then, is it worse" after a question on sertraline: one medicine of the patient's
        # kind in place of another, on the same topic; "it" is the new one.
        return _carrying(question, [ctx.topic])
    if names_none and _NEW_SUBJECT.search(question):
        # "what about paracetamol" after "ibuprofen with sertraline": the new word takes the other
        # medicine's place; the patient's own medicine (one with its own note) and the topic stay.
        own_medicines = [d for d in ctx.drugs if lexicon.has_own_note(d)] or list(ctx.drugs[:1])
        return _carrying(question, [*own_medicines, ctx.topic] if ctx.topic else own_medicines)
    if not _CONDITION.search(question) and (_TREATMENT_CHOICE.search(question) or _HAS_IT.search(question)):
        extra.extend(c for c in ctx.conditions if c not in extra)  # "talking therapy first", "teenagers with it"
    ordinal = _ORDINAL.search(question)
    # Two medicines named together, by the user ("are duloxetine and milnacipran ssris") or by the last answer
    # ("sertraline and paroxetine are approved for ptsd"); "the other one" is the one the user did not name.
    pair = ctx.drugs if len(ctx.drugs) >= 2 else ctx.answered_drugs
    resolved = names_none and ordinal is not None and len(pair) >= 2  # then "what's that for" is that medicine
    if resolved and ordinal is not None:
        # "what is the second one approved for", "never heard of the other one"
        which = ordinal.group(1).lower()
        if which == "other":
            extra.append(next((d for d in pair if d not in ctx.drugs), pair[1]))
        else:
            extra.append(pair[0] if which in ("first", "former") else pair[1])
    elif names_none and _BOTH.search(question) and ctx.earlier_drugs:
        extra.extend([*ctx.drugs, ctx.earlier_drugs[0]])  # "which of the two is easier to come off"
    elif (names_none or (points_back and not own_drugs)) and not _WHICH_OF.search(question):
        extra.extend(ctx.drugs)  # "is it more dangerous than the ssris": "it" is the medicine under discussion
        # "so what would be a better option for her" after tamoxifen, then prozac: the other medicine stays
        extra.extend(d for d in ctx.earlier_drugs if not lexicon.has_own_note(d) and d not in extra)
    elif not own_drugs:
        # "which antidepressants would be better for her then" after tamoxifen and paroxetine: a choice among
        # medicines, but the other medicine she takes (one without a note of its own) is why she chooses
        extra.extend(d for d in (*ctx.drugs, *ctx.earlier_drugs) if not lexicon.has_own_note(d) and d not in extra)
    if _THAT_TOPIC.search(question) and ctx.topic:
        extra.append(ctx.topic)  # "how long till it works for that": that = what was asked about before
    elif own_drugs and points_back:  # "is it ok with ibuprofen": "it" is the drug under discussion
        extra.extend(d for d in ctx.drugs if d not in {m.generic for m in own_drugs})
    elif own_drugs and _VERDICT.search(question):
        # "is brisdelle a bad idea for me" after "i take tamoxifen": the new medicine beside the other one the
        # patient takes (one without a note of its own, linked to a topic note), not instead of it.
        named = {m.generic for m in own_drugs}
        extra.extend(d for d in (*ctx.drugs, *ctx.earlier_drugs) if not lexicon.has_own_note(d) and d not in named)
    if own_drugs and _BOTH.search(question):
        # "whats the most she can have of the citalopram if shes on both": the other one is the omeprazole
        named = {m.generic for m in own_drugs}
        extra.extend(d for d in (*ctx.drugs, *ctx.earlier_drugs) if d not in named and d not in extra)
    if own_drugs and not ctx.drugs and ctx.topic and (points_back or _THAT_EVENT.search(question)):
        # "how likely is it if i stay on my sertraline" after a question on PPHN that named no medicine:
        # "it" cannot be a medicine from before, so it is what was asked about
        extra.extend(t for t in (ctx.topic, answered) if t and t not in extra)
    content = [
        w
        for w in re.findall(r"[a-z]+", question.lower())
        if w not in _STOP and w not in GENERIC and w not in _VAGUE and w not in {m.surface.lower() for m in own_drugs}
    ]
    if (
        own_drugs and not points_back and not content and ctx.topic and ctx.topic not in extra
    ):  # "what about prozac?" asks the last question again; "is sertraline safe in pregnancy?" is its own
        extra.append(ctx.topic)
    if (
        not extra
        and not own_drugs
        and ctx.topic
        and (len(content) <= 2 or _FOLLOW_UP_START.search(question) or (points_back and not ctx.drugs))
    ):
        # ... and "does staying on it make a difference" after a question on antidepressants that named none:
        # with no medicine to point at, "it" is what was asked about
        extra.append(ctx.topic)  # "and how long do they last?" after a question on a topic, not a drug
    elif (
        names_none
        and ctx.topic
        and ctx.topic not in extra
        and _SAME_FOR.search(question)
        and len(content) <= 2
        and not own.populations & _PERINATAL  # "and when breastfeeding?" leaves a pregnancy question behind
    ):
        extra.append(ctx.topic)  # "and for ocd?" after "how long till sertraline works": the same question for OCD
    elif ctx.topic and not own_drugs and _THEM_EVENTS.search(question) and _PLURAL_TOPIC.search(ctx.topic):
        extra.append(ctx.topic)  # "can you get them just from missing a dose" after withdrawal symptoms
    elif (
        ctx.topic
        and not own_drugs
        and len(ctx.drugs) <= 1
        and _THEY_ARE.search(question)
        and not own.subjects
        and all(is_everyday(w) or graded(w) for w in content)
    ):
        # "how different are they allowed to be" after "do they have to prove it works the same as the brand": with
        # one medicine talked about, "they" are the things the last question was about (the generic versions)
        extra.append(ctx.topic)
    elif ctx.topic and not own_drugs and _IT_PASSES.search(question):
        # "will it sort itself out if they take him off it": what passes is the problem asked about, not the drug
        extra.extend(t for t in (ctx.topic, answered) if t and t not in extra)
    elif (
        ctx.topic
        and ctx.topic not in extra
        and not own_drugs
        and not resolved
        and (
            _THAT_EVENT.search(question)
            or (_HAS_IT.search(question) and not ctx.conditions)
            or (names_none and _GOES_ON.search(question))  # "so are the first weeks riskier"
            or _RISKIER.search(question)  # "my dad only started his last week, is the beginning more risky"
        )
        and not own.subjects
        and all(is_everyday(w) or graded(w) or w in _more_what(question) for w in content)
    ):
        # "how common is that tho": a question with no subject of its own asks about the last one
        extra.append(ctx.topic)
        if answered:
            extra.append(answered)  # and about what the answer said ("when does that show up" after low sodium)
    if ctx.topic and ctx.topic not in extra and _THAT_WHY.search(question):
        extra.append(ctx.topic)  # "is that why i feel rough when i forget one": that = what was asked about before
    elif ctx.topic and ctx.topic not in extra and _names_what_was_said(question, ctx.last_answer):
        extra.append(ctx.topic)  # "how long is the gap" after an answer on the drug-free gap between medicines
    elif (
        names_none
        and ctx.topic
        and ctx.topic not in extra
        and not resolved
        and (
            _IT_PROBLEM.search(question)
            or question_type(question) in ("remedy", "duration")
            or _HELPS.search(question)
            or _ENDURE_IT.search(question)
        )  # "what should he do", "how long do i wait"
        # "would taking it at another time of day help": the remedy is the question's own subject, the problem
        # it would help with is the conversation's; so is "push through it", what is to be endured
        and (not own.subjects or _HELPS.search(question) or _ENDURE_IT.search(question))
        and all(is_everyday(w) for w in content if not _HELPS.search(question))
        and _specific(ctx.topic, vocabulary)
    ):
        # "what can i do about it" after "since starting sertraline i can't orgasm": "it" is the problem the
        # conversation is about, not only the medicine
        extra.append(ctx.topic)
    if (
        ctx.topic
        and ctx.topic not in extra
        and not own.subjects
        and _FOR_ANOTHER.search(question)
        and names_someone(question)
    ):
        extra.append(ctx.topic)  # "what about my dad, he's 68 and on the same one" after a question on the maximum dose
    if names_none and _THOSE_TWO.search(question) and len(ctx.answered_drugs) < 2 and ctx.last_answer:
        # "is it actually doing both of those" after "... blocks the reuptake of serotonin and noradrenaline": the two
        # things the last answer named, not two medicines
        extra.append(re.split(r"(?<=[.!?])\s", ctx.last_answer.strip(), maxsplit=1)[0].strip(" .!?"))
    carried = ctx.populations - own.populations
    if own.populations & _PERINATAL:  # "and when breastfeeding?" after a pregnancy question moves on from it
        carried -= _PERINATAL
    if own.populations & _AGES:  # "and for kids?" after a question on older people: one age group for another
        carried -= _AGES
    if carried and (_PERSON.search(question) or not own_drugs):
        extra.extend(_POPULATION_WORDS[p] for p in sorted(carried))
    if extra and question_type(question) not in ("other", "ranking", "comparison"):
        # "is there anything that helps with it" after "which ones are the worst for that": what was asked
        # about comes along, not how it was asked ("worst", "which")
        extra = [e for e in (_subject_of(x) if _ASKS_HOW.search(x) else x for x in extra) if e]
    return _carrying(question, extra) if extra else question


_ASKS_HOW = re.compile(r"\b(?:which|what|whats|how|why|when|worst|best|most|least|fewest|highest|lowest)\b", re.I)
_ASKING_WORDS = re.compile(
    r"\b(?:which|what|whats|how|why|when|who|worst|best|most|least|fewest|highest|lowest|safest|ones?|"
    r"is|are|do|does|can|could|should|the|for|that|this|and|or|of|a|an)\b",
    re.I,
)


def _more_what(question: str) -> set[str]:
    """The words a question grades ("more risky", "less likely"): how much, not what, it asks about."""
    return {w.lower() for w in re.findall(r"\b(?:more|less|most|least)\s+([a-z]+)", question, re.I)}


def _specific(topic: str, vocabulary: Vocabulary) -> bool:
    """Whether an earlier message names something of its own ("i can't orgasm", "a glass of wine"), not
    only asks ("how common is that")."""
    if vocabulary.expand(topic).subjects:
        return True
    return any(w not in _STOP and w not in GENERIC and not is_everyday(w) for w in re.findall(r"[a-z]+", topic.lower()))


def _subject_of(carried: str) -> str:
    """What a carried question is about, without the words that ask it: "Which antidepressants cause the
    most and the fewest sexual side effects" → "antidepressants cause sexual side effects"."""
    return re.sub(r"\s+", " ", _ASKING_WORDS.sub(" ", carried)).strip(" ,?")


def part_question(
    part: str,
    drugs: tuple[str, ...],
    populations: frozenset[str],
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    earlier: str = "",
    whole: str = "",
    carried: str = "",
) -> str:
    """One part of a multi-part question, standing alone: the drugs and people the whole question names
    carried into a part that does not name its own ("... and what's the most you can take" → "(citalopram)"),
    and the subject of a part before that names no drug into one that points back at it ("what is PSSD and
    how common is it"); a condition the `whole` question names comes along too, and what a rewritten
    follow-up `carried` for a part that points back at it."""
    extra: list[str] = [carried] if carried else []
    subject = " ".join(w for w in re.findall(r"[a-z][a-z'-]+", earlier.lower()) if w not in _STOP)
    # "an ssri type pill for ...": the class says what kind of pill the subject is, it is not the subject
    named_class = None if _CLASS_KIND.search(earlier) else _CLASS_WORD.search(earlier)
    # the part before's subject without the medicines it names (they come along below when this part names none)
    topic = " ".join(w for w in subject.split() if not lexicon.mentions(w, fuzzy=False) and not _CLASS_WORD.search(w))
    if earlier and (
        _EVENT_IT.search(part)
        or _BEYOND_THAT.search(part)
        or _THAT_WAY.search(part)
        or (_CALLED.search(part) and not lexicon.mentions(earlier))
    ):
        extra.append(topic)  # "does the low sodium thing happen with all ssris, and how soon does it show up"
    elif earlier and _DONE_BY.search(part) and (lexicon.mentions(part) or _CLASS_WORD.search(part)):
        extra.append(topic)  # "what is hyponatremia? ... were ssris worse for it": this part names the medicine
    elif earlier and _THING.search(part) and not lexicon.mentions(earlier):  # with a drug named, "it" is the drug
        # "does staying on my SSRI ... and will being on it affect an epidural": "it" is the SSRI
        extra.append(named_class.group(0) if named_class else subject)
    elif earlier and _THEY.search(part) and not lexicon.mentions(earlier):
        extra.append(subject)  # "what are the usual side effects of an ssri, and should i carry on if they're bad"
    elif earlier and _JUDGES_IT.match(part):
        extra.append(subject)  # "i keep forgetting my sertraline, any tips? does it even matter": the forgetting
    mentions = lexicon.mentions(part)
    named = {m.generic for m in mentions}
    # "how risky is it in an overdose compared with ssris": the class it is compared with is not its subject, nor
    # is the class "it" is asked to belong to ("is it actually an SSRI or something else")
    compared = (_COMPARED_WITH_CLASS.search(part) and _THING.search(part)) or _IS_IT_OF_CLASS.search(part)
    if not named and (not _CLASS_WORD.search(part) or compared):
        extra.extend(drugs)
        named_in_whole = _CLASS_WORD.search(whole)
        own_subject = any(
            w not in _STOP and w not in GENERIC and not is_everyday(w)
            for w in re.findall(r"[a-z][a-z'-]+", part.lower())
        )
        if not drugs and named_in_whole and not own_subject:
            # "who is the boxed warning on antidepressants about, and does my husband need watching when he
            # starts": antidepressants; "... and what does treatment resistant even mean" has its own subject
            extra.append(named_in_whole.group(0))
    elif any(m.start == w.end() for w in _IT_WITH.finditer(part) for m in mentions):
        extra.extend(d for d in drugs if d not in named)  # "... and is it ok with tizanidine": "it" is the other
    elif named and not any(lexicon.has_own_note(d) for d in named):
        # "what is citalopram's half life / also i take omeprazole, does that change anything": a medicine the
        # sources speak of only beside the antidepressants is asked about with the one the question is on
        extra.extend(d for d in drugs if d not in named and lexicon.has_own_note(d))
    extra.extend(_POPULATION_WORDS[p] for p in sorted(populations - vocabulary.expand(part).populations))
    if (
        whole
        and not _CONDITION.search(part)
        and (_TREATMENT_CHOICE.search(part) or _HAS_IT.search(part) or _THE_STUDY.search(part))
    ):
        # "my wife has ptsd. which ssris ..., and is medication the first thing they try"
        extra.extend(dict.fromkeys(c.lower() for c in _CONDITION.findall(whole)))
    extra = list(dict.fromkeys(e for e in extra if e))
    return _carrying(part, extra) if extra else part
