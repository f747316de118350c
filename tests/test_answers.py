"""Answers on the real corpus with the real model (issue 12): the answer must be about what was asked,
and a question outside the sources is declined by name instead of quoting something unrelated."""

import re

import pytest

from qa import DISCLAIMER
from qa.question import analyse

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (
            "How much insulin should a type 1 diabetic inject?",
            "insulin",
        ),  # the corpus uses "insulin" only in an analogy
        ("what is the best treatment for migraine", "migraine"),  # ... and "migraine" only beside triptans
        ("can my cat take zoloft", "cat"),  # a question made only of words the sources never use
        ("is sertraline safe if you have glaucoma", "glaucoma"),  # a condition the sources never name
        ("is it ok to take xanax and lexapro together", "xanax"),  # a combination with a drug they never name
        ("can i still give blood if i take prozac?", "give blood"),  # a topic named in words used in another sense
    ],
)
def test_a_topic_the_sources_only_mention_in_passing_is_declined_by_name(model_bot, question: str, named: str) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "no_answer", answer.text
    assert named in answer.text and answer.citations == []
    assert answer.disclaimer == DISCLAIMER


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("can I take a triptan for migraine with sertraline?", "triptan"),
        ("does prozac mess with my other meds", "fluoxetine"),
    ],
)
def test_a_rare_topic_the_sources_do_cover_is_answered_from_the_passage_that_uses_it(
    model_bot, question: str, quoted: str
) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert any(quoted in c.quote.lower() or quoted in c.section.lower() for c in answer.citations), answer.text


def test_a_ranking_question_is_answered_with_the_drug_that_ranks(model_bot) -> None:
    answer = model_bot.ask("which ssri has the worst withdrawal")
    assert answer.kind == "answer"
    assert "highest with paroxetine" in answer.text, answer.text  # not only what withdrawal is


def test_the_notes_own_questions_are_answered(model_bot) -> None:
    """Every reference section is headed by the question it answers; asked as they stand, at least 95%
    must get an answer (the rest lean on their note for context: "What should I watch for in my baby?")."""
    headings = sorted(
        {c.section for c in model_bot.index.chunks if c.source_kind == "reference" and c.section.endswith("?")}
    )
    assert len(headings) > 150
    unanswered = [h for h in headings if model_bot.ask(h).kind != "answer"]
    assert len(unanswered) <= 0.05 * len(headings), unanswered


def test_each_part_of_a_multi_part_question_is_answered_from_its_own_search(model_bot) -> None:
    answer = model_bot.ask("what is akathisia and what should i do if i get it")
    assert answer.kind == "answer", answer.text
    assert "restlessness" in answer.text  # what it is ...
    assert "Tell the prescriber" in answer.text  # ... and what to do, each quoted once
    assert len(answer.text) < 900


def test_a_part_ending_in_a_question_mark_is_asked_however_it_is_worded(model_bot) -> None:
    # "and in older people were ssris worse for it" opens with no asking word, but its "?" makes it a part
    question = "my mums nurse mentioned hyponatremia with her citalopram - what actually is it? and in older people were ssris worse for it than other antidepressants?"
    served = model_bot._served
    parts = model_bot._parts(served, analyse(question, served.corpus_words))
    assert len(parts) == 2 and "hyponatremia" in parts[1].text
    # "any actual numbers" asks for the figures of the part before, not a question of its own
    question = "how low is the risk with sumatriptan and sertraline? any actual numbers"
    assert model_bot._parts(served, analyse(question, served.corpus_words)) == []
    # "??" is disbelief at what was told, not a question of its own
    question = "a mate said venlafaxine can show up as speed on the test?? will it make me fail"
    assert model_bot._parts(served, analyse(question, served.corpus_words)) == []


def test_a_part_asked_under_a_condition_is_a_part_and_what_the_sources_lack_is_named(model_bot) -> None:
    # "if i stop how long till its out of me" asks, with no question word at its start: the question is
    # half covered (IVF), not declined whole
    answer = model_bot.ask(
        "been on trintellix 3 months. if i stop how long till its out of me, and would it affect IVF?"
    )
    assert answer.kind == "answer", answer.text
    assert "don't cover ivf" in answer.text.lower() and "66 hours" in answer.text


def test_a_question_pointing_at_the_story_with_them_asks_about_the_story(model_bot) -> None:
    # "is safe to have them": the jabs the story names, which the sources do not cover, not fluoxetine
    answer = model_bot.ask("I have flu jab and covid booster next week. Is safe to have them while I take fluoxetine?")
    assert answer.kind == "no_answer", answer.text
    assert "flu jab" in answer.text


def test_what_a_brand_is_and_whether_it_is_the_same_as_another_brand_quotes_that_brand(model_bot) -> None:
    answer = model_bot.ask("What's Zyban, is it the same stuff as Wellbutrin? And would it affect my sex life?")
    assert answer.kind == "answer", answer.text
    assert "stopping smoking" in answer.text  # the sentence on Zyban, not only the one on Wellbutrin


def test_a_part_whose_it_is_what_happens_is_answered_about_that(model_bot) -> None:
    answer = model_bot.ask(
        "what kind of sexual side effects do ssris cause, and what's it called when they carry on after you stop?"
    )
    assert answer.kind == "answer", answer.text
    assert "lower desire" in answer.text and "post-SSRI sexual dysfunction" in answer.text


def test_a_reference_section_split_in_two_chunks_is_read_whole(model_bot) -> None:
    # "Which SSRIs reach the baby the least?" is two chunks; the one found holds only the LactMed advice,
    # the figure asked for is in the other
    answer = model_bot.ask("how much of my zoloft ends up in my baby if i breastfeed")
    assert answer.kind == "answer", answer.text
    assert "0.5%" in answer.text


def test_a_patient_phrase_for_a_rare_source_word_makes_that_word_the_topic(model_bot) -> None:
    # "water pills" is the sources' "diuretics", named in one note: the answer must come from it, not from the
    # citalopram profile the drug's name pulls in
    answer = model_bot.ask(
        "my 80 year old father is on water pills and the gp wants him on citalopram. any extra risks?"
    )
    assert answer.kind == "answer", answer.text
    assert "diuretics" in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a word describing a complaint the sources name is not a complaint of its own
        ("3 days on lexapro and ive got a pounding headache. anything i can do for it?", "painkiller"),
        # a choice between things the story names has no subject of its own
        (
            "new mum here, the health visitor thinks i need an antidepressant but i dont want to stop "
            "breastfeeding. do i have to pick one or the other?",
            "mutually exclusive",
        ),
        # "realised" says what the patient noticed, not what they ask about; "never took yesterdays" is a missed dose
        ("just realised i never took yesterdays sertraline, do i take it now or what", "missed dose"),
        ("can i take another priligy later the same night once the first has worn off", "24 hours"),
        ("my work drug test came back positive as speed but i only take effexor, how do i prove it", "confirmatory"),
        # "connected??" asks whether two things are linked; "2 coffees" is caffeine
        ("got switched to faverin last month and now 2 coffees keep me wired till 3am?? connected??", "56 hours"),
        # "flip people into a high" is mania
        ("brother has bipolar 2. how often do antidepressants flip people like him into a high?", "12.5%"),
    ],
)
def test_everyday_words_around_a_covered_question_do_not_decline_it(model_bot, question: str, expected: str) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert expected in answer.text


