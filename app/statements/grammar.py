"""What each sentence of a statement does, read from its grammar: who is the subject, what
the verb is and in which tense, and what words stand around them.

No model and no part-of-speech tagger: English marks what a statement sentence does with a
few closed classes of words — pronouns, auxiliaries, modals, the irregular verbs — and a verb's
ending (-ing, -ed). So:

- an **action** is any first-person subject ("we", "I", "our team", the business's own name)
  with an action verb in the present progressive, the perfect, the future or the past ("we are
  removing", "we have engaged", "I will be joining", "we engaged a firm"), or a perfect or
  future passive of something done ("the image has been removed", "will not be sold"); the
  verbs that are not actions are a closed list of feelings, thoughts and apologies;
- a **next update** is a time or a date with a verb or noun of telling in the same sentence
  ("We'll communicate the results by April 30th", "a weekly webinar on Wednesdays at 10am");
- an **apology** is any form of "apologise", "apology", "apologies" or "sorry", except the
  conditional and passive forms that are **non-apologies** ("sorry if", "sorry you feel",
  "apologize for having to", "regret any", "for any offense ... may have caused");
- a **promise** to flag is any form of "never happen again", a guarantee, "I promise", or an
  absolute ("100%", "completely safe", "fully protected");
- **acknowledgement**, **empathy**, **blame**, **speculation** and a **help channel** are
  read from admissions ("we missed the mark", "we let you down"), named incidents with their
  verbs ("the horrific event that occurred"), feelings of the people affected, outside agents
  given as the cause, hedges, and contact details.

Each reading keeps the words that triggered it, so a finding can say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ELEMENTS = ("acknowledgement", "apology", "empathy", "action", "next-update", "help-channel")
FAULTS = ("non-apology", "promise", "blame", "speculation")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- closed classes ---------------------------------------------------------------------------

FIRST_PERSON = _words("we i we're i'm we've i've we'll i'll we'd i'd")
# "our team", "my staff": first-person possessive + a noun for the business's people.
OUR_PEOPLE = _words(
    "team teams staff people company business store stores restaurant restaurants shop shops "
    "kitchen practice clinic managers manager engineers colleagues partners employees crew "
    "organisation organization board leadership"
)
AUXILIARIES = _words(
    "am are is was were be been being have has had will shall would should can could must may "
    "might 're 've 'll 'm 'd do does did going gonna"
)
# Words between an auxiliary and its verb that do not change what the verb does.
ADVERBS = _words(
    "now already also still immediately all both then just further currently actively fully "
    "quickly urgently personally directly again always not never truly really deeply today "
    "tonight tomorrow soon first right continuing continue continues"
)
# Verbs that lead to the verb that matters ("we decided to remove", "I want to apologise").
LEADING = _words(
    "decided continue continued continuing began begin begun started start want wanted wish "
    "plan planned intend intended aim aimed need needed going try tried trying working work "
    "promise promised vow vowed hope"
)
# Verbs that are no action: feelings, thoughts, being, apologies (these are their own acts).
NOT_ACTIONS = _words(
    "be am is are was were been being know knew known understand understood believe believed "
    "think thought feel felt hope hoped wish wished want wanted regret regretted apologize "
    "apologise apologized apologised apologizing apologising sorry care cared value valued "
    "appreciate appreciated recognize recognise recognized recognised realize realise realized "
    "realised acknowledge acknowledged agree agreed love loved like liked hate need needed "
    "deserve deserved expect expected seem seemed appear appeared mean meant intend intended "
    "thank thanked welcome share stand stands remain remained own owe lacked lack fell fall "
    "fallen failed fail missed miss messed let have has had do does did say said hear heard see "
    "saw seen live lived apologizes apologises regrets hopes"
)
# Participles that name harm done (an acknowledgement), not something the business did.
HARM = _words(
    "affected impacted hurt harmed offended exposed compromised accessed stolen taken arrested "
    "caused made linked injured killed lost breached hacked leaked delayed cancelled canceled "
    "disrupted mistreated unauthorized unauthorised"
)
# Words that are never the verb after a subject ("we at Boeing", "Lululemon, who").
NOT_VERBS = _words(
    "at in on of for with by from to as and or but so who whom whose which that this these "
    "those the a an our your their its my his her all both each every no very more most here "
    "there when where how why what if than then too also"
)
# What is offered or extended rather than done: "we extend our sympathies".
SPOKEN = _words("sympathies sympathy condolences apology apologies thanks gratitude regrets")
# Words after which "we ..." is a clause inside another, telling of something, not doing it.
EMBEDDING = _words("way how what why which who that when where if whether because")
IRREGULAR_PARTICIPLES = _words(
    "begun done taken given made put set shut cut brought sent spoken written told found held "
    "kept left built paid sold bought run won withdrawn thrown drawn shown known seen got "
    "gotten understood undertaken overtaken rebuilt rewritten sought caught taught"
)
IRREGULAR_PAST = _words(
    "began did took gave made put set shut cut brought sent spoke wrote told found held kept "
    "left built paid sold bought ran won withdrew threw drew showed sought caught taught"
)

# --- patterns ---------------------------------------------------------------------------------


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


APOLOGY = _any(r"\bapolog(?:y|ies|i[sz]e[sd]?|i[sz]ing)\b", r"\bsorry\b")
NON_APOLOGY = _any(
    r"\bapologi[sz]e\w*\s+for\s+having\s+to\b",
    r"\bsorry\s+if\b",
    r"\b(?:apologi[sz]e|apologies|sorry)\b[^.!?]*\bif\s+(?:anyone|you|we|any|our|this|it)\b",
    r"\bsorry\s+(?:that\s+)?(?:you|anyone|some(?:one)?|people)\s+(?:feel|felt|were|are|think|"
    r"see|may|might|took|take|found)\b",
    r"\bregret\s+any\b",
    r"\b(?:apologi[sz]e|apologies|sorry|regret)\b[^.!?]*\bany\s+(?:offen[cs]e|inconvenience|"
    r"confusion|upset|hurt|misunderstanding|distress)\b[^.!?]*\b(?:may|might|could)\b",
    r"\bto\s+(?:anyone|those|everyone)\s+who\s+(?:may|might)\s+(?:have\s+)?(?:take|taken|been|"
    r"felt|feel|find|found)\b",
    r"\bmistakes\s+were\s+made\b",
    r"\bif\s+(?:anyone|you|someone)\s+(?:was|were|is|are|felt|feel)\s+(?:offended|upset|hurt)",
    r"\bregret\s+that\s+(?:some|you|anyone|people)\b",
)
PROMISE = _any(
    r"\bnever\b[^.!?]{0,60}?\bagain\b",
    r"\bever\s+(?:happen\w*|occur\w*|recur\w*)\s+again\b",
    r"\b(?:won't|will\s+not|doesn't|does\s+not|don't|do\s+not|cannot|can't|isn't|is\s+not)\s+"
    r"(?:ever\s+)?(?:happen|occur|recur|be\s+repeated)\w*\s+again\b",
    r"\b(?:make\s+sure|ensure|guarantee)\s+(?:that\s+)?(?:this|it|that|nothing|no\s+one)\b"
    r"[^.!?]{0,40}\b(?:never|again)\b",
    r"\bguarantee[sd]?\b",
    r"\b(?:i|we)\s+(?:can\s+)?promise\b",
    r"\b100\s?%|\bone\s+hundred\s+per\s?cent\b",
    r"\b(?:completely|totally|perfectly|entirely|fully|absolutely|100%)\s+(?:safe|secure|"
    r"protected|fixed|resolved|eliminated|risk[- ]free)\b",
    r"\b(?:no|zero)\s+risk\b",
    r"\bwill\s+always\b",
    r"\bimpossible\b",
)
SPECULATION = _any(
    r"\bprobably\b(?!\s+(?:read|heard|seen|know|noticed))",
    r"\b(?:most\s+)?likely\s+(?:caused|due|because|that|the|a|to\s+have)\b",
    r"\b(?:may|might|could|must)\s+have\s+(?:been\s+(?:caused|due|the\s+result|because|started)|"
    r"come\s+from|started|originated)\b",
    r"\b(?:it|this)\s+(?:appears|seems|looks\s+like)\b",
    r"\bwe\s+(?:believe|suspect|think|assume)\s+(?:that\s+)?(?:it|this|the\s+\w+)\s+"
    r"(?:was|were|came|is|started)\b",
    r"\bpossibly\b",
    r"\bpresumably\b",
    r"\bdefinitely\b",
    r"\bwe\s+are\s+(?:100%\s+|completely\s+|absolutely\s+)?(?:certain|sure)\b",
)
_AGENT = (
    r"(?:supplier|suppliers|vendor|vendors|partner|partners|contractor|contractors|"
    r"subcontractor|courier|third[- ]party|delivery\s+(?:company|firm|partner)|employee|"
    r"employees|staff\s+member|team\s+member|individuals?|temp|intern|franchisee|"
    r"(?:a\s+)?(?:subset|group|handful|small\s+number)\s+of\s+(?:people|users|individuals|"
    r"customers))"
)
BLAME = _any(
    r"\b(?:junior|new|temporary|rogue|former|single)\s+(?:member\s+of\s+staff|staff\s+member|"
    r"employee|worker|intern)",
    r"\b(?:customers?|guests?|you|passengers?|patients?)\s+(?:should\s+have|failed\s+to|did\s+not|"
    r"didn't|ignored)\b",
    r"\bshould\s+have\s+(?:read|checked|asked|known|told)\b",
    r"\b(?:supplier|suppliers|partner|partners|they|he|she|staff|employee|employees|contractor|"
    r"individual|individuals|customer|customers|driver|courier)\s+(?:is|are|was|were)\s+"
    r"(?:to\s+blame|at\s+fault|responsible)\b",
    r"\b(?:weather|storm|cold|snow|ice|winter|heat\s*wave|pandemic|covid|circumstances)\s+"
    r"(?:\w+\s+){0,2}(?:brought|caused|led\s+to|forced|created)\b",
    r"\b(?:due\s+to|caused\s+by|because\s+of|fault\s+of|by)\s+(?:a|an|our|the|these|this|one\s+"
    r"of\s+our)\s+(?:\w+\s+){0,3}" + _AGENT + r"\b",
    r"\bnot\s+our\s+fault\b",
    r"\bbeyond\s+our\s+control\b",
    r"\bthe\s+individual\s+(?:responsible|involved|concerned)\b",
    r"\b(?:mis)?understood\s+(?:our|the)\s+(?:label|sign|menu|policy)",
    r"\bmisread\b",
    r"\bexploited\s+a\s+vulnerability\b",
)
HELP_CHANNEL = _any(
    r"\+?\d[\d\s().-]{6,}\d",
    r"[\w.+-]+@[\w-]+\.[\w.-]+",
    r"https?://\S+",
    r"\bwww\.\S+",
    r"\b[\w-]+\.(?:example|com|co\.uk|org|net|uk|io|shop|ie|de|fr|nl|au|ca)\b(?:/\S*)?",
    r"\b(?:call|phone|ring|email|e-mail|message|text|dm|contact|reach|visit|write\s+to)\s+"
    r"(?:us|our|me|the)\b",
    r"\b(?:hotline|helpline|help\s+line|call\s+cent(?:er|re)|customer\s+care|customer\s+service)",
    r"\b(?:support|help|customer)\s+(?:page|line|desk|portal|team|site|centre|center)\b",
    r"\bdedicated\s+(?:website|web\s+site|page|line|phone|number|call|team|email)\b",
    r"\b(?:our|the)\s+(?:website|web\s+site)\b",
)
ADMISSION = _any(
    r"\b(?:made|make|have\s+made|'ve\s+made)\s+(?:a\s+|some\s+|serious\s+|critical\s+|many\s+)?"
    r"(?:mistakes?|errors?|oversights?)\b",
    r"\b(?:got|get|have\s+got|'ve\s+got)\s+(?:it|this|that|things|our\s+\w+(?:\s+\w+)?)\s+wrong\b",
    r"\bmissed\s+the\s+mark\b",
    r"\b(?:fell|fallen|falling|fall)\s+short\b",
    r"\b(?:did\s+not|didn't|do\s+not|don't)\s+live\s+up\b",
    r"\blet\s+(?:you|them|our\s+\w+|everyone|people|customers|guests)\s+down\b",
    r"\bmessed\s+up\b",
    r"\b(?:we|i|the\s+company|it)\s+(?:failed|fails)\b",
    r"\b(?:this|it|that|which)\s+(?:is|was)\s+(?:wrong|unacceptable|not\s+acceptable|"
    r"a\s+mistake|an\s+error|our\s+fault)\b",
    r"\bis\s+unacceptable\b",
    r"\bshould\s+(?:not|never)\s+have\b",
    r"\btake\s+(?:full\s+|complete\s+|personal\s+)?responsibility\b",
    r"\bresponsible\s+for\s+(?:what|this|all)\b",
    r"\bwe\s+own\s+(?:it|this|that)\b",
    r"\bour\s+(?:fault|mistake|error|failure)\b",
    r"\bbreach\s+of\s+trust\b",
    r"\bbroken\s+the\s+trust\b",
    r"\b(?:we|i)\s+(?:was|were)\s+wrong\b",
    r"\b(?:we|i)\s*(?:are|'re|am|'m|were|was)\s+(?:fully\s+|solely\s+)?(?:accountable|"
    r"responsible|to\s+blame|at\s+fault)\b",
    r"\b(?:my|our)\s+actions\b",
)
AWARENESS = _any(
    r"\b(?:we|i)\s+(?:now\s+)?(?:know|are\s+aware|am\s+aware|have\s+learned|have\s+learnt|learned|"
    r"discovered|became\s+aware|were\s+alerted|have\s+been\s+made\s+aware)\s+(?:that|of|about)\b",
    r"\b(?:we|i)\s+recogni[sz]e\s+(?:that\s+)?(?:we|the|this|it)\b",
    r"\b(?:we|i)\s+(?:know|understand)\s+(?:that\s+)?(?:this|it)\s+(?:has\s+been|is|was)\b",
    r"\bas\s+you\s+(?:may\s+)?(?:have\s+)?(?:likely\s+|probably\s+)?(?:know|heard|seen|read)\b",
    r"\byou\s+(?:may|might)\s+(?:be\s+aware|have\s+(?:heard|seen|read))\b",
    # "We know what happened:", "Here is what happened", "What happened: …"
    r"\b(?:we|i)\s+(?:now\s+)?(?:know|understand|have\s+found\s+out)\s+(?:what|how)\s+"
    r"(?:has\s+)?happened\b",
    r"\bhere\s+is\s+what\s+(?:has\s+)?happened\b",
    r"^\s*what\s+happened\s*:",
    # The people affected, and what happened to them: "Some customers received …",
    # "Several of you were charged twice", "A child fell ill after …"
    r"^\s*(?:(?:on|yesterday|today|tonight|last|earlier|this|since|over|during|from|in|at)\b"
    r"[^,.]{0,40}?,?\s+)?(?:some|many|several|"
    r"a\s+few|a\s+number\s+of|all|most|one\s+of|two|three|\d+)?\s*(?:of\s+)?(?:you|our\s+)?"
    r"(?:customers?|guests?|patients?|members?|clients?|visitors?|diners?|families|children|"
    r"a\s+child|a\s+customer|people|users?|shoppers?|you)\s+(?:\w+\s+)?(?:received|got|were|"
    r"was|fell|became|had|have\s+been|has\s+been|saw|ate|bought|could\s+not|couldn't|"
    r"lost|waited|found)\b",
)
# Nouns that name that something happened, but not what: "sorry for this incident".
GENERIC_NOUNS = r"incident|incidents|situation|event|issue|issues|matter"
INCIDENT_NOUNS = (
    r"incident|incidents|outage|outages|breach|attack|cyberattack|accident|accidents|event|"
    r"situation|error|errors|failure|failures|problem|problems|issue|defect|shortage|tragedy|"
    r"tragedies|crash|disruption|delays?|illness|illnesses|arrests?|video|post|ad|advert|"
    r"advertisement|image|picture|email|e-mail|tweet|campaign|glitch|leak|recall|closures?|"
    r"exposure|intrusion|access|oversight|horsemeat|contamination|actions|conduct|behaviou?r|"
    r"remarks|comments|videos"
)
_DETERMINER = r"(?:this|the|that|these|our|\w+'s|recent|last\s+week's|such\s+an?|an?)"
INCIDENT = _any(
    # "the truly horrific event that occurred on this flight", "this incident has created"
    _DETERMINER + r"\s+(?:[\w-]+\s+){0,3}(?:" + INCIDENT_NOUNS + r")\b\s+(?:that\s+|which\s+)?"
    r"(?:\w+\s+)?(?:occurred|happened|took\s+place|caused|causes|causing|led\s+to|created|"
    r"has\s+(?:caused|created|had|affected|impacted)|have\s+(?:caused|had)|affected|impacted)\b",
    # "this is an upsetting event", "it was a crime against Target"
    r"\b(?:this|it|that)\s+(?:is|was|has\s+been)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:" + INCIDENT_NOUNS + r"|crime)\b",
    r"\b(?:experienced|suffered|had|have\s+had|has\s+had|subject\s+to|impacted\s+by|affected\s+by)"
    r"\s+(?:an?\s+|the\s+|a\s+serious\s+)?(?:[\w-]+\s+){0,3}(?:" + INCIDENT_NOUNS + r")\b",
    r"\b(?:unauthori[sz]ed\s+access|data\s+breach|security\s+incident|cyber\s*attack)\b",
    # "sorry for today's outage", "in the recent 737 MAX accidents": the incident, named
    r"\b(?:for|about|in|on|after|over|following|by|with)\s+"
    + _DETERMINER
    + r"\s+(?:[\w-]+\s+){0,3}(?!(?:"
    + GENERIC_NOUNS
    + r")\b)(?:"
    + INCIDENT_NOUNS
    + r")\b",
    r"\b(?:offending|offended|hurt|harmed|mocked|insulted)\s+(?:people|customers|many|you|"
    r"women|anyone)\b",
    r"\bwithout\s+any\s+\w+\b",
    r"\b(?:been\s+)?linked\s+to\s+(?:illness|illnesses|deaths?|loss\s+of\s+life)\b",
    r"\bworst\s+\w+\s+(?:week|day|month|year)\b",
    # "our booking app failed", "customers became ill"
    r"\bour\s+(?:[\w-]+\s+){0,2}(?:failed|broke|crashed|went\s+down|stopped\s+working|leaked)\b",
    r"\b(?:customers?|people|guests?|patients?|members?|children|passengers?|diners|clients|"
    r"visitors|someone|many|many\s+of\s+you|travell?ers)\s+(?:\w+ly\s+)?(?:(?:became|fell|got|"
    r"were|have\s+been|has\s+been)\s+(?:ill|sick|unwell|hurt|injured|affected|exposed|harmed|"
    r"stranded|unable|left)|waited|could\s+not|couldn't|missed|lost)\b",
    # "they felt unwell after eating…", "made some of you ill": the harm, named
    r"\b(?:felt|feel|became|fell|got|were|was|have\s+been|has\s+been)\s+(?:so\s+|very\s+|really\s+)?"
    r"(?:ill|sick|unwell|poorly)\b",
    r"\bmade\s+(?:\w+\s+){0,3}(?:ill|sick|unwell)\b",
    r"^what\s+happened\s*[:—–-]",
    # "flights froze", "our systems went down": the service that failed
    r"\b(?:flights?|orders?|deliveries|systems?|servers?|services?|site|website|app|shops?|stores?|"
    r"kitchens?|trains?|payments?)\s+(?:\w+ly\s+)?(?:were\s+|was\s+|have\s+been\s+|has\s+been\s+)?"
    r"(?:cancell?ed|delayed|froze|frozen|crashed|failed|went\s+down|broke|stopped)\b",
    r"\b(?:offense|offence|harm|damage|disruption|distress)\s+(?:it|this|that|which)?\s*"
    r"(?:has\s+)?caused\b|\boffen[cs]e\s+caused\s+by\b",
)
FEELINGS = (
    r"upsetting|upset|worrying|worried|worry|worries|frightening|frightened|fear|fears|scary|"
    r"distressing|distress|distressed|frustrating|frustration|frustrated|painful|pain|"
    r"disturbing|disturbed|horrific|horrified|harrowing|heartbreaking|heartbroken|devastating|"
    r"devastated|saddened|sad|sadness|anxiety|anxious|anger|angry|outrage|outraged|"
    r"disappointment|disappointed|concern|concerns|concerned|grief|grieving|suffering|hurt|"
    r"stress|stressful|shocked|shock|confusing|confusion|uncertainty|sympathy|sympathies|"
    r"condolences|prayers|hearts|embarrassed|ashamed|hard\s+to\s+watch|unacceptable"
)
AFFECTED = (
    r"you|your|yours|customers?|families|family|people|everyone|anyone|those|passengers?|"
    r"guests?|patients?|members?|loved\s+ones|community|communities|consumers?|users?|"
    r"travell?ers|parents|children|victims?|neighbou?rs|canadians|americans|"
    r"our\s+hearts|my\s+heart|like\s+us"
)
EMPATHY = _any(
    r"\b(?:" + FEELINGS + r")\b[^.!?]*\b(?:" + AFFECTED + r")\b",
    r"\b(?:" + AFFECTED + r")\b[^.!?]*\b(?:" + FEELINGS + r")\b",
    r"\b(?:we|i)\s+(?:am|are|'m|'re|feel|felt|was|were)\s+(?:so\s+|truly\s+|really\s+|deeply\s+)?"
    r"(?:sad|saddened|heartbroken|devastated|disturbed|horrified|ashamed|embarrassed|shocked|"
    r"sick\s+about)\b",
    r"\b(?:we|i)\s+(?:understand|know|can\s+(?:only\s+)?imagine|recogni[sz]e|realise|realize)\s+"
    r"(?:how|why|that\s+a\s+situation|the\s+(?:frustration|concern|worry|pain|anger|upset)|"
    r"(?:that\s+)?(?:this|it)\s+(?:has\s+been|is|was|must\s+be|must\s+have\s+been|can\s+be))\b",
    r"\b(?:no\s+one|nobody)\s+should\s+(?:ever\s+)?(?:be|have|experience|feel|go)\b",
    r"\bi\s+share\s+(?:all\s+of\s+)?(?:those|these|your|their)\b",
    r"\b(?:our|my)\s+(?:thoughts|hearts|sympathies|condolences|prayers)\b",
    r"\b(?:deepest|sincere|heartfelt)\s+(?:sympathies|condolences)\b",
    r"\bweigh\s+heavily\b",
    r"\b(?:the|your|all\s+the)\s+(?:worry|upset|distress|anxiety|fear|frustration|pain|hurt|"
    r"stress|anger)\s+(?:(?:that|which)\s+)?(?:this|it|that|we|these|our\s+\w+)\s+(?:has\s+|have\s+)?"
    r"(?:caused|brought|created)\b",
    r"\b(?:members|customers|people|guests|you)\s+(?:felt|feel)\s+(?:that\s+)?(?:we|our|let)\b",
)
_TIME = (
    r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.|h)?\b|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)\b"
    r"|\bnoon\b|\bmidday\b|\bmidnight\b|\bthis\s+(?:morning|afternoon|evening|week|weekend)\b"
    r"|\btoday\b|\btomorrow\b|\btonight\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b"
    r"|\bwithin\s+(?:the\s+next\s+)?(?:\d+|an?|one|two|three|24|48|72)\s+(?:hours?|days?|"
    r"minutes?|weeks?)\b|\bin\s+(?:a|the)\s+(?:few|coming|next)\s+(?:\d+\s+)?(?:days|hours|"
    r"weeks|minutes)\b|\bover\s+the\s+next\s+\d+\s+(?:days|hours|weeks)\b"
    r"|\b(?:later|by\s+the\s+end\s+of)\s+(?:today|this\s+(?:week|month|afternoon|evening))\b"
    r"|\bevery\s+(?:\d+\s+)?(?:hours?|minutes?|days?|morning|evening|week)\b"
    r"|\b(?:daily|weekly|hourly)\b|\bnext\s+(?:week|monday|tuesday|wednesday|thursday|friday)\b"
)
TIME = re.compile(_TIME, re.IGNORECASE)
TELLING = _any(
    r"\b(?:update|updates|share|communicate|publish|post|tell|inform|report|announce|"
    r"let\s+you\s+know|come\s+back\s+to\s+you|write\s+to\s+you|hear\s+from|webinar|"
    r"briefing|be\s+in\s+touch|get\s+back\s+to\s+you)\b",
)
NEXT_UPDATE = _any(r"\bnext\s+update\b", r"\bhear\s+from\s+us\b")


@dataclass
class SentenceReading:
    """What one sentence does: each act with the words that show it."""

    sentence: str
    acts: dict[str, str] = field(default_factory=dict)

    def does(self, act: str) -> bool:
        return act in self.acts


def _match(pattern: re.Pattern, text: str) -> str:
    found = pattern.search(text)
    return found.group(0).strip() if found else ""


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|'(?:re|ve|ll|m|d)\b|[,;:()\"]")


def _tokens(sentence: str) -> list[str]:
    text = sentence.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\b(we|i|you|they)'(re|ve|ll|m|d)\b", r"\1 '\2", text)
    text = re.sub(r"\b(\w+)n't\b", r"\1 not", text)  # "didn't" -> "did not", "won't" -> "wo not"
    spelled = {"wo": "will", "ca": "can", "sha": "shall"}
    return [spelled.get(t, t) for t in _TOKEN.findall(text)]


def _is_participle(word: str) -> bool:
    return word.endswith(("ed", "en")) or word in IRREGULAR_PARTICIPLES


def find_action(sentence: str, names: frozenset[str] = frozenset()) -> str:
    """The words of the first action in the sentence: a first-person (or the business's)
    subject with an action verb in the progressive, perfect, future or past; or a perfect,
    progressive or future passive of something done. "" when there is none."""
    toks = _tokens(sentence)
    for i in range(len(toks)):
        subject_end = _subject_end(toks, i, names)
        if subject_end is None:
            continue
        found = _verb_after(toks, subject_end, first_person=True)
        if found:
            return " ".join(toks[i:found])
    for i, word in enumerate(toks):
        if word in ("has", "have", "had", "will", "is", "are") and i + 1 < len(toks):
            found = _passive_after(toks, i)
            if found:
                return " ".join(toks[max(0, i - 2) : found])
    return ""


def _subject_end(toks: list[str], i: int, names: frozenset[str]) -> int | None:
    """Where the subject starting at toks[i] ends, when it is first person."""
    word = toks[i]
    previous = toks[i - 1] if i else ""
    objects_follow = ("to", "for", "with", "of", "than", "let", "help", "us", "by")
    if previous in objects_follow and word in FIRST_PERSON:  # "to us", "let me": objects
        return None
    if word in ("we", "i"):
        return i + 1
    if word in ("our", "my") and i + 1 < len(toks) and toks[i + 1] in OUR_PEOPLE:
        return i + 2
    for name in names:
        parts = name.split()
        if toks[i : i + len(parts)] == parts:
            return i + len(parts)
    return None


def _verb_after(toks: list[str], start: int, first_person: bool) -> int | None:
    """The end of an action verb group after a subject, or None."""
    auxiliaries: list[str] = []
    j = start
    if j + 1 < len(toks) and toks[j] == "at":  # "we at Boeing are sorry"
        j += 2
    while j < len(toks):
        word = toks[j]
        if word in AUXILIARIES or word in ADVERBS or word.endswith("ly"):
            auxiliaries.append(word)
            j += 1
            continue
        if word == "to" and auxiliaries and auxiliaries[-1] in ("going", "need", "have", "has"):
            j += 1
            continue
        if word in LEADING and j + 1 < len(toks) and toks[j + 1] == "to":
            auxiliaries.append(word)
            j += 2
            continue
        break
    if j >= len(toks):
        return None
    verb = toks[j]
    if not verb.isalpha() or verb in NOT_ACTIONS or verb in FIRST_PERSON or verb in NOT_VERBS:
        return None
    # "take responsibility", "made mistakes", "got it wrong" admit; they are not actions.
    following = toks[j + 1 : j + 4]
    if verb in ("take", "took", "taken", "takes", "taking") and (
        {"responsibility", "seriously"} & set(following)
    ):
        return None
    before = toks[max(0, start - 4) : start]
    admits = any(w.startswith(("mistake", "error")) for w in following + before)
    if verb in ("make", "made", "makes") and admits:
        return None
    if SPOKEN & set(following):
        return None
    if verb in ("get", "got", "gets") and "wrong" in following:
        return None
    if verb in ("the", "a", "an", "this", "that", "our", "your", "their", "its", "no", "every"):
        return None
    aux = set(auxiliaries)
    future = bool(aux & {"will", "'ll", "shall", "going", "gonna"}) or (
        auxiliaries and auxiliaries[-1] in LEADING
    )
    being = {"am", "are", "is", "'re", "'m", "be", "been", "was", "were"}
    progressive = verb.endswith("ing") and bool(aux & being)
    has = bool(aux & {"have", "has", "had", "'ve", "'d"})
    if has and aux & {"should", "could", "would", "might", "must"}:
        return None  # "we should have engaged": what was not done
    perfect = _is_participle(verb) and has and "been" not in aux
    main_clause = not (start >= 2 and toks[start - 2] in EMBEDDING)
    past = main_clause and not auxiliaries and (verb.endswith("ed") or verb in IRREGULAR_PAST)
    present = (
        main_clause and not auxiliaries and first_person and not verb.endswith(("ed", "ing", "s"))
    )
    been_ing = "been" in aux and verb.endswith("ing")
    if future or progressive or perfect or past or present or been_ing:
        return j + 1
    return None


def _passive_after(toks: list[str], i: int) -> int | None:
    """ "has been removed", "will not be sold", "is being delivered": something done."""
    j = i + 1
    seen_be = False
    while j < len(toks) and (
        toks[j] in ADVERBS or toks[j].endswith("ly") or toks[j] in ("been", "be", "being")
    ):
        seen_be = seen_be or toks[j] in ("been", "be", "being")
        j += 1
    if not seen_be or j >= len(toks):
        return None
    verb = toks[j]
    if toks[i] in ("is", "are") and toks[i + 1] != "being":
        return None
    if _is_participle(verb) and verb not in HARM and verb not in NOT_ACTIONS:
        return j + 1
    return None


def read_sentence(sentence: str, names: frozenset[str] = frozenset()) -> SentenceReading:
    """Every act of one sentence, with its words. `names` are the business's own names in
    lower case ("hearth and crumb"): a sentence with the business as subject is first person."""
    reading = SentenceReading(sentence)
    acts = reading.acts
    non_apology = _match(NON_APOLOGY, sentence)
    if non_apology:
        acts["non-apology"] = non_apology
    else:
        apology = _match(APOLOGY, sentence)
        if apology:
            acts["apology"] = apology
    for act, pattern in (
        ("promise", PROMISE),
        ("speculation", SPECULATION),
        ("blame", BLAME),
        ("help-channel", HELP_CHANNEL),
        ("empathy", EMPATHY),
    ):
        words = _match(pattern, sentence)
        if words:
            acts[act] = words
    acknowledgement = (
        _match(ADMISSION, sentence) or _match(AWARENESS, sentence) or _match(INCIDENT, sentence)
    )
    if acknowledgement:
        acts["acknowledgement"] = acknowledgement
    action = find_action(sentence, names)
    if action:
        acts["action"] = action
    time = _match(TIME, sentence)
    telling = _match(TELLING, sentence)
    if (time and telling) or NEXT_UPDATE.search(sentence):
        acts["next-update"] = f"{time} … {telling}".strip(" …") or _match(NEXT_UPDATE, sentence)
    return reading


# --- the time a statement promises its next update ------------------------------------------

CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?(?!\d)"
    r"|\b(?P<word>noon|midday|midnight)\b",
    re.IGNORECASE,
)


def clock_times(sentence: str) -> list[tuple[int, int]]:
    """(hour, minute) of each clock time in a sentence ("3 pm" -> (15, 0), "10:00" -> (10, 0));
    bare numbers without a colon or am/pm are not times."""
    times = []
    for match in CLOCK.finditer(sentence):
        if match.group("word"):
            times.append((0, 0) if match.group("word").lower() == "midnight" else (12, 0))
            continue
        hour, minute, half = int(match.group("hour")), match.group("minute"), match.group("half")
        if minute is None and half is None:
            continue
        if hour > 23 or (minute is not None and int(minute) > 59):
            continue
        if half:
            half = half.lower().replace(".", "")
            if hour == 12:
                hour = 0 if half == "am" else 12
            elif half == "pm":
                hour += 12
        times.append((hour, int(minute or 0)))
    return times
