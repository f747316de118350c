"""Understanding patient questions (issue 12): drugs and classes, people, question types, the lay
vocabulary, what the sources do not cover, and follow-ups that keep the drug and the person."""

from pathlib import Path

import pytest

from ingest.lexicon import load_lexicon
from ingest.vocabulary import Entry, Vocabulary, VocabularyError, load_vocabulary, read_entries
from qa.conversation import part_question, rewrite
from qa.question import WordPool, analyse, corpus_words, is_english, split_parts, typo_of_everyday, without_scenery

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEXTS = [
    "Sertraline has a half-life of about 26 hours. Improvement can start within one to two weeks.",
    "SSRIs raise the risk of bleeding, more so with NSAIDs, aspirin and warfarin. Dry mouth is an anticholinergic effect.",
    "Older adults are at risk of low sodium. Discontinuation symptoms include electric shock sensations.",
    "The tellmipsychiatry blog describes receptors. Serotonin toxicity is diagnosed with the Hunter criteria.",
]


@pytest.fixture(scope="module")
def words():
    return corpus_words(TEXTS, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))


def test_brand_names_become_drugs_with_their_class_and_notes(words) -> None:
    q = analyse("how long does zoloft take to kick in", words)
    assert q.drugs == ("sertraline",)
    assert q.classes == ("SSRI",)
    assert "sertraline" in q.notes
    assert "time to effect" in q.search_text  # "kick in" in the sources' words
    assert "sertraline" not in q.aspect_text.lower() and "SSRIs" in q.aspect_text
    assert q.qtype == "duration"


@pytest.mark.parametrize(
    ("text", "population"),
    [
        ("my dad is 70 and takes escitalopram", "older"),
        ("Nan has had two falls since starting sertraline", "older"),  # a grandparent without "my"
        ("is it ok for my 15 year old", "young"),
        ("im pregnant, is prozac ok", "pregnant"),
        ("can i breastfeed on zoloft", "breastfeeding"),
        ("my gran takes citalopram", "older"),
    ],
)
def test_people_are_recognised(words, text: str, population: str) -> None:
    assert population in analyse(text, words).populations


@pytest.mark.parametrize(
    ("text", "qtype"),
    [
        ("what dose of lexapro is normal", "dose"),
        ("whats the most she should be on", "dose"),  # the most she may take, not what something is
        ("is there anything that actually helps with that", "remedy"),
        ("what should he do then", "remedy"),
        ("my baby came at 32 weeks. is there anything different for prem babies?", "other"),  # not what helps
        ("how common is sexual dysfunction", "frequency"),
        ("why is paroxetine rarely used", "reason"),
        ("which ssri has the worst withdrawal", "ranking"),
        ("is there an antidepressant that does that less", "ranking"),  # one to pick among many
        ("is zoloft better than lexapro", "comparison"),
        ("does nefazodone kill your sex drive like lexapro did for me?", "comparison"),  # the one set against the other
        ("is the chemical imbalance a myth", "truth"),
        ("when did the black box warning get extended to young adults", "year"),
        ("4 days into sertraline and i feel sick, does it go away", "duration"),
        # whether it passes, however the thing asked about is named
        ("Will the nausea from my zoloft go away", "duration"),
        ("is the jittery feeling on prozac ever going to settle down", "duration"),
        ("what does the FINISH thing stand for with withdrawal", "definition"),
        ("which ssri showed up the most in breastfed babies", "ranking"),
        ("what does coming off paxil feel like", "signs"),
        ("what signs should i look for in my baby", "signs"),
        ("my mum just started citalopram. what would the first signs of low sodium look like?", "signs"),
        ("What are the warning signs of serotonin syndrome?", "signs"),  # not what serotonin syndrome is
        ("How long is she likely to feel like this?", "duration"),  # how long it lasts, not what it is like
        ("the risk is low you said, but any actual numbers?", "frequency"),  # a figure is wanted
        # "actually" does not make it an is-it-true question: what helps is asked
        ("is there anything that's actually been tested to help with that?", "remedy"),
        ("what can help my boyfriend with erection problems on sertraline", "remedy"),
        ("my dad keeps forgetting his citalopram, any tips", "remedy"),
        ("put on weight on seroxat :( what can actually be done about it", "remedy"),
        # whether it works yet, some days in: how long it takes to work
        ("been on lexapro for 10 days and feel exactly the same. is it even working", "duration"),
        ("3 weeks on prozac, should i feel better by now", "duration"),
        # what a medicine is for
        ("what conditions is cymbalta approved for", "uses"),
        ("what is zoloft used for", "uses"),
        # "missing a dose" or "a dose or two" asks about the missed dose, not how much to take
        ("can you get them just from missing a dose or two", "other"),
        # "which one is least likely" with one medicine or none picks among many: a ranking, not a comparison
        ("so which one is least likely to do that", "ranking"),
        ("which antidepressant were people less likely to feel flat on", "ranking"),
        ("i feel sort of numb on citalopram. do lots of people get this", "frequency"),
        ("what can be done about the night sweats i get from paroxetine", "remedy"),
        ("which is safer, prozac or zoloft", "comparison"),
        ("emotional blunting on escitalopram, is that common or is it just me", "frequency"),
        ("does everyone get this on sertraline", "frequency"),
        ("never heard of fluvoxamine. what's that normally prescribed for?", "uses"),  # what it is for, not what it is
        # a figure is asked for, though the asking clause reads as "is it true"
        ("does staying on it actually make much difference? like in numbers", "frequency"),
        ("what are the stats on sexual side effects", "frequency"),
        ("what were the star*d remission rates at each step", "frequency"),  # a rate is a figure
        ("in that star*d study how many got better on the third try?", "frequency"),
        ("how many tablets can i take in a day", "other"),  # a count of tablets is not how common something is
        # who is at risk: the risk factors are wanted, not how common it is or what it is
        ("who is most at risk of low sodium", "risk"),
        ("who tends to get it most?", "risk"),
        ("what makes withdrawal more likely", "risk"),
        ("who gets serotonin syndrome", "risk"),
        ("how likely is it", "frequency"),
        ("when's the riskiest time to watch my son after he starts", "duration"),  # when in the treatment
        # "what actually is it", after a few words of context: what the thing is, not whether it is true
        ("my mums nurse mentioned hyponatremia - what actually is it", "definition"),
    ],
)
def test_question_types(words, text: str, qtype: str) -> None:
    assert analyse(text, words).qtype == qtype


@pytest.mark.parametrize(
    "text",
    ["side effects of gabapentin", "is quetiapine stronger than lexapro", "can i take zorbitrexil with sertraline"],
)
def test_names_the_sources_never_use_are_unknown(words, text: str) -> None:
    q = analyse(text, words)
    assert q.unknown_names, text


@pytest.mark.parametrize(
    "text",
    [
        "What is the half-life of sertraline?",
        "my gran started citalopram and shes confused, could it be her sodium?",
        "How is serotonin toxicity diagnosed?",
        "what does the tellmi psychiatry blog say about receptors",
        "do brain zaps after stopping mean something",
        '<img src=x onerror="x=1"><script>x=2</script> What is the half-life of Prozac?',
        '<img src=x onerror="window.__xss_q=1"><script>window.__xss_q=2</script> What is the half-life of Prozac?',
        "<script>alert(document.cookie)</script> what is the half life of zoloft",
    ],
)
def test_ordinary_patient_words_are_not_mistaken_for_missing_topics(words, text: str) -> None:
    q = analyse(text, words)
    assert not q.unknown_names, (text, q.unknown_names)
    assert q.uncovered_share <= 0.5, (text, q.uncovered)


@pytest.mark.parametrize(
    "text",
    [
        "can my 16 year old son take paxil for his depression",  # family words are people, not topics
        "my sex drive has completly gone since i started lexapro, is that normal??",  # a misspelt everyday word
        "what did the desmolysium writer say about his friend with long covid",  # "longCOVID" in the article
        "did lexapro mess with his sex drive, it messed with mine",  # a form of an everyday word ("mess")
        "when does sertraline literally start to help, should i ask the doc",  # a filler and "doc"
        # an everyday verb doing something to what follows it: what it does to the sleep is asked
        "could my zoloft be ruining my sex drive?",
        "is lexapro screwing with my sex drive",
        # what one medicine does to another ("alters") is the question's verb, not its topic
        "could you tell me whether omeprazole alters the amount of sertraline in my blood",
        "does lexapro block alot more serotonin at 20mg",
    ],
)
def test_family_words_and_misspelt_everyday_words_are_not_missing_topics(text: str) -> None:
    texts = [
        *TEXTS,
        "Paroxetine is not recommended for depression in young people.",
        "Sexual side effects are common with escitalopram.",
        "A friend of the Desmolysium writer found escitalopram helped with longCOVID.",
    ]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    q = analyse(text, words)
    assert not q.uncovered_topic and not q.unknown_names and not q.uncovered, (text, q.uncovered, q.unknown_names)


def test_a_verb_before_its_object_is_what_something_does_and_a_plural_thing_is_not() -> None:
    from qa.question import _acts

    assert _acts("alters", " the amount of citalopram") and _acts("lowers", " my sodium")
    # "heart defects in the baby", "the risks?": things a question is about, though "defected" is a word
    assert not _acts("defects", " in the baby") and not _acts("risks", "?") and not _acts("tests", "")


def test_a_misspelling_is_one_letter_from_an_everyday_word_and_a_drug_name_is_not() -> None:
    assert typo_of_everyday("completly") and typo_of_everyday("becuase")
    assert typo_of_everyday("exagerating")  # a long word: one letter from any English word
    assert not typo_of_everyday("escitalipram") and not typo_of_everyday("desvenlafaxine")
    assert not typo_of_everyday("completely")  # a word, not a typo
    assert not typo_of_everyday("gabapentin") and not typo_of_everyday("abilify")
    # a very common word run on after a little one
    assert typo_of_everyday("alot") and typo_of_everyday("infact") and typo_of_everyday("atleast")
    assert not typo_of_everyday("hairloss") and not typo_of_everyday("insomnia") and not typo_of_everyday("asexual")


@pytest.mark.parametrize(
    ("text", "name"), [("does tms work for depression if pills havent", "tms"), ("is 5-htp like prozac", "htp")]
)
def test_a_short_name_the_sources_never_use_is_unknown(words, text: str, name: str) -> None:
    assert name in [u.lower() for u in analyse(text, words).unknown_names]