def test_a_sentence_giving_only_a_medicines_names_does_not_answer_a_question_about_it(model_bot) -> None:
    answer = model_bot.ask("on paxil and constipated for weeks, could that be the paxil")
    assert answer.kind == "answer", answer.text
    assert "constipation" in answer.text
    assert "sold as Paxil" not in answer.text  # close to any question naming paxil, and says nothing asked
    # ... while a question on its names is answered by it
    assert "Seroxat" in model_bot.ask("is seroxat the same as paxil").text


def test_an_opioid_the_interaction_note_names_is_a_known_medicine(model_bot) -> None:
    answer = model_bot.ask("was given oxycodone after a fall and im on lexapro, is it ok to take them together?")
    assert answer.kind == "answer", answer.text
    assert "serotonin toxicity" in answer.text


def test_a_part_that_finds_nothing_alone_is_read_with_the_part_before(model_bot) -> None:
    question = (
        "In STAR*D, what share of people went into remission on the very first treatment? "
        "And why do people argue about the overall figure?"
    )
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert "don't cover" not in answer.text  # "the overall figure" is STAR*D's, which the part before names
    assert "dispute that reanalysis" in answer.text


def test_which_one_is_answered_by_a_sentence_that_names_one(model_bot) -> None:
    # "Odds ratios above 1 mean ..." is closest to the words, but names no antidepressant
    answer = model_bot.ask("in the big lancet antidepressant comparison which drug did best compared with placebo")
    assert answer.kind == "answer", answer.text
    assert "2.13 for amitriptyline" in answer.text


def test_how_much_to_cut_each_time_is_answered_by_how_to_taper(model_bot) -> None:
    answer = model_bot.ask("tapering off sertraline, how much should i cut each time")
    assert answer.kind == "answer", answer.text
    assert answer.text.startswith("NICE NG222 advises tapering step by step")  # not how sertraline is taken


def test_a_comparison_gives_each_side_its_own_sentence_not_only_a_list_naming_both(model_bot) -> None:
    answer = model_bot.ask("is celexa or prozac worse for your sex life")
    assert answer.kind == "answer", answer.text
    assert "with citalopram are among the most frequent" in answer.text
    assert "with fluoxetine were among the more frequent" in answer.text


def test_a_definition_part_is_answered_with_its_definition_beside_the_figures(model_bot) -> None:
    # Searched as one question, the figures of the second part crowd out what PPHN is.
    answer = model_bot.ask("what is pphn and how likely is it if you take zoloft late in pregnancy")
    assert answer.kind == "answer", answer.text
    assert "rare breathing problem" in answer.text
    assert "per 10,000" in answer.text or "extra cases" in answer.text


def test_a_part_the_sources_do_not_cover_is_named_and_the_other_part_answered(model_bot) -> None:
    answer = model_bot.ask("does effexor make psoriasis worse and does it put your blood pressure up")
    assert answer.kind == "answer", answer.text
    first, rest = answer.text.split("\n\n", 1)
    assert "don't cover psoriasis" in first
    assert "Venlafaxine can raise blood pressure" in rest


def test_a_class_level_answer_adds_what_the_same_note_says_of_the_drug_asked_about(model_bot) -> None:
    answer = _ask_after(
        model_bot,
        "is prozac safe in pregnancy",
        "That is a decision to make with the prescriber.",
        "and when breastfeeding?",
    )
    assert answer.kind == "answer", answer.text
    assert "Fluoxetine produced the largest share" in answer.text
    assert "pregnan" not in answer.standalone_question


def test_two_medicines_are_answered_with_the_sentence_on_both_of_their_classes(model_bot) -> None:
    # apixaban is named in the sources only as an anticoagulant; citalopram is an SSRI.
    answer = model_bot.ask("my nan is on apixaban and her gp wants to start her on citalopram, is that risky")
    assert answer.kind == "answer", answer.text
    assert (
        "SSRI labels warn about combining SSRIs with aspirin, NSAIDs, warfarin and other anticoagulants" in answer.text
    )


def test_a_sentence_that_points_back_brings_what_it_points_to(model_bot) -> None:
    # "... with any of these medicines" leans on "SSRI labels also warn ...", which leans on the bleeding sentence.
    answer = _ask_after(
        model_bot,
        "my mum is 75, had a stent put in and takes clopidogrel",
        "Clopidogrel is an antiplatelet medicine that helps stop blood clots.",
        "her gp wants to add citalopram, is that ok with it",
    )
    assert answer.kind == "answer", answer.text
    assert "SSRIs raise the odds of bleeding" in answer.text
    assert answer.text.index("SSRIs raise the odds") < answer.text.index("any of these medicines")


def test_a_sentence_saying_beyond_that_brings_what_that_is(model_bot) -> None:
    # "Raising the dose beyond that adds little extra occupancy": "that" is the 80% the sentence before gives
    answer = model_bot.ask(
        "My flatmate is convinced that if he doubles his citalopram it'll block twice as much. Does a bigger dose "
        "actually do much more?"
    )
    assert answer.kind == "answer", answer.text
    assert "Raising the dose beyond that" in answer.text
    assert answer.text.index("about 80%") < answer.text.index("Raising the dose beyond that"), answer.text


def test_that_review_and_in_other_words_bring_the_review_they_speak_of(model_bot) -> None:
    # "Other researchers disputed parts of that review" ← "In other words, ..." ← the Moncrieff review itself
    answer = model_bot.ask("who argued with the 2022 serotonin review")
    assert answer.kind == "answer", answer.text
    assert "Jauhar" in answer.text and "Moncrieff" in answer.text, answer.text
    assert answer.text.index("Moncrieff") < answer.text.index("Jauhar")


def test_a_lone_answer_sentence_brings_the_next_one_in_its_paragraph(model_bot) -> None:
    # "... should be taken with food." alone does not say why it matters; the next sentence does
    answer = model_bot.ask("does viibryd have to be taken with food")
    assert answer.kind == "answer", answer.text
    assert "with food" in answer.text and "halve" in answer.text, answer.text
    assert answer.text.index("with food") < answer.text.index("halve")


def test_a_when_question_gets_the_year_its_lead_sentence_lacks(model_bot) -> None:
    # led by "All antidepressants carry a US boxed warning because ...", which says what but not since when
    answer = model_bot.ask("when was the suicidality warning first put on antidepressants for children")
    assert answer.kind == "answer", answer.text
    assert "October 2004" in answer.text, answer.text


def test_a_why_question_gets_the_cause_said_just_after_what_happens(model_bot) -> None:
    # "SSRIs can lower the sodium level ..." is closest to the question; the next sentence says how
    answer = model_bot.ask("how come an antidepressant can make your sodium level fall")
    assert answer.kind == "answer", answer.text
    assert "SIADH" in answer.text, answer.text
    # a "because" that gives the reason for advice, not a cause, is not added to a why answer
    yawning = model_bot.ask("why do SSRIs make some people yawn so much")
    assert "serotonin syndrome" not in yawning.text, yawning.text


def test_the_sentence_whose_age_group_takes_in_the_stated_age_is_quoted(model_bot) -> None:
    # "aged 18 to 24" and "older than 24" speak to a stated age; the warning's general sentences do not
    answer = model_bot.ask(
        "my son is 22 and just started lexapro. does the suicide warning on the box cover someone his age?"
    )
    assert "aged 18 to 24" in answer.text, answer.text
    older = model_bot.ask("im 34 and on celexa. does the suicidal thoughts warning even apply at my age?")
    assert "older than 24" in older.text, older.text


