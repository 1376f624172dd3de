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
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTER = re.compile(r"[^\W\d_]")
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


def detect(text: str) -> str:
    """The language of `text` as a two-letter code; "" for another script; "en" when unclear."""
    letters = _LETTER.findall(text)
    if letters:
        latin = sum(1 for c in letters if _LATIN.match(c))
        if latin / len(letters) < 0.5:
            return ""
    words = [w.lower().replace("’", "'") for w in _TOKEN.findall(text.replace("’", "'"))]
    if not words:
        return ENGLISH
    hits = {lang: sum(1 for w in words if w in common) for lang, common in _WORDS.items()}
    best = max(hits, key=lambda lang: (hits[lang], lang == ENGLISH))
    if best != ENGLISH and hits[best] >= 2 and hits[best] > 1.5 * hits[ENGLISH]:
        return best
    return ENGLISH


def language_of(text: str, given: str = "") -> str:
    """The language to read `text` in: the source's word when it gave one, else a guess."""
    code = normalise(given)
    return code if code else detect(text)


def name_of(code: str) -> str:
    return NAMES.get(code, code or "another language")