def test_places_and_jobs_in_the_story_are_not_medicines(words) -> None:
    q = analyse(
        "stag do in Magaluf next month and ive been on sertraline. if i have a few pints will i be drowsy", words
    )
    assert not q.unknown_names, q.unknown_names
    q = analyse("Barista here, and I've just been started on sertraline. Is it ok with coffee?", words)
    assert not q.unknown_names, q.unknown_names
    # ... while a medicine the story names is still one the sources lack
    assert analyse("my wife is on lamotrigine. can she take escitalopram as well", words).unknown_names
    # An English word for a job, and a place, in a story the question points back at, are not its topic.
    q = analyse("I'm a receptionist in Leeds and I worry about everything. What does NICE offer for this?", words)
    assert not q.uncovered, q.uncovered
    assert analyse("is receptionist burnout treated with an ssri", words).uncovered  # ... unless it is asked about


def test_a_later_part_does_not_carry_who_the_asker_is() -> None:
    assert without_scenery("I'm a receptionist in Leeds and I worry").split() == ["and", "I", "worry"]
    assert without_scenery("i work as a night cleaner").split() == ["i"]
    assert without_scenery("in the morning, I am a bit sick") == "in the morning, I am a bit sick"


def test_chat_shorthand_is_not_a_name(words) -> None:
    assert not analyse("is sertraline sold in the usa, idk abt the uk", words).unknown_names
    assert not analyse("is sexual stuff (low libido etc) worse on sertraline", words).unknown_names


@pytest.mark.parametrize(
    "text",
    [
        "grandad is 81 and takes sertraline, is it ok for him to take ibuprofen for his knee?",  # what it is for
        "been on paroxetine for years and now my oncologist started me on tamoxifen. anything to worry about?",
    ],
)
def test_two_medicines_taken_together_are_the_subject_not_what_one_is_for(words, text: str) -> None:
    q = analyse(text, words)
    assert len(q.drugs) == 2, q.drugs
    assert q.uncovered_share <= 0.5 and not q.uncovered_topic and not q.unknown_names, (q.uncovered, q.unknown_names)


def test_where_a_patient_read_something_is_not_what_they_ask_about() -> None:
    texts = [*TEXTS, "Some people on Reddit describe taking escitalopram only now and then."]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    # "reddit" is rare in the sources, so it would be the topic and the answer held to the passage using it
    q = analyse("saw people on reddit talking about sertraline and bleeding, is that real?", words)
    assert q.topic != "reddit" and not any("reddit" in p for p in q.uncovered), (q.topic, q.uncovered)


def test_a_coordinated_part_the_sources_lack_is_named(words) -> None:
    q = analyse("does paxil cause tinnitus or a dry mouth", words)
    assert q.uncovered_parts == ("tinnitus",)
    q = analyse("does sertraline interact with grapefruit and with warfarin", words)
    assert q.uncovered_parts == ("grapefruit",)
    assert analyse("can i eat grapefruit on zoloft", words).uncovered_parts == ()  # nothing else to answer
    # an everyday word the sources never use goes with the missing word beside it
    assert analyse("can paxil cause kidney stones or a dry mouth", words).uncovered_parts == ("kidney stones",)
    # ... and so does one the sources use in another sense ("falls" in older people), after an everyday word
    # they never use
    q = analyse("is trintellix more likely to give you nausea or make your hair fall out?", words)
    assert q.uncovered_parts == ("hair fall",)
    # the word for a medicine after the missing one names it with it
    q = analyse("does sertraline interact with my thyroid tablets or cause weight gain", words)
    assert q.uncovered_parts == ("thyroid tablets",)
    assert "contraceptive pill" in analyse("can sertraline stop my contraceptive pill working", words).uncovered
    # a part that names a word the sources never use is not the covered rest of the question
    q = analyse("can citalopram throw off thyroid results or cause thyroid problems?", words)
    assert q.uncovered_parts == () and q.uncovered_topic
    # ... nor is a part of everyday words alone that names nothing the vocabulary knows ("safe for my eyes")
    q = analyse("is paroxetine safe for my mouth or could it bring on a glaucoma attack", words)
    assert q.uncovered_parts == () and q.uncovered_topic, q
    q = analyse("is paroxetine safe for older people or could it bring on a glaucoma attack", words)
    assert q.uncovered_parts == ("glaucoma attack",), q
    # what comes before the asking only sets the scene: it is not a covered part, and the question is about
    # what the sources lack ("spray" is not named again beside "nasal spray")
    q = analyse("im a guy on sertraline and we're trying for a baby, does it lower sperm count?", words)
    assert q.uncovered_parts == () and q.uncovered_topic
    q = analyse("my zoloft stopped working and they mentioned spravato nasal spray, how does that work?", words)
    assert q.uncovered_parts == () and q.uncovered_topic and "spray" not in q.uncovered, q.uncovered


def test_a_topic_the_sources_lack_is_not_hidden_by_the_class_or_the_story_before_it(words) -> None:
    # "ssris" names the medicine, as a drug's name does: the asked topic is still the missing word
    q = analyse("got blood tests back, i started paxil last spring. do ssris raise cholesterol??", words)
    assert q.uncovered_topic, q
    # what the story before the asking clause covers ("anxiety is better") is not what the clause asks
    q = analyse(
        "started lexapro 6 weeks ago, anxiety is better but my skin has broken out. is acne a side effect", words
    )
    assert q.uncovered_topic, q
    # a question after the one with a question mark still asks ("... like crazy?? is sertraline known to ..."),
    # and its everyday topic the sources never use is the topic, whatever the story before it covers
    q = analyse(
        "on zoloft 8 months, the nausea went ages ago but my hair is coming out like crazy?? is sertraline known "
        "to make your hair fall out",
        words,
    )
    assert q.uncovered_topic, q
    q = analyse("dad is 77 and has had two falls since starting his ssris. could the tablets be to blame?", words)
    assert not any("blame" in u for u in q.uncovered), q.uncovered
    # the complaint a question points at ("is that a thing") is its topic, whatever else the story covers
    q = analyse("since upping my sertraline to 150 i get hiccups after every dose. is that a thing", words)
    assert q.uncovered_topic, q
    q = analyse("since upping my sertraline to 150 i get a dry mouth after every dose. is that a thing", words)
    assert not q.uncovered_topic, q
    # ... unless the clause points at the story ("is that gonna undo ...")
    q = analyse("i drink pretty heavy most weekends. is that gonna undo what my zoloft is doing?", words)
    assert not q.uncovered_topic, q


def test_a_clause_asking_whether_the_story_applies_to_a_medicine_asks_about_the_story(words) -> None:
    q = analyse("heard grapefruit juice messes with some meds. does that go for citalopram too?", words)
    assert "grapefruit juice" in q.uncovered and q.uncovered_topic, q
    # "could it be the sertraline" asks about the medicine: the story's words the sources lack are only its setting
    q = analyse("im on sertraline for postnatal depression and the baby has colic. could it be the sertraline?", words)
    assert not q.uncovered_topic, q


def test_a_name_in_capitals_before_a_question_pointing_back_is_its_subject(words) -> None:
    text = "nothing has worked and the hospital is now talking about ECT. how many sessions does it take?"
    assert "ECT" in analyse(text, words).unknown_names
    # ... not when the story names a medicine "it" can be, nor a short service name written in lower case
    assert not analyse("CAMHS started my son on sertraline. how long does it take?", words).unknown_names
    assert not analyse("the camhs team are lovely. how long does it take for ssris to work?", words).unknown_names


def test_everyday_words_of_a_question_about_an_article_are_not_its_topic(words) -> None:
    q = analyse("read a post on tellmipsychiatry about why meds stop working. what was their explanation?", words)
    assert not q.uncovered_topic and "explanation" not in q.uncovered, q


def test_places_family_plurals_and_feelings_are_neither_names_nor_topics(words) -> None:
    q = analyse("getting married in spain in june, can i have a few drinks at the wedding on celexa?", words)
    assert q.unknown_names == (), q.unknown_names
    q = analyse("went to my grandads funeral and couldnt cry at all. im on sertraline. is that the pills?", words)
    assert q.unknown_names == () and not any("grandad" in u for u in q.uncovered), q.uncovered
    q = analyse("my mates are taking molly. im on zoloft 50, is that a bad mix or am i being paranoid", words)
    assert not q.uncovered, q.uncovered
    # contractions without their apostrophe, and the words that ask whether something is true
    q = analyse("my nan swears theyve given me the wrong sertraline. is it the same medicine?", words)
    assert not any("theyve" in u for u in q.uncovered), q.uncovered
    q = analyse("he says ill need prozac for life because of low serotonin. is that actually proven?", words)
    assert q.topic != "proven" and not any("proven" in u for u in q.uncovered), q
    # chat shorthand ("esp") and body-weight units are not topics
    q = analyse("sweating buckets on zoloft esp at night, anything i can do?", words)
    assert not q.uncovered, q.uncovered
    assert not analyse("im useless at remembering my escitalopram. any tips", words).uncovered
    # people and appointments are not topics; a plural in "-ves" is its singular's word
    q = analyse("shouldnt my daughter see a specialist before starting fluoxetine? or at my next appointment", words)
    assert q.topic != "specialist" and not any("specialist" in u or "appointment" in u for u in q.uncovered), q
    pool = WordPool({"midwife", "half"})
    assert pool.known("midwives") and pool.known("halves") and not pool.known("wolves")
    q = analyse("due in 3 weeks on sertraline. do the labour ward need to know im taking it?", words)
    assert not q.uncovered and "birth team" in q.search_text, q
    for text in ("put on nearly a stone since starting seroxat", "lost 5 kilos on prozac is that normal"):
        q = analyse(text, words)
        assert not q.uncovered and "weight" in q.search_text, q
    assert "stones" in analyse("does sertraline cause kidney stones", words).uncovered  # not a weight here


def test_a_short_name_in_the_story_is_a_medicine_when_the_question_pairs_it_with_one_we_know(words) -> None:
    text = "doc gave me xanax for the panic attacks until the zoloft kicks in. is it ok to take both at once"
    assert analyse(text, words).unknown_names == ("xanax",)
    # not paired: a short unknown word before the question is a service or shorthand
    assert analyse("the camhs team put my son on prozac. is it ok for him", words).unknown_names == ()