def test_the_next_sentence_that_names_the_other_drug_comes_along(model_bot) -> None:
    answer = model_bot.ask("im on lexapro and just got prescribed linezolid for an infection, is that a problem??")
    assert "must not be combined with monoamine oxidase inhibitors" in answer.text
    assert "This includes the antibiotic linezolid" in answer.text


def test_under_a_class_level_lead_the_drug_asked_about_is_added_from_the_same_note(model_bot) -> None:
    answer = model_bot.ask("and when breastfeeding (fluoxetine)?")
    assert answer.kind == "answer", answer.text
    assert "breastfeeding" in answer.text.split("\n\n")[0]
    assert "Fluoxetine produced the largest share" in answer.text


def test_a_follow_up_on_how_long_a_drug_stays_finds_that_drugs_half_life(model_bot) -> None:
    answer = _ask_after(
        model_bot,
        "is seroxat the one with the bad withdrawal",
        "Paroxetine has the highest risk of discontinuation symptoms among the SSRIs.",
        "so how long before it clears out of you",
    )
    assert answer.kind == "answer", answer.text
    assert "The half-life of paroxetine is roughly 21 hours" in answer.text.split("\n\n")[0]


def test_a_notes_declared_topic_counts_as_a_word_of_the_sources(model_bot) -> None:
    # "EMA" is among the note's topics; its text spells out "European Medicines Agency".
    answer = model_bot.ask("What did the EMA require in 2019 about sexual side effects?")
    assert answer.kind == "answer", answer.text
    assert "European Medicines Agency" in answer.text


def test_an_article_question_gets_the_sentences_around_the_authors_point(model_bot) -> None:
    # The point is made over two sentences: "Milnacipran is the most noradrenergic ... its half-life is
    # quite short (8h) and therefore it needs to be taken twice daily."
    answer = model_bot.ask("according to desmolysium how often do you take milnacipran")
    assert answer.kind == "answer", answer.text
    assert "twice daily" in answer.text


def test_what_is_a_brand_is_answered_with_the_sentence_on_that_product(model_bot) -> None:
    answer = model_bot.ask("what is brisdelle")
    assert answer.kind == "answer", answer.text
    assert "sold in the US as Brisdelle" in answer.text  # the drug's profile alone does not say what Brisdelle is


def _ask_after(bot, user: str, assistant: str, question: str):  # noqa: ANN001, ANN202
    """A follow-up asked after one exchange."""
    return bot.ask(question, history=[{"role": "user", "content": user}, {"role": "assistant", "content": assistant}])


def test_a_follow_up_is_not_answered_with_the_sentence_just_given(model_bot) -> None:
    said = (
        "Fluoxetine is the first-choice antidepressant for children and young people with moderate to severe "
        "depression, according to NICE guideline NG134. [1]"
    )
    answer = _ask_after(
        model_bot,
        "my daughter is 16 and has depression, the gp says its moderate to severe",
        said,
        "what if that doesnt work for her, what do they try next",
    )
    assert answer.kind == "answer"
    assert not answer.text.startswith(said.split(",")[0]), answer.text


@pytest.mark.parametrize(
    ("question", "missing", "answered"),
    [
        # the asking follows a few words of context ("my son is on prozac - can he ...")
        (
            "my son is on prozac - can he take his ritalin with it, and how long does prozac stay in the body anyway",
            "ritalin",
            "days",
        ),
        # breastfeeding is the second part's subject, not carried into the first
        (
            "will sertraline stop my contraceptive pill working? and is it alright to breastfeed on it",
            "contraceptive",
            "breastfeeding",
        ),
        # "better than" in one part does not make the whole question one comparison
        (
            "what actually counts as treatment resistant depression? and would TMS be better than trying a 3rd tablet",
            "TMS",
            "at least two",
        ),
        # a numbered list of two questions
        (
            "two quick ones about remeron: 1) is it actually an ssri? 2) is it ok with my thyroid tablets?",
            "thyroid",
            "not an SSRI",
        ),
        # "I'm also wondering whether ..." asks a second question, and the full stop before the part's
        # carried medicine does not hide its own words
        (
            "Is heavy sweating a recognised thing on paroxetine? I'm also wondering whether botox in my armpits "
            "would be safe alongside it.",
            "botox",
            "sweating",
        ),
        # a part asks with its verb before its subject, after a few words of its own ("... am i ok to drive",
        # "random q but is it true ...")
        (
            "is it ok to smoke weed on prozac? and if i have a couple of drinks with it am i ok to drive home after",
            "weed",
            "drive",
        ),
        (
            "flying to dubai next month with my zoloft, will customs there let me bring it in? also random q but "
            "is it true zoloft works on dopamine too",
            "dubai",
            "dopamine transporter",
        ),
        # a part with a subject of its own, naming no medicine, is not about what the part before lacked
        (
            "is ketamine better than ssris for treatment resistant depression? and what does treatment resistant "
            "even mean",
            "ketamine",
            "at least two",
        ),
    ],
)
def test_each_part_is_answered_or_named_as_not_covered(model_bot, question: str, missing: str, answered: str) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    lead, _, rest = answer.text.partition("\n\n")
    assert "don't cover" in lead and missing in lead, answer.text
    assert answered in rest, answer.text


def test_a_question_on_another_medicine_with_an_ssri_is_answered_about_that_medicine(model_bot) -> None:
    """The sentence on the SSRI alone ("most people can drive normally on an SSRI") does not answer
    "can i take tramadol while on sertraline"; one about tramadol, or opioids, does."""
    answer = model_bot.ask("can i take tramadol for my back while im on sertraline?")
    assert answer.kind == "answer", answer.text
    lead = answer.text.split("\n\n")[0].lower()
    assert "tramadol" in lead or "opioid" in lead, answer.text


