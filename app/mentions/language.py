"""A small, offline language check: is this mention in English, the one language the sentiment
model reads?

The `language` a source gave the mention wins ("en", "en-GB", "es"...). Otherwise the words are
compared with the commonest short words of a few languages our owners meet; a text is called
another language only on clear evidence (at least two of that language's words and more than
English's), and text in another script (Cyrillic, Arabic, CJK...) is not English. Anything
unclear — "Terrible!!!", a name, an emoji — is read as English: a guess the other way would
hide a complaint.
"""

from __future__ import annotations

import re

ENGLISH = "en"

_COMMON = {
    "en": "the and is are was were to of in that it for you with this have not but be on at "
    "they we my your our i me so just what there been has had will would can do did no "
    "from an if all get got they're it's don't i'm",
    "es": "el la los las que y en un una es por con para no se lo del al muy pero más mi su "
    "como está son fue hay ya esta este me le les nos también porque cuando todo",
    "fr": "le la les de des et est un une du en que qui pas pour sur avec je vous nous il elle "
    "ce c'est mais très au aux ne se son sa ses mon ma mes été était j'ai suis",
    "de": "der die das und ist nicht ein eine zu den mit von ich sie es auf für wir sich auch "
    "dem des im sehr aber war sind wie noch nur nach bei kein keine hat habe",
    "pt": "o a os as de que e do da em um uma para com não é se na no por mais muito mas foi "
    "meu minha são está ao dos das pelo pela você também já",
    "it": "il di che e un una per non con sono è mi ma del della anche molto gli le questo "
    "questa sono ho hanno perché",
    "nl": "de het een en van is dat niet op te zijn met voor ik je maar ook wij zij dit was "
    "heeft hebben geen",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _COMMON.items()}
# Words of the other languages that are not also English words.
_FOREIGN = (
    frozenset().union(*(w for lang, w in _WORDS.items() if lang != ENGLISH)) - _WORDS[ENGLISH]
)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Letters of scripts other than Latin (Greek, Cyrillic, Arabic, Hebrew, Indic, CJK, ...).
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u1DFF\u2E80-\uD7FF\uF900-\uFAFF\uFE70-\uFEFF]")
NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "": "another language",
}


def normalise(code: str) -> str:
    """ "en-GB" -> "en", "English" -> "en", "" -> ""; unknown names stay as given (lower case)."""
    code = (code or "").strip().lower().replace("_", "-")
    if not code or code in ("und", "unknown", "mul", "zxx"):
        return ""
    for short, name in NAMES.items():
        if short and code == name.lower():
            return short
    if code in ("eng",):
        return "en"
    return code.split("-")[0]


def detect(text: str, words: list[str] | None = None) -> str:
    """The language of `text` as a two-letter code; "" for another script; "en" when unclear.
    `words`, when given, are its lower-case words (the sentiment reader's), read once."""
    if not text.isascii():
        others = len(_OTHER_SCRIPT.findall(text))
        if others and others > len(_LATIN.findall(text)):
            return ""
    if words is None:
        words = _TOKEN.findall(text.lower().replace("’", "'"))
    present = set(words)
    if _FOREIGN.isdisjoint(present):  # most mentions: not one word of another language
        return ENGLISH
    english = len(present & _WORDS[ENGLISH])
    best, hits = ENGLISH, english
    for lang, common in _WORDS.items():
        if lang != ENGLISH:
            found = len(present & common)
            if found > hits:
                best, hits = lang, found
    if best != ENGLISH and hits >= 2 and hits > 1.5 * english:
        return best
    return ENGLISH


def language_of(text: str, given: str = "", words: list[str] | None = None) -> str:
    """The language to read `text` in: the source's word when it gave one, else a guess."""
    code = normalise(given)
    return code if code else detect(text, words)


def name_of(code: str) -> str:
    return NAMES.get(code, code or "another language")