def test_filler_words_inside_a_patient_phrase_do_not_hide_it() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert vocabulary.expand("i cant even cry at sad films").phrases == ("cant cry",)  # found as the vocabulary has it
    assert vocabulary.expand("i feel really really sick").phrases == ("feel sick",)
    assert vocabulary.expand("i cant sit still").phrases == ("cant sit still",)  # "still" here is the phrase's own
    assert "blunting" in vocabulary.expand("i cant even cry at sad films").terms
    assert vocabulary.expand("i have only just started").phrases == ("only just started",)  # a phrase's own word
    assert vocabulary.expand("my nan").subjects == ()  # who, not what
    # a hyphen joining words is a space: "too-much-serotonin" is the phrase "too much serotonin"
    assert vocabulary.expand("signs of that too-much-serotonin reaction").phrases == ("too much serotonin",)


def test_patient_phrases_for_relapse_no_response_blunting_and_severity() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "relapse" in vocabulary.expand("what if the low mood starts creeping back").terms
    assert "not responded" in vocabulary.expand("4 weeks and still nothing").terms
    assert "blunting" in vocabulary.expand("i dont get sad anymore but i dont get happy either").terms
    assert "blunting" in vocabulary.expand("cant be arsed with anything lately").terms
    assert vocabulary.expand("nana has had two tumbles in the garden").terms == "falls"
    assert vocabulary.expand("my mouth is like the sahara").terms == "dry mouth"
    assert "hospital" in vocabulary.expand("how often do people end up in icu after that").terms
    assert "without food" in vocabulary.expand("do i have to eat before my citalopram").terms
    assert "binding affinity" in vocabulary.expand("zoloft or prozac, which grips serotonin harder").terms
    severity = vocabulary.expand("how serious can it get")
    assert "severe" in severity.terms and severity.subjects == ()  # how bad, not what it is about


def test_the_sources_one_word_for_a_patient_phrase_is_named() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert vocabulary.expand("dad takes water pills").named == (("water pills", "diuretics"),)
    assert vocabulary.expand("my nan is on citalopram").named == ()  # a person, not a thing the sources name
    assert vocabulary.expand("when does it kick in").named == ()  # a meaning of several words names no one thing


def test_multi_part_questions_are_split(words) -> None:
    assert len(analyse("what is pssd and how common is it", words).parts) == 2
    # a numbered list without question marks: each item a part, the words before "1)" staying with it
    parts = analyse(
        "coming off prozac. 1) how long does it stay in your body 2) am i likely to get withdrawal 3) my psych "
        "mentioned an maoi next, how long do i wait",
        words,
    ).parts
    assert len(parts) == 3 and parts[0].startswith("coming off prozac") and parts[1].startswith("2)"), parts


def test_follow_up_keeps_the_drug_and_the_person() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "my dad is 70 and takes escitalopram, anything to watch for?"},
        {"role": "assistant", "content": "Older adults..."},
    ]
    out = rewrite("what dose is safe for him", history, lexicon, vocabulary)
    assert "escitalopram" in out and "older adult" in out
    history = [
        {"role": "user", "content": "how long does zoloft take to work?"},
        {"role": "assistant", "content": "One to two weeks."},
    ]
    out = rewrite("what about prozac?", history, lexicon, vocabulary)
    assert "prozac" in out.lower() and "take to work" in out
    assert rewrite("is it ok with ibuprofen", history, lexicon, vocabulary).count("sertraline") == 1
    # A new standalone question is left alone.
    assert rewrite(
        "Is fluoxetine safe in overdose for older people with heart disease?", history, lexicon, vocabulary
    ).startswith("Is fluoxetine")


def test_vocabulary_errors_name_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("entries:\n  - {say: [], means: x}\n")
    with pytest.raises(VocabularyError, match=r"vocabulary.yaml: entries\[0\] field 'say'"):
        read_entries(bad)
    bad.write_text("entries:\n  - {say: [zaps], population: martians}\n")
    with pytest.raises(VocabularyError, match="population"):
        read_entries(bad)
    bad.write_text("entries:\n  - {say: [zaps, wear off], means: x}\n  - {say: [Wear  off], means: y}\n")
    with pytest.raises(VocabularyError, match=r"entries\[1\] field 'say': 'Wear  off' is already in entries\[0\]"):
        read_entries(bad)
    assert Vocabulary([]).expand("anything").terms == ""


def test_a_phrase_is_found_in_the_inflections_patients_use() -> None:
    vocabulary = Vocabulary(
        [
            Entry(say=["room spinning"], means="dizziness"),
            Entry(say=["for migraines"], means="triptan"),
            Entry(say=["week on"], means="first week"),
            Entry(say=["stopping"], means="discontinuation"),
            Entry(say=["knock me out"], means="sleepiness"),
            Entry(say=["knocked me out"], means="sedation"),
        ]
    )
    found = vocabulary.expand("Every time I stand up the room spins for a sec")
    assert found.terms == "dizziness" and found.phrases == ("room spins",)
    assert vocabulary.expand("it knocked me out").terms == "sedation"  # as written, though two entries share its stems
    # A noun's plural or singular is another thing: not the first "week on", not a patient's own migraines.
    assert vocabulary.expand("5 weeks on sertraline").terms == ""
    assert vocabulary.expand("the best treatment for migraine").terms == ""
    # One-word phrases are matched only as written ("stop" is not the treatment's stopping).
    assert vocabulary.expand("ringing non stop").terms == ""
    # Words the stemmer joins that are not forms of one another say something else.
    other_kind = Vocabulary([Entry(say=["addicted to it"], means="dependence")])
    assert other_kind.expand("is it addictive to it").terms == ""
    assert other_kind.expand("am i addicting to it").terms == "dependence"


def test_whose_it_is_does_not_change_a_phrase() -> None:
    vocabulary = Vocabulary([Entry(say=["stay in your body"], means="half-life")])
    assert vocabulary.expand("how long does it stay in her body").terms == "half-life"
    assert vocabulary.expand("how long does it stay in his body").phrases == ("stay in his body",)


def test_a_second_question_after_and_is_a_part_of_its_own() -> None:
    assert split_parts("my mum on celexa how long does it stay in her body and whats the max dose") == (
        "my mum on celexa how long does it stay in her body",
        "whats the max dose",
    )
    assert split_parts("i feel sick and where i work it is hot") == ("i feel sick", "where i work it is hot")
    assert split_parts("my sister and her husband take it") == ("my sister and her husband take it",)
    # spoken filler after the joining word belongs to neither part
    assert split_parts("can i take zofran with my zoloft and also like how long does the sick feeling last") == (
        "can i take zofran with my zoloft",
        "how long does the sick feeling last",
    )


def test_a_stem_sequence_two_entries_share_finds_neither() -> None:
    vocabulary = Vocabulary([Entry(say=["kick in"], means="onset"), Entry(say=["kicking in"], means="other")])
    assert vocabulary.expand("when does it kicks in").terms == ""
    assert vocabulary.expand("when does it kick in").terms == "onset"


def test_a_question_made_only_of_words_the_sources_never_use_is_not_covered(words) -> None:
    q = analyse("can my dog take prozac", words)
    assert q.drugs == ("fluoxetine",)
    assert q.uncovered == ("dog",) and q.uncovered_topic


@pytest.mark.parametrize(
    "text", ["does prozac mess with my other meds", "is sertraline supposed to make me this sleepy"]
)
def test_everyday_wording_with_a_patient_phrase_is_not_a_missing_topic(words, text: str) -> None:
    q = analyse(text, words)
    assert not q.uncovered and q.uncovered_share == 0.0, text


def test_the_rarest_corpus_word_is_the_topic_but_not_a_verb_or_a_class(words) -> None:
    assert analyse("is sertraline ok with warfarin or an anticholinergic", words).topic == "anticholinergic"
    # "diagnosed" is rare in this corpus too, but it is what is asked about serotonin toxicity, not a subject.
    assert analyse("how is serotonin toxicity diagnosed", words).topic == ""
    assert analyse("what does the tellmipsychiatry blog say about receptors", words).topic == ""  # about the article


@pytest.mark.parametrize("text", ["does warfarin make bleeding riskier", "is sodium lowest in older adults"])
def test_comparatives_of_corpus_words_are_not_missing_topics(words, text: str) -> None:
    q = analyse(text, words)
    assert not q.uncovered, q.uncovered


@pytest.mark.parametrize(
    ("text", "uncovered"),
    [
        ("is sertraline safe if you have glaucoma", "glaucoma"),  # the asked condition is the only specific word
        ("will zoloft make my hair fall out", "hair"),  # an everyday word, but the only subject
        ("can i take melatonin with my sertraline to help me sleep", "melatonin"),
        ("does sertraline cost less than fluoxetine", "cost"),  # two drugs compared on something uncovered
        # "is that a side effect" frames the question; it does not say what it is about
        ("my ears have been ringing since i started sertraline, is that a side effect", "ringing"),
        # "that" / "it" in the question is the story before it: a topic the sources leave out, though it is not
        # named again in the asking clause
        (
            "my eyes are so dry since i went on sertraline that i can't wear my contact lenses anymore. "
            "is that a known side effect?",
            "contact lenses",
        ),
        ("found an old box of citalopram that expired last summer. is it still fine to take?", "expired"),
    ],
)
def test_a_question_whose_specific_words_are_all_missing_is_about_something_uncovered(
    words, text: str, uncovered: str
) -> None:
    q = analyse(text, words)
    assert q.uncovered_topic, (q.uncovered, q.key_terms)
    assert any(uncovered in u for u in q.uncovered)


@pytest.mark.parametrize(
    "text",
    [
        "does sertraline raise the bleeding risk with warfarin",  # every subject word is the sources'
        "does sertraline cause tinnitus or a dry mouth",  # one part is theirs: half covered, not uncovered
        "is sertraline ok with grapefruit and warfarin",  # two drugs: the question is their combination
        "i started sertraline last week and my hands are shaking. is that normal?",  # the story is the sources'
        # the story names what the sources cover (bleeding) beside what they do not (insurance)
        "a friend said sertraline causes bleeding and my insurance is void if i take it. is that true?",
    ],
)
def test_a_question_with_a_subject_the_sources_use_is_not_wholly_uncovered(words, text: str) -> None:
    assert not analyse(text, words).uncovered_topic, text