def test_a_medicine_named_the_way_patients_name_it_is_answered_from_what_the_sources_say_of_it(model_bot) -> None:
    """ "cough syrup" is the cough medicine the sources name (dextromethorphan), listed among the medicines that
    raise serotonin; the sentence on sertraline's other interactions alone does not answer."""
    answer = model_bot.ask("can i take cough syrup with my sertraline")
    assert answer.kind == "answer", answer.text
    assert "dextromethorphan" in answer.text.split("**Sources**")[0], answer.text


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # words that describe the author do not decline a question about his article
        ("how long did the med student blogger stay on escitalopram in the end", "roughly a year"),
        # what the author did himself comes from his own first-person story, not the article's source list
        ("what side effects did the blog writer get in the first couple days on it", "feeling hot"),
        # 'FINISH' is an everyday English word, but written in capitals it names the sources' mnemonic
        ("what does the FINISH thing stand for with antidepressant withdrawal", "flu-like"),
        # ... and every sentence of the passage that writes it so counts, not only those that repeat the name:
        # step 1's rate is in a sentence that does not say "STAR*D" again
        ("In the STAR D trial what share of people went into remission on their first medicine?", "36.8%"),
        # "(Prozac label)" says where a class-wide finding comes from; the sentence is not about fluoxetine
        ("my gran is 70 and on sertraline. does the suicide warning apply to someone her age?", "reduced risk"),
        # the author's story is found through the questions its passages answer (corpus/questions.yaml),
        # though the sentence shares almost no words with the question
        ("how many reasons did the desmolysium writer give for coming off", "four reasons"),
        ("how long until the lexapro kicked in for the desmolysium blogger", "2-3 weeks"),
        ("where was the blogger when he started escitalopram", "Pokhara"),
        ("how did escitalopram change the way the blog author made decisions", "robot-like"),
        # the article a question names is searched first, whole ("his" is her husband, not the author)
        (
            "my husband keeps putting off the gp about his low mood. does the tellmi post say to start early?",
            "Early use",
        ),
        ("does the tellmipsychiatry article compare depression to another illness", "insulin"),
        # "blogger's" is the blogger, not a name the sources lack
        ("what did the blogger's mum take during her chemo", "2.5mg"),
        # "supposed" is how the question asks, not what it is about
        ("how long before sex are you supposed to take priligy", "1 to 3 hours"),
        # the aspect counts as much as the drug: not "Sertraline is taken once a day"
        ("day 4 on zoloft and no difference yet, is there any point carrying on?", "one or two weeks"),
        # a brand of a medicine the notes name (ramelteon, in the fluvoxamine note)
        ("is it ok to take rozerem with fluvoxamine", "ramelteon"),
        # a verb acting on what follows is not a topic the sources lack ("my sources don't cover ruining")
        ("could my zoloft be ruining my sleep?", "trouble sleeping"),
        ("is the paxil messing with my tramadol? it hardly works now", "tramadol"),
        # lay words (corpus/vocabulary.yaml): receptors "worn out", and "worn out" as tired
        ("have my serotonin receptors worn out after years on ssris?", "wear down"),
        ("i feel really worn out on sertraline", "drowsy"),
    ],
)
def test_the_first_paragraph_quotes_what_was_asked(model_bot, question: str, lead: str) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert lead in answer.text.split("\n\n")[0], answer.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how long did it take before the escitalopram kicked in for the blogger who took it in nepal?", "2-3 weeks"),
        (
            "the desmolysium guy who microdosed escitalipram - what dose did he actually start on? my gp put me on 10mg",
            "1.25mg",
        ),
    ],
)
def test_a_passage_question_clearly_closest_to_the_asked_one_is_answered(model_bot, question: str, fact: str) -> None:
    # below the usual similarity, one passage's question is still clearly closer than any other passage's
    answer = model_bot.ask(question)
    assert answer.kind == "answer" and fact in answer.text, answer.text


def test_what_the_author_did_is_not_answered_with_a_friends_story(model_bot) -> None:
    # "The last time I spoke to him he said he stopped for good because ..." is his friend's reason
    answer = model_bot.ask(
        "why did the doctor who writes desmolysium come off his escitalopram in the end? he seemed to like it"
    )
    assert answer.kind == "answer", answer.text
    assert "he said he stopped" not in answer.text.split("\n\n")[0], answer.text


@pytest.mark.parametrize(
    ("earlier", "said", "question", "wanted", "lead_only"),
    [
        # a part that points back ("how long does that last") leans on what the follow-up carries, as the last does
        (
            "is it normal to feel sick all the time on sertraline, started 5 days ago",
            "Nausea (feeling sick) is one of the most common SSRI side effects.",
            "how long does that last and what can i do about it",
            r"couple of weeks",
            False,
        ),
        # "is that something to worry about for her" asks yes or no about her age group, not the earlier "why"
        (
            "why does my mums citalopram leaflet have a warning about suicidal thoughts",
            "The US Food and Drug Administration (FDA) requires a boxed warning, its strongest label warning, on all "
            "antidepressants, SSRIs included, about suicidal thoughts and behaviour.",
            "is that something to worry about for her, she's 82",
            r"65 and older",
            False,
        ),
        # "that" is what the last answer said (QT prolongation), not the earlier question (the dose cap)
        (
            "why does celexa have a dose cap",
            "Citalopram prolongs the QT interval of the heart's electrical cycle in a dose-dependent way, "
            "which can lead to dangerous heart rhythms.",
            "what symptoms would mean that's happening to me?",
            r"palpitations|fainting|shortness of breath",
            False,
        ),
        # the term in capitals (PPHN) is the topic, not the rarer word "midwife"; "how likely" wants the rate
        (
            "midwife mentioned something called PPHN with antidepressants?",
            "Persistent pulmonary hypertension of the newborn (PPHN) is a rare breathing problem in newborn babies.",
            "how likely is it really if i stay on my sertraline right up to the birth?",
            r"per 1,000|per 10,000",
            True,
        ),
        # "is that common" wants the rate itself (46%), not only the sentence saying it is common
        (
            "since starting escitalopram i feel nothing, cant even cry at sad films",
            "Emotional blunting means feeling emotions less intensely than before: both positive feelings such as "
            "joy or love and negative ones such as sadness can feel muted or flat.",
            "is that common or is it just me",
            r"46%",
            False,
        ),
        # a remark after the question ("someone on reddit said ...") is context: it neither declines nor
        # turns "and its half life?" into an is-it-true question
        (
            "whats venlafaxine",
            "Venlafaxine is a serotonin-noradrenaline reuptake inhibitor (SNRI) sold as Effexor.",
            "right, and its half life? someone on reddit said its really short which is why missing a dose feels awful",
            r"5 hours",
            True,
        ),
        # what to look out for in a breastfed baby is the signs, and a sentence on the baby counts
        (
            "is sertraline ok if im breastfeeding my 6 week old",
            "LactMed reports that most expert reviewers consider sertraline a preferred antidepressant during "
            "breastfeeding.",
            "what should i be looking out for in him though",
            r"not feeding|unusually sleepy|colic",
            False,
        ),
        # "how common is that" led by "... are common with SSRIs" also gets the rate itself, from the same note
        (
            "since starting sertraline I can't orgasm",
            "Sertraline was among the antidepressants with the highest rates of sexual dysfunction in a 2009 "
            "meta-analysis (Serretti and Chiesa, 2009).",
            "how common is that?",
            r"\d+% and \d+%",
            False,
        ),
        # "the most she should be on" asks for her maximum dose, not what something is
        (
            "my mum is 78 and just started citalopram",
            "In a UK study of 60,746 people aged 65 and over with depression, SSRIs were linked to the highest rate "
            "of falls of the antidepressant groups studied (Coupland et al., 2011).",
            "whats the most she should be on?",
            r"maximum of 20 mg (?:per day )?of citalopram",
            True,
        ),
        # "is that why ..." asks whether what was just said (a short half-life) explains something new
        (
            "whats the half life of effexor xr",
            "The half-life of venlafaxine is about 5 hours, and about 11 hours for desvenlafaxine.",
            "is that why i feel so rough when i forget one?",
            r"leave the body quickly",
            True,
        ),
    ],
)
def test_follow_ups_are_answered_about_what_the_conversation_points_to(
    model_bot, earlier: str, said: str, question: str, wanted: str, lead_only: bool
) -> None:
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": said}]
    answer = model_bot.ask(question, history=history)
    assert answer.kind == "answer", answer.text
    text = answer.text.split("\n\n")[0] if lead_only else answer.text
    assert re.search(wanted, text), answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what interactions does sertraline have? and is alcohol ok with it?",
        "does zoloft interact with other meds and can i drink on it",
    ],
)
def test_parts_never_quote_the_same_sentence_twice(model_bot, question: str) -> None:
    """A sentence one part quotes is not brought back as the context of another part's sentence."""
    from ingest.text import sentences

    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    body = re.sub(r"\s*\[\d+\]", "", answer.text)
    quoted = [body[s:e].strip() for s, e in sentences(body) if e - s > 30]
    assert len(quoted) == len(set(quoted)), answer.text


def test_a_statement_after_a_follow_up_is_context_not_a_part(model_bot) -> None:
    """ "i've got a chesty cough and ..." tells; only "what about cough syrup?" asks (with what it carries)."""
    history = [
        {"role": "user", "content": "can i take tramadol with my zoloft"},
        {
            "role": "assistant",
            "content": "Serotonin syndrome can happen when an SSRI is combined with another medicine.",
        },
    ]
    served = model_bot._served

    standalone = model_bot.standalone("what about cough syrup? i've got a chesty cough and a bottle of it", history)
    assert len(model_bot._parts(served, analyse(standalone, served.corpus_words))) == 0, standalone


def test_what_can_i_do_about_it_is_answered_from_the_section_on_what_helps(model_bot) -> None:
    history = [
        {"role": "user", "content": "I'm sweating loads on paroxetine"},
        {"role": "assistant", "content": "Excessive sweating (hyperhidrosis) is a common SSRI side effect. [1]"},
    ]
    answer = model_bot.ask("what can I do about it?", history=history)
    # what helps (a lower dose, a switch, keeping cool), not again that sweating is common
    assert re.search(r"lower dose|lighter clothing", answer.text.split("\n\n")[0]), answer.text


def test_a_remedy_question_brings_the_section_that_says_what_helps(model_bot) -> None:
    from dataclasses import replace

    from qa.types import Timings

    served = model_bot._served
    question = analyse("what can I do about it (paroxetine, I'm sweating loads on)?", served.corpus_words)
    assert question.qtype == "remedy"
    vectors = model_bot._embed_question(question, Timings())

    def sections(q) -> list[str]:
        return [p.section for p in model_bot._search(served, q, vectors, 5, Timings())]

    helps = "What helps with sweating or yawning from an SSRI?"
    assert helps in sections(question)
    assert helps not in sections(replace(question, qtype="other"))  # the passages on sweating itself rank above it


def test_who_gets_it_is_answered_with_the_risk_factors(model_bot) -> None:
    # the section whose heading asks who is at risk, not the sentence that low sodium exists
    answer = model_bot.ask("who gets low sodium on ssris")
    assert answer.kind == "answer", answer.text
    assert "female sex" in answer.text, answer.text
    both = model_bot.ask("what are the symptoms of low sodium and who gets it")
    assert "headache" in both.text and re.search(r"female sex|most common in older people", both.text), both.text


def test_a_sentence_whose_words_were_all_just_quoted_is_not_quoted_again(model_bot) -> None:
    index = model_bot._served.index
    answerer = model_bot._served.answerer
    longer = index.first_quoted(
        "SSRI-related low sodium is most common in older people and usually appears within the first month, as the "
        "note on hyponatraemia explains."
    )
    shorter = index.first_quoted("SSRI-related hyponatraemia usually appears within the first month of treatment.")
    other = index.first_quoted("Hyponatraemia can occur with any SSRI.")
    assert None not in (longer, shorter, other)

    assert not answerer._says_something_new(shorter, [longer])  # the same fact in fewer words
    assert answerer._says_something_new(other, [longer])
    # the same study cited ("(Serretti and Chiesa, 2009)") is not the same figures said again
    escitalopram = index.first_quoted(
        "Escitalopram causes sexual dysfunction less often than many SSRIs, but more often than placebo (Serretti and Chiesa, 2009)."
    )
    nefazodone = index.first_quoted(
        "In a 2009 meta-analysis, nefazodone did not differ from placebo in sexual dysfunction, unlike most SSRIs "
        "(Serretti and Chiesa, 2009)."
    )
    assert None not in (escitalopram, nefazodone)
    assert answerer._says_something_new(nefazodone, [escitalopram])


def test_a_fact_is_not_said_again_when_two_quoted_sentences_give_its_figures_between_them(model_bot) -> None:
    """The sertraline note's "about 25 nM" and, next to it, "85 times more weakly" say what the mechanism
    note says in one sentence: once quoted with its neighbour, the one sentence is a repeat."""
    index = model_bot._served.index
    answerer = model_bot._served.answerer
    first, second, both = (
        next(r for r in range(len(index.sentence_rows)) if index.sentence_text(r).startswith(opening))
        for opening in (
            "Sertraline has the highest affinity for the dopamine transporter",
            "Even so, sertraline binds the dopamine transporter about 85 times",
            "Sertraline binds the dopamine transporter more than any other antidepressant",
        )
    )
    assert answerer._says_something_new(both, [first]) and answerer._says_something_new(both, [second])
    assert not answerer._says_something_new(both, [first, second])
    answer = model_bot.ask("i keep forgetting my sertraline like 2 or 3 times a week, any tips?? does it even matter")
    assert answer.text.count("dopamine transporter") <= 2, answer.text  # one passage, not the same fact twice


def test_a_how_long_part_finds_the_section_that_asks_how_long(model_bot) -> None:
    """'when should i notice anything', ten days into citalopram: the time-to-effect section, sought out by its
    heading ("When will I notice the first changes?"), though the drug's own note ranks above it."""
    answer = model_bot.ask(
        "started citalopram 10 days ago and feel nothing yet, when should i notice anything? also i forgot this "
        "mornings one, do i just take 2 tomorrow"
    )
    assert answer.kind == "answer", answer.text
    assert "one to two weeks" in answer.text and "never take two doses" in answer.text, answer.text
    # a section on how long the drug stays in the body is not one on how long it takes to work
    answer = model_bot.ask("been on zoloft for 10 days and feel the same. is it working")
    assert "one to two weeks" in answer.text, answer.text


def test_what_a_medicine_is_approved_for_is_answered_with_the_list_of_its_uses(model_bot) -> None:
    """'what conditions is cymbalta approved for' wants the sentence listing them, not "Because duloxetine is
    approved for several painful conditions ..." or one that merely shares the word "use"."""
    for question in ("what conditions is cymbalta approved for", "what is cymbalta used for"):
        answer = model_bot.ask(question)
        assert "diabetic nerve pain, fibromyalgia" in answer.text, answer.text
        assert "heavy alcohol use" not in answer.text, answer.text
    # "In the US it is approved for ...": what "it" is comes along
    answer = model_bot.ask("what else is zoloft approved for apart from depression, and does it work as well as cbt")
    body = answer.text.split("**Sources**")[0]
    assert "post-traumatic stress disorder" in body, body
    assert body.index("Sertraline") < body.index("In the US it is approved"), body


def test_the_reference_fact_is_not_taken_for_a_repeat_of_the_authors_claim_it_corrects(model_bot) -> None:
    """'is effexor an ssri': the article's "Venlafaxine (Effexor) has been wrongly classified as an SNRI" reads
    much like the note's "Venlafaxine is a serotonin-noradrenaline reuptake inhibitor (SNRI) sold as Effexor";
    quoting the claim does not make the fact a repeat."""
    answer = model_bot.ask("is effexor an ssri or something different?")
    body = answer.text.split("**Sources**")[0]
    assert "Venlafaxine is a serotonin-noradrenaline reuptake inhibitor (SNRI) sold as Effexor" in body, body


def test_a_claim_close_only_through_the_drug_name_is_not_shown_as_asked_about(model_bot) -> None:
    """The author's friend who takes escitalopram "from time to time" is close to any escitalopram question by
    its name alone; the claim is shown when the question shares what it is about, or asks whether it is true."""
    teen = model_bot.ask("can a teenager be given lexapro for depression in the us? from what age is it approved")
    assert "escitalopram-from-time-to-time" not in teen.disputes, teen.text
    assert "One friend uses low doses" not in teen.text, teen.text
    stress = model_bot.ask("is it ok to take a low dose of escitalopram now and then for stress")
    assert "escitalopram-from-time-to-time" in stress.disputes, stress.text
    myth = model_bot.ask("is the whole chemical imbalance thing true or is it a myth")
    assert any(d.startswith("serotonin-shortage") for d in myth.disputes), myth.text