def test_an_unknown_name_taken_together_with_one_drug_is_not_half_covered(words) -> None:
    # "X and sertraline together" asks about the combination, which the sources cannot speak to ...
    together = analyse("is it ok to take xanax and sertraline together", words)
    assert together.unknown_names == ("xanax",) and together.uncovered_parts == ()
    # ... while two separate things about one drug can be half covered.
    assert analyse("does sertraline cause tinnitus or a dry mouth", words).uncovered_parts == ("tinnitus",)


def test_other_spellings_count_toward_how_rare_a_topic_is() -> None:
    texts = ["Hyponatraemia is low sodium."] * 4 + ["Hyponatremia is the US spelling."]
    pool = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    assert pool.chunks_using("hyponatremia") == 5
    assert analyse("what is hyponatremia", pool).topic == ""  # used in five chunks: not a rare topic


def test_a_part_of_a_question_carries_the_drug_the_person_and_what_it_points_back_to() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    older = frozenset({"older"})
    out = part_question("what's the most you can take", ("citalopram",), older, lexicon, vocabulary)
    assert "citalopram" in out and "older adult" in out
    # "it" after a part that names no drug is that part's subject ...
    out = part_question("how common is it", (), frozenset(), lexicon, vocabulary, earlier="what is pssd")
    assert "pssd" in out
    # "how long does it go on for": what happens, though the part before names the class
    earlier = "I'm coming off my SSRI soon. What does withdrawal usually feel like"
    out = part_question("how long does it normally go on for", (), frozenset(), lexicon, vocabulary, earlier)
    assert "withdrawal" in out
    out = part_question(
        "how long does it last in your body", ("fluoxetine",), frozenset(), lexicon, vocabulary, "is prozac safe"
    )
    assert "safe" not in out  # how long the medicine lasts: "it" is the medicine
    # ... and after one that names a drug, the drug: the rest of that part is not carried.
    out = part_question(
        "does it raise blood pressure", ("venlafaxine",), frozenset(), lexicon, vocabulary, "does effexor cause acne"
    )
    assert "venlafaxine" in out and "acne" not in out
    # "is it ok with tizanidine": "it" is the medicine the question named before, combined with the one named here
    out = part_question("and is it ok with tizanidine", ("fluvoxamine", "tizanidine"), frozenset(), lexicon, vocabulary)
    assert "fluvoxamine" in out, out
    # "how risky is it compared with ssris": the class is what "it" is compared with, not the part's subject
    out = part_question(
        "how risky is it in an overdose compared with ssris", ("venlafaxine",), frozenset(), lexicon, vocabulary
    )
    assert "venlafaxine" in out, out
    assert "venlafaxine" not in part_question(
        "are ssris risky in an overdose", ("venlafaxine",), frozenset(), lexicon, vocabulary
    )
    # "would going over that work any better": past the dose the part before asks about, not past the medicine
    out = part_question(
        "would going over that work any better",
        ("citalopram",),
        frozenset(),
        lexicon,
        vocabulary,
        earlier="whats the highest dose of celexa you can go to",
    )
    assert "highest dose" in out, out
    # ... and "like my SSRI did": the asker's own SSRI is what it is compared with
    out = part_question(
        "And would it wreck my sex life like my SSRI did", ("bupropion",), frozenset(), lexicon, vocabulary
    )
    assert "bupropion" in out, out
    # ... not "can it mess with your heart rhythm", where "with" takes no medicine
    out = part_question(
        "can escitalopram mess with your heart rhythm", ("escitalopram", "omeprazole"), frozenset(), lexicon, vocabulary
    )
    assert "omeprazole" not in out, out
    assert part_question("is zoloft ok in pregnancy", ("sertraline",), frozenset(), lexicon, vocabulary) == (
        "is zoloft ok in pregnancy"
    )
    # the condition the whole question names goes into a part asking what to try, not into one on something else
    whole = "my wife has ptsd. which ssris are approved for it, and is medication the first thing they try?"
    out = part_question("is medication the first thing they try", (), frozenset(), lexicon, vocabulary, whole=whole)
    assert "ptsd" in out
    whole = "does cymbalta help diabetic nerve pain, and will my insurance cover it"
    out = part_question("will my insurance cover it", ("duloxetine",), frozenset(), lexicon, vocabulary, whole=whole)
    assert "nerve pain" not in out
    # ... and into a part that asks about "the trial": the trial of that treatment for that condition
    whole = "does taking zoloft only before my period work for pmdd? how many people responded in the trial"
    out = part_question(
        "how many people responded in the trial", ("sertraline",), frozenset(), lexicon, vocabulary, whole=whole
    )
    assert "pmdd" in out and "sertraline" in out
    # "they" after a part naming no drug: the things that part asks about
    out = part_question(
        "should i carry on if they're bothering me",
        (),
        frozenset(),
        lexicon,
        vocabulary,
        "what are the usual side effects when you start an ssri",
    )
    assert "side effects" in out
    # a part naming no medicine, in a question that names only a class: about that class
    whole = "who was the black box warning on antidepressants about, and does my husband need watching when he starts"
    out = part_question(
        "does my husband need watching when he starts", (), frozenset(), lexicon, vocabulary, whole=whole
    )
    assert "antidepressants" in out
    # "does it even matter" judges what the part before told, not the medicine it named
    earlier = "i keep forgetting my sertraline like 2 or 3 times a week, any tips"
    out = part_question("does it even matter", ("sertraline",), frozenset(), lexicon, vocabulary, earlier)
    assert "forgetting" in out and "sertraline" in out
    out = part_question("does it raise blood pressure", ("sertraline",), frozenset(), lexicon, vocabulary, earlier)
    assert "forgetting" not in out
    earlier = "been on lexapro 10mg for 10 days and feel exactly the same. is it even working"
    out = part_question("is that normal", ("escitalopram",), frozenset(), lexicon, vocabulary, earlier)
    assert "same" in out and "escitalopram" in out
    # "it" that shows up, carries on or is caused by the medicine this part names: what the part before asked about
    earlier = "does the low sodium thing happen with all ssris or just some"
    out = part_question(
        "how soon after starting does it usually show up", (), frozenset(), lexicon, vocabulary, earlier
    )
    assert "sodium" in out
    earlier = "what kind of sexual side effects do ssris cause"
    out = part_question(
        "what's it called when they carry on after you stop", (), frozenset(), lexicon, vocabulary, earlier
    )
    assert "sexual" in out
    out = part_question(
        "can sertraline cause it", ("sertraline",), frozenset(), lexicon, vocabulary, "what is serotonin syndrome"
    )
    assert "serotonin syndrome" in out
    # ... but an "it" the medicine does stays the medicine
    earlier = "whats the half life of zoloft"
    out = part_question("what is it called in the UK", ("sertraline",), frozenset(), lexicon, vocabulary, earlier)
    assert "half" not in out


def test_a_follow_up_on_breastfeeding_leaves_the_pregnancy_behind() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "is prozac safe in pregnancy"},
        {"role": "assistant", "content": "A decision for the prescriber."},
    ]
    out = rewrite("and when breastfeeding?", history, lexicon, vocabulary)
    assert "fluoxetine" in out and "pregnancy" not in out


def _rewritten(earlier: str, said: str, question: str) -> str:
    """The follow-up `question` as rewritten after one user turn and the answer to it."""
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": said}]
    return rewrite(question, history, lexicon, vocabulary).lower()