def test_what_an_acronym_is_is_answered_by_the_sentence_that_spells_it_out(model_bot) -> None:
    """'what is pssd': the short sentences that merely use "PSSD" are closer to three letters than the one that
    says what it is; searched for as the sources spell it out, the definition comes first, with what "this
    persisting condition" refers to."""
    answer = model_bot.ask("what is pssd")
    body = answer.text.split("**Sources**")[0]
    assert body.index("often called post-SSRI sexual dysfunction") < body.index("[1]"), body
    assert "may continue after treatment has stopped" in body, body


def test_a_sentence_on_what_is_asked_need_not_name_the_other_medicine(model_bot) -> None:
    """Two medicines, one without a note (tramadol): a sentence that does not name it is usually off the
    question, but not one that speaks of the question's own subject ("an emergency")."""
    answer = model_bot.ask(
        "is serotonin syndrome an actual emergency or just something to mention at my next appointment? "
        "im on zoloft and tramadol"
    )
    assert "medical emergency" in answer.text.split("**Sources**")[0], answer.text


def test_a_carer_asking_whether_sexual_problems_outlast_the_medicine_gets_the_pssd_estimate(model_bot) -> None:
    """'bedroom problems' are sexual side effects and 'even after he stops' asks whether they persist: the one
    published estimate, not a decline for the words the sources never use."""
    answer = model_bot.ask(
        "My partner is terrified that the bedroom problems he's had on sertraline will carry on for good even "
        "after he stops. How many men does that actually happen to?"
    )
    assert answer.kind == "answer", answer.text
    assert "1 in 216" in answer.text.split("**Sources**")[0], answer.text


def test_the_contraceptive_pill_by_its_patients_names_is_not_covered(model_bot) -> None:
    """'combined pill': words the sources use ("combined", "pill") in other senses; the topic is not theirs."""
    answer = model_bot.ask("can i go on the combined pill while im on sertraline")
    assert answer.kind == "no_answer", answer.text
    answer = model_bot.ask(
        "on sertraline and breastfeeding my 2 month old. who needs to know im taking it? also can i go on the "
        "combined pill while im on sertraline"
    )
    assert answer.kind == "answer" and "don't cover combined pill" in answer.text, answer.text


def test_a_dispute_note_does_not_repeat_a_sentence_the_answer_just_quoted(model_bot) -> None:
    """The correction of the article's vortioxetine claim ends on the sentence that answers the question;
    it is said once, in the answer, and the note keeps its own sentences and its citation."""
    answer = model_bot.ask("is trintellix more likely to give you nausea")
    body = answer.text.split("**Sources**")[0]
    assert "disputed" in body, body
    assert body.count("Nausea is the most common side effect of vortioxetine.") == 1, body
    assert "Jacobsen et al., 2015" in body, body


def test_a_how_common_question_led_by_an_article_opinion_gets_the_rate_from_a_reference_note(model_bot) -> None:
    """The section that asks "How common is emotional blunting?" is searched for a how-common question, and an
    opinion that leads without a rate ("SSRIs ... are 'numbing' agents") brings the reference figure along."""
    answer = model_bot.ask(
        "i feel sort of numb on citalopram, cant even cry at sad films anymore. do lots of people get this"
    )
    assert answer.kind == "answer", answer.text
    assert "46%" in answer.text.split("**Sources**")[0], answer.text


def test_a_part_does_not_say_again_what_another_part_quoted(model_bot) -> None:
    """Two parts answered from one note: the second part's answer is not the first's fact in other words
    ("SSRI labels warn about combining SSRIs with aspirin, NSAIDs, warfarin ..." after "SSRI labels also warn
    about combining SSRIs with aspirin, warfarin ..."), but what it asks ("should he just stop one")."""
    answer = model_bot.ask(
        "my dad takes warfarin and has just been put on sertraline. is that combination risky, and should he "
        "just stop one of them to be safe?"
    )
    assert answer.kind == "answer", answer.text
    assert answer.text.count("warn about combining SSRIs with aspirin") == 1, answer.text
    assert "should not stop" in answer.text, answer.text


def test_a_part_giving_figures_of_its_own_is_not_taken_for_a_repeat(model_bot) -> None:
    """'how much higher with naproxen': the sentence with the rates alone and with an NSAID is new beside
    one that only says the risk is higher with NSAIDs, however alike the two read."""
    answer = model_bot.ask(
        "how much does an ssri on its own raise the odds of a stomach bleed? and how much higher does it go if "
        "i'm also taking naproxen?"
    )
    assert answer.kind == "answer", answer.text
    assert "6.3" in answer.text, answer.text


def test_a_part_pointing_back_at_a_medicine_the_sources_lack_is_not_answered_about_the_ssri(model_bot) -> None:
    """ "... whats the normal dose of buspar and how many times a day do you take it": "it" is buspar, named
    last, so neither part is answered with escitalopram's dosing."""
    answer = model_bot.ask(
        "my psych wants to add buspar to my lexapro, whats the normal dose of buspar and how many times a day do "
        "you take it?"
    )
    assert answer.kind == "no_answer" and "buspar" in answer.text, answer.text
    # ... and so does a part that names no medicine ("is 25mg a normal dose") after one asking about a medicine
    # the sources lack, or about a treatment they leave out
    for question, lacked in (
        (
            "psychiatrist added seroquel 25mg at night on top of my sertraline. what actually is seroquel and is 25mg "
            "a normal dose",
            "seroquel",
        ),
        (
            "my psychiatrist mentioned spravato since nothing has worked for me. how does spravato work and how "
            "often do you have to go in to the clinic for it",
            "spravato",
        ),
        (  # a treatment named after the medicines the sources know, that "that" and "it" point back at
            "sertraline and then venlafaxine both failed for my husband and now the psychiatrist mentions esketamine "
            "nasal spray. how does that work and is it safe",
            "esketamine",
        ),
    ):
        answer = model_bot.ask(question)
        assert answer.kind == "no_answer" and lacked in answer.text, answer.text
    # ... but after a medicine the sources know, "it" is that medicine, not the condition named after it
    answer = model_bot.ask("does effexor make psoriasis worse and does it put your blood pressure up")
    assert answer.kind == "answer" and "blood pressure" in answer.text, answer.text


def test_the_same_words_said_of_another_medicine_are_not_a_repeat(model_bot) -> None:
    """A comparison's two sides can be worded alike ("In the Cipriani 2018 comparison, X was among the ...")."""
    answer = model_bot.ask("faverin or cipralex, which came out better in that big study comparing antidepressants?")
    assert "fluvoxamine was among the less effective" in answer.text, answer.text
    assert "escitalopram was among the more effective" in answer.text, answer.text


def test_what_to_try_next_is_answered_by_a_sentence_naming_another_medicine(model_bot) -> None:
    answer = model_bot.ask(
        "our 15 yr old isn't getting on with prozac for her depression. what would nice usually try next?"
    )
    assert answer.kind == "answer" and "sertraline or citalopram" in answer.text, answer.text


def test_how_long_is_answered_by_a_sentence_that_gives_a_span_of_time(model_bot) -> None:
    """'how long should she stay on it': the sentence with the months, not the ones on who prescribes it."""
    answer = model_bot.ask(
        "my 12 yo is on fluoxetine for depression. how long after she's better should she stay on it"
    )
    assert answer.kind == "answer" and "6 months" in answer.text.split("\n\n")[0], answer.text


def test_how_long_side_effects_last_is_not_answered_with_a_half_life(model_bot) -> None:
    """A half-life answers how long a medicine stays in the body, not how long its side effects last."""
    answer = model_bot.ask(
        "my hair has started falling out since zoloft, is that the meds? also how long do the side effects usually "
        "last, the stomach stuff is getting old"
    )
    assert answer.kind == "answer", answer.text
    assert "half-life" not in answer.text and "couple of weeks" in answer.text, answer.text
    # ... while a question on how long it stays is still answered with one
    answer = model_bot.ask("how long does sertraline stay in your system")
    assert "half-life" in answer.text.split("\n\n")[0], answer.text


@pytest.mark.parametrize(
    "question",
    [
        "flying to tokyo for 3 weeks in march, can i bring my sertraline into japan or is there some import permit / "
        "limit on how many tablets you can carry through customs",
        "doing my PADI open water course next month in egypt, is it safe to scuba dive on escitalopram? are there "
        "any diving medical rules about ssris",
    ],
)
def test_a_half_covered_question_whose_rest_is_only_loosely_answered_is_declined(model_bot, question: str) -> None:
    """'Here is what they say about the rest' followed by sentences barely related to the question is no answer:
    below the partial-relevance bar the whole question is declined, naming what is not covered."""
    answer = model_bot.ask(question)
    assert answer.kind == "no_answer", answer.text
    assert "don't cover" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "quoted", "not_covered"),
    [
        # "shud" is chat shorthand, not the name of something the sources lack
        ("had headaches since starting zolof when shud i actually see a dr", "lasts over a week", None),
        # "n" joins two parts: the one the sources cover is answered, the other named as not covered
        ("my nan has citalopram drops how does she take them n how much do they cost", "mixed with water", "cost"),
        ("trintelix how long till its outta ur system after u stop", "66 hours", None),
    ],
)
def test_chat_shorthand_is_read_as_the_words_it_stands_for(
    model_bot, question: str, quoted: str, not_covered: str | None
) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert quoted in answer.text
    assert (f"don't cover {not_covered}" in answer.text) if not_covered else ("don't cover" not in answer.text)


def test_a_symptom_in_another_inflection_finds_the_vocabulary_entry(model_bot) -> None:
    answer = model_bot.ask("every time i get up off the sofa on zoloft the room spins for a sec. what do i do?")
    assert answer.kind == "answer", answer.text
    assert answer.text.startswith("Dizziness is a common SSRI side effect")


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("my bf is on wellbutron, heard it can give u fits how common is that", "1 in 1,000"),  # hearsay, not a topic
        ("Blimey, that's long. So how long would I have to wait after my last Prozac before an MAOI?", "5 weeks"),
        ("been on viibryd 20mg for a couple of days now. how soon can my dr bump me up to 40?", "40 mg"),
        (
            "I had to hand in my licence. I'm on sertraline now. How soon can I realistically get my licence back?",
            "3 months",
        ),
        (
            "I'm a receptionist in Leeds and I've worried about absolutely everything for years, just constant dread. "
            "What does the UK guidance actually offer for this? Is it just tablets?",
            "intensive talking therapy",
        ),
    ],
)
def test_chat_around_a_covered_question_does_not_decline_it(model_bot, question: str, quoted: str) -> None:
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert quoted in answer.text


def test_a_short_remark_before_a_question_is_not_its_topic(model_bot) -> None:
    """'Bit awkward this.' asks nothing and names nothing the sources cover: the question after it is answered,
    and a later part leaning on it carries none of it; 'finish way too quickly' is 'finish too quickly'."""
    answer = model_bot.ask(
        "Bit awkward this. I'm 34, UK, and I finish way too quickly in bed which is causing rows with my wife. "
        "Is there an actual tablet licensed here for that? And do you have to take it every day?"
    )
    assert answer.kind == "answer", answer.text
    assert "Dapoxetine (Priligy)" in answer.text
    assert "awkward" not in answer.text


def test_a_sentence_opening_on_those_cases_brings_the_one_describing_them(model_bot) -> None:
    answer = model_bot.ask("lexapro got me yawning nonstop is that normal, also can i take melatonin with it")
    assert answer.kind == "answer", answer.text
    assert "In both of those escitalopram cases" in answer.text
    assert "described two women on long-term escitalopram" in answer.text, answer.text


def test_a_later_part_about_what_the_sources_lack_taken_with_a_known_medicine_is_declined_too(model_bot) -> None:
    """'is it safe while still on Zoloft': Zoloft is what it is taken with, 'it' is the TMS the part before
    asked about; no part is covered, so the question is declined, naming TMS once."""
    answer = model_bot.ask(
        "Tried three antidepressants now, Celexa, Zoloft and Effexor, none did much. A clinic near me advertises "
        "TMS, the magnet treatment on your head. Does TMS actually work for depression, "
        "and is it safe to have while still on Zoloft?"
    )
    assert answer.kind == "no_answer", answer.text
    assert "don't cover TMS," in answer.text and answer.citations == []


def test_a_question_worded_like_a_notes_heading_finds_that_section(model_bot) -> None:
    """'What should I watch for in my baby?' heads the breastfeeding note's section on the signs to report;
    the question is near the heading though far from the sentence's own words."""
    history = [
        {"role": "user", "content": "is it ok to breastfeed on setraline"},
        {"role": "assistant", "content": "Many people can keep breastfeeding while taking an SSRI."},
    ]
    answer = model_bot.ask("ok wat shud i watch for in my baby then", history=history)
    assert answer.kind == "answer", answer.text
    assert "unusually sleepy" in answer.text


def test_whether_a_medicine_can_still_be_had_is_answered_with_where_it_was_withdrawn(model_bot) -> None:
    answer = model_bot.ask("I live in Germany. Is Serzone still available?")
    assert answer.kind == "answer", answer.text
    assert answer.text.startswith("The Serzone brand was withdrawn in Europe"), answer.text


def test_what_one_of_two_medicines_is_taken_for_is_not_the_topic(model_bot) -> None:
    """'ibuprofen for period cramps with my Zoloft' asks about the combination; the cramps say why. The part
    the sources lack (the pill) is named, and the bleeding risk of an NSAID with an SSRI is the answer."""
    answer = model_bot.ask(
        "Can I take ibuprofen for period cramps with my Zoloft, and will the Zoloft stop my contraceptive pill working?"
    )
    assert answer.kind == "answer", answer.text
    assert "contraceptive pill" in answer.text.split("\n")[0]
    assert "much higher when an SSRI is combined with non-steroidal" in answer.text, answer.text


def test_it_taken_in_a_later_part_is_the_medicine_not_the_scheme_before_it(model_bot) -> None:
    """'covered by Medicare ... and does it matter if I take it without eating': what is taken is Viibryd."""
    answer = model_bot.ask("Is Viibryd covered by Medicare Part D, and does it matter if I take it without eating?")
    assert answer.kind == "answer", answer.text
    assert "Medicare" in answer.text.split("\n")[0]
    assert "halve" in answer.text, answer.text