@pytest.mark.parametrize(
    ("earlier", "question", "wanted", "unwanted"),
    [
        # a question naming no medicine is about the one under discussion, and the person stays
        ("my daughter is 15 and just started fluoxetine", "what side effects should we look out for", "teenager", ""),
        ("my daughter is 15 and just started fluoxetine", "what side effects should we look out for", "fluoxetine", ""),
        # "which one is least likely to" asks between medicines on the topic before
        ("does zoloft cause weight gain", "which one is least likely to", "weight gain", "sertraline"),
        # "what about X" puts a new thing in the other medicine's place; the patient's own medicine stays
        ("can you take ibuprofen with sertraline", "what about paracetamol", "sertraline", "ibuprofen"),
        # one medicine of the patient's kind in place of another: the topic stays, the old drug goes
        (
            "do you get withdrawal when you stop sertraline",
            "what about paxil then, is it worse",
            "withdrawal",
            "sertraline",
        ),
        # "for that" is the condition asked about before
        ("can fluvoxamine help with ocd", "how long till it starts working for that", "ocd", ""),
        # "which ones" asks among medicines, not about the one before
        (
            "my son is 14, can he take lexapro",
            "what about for his ocd, which ones are approved for kids",
            "kids",
            "escitalopram",
        ),
        # "it" is the medicine under discussion even beside a class word
        ("what's mirtazapine", "is it more dangerous in overdose than the ssris", "mirtazapine", ""),
        # "it together with X" combines the two, it does not put X in the old one's place
        ("whats mirtazapine", "can you take it together with effexor", "mirtazapine", "whats"),
        ("is mirtazapine good for sleep", "can you take it together with effexor", "mirtazapine", "sleep"),
        # "whats X" has no topic besides X to carry
        ("whats mirtazapine", "which one is best for sleep", "sleep", "whats"),
        # a choice among medicines keeps the other medicine she takes, which is why she is choosing
        (
            "my mum takes tamoxifen after breast cancer and her gp mentioned paroxetine",
            "which antidepressants would be better for her then",
            "tamoxifen",
            "paroxetine",
        ),
        # a condition named before is not carried into a question on something else
        ("my doctor put me on fluvoxamine for ocd", "is it ok to keep drinking coffee", "fluvoxamine", "ocd"),
        # "that" with no subject of its own is what was asked about before, beside the medicine
        ("can the sexual problems carry on even after you stop lexapro", "how common is that tho", "sexual", ""),
        ("who gets low sodium from ssris", "how would they even find out if my nan has it", "low sodium", ""),
        # "ok and what about X, is that shorter" puts X in the old one's place on the same topic
        (
            "how long does prozac hang around in your system",
            "ok and what about lexapro, is that a lot shorter?",
            "hang around",
            "fluoxetine",
        ),
        # "them" got from missing a dose are the withdrawal symptoms asked about before, not the tablets
        (
            "what are the withdrawal symptoms from effexor like",
            "can you get them just from missing a dose or two",
            "withdrawal",
            "",
        ),
        (
            "what are the withdrawal symptoms from effexor like",
            "can i take them with food",
            "venlafaxine",
            "withdrawal",
        ),
        # the condition stays when the follow-up asks what to try
        (
            "my son is 13 and the camhs team think he has moderate depression",
            "which one would they try him on first",
            "depression",
            "",
        ),
        # "the second one" is the second of two medicines named together
        (
            "are duloxetine and milnacipran ssris",
            "what is the second one actually approved for",
            "milnacipran",
            "duloxetine",
        ),
        # ... but a question with a subject of its own does not take the old one
        ("does paroxetine cause weight gain", "is that ok in pregnancy", "paroxetine", "weight"),
        # what "sorts itself out" is the problem asked about, not the medicine
        (
            "dad went all confused on citalopram, hospital says his sodium is low",
            "will it sort itself out?",
            "sodium",
            "",
        ),
        # "and for ocd?" asks the last question again, for OCD
        ("how long till setraline starts working", "and for ocd?", "starts working", ""),
        # a question of its own kind takes what was asked about, not how it was asked ("what is", "worst")
        (
            "what is serotonin syndrome",
            "how do doctors actually tell if someone has it?",
            "serotonin syndrome",
            "what is",
        ),
        ("which ssris are the worst for sex drive", "is there anything that helps with it", "sex drive", "worst"),
        # "it" in "what can i do about it" is the problem the conversation is about, not only the medicine ...
        ("since starting sertraline i cant orgasm", "what can i do about it?", "orgasm", ""),
        # ... and so is what "what should he do then" asks about
        ("my son cant sit still since starting prozac", "what should he do then", "cant sit still", ""),
        # ... and what "how long do i have to wait" waits for
        ("my doctor wants to switch me from fluoxetine to an MAOI", "how long do I have to wait?", "maoi", ""),
        # "how soon" asks when, not about time to effect: "that" is still the low sodium
        (
            "my gran got confused on sertraline, could it be low sodium",
            "how soon after starting does that happen?",
            "sodium",
            "",
        ),
        # "which one do they try first" chooses among medicines: the one named before is not carried
        (
            "can my 15 year old take sertraline for depression?",
            "which one do they usually try first then?",
            "teenager",
            "sertraline",
        ),
        # one age group in place of another: "kids" leaves the older adult behind
        ("what's the usual dose of escitalopram for my 80 year old mum", "and for kids?", "kids", "older adult"),
        # with no medicine named before, "it" is what the last question was about
        (
            "how long are you meant to stay on antidepressants once you feel better",
            "does staying on it actually make much difference? like in numbers",
            "stay on antidepressants",
            "",
        ),
        # "is that why ...": what was asked about before may be the reason for something new
        ("whats the half life of effexor xr", "is that why i feel so rough when i forget one?", "half life", ""),
        # ... but "should i stop it" stops the medicine
        ("since starting sertraline i cant orgasm", "should i stop it?", "sertraline", "orgasm"),
        # what creeps up is the weight asked about, not the medicine
        ("does remeron make you pile on the weight?", "what can i do so it doesnt creep up on me?", "weight", ""),
        # "would X help?": the remedy is the question's own, the problem it would help with the conversation's
        (
            "started sertraline last week and im lying awake till 3am every night",
            "would taking it at a different time of day help?",
            "lying awake",
            "",
        ),
        # ... and "would it help him to take it ...", though "help" comes first
        (
            "My husband started sertraline a fortnight ago and he's dozy all day at work.",
            "Would it help him to take it at a different time of day?",
            "dozy",
            "",
        ),
        # "so are the first weeks more risky": the talk goes on about what it was about, graded, not a new subject
        (
            "I just started citalopram and I drive a van for work.",
            "so are the first few weeks more risky?",
            "drive",
            "",
        ),
    ],
)
def test_follow_ups_resolve_what_they_point_back_to(earlier: str, question: str, wanted: str, unwanted: str) -> None:
    out = _rewritten(earlier, "...", question)
    assert wanted in out and not (unwanted and unwanted in out), out


def test_the_topic_carried_into_a_follow_up_is_carried_once() -> None:
    out = _rewritten(
        "I keep forgetting my sertraline and then I feel dizzy for a day or two.",
        "...",
        "would prozac be better for that?",
    )
    assert out.count("dizzy") == 1, out
    # "is that one hard to stop" asks something of its own about the medicine the answer named
    said = "Paroxetine has the strongest anticholinergic activity of the SSRIs."
    out = _rewritten("which ssri is the most anticholinergic?", said, "is that one hard to stop")
    assert "paroxetine" in out and "anticholinergic" not in out, out


def test_which_of_the_two_carries_both_medicines_of_the_conversation() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "how long does prozac last in the body"},
        {"role": "assistant", "content": "Fluoxetine has a very long half-life."},
        {"role": "user", "content": "and paxil?"},
        {"role": "assistant", "content": "The half-life of paroxetine is roughly 21 hours."},
    ]
    out = rewrite("so which of the two is easier to come off", history, lexicon, vocabulary)
    assert "paroxetine" in out and "fluoxetine" in out, out
    words = corpus_words(TEXTS, lexicon, vocabulary)
    assert analyse(out, words).qtype == "comparison"
    # "which one ... longest" picks between the two named, on the topic asked
    out = rewrite("which one stays in the body longest?", history, lexicon, vocabulary)
    assert "paroxetine" in out and "fluoxetine" in out and "last in the body" in out, out


def test_british_spellings_are_english_words() -> None:
    from qa.question import is_english

    assert is_english("realised") and is_english("colour") and is_english("oestrogen")
    assert not is_english("gabapentin")


@pytest.mark.parametrize(
    ("history", "question", "wanted"),
    [
        # a new medicine asked about beside the patient's other one (which has no note of its own)
        (
            ["i take tamoxifen and get hot flushes", "what about paroxetine for the flushes"],
            "so is brisdelle a bad idea for me",
            "tamoxifen",
        ),
        # "does that usually happen": the topic asked about before
        (["how common is low sodium on ssris"], "how soon after starting does that usually happen", "sodium"),
        # a condition named before stays for a question on treatment choice, or one that says "with it"
        (
            ["my husband has ptsd and his gp offered sertraline"],
            "should he try talking therapy before the tablets",
            "ptsd",
        ),
        (["what medicine does nice suggest for ptsd"], "and for teenagers with it?", "ptsd"),
        # the other medicine stays when the question names none ("a better option" than prozac, with tamoxifen)
        (
            ["my mum takes tamoxifen for breast cancer", "her gp mentioned putting her on prozac"],
            "so what would be a better option for her",
            "tamoxifen",
        ),
    ],
)
def test_follow_ups_keep_the_other_medicine_and_the_topic(history: list[str], question: str, wanted: str) -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    turns = [m for u in history for m in ({"role": "user", "content": u}, {"role": "assistant", "content": "..."})]
    out = rewrite(question, turns, lexicon, vocabulary)
    assert wanted in out.lower(), out


def test_a_second_question_starting_with_who_is_a_part_of_its_own(words) -> None:
    parts = analyse("what is this low sodium thing with ssris and who gets it most", words).parts
    assert parts == ("what is this low sodium thing with ssris", "who gets it most")


def test_a_duration_in_years_is_not_an_age() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert vocabulary.expand("ive been on them 8 yrs").populations == frozenset()
    assert vocabulary.expand("the dose is 10 mg").populations == frozenset()  # a dose, not an age
    assert vocabulary.expand("does the warning apply to my mum, shes 68").populations == {"older"}
    assert vocabulary.expand("my mum takes tamoxifen").populations == frozenset()  # a mum is not always old
    assert vocabulary.expand("my son is a 15 year old").populations == {"young"}
    assert vocabulary.expand("a 15yo on sertraline").populations == {"young"}


@pytest.mark.parametrize(
    ("text", "about_author"),
    [
        ("that blog guy who took lexapro on his travels, what dose did he start on", True),
        ("why did the blog author come off his lexapro", True),
        ("what did the desmolysium writer say about his friend with long covid", False),  # his friend's story
        ("does prozac make him sleepy", False),  # not about an article
        ("after how many weeks did the lexapro start working for the blog author", True),
        # "his" is the patient's husband, not the author
        ("my husband keeps putting off the gp about his low mood. does the tellmi post say to start early", False),
    ],
)
def test_a_question_on_what_the_author_did_himself_is_recognised(words, text: str, about_author: bool) -> None:
    assert analyse(text, words).about_author is about_author


def test_a_remark_after_the_question_is_context_but_a_name_in_it_still_counts(words) -> None:
    q = analyse("can i get sertraline in the uk? my american friend swears by it", words)
    assert not q.uncovered and not q.uncovered_topic, q.uncovered
    assert analyse("is sertraline ok for me? i also take gabapentin", words).unknown_names == ("gabapentin",)


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("my wife is on lamotrigine for her epilepsy. can she take sertraline as well", ("lamotrigine",)),
        ("my daughter is 14 and camhs want her on prozac. why that one?", ()),  # a service, not a medicine
        ("how well does ECT work compared to trying another tablet", ("ECT",)),  # capitals: a name, not 'ect'
    ],
)
def test_a_name_before_the_question_or_in_capitals_is_a_medicine_we_lack(words, text: str, unknown: tuple) -> None:
    assert analyse(text, words).unknown_names == unknown


def test_a_question_with_nothing_of_its_own_is_about_what_comes_before_it(words) -> None:
    q = analyse("my dog chewed up one of my sertraline tablets!! is he going to be ok", words)
    assert q.uncovered_topic, q.uncovered
    # the whole story is judged, not only its first words
    q = analyse(
        "since starting sertraline my periods have gone all over the place, late and irregular. is that the tablets",
        words,
    )
    assert "irregular" in " ".join(q.uncovered), q.uncovered


def test_a_subject_the_vocabulary_knows_is_a_covered_word_of_the_question(words) -> None:
    q = analyse(
        "my brother has taken a whole packet of his citalopram, he says hes fine and not to fuss. what do i do", words
    )
    assert q.uncovered_share <= 0.5, (q.uncovered, q.uncovered_share)
    # ... but "ok with" says only that two things are combined, not what the other one is
    q = analyse("is remeron ok with my thyroid tablets?", words)
    assert q.uncovered_share > 0.5, (q.uncovered, q.uncovered_share)