def test_it_taken_in_a_later_part_is_still_the_unknown_medicine_asked_about(model_bot) -> None:
    answer = model_bot.ask(
        "my psych wants to add buspar to my lexapro, whats the normal dose of buspar and how many times a day "
        "do you take it?"
    )
    assert answer.kind == "no_answer", answer.text
    assert "buspar" in answer.text


def test_an_age_written_out_is_an_age_not_a_topic(model_bot) -> None:
    answer = model_bot.ask(
        "why wouldnt the doctor want my grandma on paxil i mean she's eighty so is it like a problem for older people"
    )
    assert answer.kind == "answer", answer.text
    assert "eighty" not in answer.text and "anticholinergic" in answer.text, answer.text


def test_an_unpunctuated_spoken_question_in_two_parts_answers_both(model_bot) -> None:
    answer = model_bot.ask(
        "my grandpa is seventy and on celexa whats the max dose for him and what heart symptoms mean he should "
        "get help right away"
    )
    assert answer.kind == "answer", answer.text
    assert "20 mg" in answer.text and "palpitations" in answer.text, answer.text


def test_a_covered_part_after_spoken_filler_is_answered_beside_the_unknown_medicine(model_bot) -> None:
    answer = model_bot.ask(
        "can i take zofran for the nausea from my zoloft and also like how long does the sick feeling usually last"
    )
    assert answer.kind == "answer", answer.text
    assert "zofran" in answer.text.split("\n")[0] and "couple of weeks" in answer.text, answer.text


def test_a_comparative_grades_what_is_asked_and_is_not_its_topic(model_bot) -> None:
    """'weaker' is rare in the sources, but it grades the generic asked about; it is not a subject the
    answer must name."""
    answer = model_bot.ask(
        "the pharmacy switched me from zoloft to generic sertraline and its a different color is it like weaker"
    )
    assert answer.kind == "answer", answer.text
    assert "generic sertraline is the same medicine as Zoloft" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # "Tell the prescriber straight away about akathisia": its passage describes the restlessness asked about
        (
            "started paxil 10 days ago and i literally cant sit still, my legs have to keep moving and it feels "
            "horrible inside. do i just ride it out?",
            "straight away",
        ),
        # "No increase was found in adults older than 24": the passage says which warning
        ("does that black box suicide warning apply to me? im 45 and just started zoloft", "older than 24"),
    ],
)
def test_a_sentence_is_as_close_as_its_passage_allows(model_bot, question: str, wanted: str) -> None:
    """A sentence leans on its passage for what it speaks of; a question close to the passage is close, a
    little less, to each of its sentences."""
    answer = model_bot.ask(question)
    assert answer.kind == "answer", answer.text
    assert wanted in answer.text, answer.text


def test_a_length_of_time_told_in_half_lives_answers_how_long(model_bot) -> None:
    # "five half-lives" is how long the gap lasts, not how long the medicine stays in the body
    answer = model_bot.ask("what is a conservative switch between antidepressants, how long is the gap with no meds")
    assert answer.text.startswith("In a conservative switch"), answer.text
    assert "five half-lives" in answer.text


def test_the_body_whose_word_is_asked_for_is_quoted(model_bot) -> None:
    answer = model_bot.ask(
        "whats the FDA's position on ssris late in pregnancy causing that breathing condition in newborns?"
    )
    assert "the FDA said the evidence on PPHN was conflicting" in answer.text, answer.text


def test_how_long_each_stays_in_the_body_is_compared(model_bot) -> None:
    answer = model_bot.ask("cipralex vs celexa, which one stays in the body longer")
    assert "27 to 32 hours" in answer.text and "about 35 hours" in answer.text, answer.text


def test_when_something_happens_is_no_topic_the_sources_lack(model_bot) -> None:
    # "on weekends" says when; "sim balta" is Cymbalta written as it sounds
    answer = model_bot.ask(
        "i drink pretty heavy on weekends and they just put me on sim balta is that gonna be a problem"
    )
    assert answer.kind == "answer" and "don't cover" not in answer.text, answer.text
    assert "heavy alcohol use" in answer.text


def test_an_opening_and_does_not_pull_the_answer_away(model_bot) -> None:
    answer = model_bot.ask("and how long before it actually kicks in, day 5 and i feel nothing (sertraline)")
    assert "one to two weeks" in answer.text.split("\n")[0], answer.text


def test_the_year_asked_about_picks_that_year_s_sentences(model_bot) -> None:
    # "the 2018 comparison": not a 2009 finding on the same drug beside it
    answer = model_bot.ask("what did the 2018 comparison find about fluoxetine")
    assert "Cipriani 2018" in answer.text and "2009" not in answer.text, answer.text


def test_each_line_of_a_message_that_asks_is_answered(model_bot) -> None:
    answer = model_bot.ask(
        "What is the half life of citalopram\nalso i take omeprazole for my stomach, does that change anything"
    )
    assert "about 35 hours" in answer.text and "about 35% higher" in answer.text, answer.text


def test_a_part_opening_with_like_is_answered_too(model_bot) -> None:
    history = [
        {"role": "user", "content": "I was on sertraline the whole way through my pregnancy"},
        {"role": "assistant", "content": "Thanks for telling me; how can I help?"},
    ]
    answer = model_bot.ask("can i breastfeed him on it? like how much of it actually gets to him", history=history)
    assert "about 0.5%" in answer.text, answer.text


def test_a_medicine_a_later_part_asks_about_stays_out_of_the_parts_before(model_bot) -> None:
    answer = model_bot.ask(
        "Hello. I am 58, taking tamoxifen after breast cancer, and I have PTSD after an assault. The psychiatrist "
        "has mentioned Paxil. Is Paxil approved for PTSD? Should I be having therapy first? And is it all right "
        "with the tamoxifen?"
    )
    assert "trauma-focused talking therapy" in answer.text, answer.text
    assert "approved for post-traumatic stress disorder" in answer.text and "tamoxifen" in answer.text


def test_a_numbered_part_opening_at_what_point_is_answered(model_bot) -> None:
    answer = model_bot.ask(
        "few questions sorry. 1) how soon should i notice anything on sertraline 2) at what point does the doctor "
        "decide its not working 3) can i do CBT at the same time as taking it"
    )
    assert "after 4 weeks" in answer.text and "combination of individual CBT" in answer.text, answer.text


def test_a_claim_in_a_piece_that_asks_nothing_is_what_is_that_right_asks_about(model_bot) -> None:
    answer = model_bot.ask(
        "my psychiatrist put me on faverin for depression but an american website says its only for OCD?? is that "
        "right. also can i still donate blood while on it"
    )
    assert "don't cover" in answer.text and "approved only for obsessive-compulsive disorder" in answer.text, (
        answer.text
    )


def test_a_part_of_its_own_before_a_comparison_is_answered(model_bot) -> None:
    # the comparison is the second part; the first names no medicine and asks on its own
    answer = model_bot.ask(
        "thinking of asking about wellbutrin instead of my prozac. does wellbutrin mess with your sex life like ssris "
        "do, and is it true it can give you fits?"
    )
    assert "1 in 1,000" in answer.text and "did not differ from placebo in sexual dysfunction" in answer.text, (
        answer.text
    )


def test_the_asking_clause_is_searched_apart_from_the_story_before_it(model_bot) -> None:
    # the story is about libido; what is asked is how likely the seizures the cousin spoke of are
    answer = model_bot.ask(
        "been on lexapro 2 yrs, doc wants to add wellbutrin for the libido thing. my cousin says it gives people "
        "seizures?? how likely is that really"
    )
    assert "1 in 1,000" in answer.text, answer.text