def test_a_remark_after_a_follow_ups_question_is_context_though_it_carries_brackets(words) -> None:
    text = "right, and its half life? someone on reddit said its really short which is why missing a dose feels awful (venlafaxine)?"
    q = analyse(text, words)
    assert "reddit" not in q.key_terms and q.topic != "reddit", (q.key_terms, q.topic)
    assert q.qtype != "truth"  # "really short" in the remark does not make it an is-it-true question
    assert q.asked_text.startswith("right, and its half life?") and q.asked_text.endswith("(venlafaxine)?"), (
        q.asked_text
    )


def test_a_vague_later_turn_leaves_the_earlier_topic_in_place() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "what is serotonin syndrome?"},
        {"role": "assistant", "content": "Serotonin syndrome is ..."},
        {"role": "user", "content": "how do doctors tell if you have it?"},
        {"role": "assistant", "content": "Doctors often use the Hunter criteria."},
    ]
    out = rewrite("what should I do if I think I have it?", history, lexicon, vocabulary).lower()
    assert "serotonin syndrome" in out, out


def test_a_later_turn_naming_its_own_topic_stays_the_topic() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "my gran is 84 and got confused after starting sertraline"},
        {"role": "assistant", "content": "..."},
        {"role": "user", "content": "could it be her sodium?"},
        {"role": "assistant", "content": "..."},
    ]
    out = rewrite("what can they do about it?", history, lexicon, vocabulary).lower()
    assert "sodium" in out, out


def test_being_seen_again_is_a_review(words) -> None:
    assert "review after starting" in analyse("how soon should he be seen again (fluoxetine)?", words).expansion


def test_missing_it_is_a_missed_dose(words) -> None:
    q = analyse("could missing it make me feel weird (escitalopram)?", words)
    assert "missed dose" in q.expansion and not q.uncovered, (q.expansion, q.uncovered)
    assert "missed dose" in analyse("i feel so rough when i forget one", words).expansion


def test_a_drug_only_a_follow_up_carries_is_marked_as_carried(words) -> None:
    assert analyse("what can i do about it (sertraline, since starting i cant orgasm)?", words).drugs_carried
    assert not analyse("can i take sertraline with ibuprofen (sertraline)?", words).drugs_carried
    assert not analyse("what can i do about it?", words).drugs_carried  # no drug at all


def test_a_medicine_named_the_way_patients_name_it_is_that_medicine(words) -> None:
    q = analyse("can i take cough syrup with my sertraline", words)
    assert q.drugs == ("dextromethorphan", "sertraline")
    assert analyse("can i take cough syrup with my sertraline", words).search_text.startswith(
        "can i take dextromethorphan with my sertraline"
    )


def test_a_checklist_doctors_use_is_the_criteria_the_sources_name(words) -> None:
    q = analyse("is there an official checklist doctors use to decide if someone has serotonin syndrome", words)
    assert not q.uncovered and "criteria" in q.search_text, (q.uncovered, q.search_text)


def test_feeling_nothing_yet_is_waiting_for_it_to_work_not_numbness(words) -> None:
    waiting = analyse("started lexapro 5 days ago and feel nothing. when do people notice it kicking in?", words)
    assert "time to effect" in waiting.expansion and "blunting" not in waiting.expansion, waiting.expansion
    numb = analyse("i feel nothing since starting lexapro, cant even cry", words)
    assert "blunting" in numb.expansion, numb.expansion


def test_the_bedroom_is_sexual_side_effects(words) -> None:
    assert "sexual dysfunction" in analyse("my prozac has wrecked things in the bedroom", words).expansion


def test_getting_better_is_remission_not_a_comparison(words) -> None:
    q = analyse("in that star*d study how many got better on the third try?", words)
    assert "remission" in q.expansion and "comparison" not in q.expansion, q.expansion


def test_coffee_is_caffeine_not_alcohol(words) -> None:
    assert "caffeine" in analyse("is it ok to keep drinking coffee on fluvoxamine", words).expansion
    assert "alcohol" not in analyse("is it ok to keep drinking coffee on fluvoxamine", words).expansion
    assert "caffeine" in analyse("one morning coffee keeps me buzzing all day on fluvoxamine", words).expansion
    # coffee only as what tastes off is not a question about caffeine
    assert "caffeine" not in analyse("everything tastes like pennies on citalopram, even coffee", words).expansion


def test_the_asked_words_start_at_the_question_after_a_description(words) -> None:
    text = "that blog by the med student who microdosed lexapro, what dose did he actually start on? my gp gave me 10mg"
    assert analyse(text, words).asked_text == "what dose did he actually start on?"
    # a second question joined by "and" is still asked: the clause is kept whole
    text = "in that microdosing blog how long before it kicked in for him, and what did it feel like when it did"
    asked = analyse(text, words).asked_text
    assert "how long before it kicked in" in asked and "what did it feel like" in asked, asked
    # "it" points at what the sentence before names; "how long was it before" points at nothing
    text = "im terrified i have pssd after stopping citalopram. what number did the desmolysium guy give for how common it is??"
    assert "pssd" in analyse(text, words).asked_text.lower()
    text = "Im 5 days into 5mg of escitalopram. How long was it before the microdosing blogger noticed a difference?"
    assert analyse(text, words).asked_text.startswith("How long was it"), analyse(text, words).asked_text


def test_a_question_leaning_on_its_context_is_not_about_its_own_everyday_words(words) -> None:
    q = analyse("my dad meets the hunter criteria since starting sertraline. could the tablets be to blame?", words)
    assert not q.uncovered_topic, q.uncovered


def test_who_someone_is_and_chat_shorthand_are_not_missing_topics(words) -> None:
    q = analyse("did the tellmipsychiatry blog say anything about sertraline? my rheumatologist mentioned it", words)
    assert not q.unknown_names and not q.uncovered
    assert not analyse("is sertraline ok long term, ive been on it 8 yrs", words).uncovered


def test_an_age_is_searched_for_as_the_sources_name_the_group(words) -> None:
    q = analyse("can my 16 year old son take paxil for his depression", words)
    assert "young" in q.populations
    assert "children and young people" in q.search_text and "children and young people" in q.aspect_text


def test_a_stated_age_decides_the_group_a_family_word_would_suggest(words) -> None:
    grown = analyse("my son is 22 and just started lexapro. does the suicide warning cover him?", words)
    assert grown.ages == (22,) and "young" not in grown.populations, grown.populations
    assert "children" not in grown.search_text, grown.search_text
    assert "young" in analyse("my son just started lexapro, does the suicide warning cover him?", words).populations
    assert analyse("my mum is 78 and on citalopram", words).ages == (78,)


@pytest.mark.parametrize(
    ("sentence", "age", "takes_in"),
    [
        ("In May 2007 the FDA extended the boxed warning to young adults aged 18 to 24.", 22, True),
        ("In May 2007 the FDA extended the boxed warning to young adults aged 18 to 24.", 34, False),
        ("No increase was found in adults older than 24.", 34, True),
        ("Fluoxetine is approved for depression from age 8.", 14, True),
        ("NICE advises against medicines for PTSD in under-18s.", 16, True),
        ("Children under 12 years old were not studied.", 8, True),
        ("Some people have taken it for over 10 years.", 40, False),  # a duration, not an age
        ("Withdrawal can start within 24 hours, or over 2 weeks.", 30, False),
    ],
)
def test_an_age_group_in_a_sentence_takes_in_the_stated_age(sentence: str, age: int, takes_in: bool) -> None:
    from qa.answer import _takes_in

    assert _takes_in(sentence, (age,)) is takes_in


def test_a_list_of_short_phrases_is_a_sentence_of_signs() -> None:
    from qa.answer import _WANTS

    signs = _WANTS["signs"]
    assert signs.search(
        "if a baby is not feeding as well as usual, seems unusually sleepy, or is irritable or has colic"
    )
    # commas around one long clause are not a list
    assert not signs.search(
        "The choice to start, continue or switch an SSRI while breastfeeding is a decision to make with the "
        "prescriber, weighing the baby's exposure against the risks of untreated depression."
    )


@pytest.mark.parametrize(
    ("earlier", "said", "question", "wanted", "unwanted"),
    [
        # the last answer named two medicines; "the second one" is its second
        (
            "which ssris are approved for ptsd in america",
            "In the US, sertraline (Zoloft) and paroxetine (Paxil) are the SSRIs approved for PTSD.",
            "the second one - isn't that the one people say is a nightmare to come off?",
            "paroxetine",
            "sertraline",
        ),
        # "the other one" is the one the user has not heard of, and "what's that for" asks about it
        (
            "which ssris are least likely to wreck your sex life",
            "Escitalopram and fluvoxamine had lower rates, but still higher than placebo.",
            "never heard of the other one. what's that normally prescribed for?",
            "fluvoxamine",
            "sex life",
        ),
        # "adding it to my sertraline" combines the two: "it" is the medicine asked about before
        (
            "is remeron an ssri",
            "Mirtazapine, sold as Remeron, is an antidepressant that is not an SSRI.",
            "does adding it to my sertraline actually help if im still low",
            "mirtazapine",
            "",
        ),
        # a question that names its own medicine, after one that named none: "it" is what was asked about
        (
            "midwife mentioned something called PPHN with antidepressants?",
            "Persistent pulmonary hypertension of the newborn (PPHN) is a rare breathing problem in newborn babies.",
            "how likely is it really if i stay on my sertraline right up to the birth?",
            "pphn",
            "",
        ),
        (
            "what's akathisia",
            "Akathisia is a distressing inner restlessness with an urge to keep moving.",
            "pretty sure thats what ive got since starting paroxetine last week. what am i supposed to do",
            "akathisia",
            "",
        ),
        # "the gap" is the one the last answer named
        (
            "dads psychiatrist wants to move him from prozac onto an maoi",
            "Switches to or from an MAOI need a drug-free gap.",
            "how long is the gap if its prozac hes coming off",
            "maoi",
            "",
        ),
    ],
)
def test_follow_ups_read_the_last_answer(earlier: str, said: str, question: str, wanted: str, unwanted: str) -> None:
    out = _rewritten(earlier, said, question)
    assert wanted in out and not (unwanted and unwanted in out), out


def test_a_follow_up_pointing_at_that_carries_what_the_last_answer_was_about() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "why does celexa have a dose cap"},
        {"role": "assistant", "content": "Citalopram prolongs the QT interval of the heart's electrical cycle."},
    ]
    answered = "Can citalopram affect my heart rhythm?"
    out = rewrite("what symptoms would mean that's happening to me?", history, lexicon, vocabulary, answered=answered)
    assert "heart rhythm" in out, out
    # a question with a subject of its own does not take it
    out = rewrite("what about lexapro?", history, lexicon, vocabulary, answered=answered)
    assert "heart rhythm" not in out, out


def test_the_kind_of_answer_is_asked_by_the_patients_own_words(words) -> None:
    carried = "(venlafaxine, whats the half life of xr, How long does venlafaxine stay in the body)?"
    assert analyse(f"is that why i feel so rough when i forget one {carried}", words).qtype == "reason"
    # a follow-up that asks nothing of its own kind asks the earlier question again
    assert analyse("and for kids (sertraline, how long does it take to work)?", words).qtype == "duration"


def test_a_term_in_capitals_is_the_topic_before_a_rarer_word() -> None:
    texts = [*TEXTS, "PPHN is a rare breathing problem.", "The evidence on PPHN was debated. Ask a midwife."]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    assert analyse("my midwife mentioned something called PPHN, how likely is it", words).topic == "pphn"


def test_inflected_forms_are_english_words() -> None:
    from qa.question import is_english

    assert is_english("terrified") and is_english("stopped") and is_english("binned")
    assert is_english("panicking") and is_english("panicked")
    assert not is_english("sertralined")


def test_it_in_a_part_after_a_part_on_the_class_is_the_class() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    earlier = "Does staying on my SSRI late in pregnancy cause breathing problems in the newborn"
    out = part_question(
        "And will being on it affect whether I can have an epidural", (), frozenset(), lexicon, vocabulary, earlier
    )
    assert "(SSRI)" in out and "breathing" not in out, out


def test_a_class_carried_from_another_part_is_not_a_subject_the_sources_cover(words) -> None:
    assert analyse("and will being on them affect whether i can have an epidural (SSRIs)?", words).uncovered_topic
    # the class the patient asks about himself is
    assert not analyse("how do ssris actually work, like in plain english", words).uncovered_topic


def test_an_adverb_is_not_what_a_question_is_about() -> None:
    texts = [*TEXTS, "Take the two medicines separately."]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    q = analyse("Separately, is a local anaesthetic at the dentist ok while I'm nursing", words)
    assert q.topic != "separately"
    assert q.uncovered_topic, q


def test_a_name_in_brackets_after_a_medicine_is_another_name_for_it() -> None:
    texts = [*TEXTS, "Fluvoxamine raises tasimelteon levels a great deal."]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    assert analyse("can he take tasimelteon (hetlioz) with his fluvoxamine", words).unknown_names == ()
    assert "hetlioz" in analyse("can he take hetlioz with his fluvoxamine", words).unknown_names
    # what a rewritten follow-up carries in brackets is no alias ("a normal ssri (tianeptine)")
    assert analyse("what is tianeptine", words).unknown_names == ("tianeptine",)


def test_the_most_one_can_have_asks_for_a_dose(words) -> None:
    assert analyse("whats the most she can have of the citalopram", words).qtype == "dose"


def test_on_both_brings_the_other_medicine_of_the_conversation() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "my mum takes omeprazole for reflux, does that do anything to citalopram"},
        {"role": "assistant", "content": "Citalopram is partly broken down by the enzyme CYP2C19."},
    ]
    out = rewrite("so whats the most she can have of the citalopram if shes on both?", history, lexicon, vocabulary)
    assert "omeprazole" in out, out


def test_a_yes_no_follow_up_is_not_the_kind_of_question_it_carries(words) -> None:
    carried = "does that apply to him, he's 71 (sertraline, why is there a black box warning on his leaflet)?"
    assert analyse(carried, words).qtype == "other"
    assert analyse("and for kids (sertraline, why is there a black box warning)?", words).qtype == "reason"


def test_the_words_matched_against_article_questions_are_the_asking_clause(words) -> None:
    q = analyse(
        "the writer says he stopped even though it made him happy?? what were his reasons for coming off", words
    )
    assert "reasons" in q.asked_text and "happy" not in q.asked_text
    q = analyse("what dose did the blog guy start on? my gp put me on 10mg", words)
    assert "start" in q.asked_text and "gp" not in q.asked_text


@pytest.mark.parametrize(
    ("text", "uncovered"),
    [
        ("can i still give blood if i take prozac?", True),  # the sources use "blood" only in other senses
        ("how much does generic escitalopram cost a month without insurance", True),
        ("my son is 17 and on fluoxetine, is it safe for him to have the covid vaccine", True),
        ("i'm a blood donor. can i take sertraline for anxiety?", False),  # said before the question: context
        ("is generic sertraline the same as zoloft", False),
    ],
)
def test_a_topic_the_sources_leave_out_is_uncovered_though_its_words_appear(words, text: str, uncovered: bool) -> None:
    q = analyse(text, words)
    assert q.uncovered_topic is uncovered, (q.uncovered, q.uncovered_parts)
    if uncovered:
        assert q.uncovered and not q.uncovered_parts  # the whole question is about it: declined, not half-answered


def test_a_part_on_a_topic_the_sources_leave_out_is_named_beside_a_covered_part(words) -> None:
    q = analyse("can paxil cause kidney stones or weight gain", words)
    assert q.uncovered_parts == ("kidney stones",) and not q.uncovered_topic


def test_really_carried_from_an_earlier_message_is_not_asking_whether_something_is_true(words) -> None:
    carried = "and if the prozac doesnt help him (my son is 15 and really depressed, what would they give him)?"
    assert analyse(carried, words).qtype != "truth"
    assert analyse("is it really true that prozac is the only one for kids", words).qtype == "truth"


def test_an_everyday_word_ending_in_ing_is_the_subject_unless_it_acts_on_what_follows(words) -> None:
    """'is swimming ok on prozac' is about swimming, which these sources never name; 'ruining my sleep' is
    about sleep."""
    swimming = analyse("is swimming ok on prozac", words)
    assert swimming.uncovered == ("swimming",) and swimming.uncovered_topic
    ruining = analyse("is prozac ruining my bleeding risk", words)
    assert not ruining.uncovered and not ruining.uncovered_topic


def test_a_short_remark_is_skipped_but_never_the_question_or_a_name(words) -> None:
    assert not analyse("Bit awkward this. I finish too quickly in bed. Is there a tablet for that?", words).uncovered
    # the asked sentence itself, however short, is judged
    assert analyse("I take sertraline. and can it cause tinnitus", words).uncovered
    # a short sentence naming something that is no English word may be a medicine
    assert analyse("Also on lamotrigine. Is sertraline ok to take at night?", words).unknown_names


def test_an_acronym_the_sources_spell_out_is_searched_for_in_their_words() -> None:
    """'what is pssd' asks what the sources call post-SSRI sexual dysfunction; other questions keep the
    acronym alone (the spelled-out form would pull in the sentences that introduce it)."""
    texts = [*TEXTS, "This is often called post-SSRI sexual dysfunction (PSSD). The noradrenaline transporter (NET)."]
    words = corpus_words(texts, load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml"))
    assert words.acronyms["pssd"].lower() == "post-ssri sexual dysfunction"
    assert "net" not in words.acronyms  # also an English word
    asked = analyse("what is pssd", words)
    assert "post-ssri sexual dysfunction" in asked.search_text.lower(), asked.search_text
    other = analyse("how common is pssd", words)
    assert "post-ssri" not in other.search_text.lower(), other.search_text


def test_spelled_out_keeps_acronyms_not_citations_or_words() -> None:
    from qa.acronyms import spelled_out

    glossary = spelled_out(
        [
            "Persistent pulmonary hypertension of the newborn (PPHN) is rare. Monoamine oxidase inhibitors (MAOIs) "
            "need a gap. The noradrenaline transporter (NET) is another. Fainting needs help (FDA, 2011)."
        ],
        is_english,
    )
    assert glossary["pphn"].lower().endswith("pulmonary hypertension of the newborn"), glossary
    assert glossary["maoi"] == "Monoamine oxidase inhibitors", glossary
    assert "net" not in glossary and not any("," in k for k in glossary), glossary


@pytest.mark.parametrize("feeling", ["terrified", "petrified", "frightened", "gutted", "embarrassed"])
def test_how_the_asker_feels_is_no_topic_outside_the_sources(words, feeling: str) -> None:
    """'my partner is terrified that ...': a feeling about the question, like "worried", not what it asks."""
    q = analyse(f"my partner is {feeling} that sertraline will make him sleepy", words)
    assert feeling not in " ".join(q.uncovered), q.uncovered


def test_a_set_phrase_joined_by_and_is_not_two_things_asked(words) -> None:
    # "now and then" says how often, not a second part: the question is about weed alone, which is not covered
    q = analyse("is it ok to smoke weed on sertraline, only now and then to relax", words)
    assert q.uncovered_parts == () and q.uncovered_topic, q
    assert analyse("does paxil cause tinnitus or a dry mouth", words).uncovered_parts == ("tinnitus",)


def test_a_follow_up_for_another_person_asks_the_last_question_again() -> None:
    out = _rewritten(
        "Im 30 and on citalopram, is there a max dose because of the heart rhythm thing?",
        "Yes: the FDA set its maximum dose at 40 mg a day.",
        "what about my dad, hes 68 and on the same one",
    )
    assert "citalopram" in out and "max dose" in out, out
    # a question of its own for that person is not the last one again
    out = _rewritten("is there a max dose of citalopram?", "40 mg.", "what about my dad, can he drink on it")
    assert "max dose" not in out, out


def test_a_part_doing_it_that_way_carries_the_way_the_part_before_asked_about() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    earlier = "can i take sertraline just the week or two before my period for pmdd rather than every day"
    out = part_question(
        "and does doing it that way actually work", ("sertraline",), frozenset(), lexicon, vocabulary, earlier
    )
    assert "period" in out and "pmdd" in out, out
    # "an ssri type pill for ...": the pill is the subject, the class only says what kind of pill
    earlier = "is there an ssri type pill for finishing too quick in bed"
    out = part_question("can you get it in america", (), frozenset(), lexicon, vocabulary, earlier)
    assert "finishing" in out, out


def test_a_body_s_position_is_not_a_definition(words) -> None:
    assert analyse("whats the FDA's position on ssris late in pregnancy", words).qtype != "definition"
    assert analyse("what is the nice advice on stopping", words).qtype != "definition"
    assert analyse("whats pphn", words).qtype == "definition"


def test_patient_phrases_for_placebo_fits_alternate_days_and_america() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "placebo" in vocabulary.expand("do they do anything more than a sugar pill").terms
    assert "seizures" in vocabulary.expand("how often do people have fits after too many").terms
    assert "alternate days" in vocabulary.expand("take it one day and skip the next").terms
    assert "US" in vocabulary.expand("can you get it in america").terms
    assert "half-life" in vocabulary.expand("which one stays in the body longer").terms


def test_patient_phrases_for_avoiding_years_on_it_overthinking_a_dose_rise_and_coffee() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "avoid" in vocabulary.expand("a list of drugs older folk should steer clear of").terms
    assert "long-term" in vocabulary.expand("he's been on paxil for donkey's years").terms
    assert "rumination" in vocabulary.expand("i overthink everything constantly").terms
    assert "dose raised" in vocabulary.expand("how soon can they bump up my lexapro").terms
    assert "caffeine" in vocabulary.expand("I basically live on flat whites").terms


def test_a_complaint_the_sources_lack_is_half_of_a_question_that_asks_of_something_they_cover(words) -> None:
    text = (
        "ive got crohns and i overthink everything constantly. does any of that make my depression more likely "
        "to come back after i come off cipralex?"
    )
    q = analyse(text, words)
    assert q.uncovered_parts == ("crohns",) and not q.uncovered_topic, q
    assert q.qtype == "risk"  # whether these make a relapse more likely: the risk factors
    # a question asking only whether the complaint is a thing is about the complaint
    assert analyse("i get hiccups for like an hour after every dose. is that a thing", words).uncovered_topic


def test_both_of_those_are_the_two_things_the_last_answer_named() -> None:
    out = _rewritten(
        "i'm on effexor 75mg",
        "Venlafaxine (Effexor) is an SNRI, which blocks the reuptake of serotonin and noradrenaline.",
        "at a low dose like mine is it actually doing both of those?",
    )
    assert "serotonin" in out and "noradrenaline" in out, out
    # two medicines the answer named are the two meant: nothing more is carried
    out = _rewritten(
        "which ssris are approved for ptsd",
        "Sertraline and paroxetine are approved for PTSD in the US.",
        "which of those two stays in your system longer",
    )
    assert "approved" not in out, out


def test_patient_phrases_for_a_premature_baby_leftover_symptoms_and_being_kept_up() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "preterm" in vocabulary.expand("is there anything different because hes premature").terms
    assert "preterm" in vocabulary.expand("expressing milk for him in the neonatal unit").terms
    assert "left over" in vocabulary.expand("is that a normal leftover thing").terms
    assert "insomnia" in vocabulary.expand("which is more likely to keep me up at night").terms
    # premature ejaculation stays its own topic
    assert "preterm" not in vocabulary.expand("is there a pill for premature ejaculation").terms


def test_pushing_through_it_is_about_the_problem_the_talk_is_about() -> None:
    out = _rewritten(
        "started prozac 10 days ago and I can't sit still, my legs need to keep moving",
        "That inner restlessness is called akathisia.",
        "should i just push through it then or what",
    )
    assert "sit still" in out, out


def test_another_medicine_with_less_of_the_problem_carries_the_problem_not_the_medicine() -> None:
    out = _rewritten(
        "been on lexapro 8 months. i just feel nothing about anything, didnt cry at the funeral",
        "That sounds like emotional blunting.",
        "is there any antidepressant where people get it less",
    )
    assert "feel nothing" in out and "escitalopram" not in out, out


def test_the_class_a_part_asks_it_to_belong_to_is_not_its_subject() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    out = part_question(
        "Oh and is it actually an SSRI or something else", ("vortioxetine",), frozenset(), lexicon, vocabulary
    )
    assert "vortioxetine" in out, out
    # a part asking about the class itself is about the class
    assert "vortioxetine" not in part_question(
        "and do ssris cause weight gain", ("vortioxetine",), frozenset(), lexicon, vocabulary
    )


def test_an_opening_and_or_so_is_not_searched(words) -> None:
    # "and how long ...": the word joins the message to the talk; embedded, it pulled in the articles' chat
    q = analyse("and how long before it kicks in, day 5 and i feel nothing (sertraline)", words)
    assert q.search_text.startswith("how long") and q.aspect_text.startswith("how long"), q.search_text
    assert analyse("oh ok, so is sertraline safe", words).search_text.startswith("is sertraline")
    # a word that only begins like one stays
    assert analyse("well-being on sertraline?", words).search_text.startswith("well-being")


def test_before_in_how_long_before_is_no_subject(words) -> None:
    assert "befor" not in analyse("how long before sertraline kicks in", words).key_terms
    assert "befor" in analyse("is it ok to stop sertraline before surgery", words).key_terms


def test_a_line_that_asks_ends_its_part() -> None:
    parts = split_parts(
        "What is the half life of citalopram\nalso i take omeprazole for my stomach, does that change anything"
    )
    assert parts == (
        "What is the half life of citalopram",
        "also i take omeprazole for my stomach, does that change anything",
    )
    # a line break inside a story is no part
    assert len(split_parts("my gp put me on citalopram\nis it ok to drink on it")) == 1


def test_a_contraction_after_and_starts_no_new_part() -> None:
    # "and can't settle" goes on the sentence; "and can she ..." asks again
    assert len(split_parts("she feels wired and can't settle, is that a known thing with it")) == 1
    assert len(split_parts("what dose is she on and can she drink on it")) == 2


def test_what_i_should_do_asks_for_a_remedy(words) -> None:
    assert analyse("I have the runs all the time on zoloft. What I should do?", words).qtype == "remedy"


def test_a_medicine_the_sources_name_only_beside_ssris_is_asked_about_with_the_ssri() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    out = part_question(
        "also i take omeprazole for my stomach, does that change anything",
        ("citalopram", "omeprazole"),
        frozenset(),
        lexicon,
        vocabulary,
        "What is the half life of citalopram",
    )
    assert "citalopram" in out, out
    # a part naming an antidepressant of its own keeps to it
    out = part_question(
        "and is sertraline any different",
        ("citalopram", "sertraline"),
        frozenset(),
        lexicon,
        vocabulary,
        "is citalopram ok",
    )
    assert "citalopram" not in out, out


def test_an_age_told_as_i_am_is_read() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    e = vocabulary.expand("I am 67 and my daughter says escitalopram works better")
    assert e.ages == (67,) and e.populations == frozenset({"older"}), e
    assert vocabulary.expand("I am 5 weeks pregnant").ages == ()


def test_patient_phrases_for_restarting_a_recall_and_checking_on_someone() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "restarted" in vocabulary.expand("missed 3 days, started again yesterday").terms
    assert "withdrawn" in vocabulary.expand("has a generic ever been pulled for not working").terms
    assert "review" in vocabulary.expand("should someone be checking on her this early").terms


def test_patient_phrases_for_lingering_and_getting_well() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "half-life" in vocabulary.expand("how long does seroxat hang about in your system").terms
    assert "remission" in vocabulary.expand("what are the chances the first one gets them well").terms


def test_a_joining_adverb_is_no_topic(words) -> None:
    q = analyse("Additionally, what symptoms would suggest his sodium has dropped on sertraline?", words)
    assert "Additionally" not in q.uncovered, q.uncovered


def test_a_comparative_with_than_compares_two_medicines(words) -> None:
    q = analyse(
        "My mate says paxil grabs the serotonin thing tighter than zoloft. Which one actually binds tighter?", words
    )
    assert q.qtype == "comparison", q.qtype
    assert analyse("can you take sertraline with fluoxetine if you are older than 65", words).qtype != "comparison"


def test_they_with_one_medicine_talked_about_are_what_was_asked_about() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "the pharmacy switched my sertraline to a different maker, is it the same stuff??"},
        {"role": "assistant", "content": "Yes, generic sertraline has the same active ingredient."},
    ]
    out = rewrite("how different are they allowed to be", history, lexicon, vocabulary)
    assert "different maker" in out, out


def test_is_that_right_judges_the_claim_told_before_it() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    story = "my psychiatrist put me on faverin for depression but an american website says its only for OCD"
    out = part_question("is that right.", ("fluvoxamine",), frozenset(), lexicon, vocabulary, story)
    assert "ocd" in out.lower() and "depression" in out, out


def test_and_if_starts_a_part() -> None:
    parts = split_parts(
        "what was the real remission rate in star*d, and if my first med doesn't work does that mean the others wont"
    )
    assert len(parts) == 2 and parts[1].startswith("if my first med"), parts


def test_the_most_allowed_per_day_asks_for_a_dose_and_anyway_is_no_topic(words) -> None:
    q = analyse("what's the most I'm allowed per day anyway on citalopram", words)
    assert q.qtype == "dose" and "anyway" not in q.uncovered, (q.qtype, q.uncovered)


def test_patient_phrases_for_settling_and_taking_drops_on_the_tongue() -> None:
    vocabulary = load_vocabulary(CORPUS / "vocabulary.yaml")
    assert "resolves" in vocabulary.expand("how long till it settles now im back on it").terms
    assert "water" in vocabulary.expand("do you just put them on his tongue").terms


def test_is_the_beginning_more_risky_asks_about_the_last_topic() -> None:
    lexicon, vocabulary = load_lexicon(CORPUS / "drugs.yaml"), load_vocabulary(CORPUS / "vocabulary.yaml")
    history = [
        {"role": "user", "content": "can I drive on sertraline?"},
        {
            "role": "assistant",
            "content": "Most people can drive normally on sertraline once they know how it affects them.",
        },
    ]
    out = rewrite("my dad only started his last week, is the beginning more risky", history, lexicon, vocabulary)
    assert "drive" in out, out
