"""Recognising the offences on a custody list by what they mean, not by one phrase.

Custody systems and the Home Office offence list write the same offence many ways:
"PWITS Class A (crack)", "Possess with intent to supply a controlled drug of Class A -
Cocaine", "Being concerned in the supply of heroin contrary to section 4(3)(b) Misuse of
Drugs Act 1971". An offences cell is read one offence at a time (split on ";", new lines,
"|"), each for

* a drug verb: possession with intent to supply, being concerned in the supply (or in the
  making of an offer to supply), supply, offer to supply, production, cultivation,
  importation, possession; from words, abbreviations or the section of the 1971 Act;
* a drug class: "Class A", "Cl A", "controlled drug of Class A", or a drug's name mapped
  to its class (ControlledDrug, from Schedule 2 of the 1971 Act);
* the other exploitation signals: weapons, modern slavery and trafficking, cuckooing and
  child criminal exploitation, robbery, criminal property and money laundering, a train
  or a station.

Words one letter off a word this module looks for ("posession", "cocaien") are read as
that word. An offence code (OffenceCode) in a code column takes precedence over the
wording: the code says what the offence is, the wording may still say the drug's class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# The markers this module gives, with the points each adds unless an admin's screening
# offence of the same label says otherwise (or switches it off).
MARKERS: dict[str, int] = {
    "PWITS Class A": 40,
    "Supplying Class A": 40,
    "Producing Class A": 30,
    "Importing Class A": 30,
    "Possession of Class A": 15,
    "PWITS Class B": 25,
    "Supplying Class B": 25,
    "Producing Class B": 15,
    "Importing Class B": 15,
    "PWITS Class C": 15,
    "Supplying Class C": 15,
    "Drug supply (class not stated)": 25,
    "Knife or offensive weapon": 25,
    "Firearm or ammunition": 30,
    "Modern slavery or trafficking": 40,
    "Cuckooing or child criminal exploitation": 40,
    "Robbery": 20,
    "Money laundering or criminal cash": 15,
    "On a train or at a station": 10,
}

SUPPLY, PWITS, PRODUCE, IMPORT, POSSESS = "supply", "pwits", "produce", "import", "possess"
_VERB_LABEL = {PWITS: "PWITS", SUPPLY: "Supplying", PRODUCE: "Producing", IMPORT: "Importing"}
_VERB_ORDER = (PWITS, SUPPLY, IMPORT, PRODUCE, POSSESS)

# Abbreviations and spellings rewritten before anything is looked for (on the normalised
# text: lower case, punctuation as spaces, section references joined: "s 4 3 b" -> "s4 3 b").
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\bpwit[sz]?u?\b|\bpwis\b|\bp w i t s\b", "possession with intent to supply"),
    # "w/i/s", "w.i.s", "wis", "wits", "w/i/t/s", "w.i.t.s.": with intent to supply.
    (r"\bw\s*i\s*t?\s*s\b", "with intent to supply"),
    (r"\bw\s*i\b", "with intent"),
    (r"\bw\s*int\b", "with intent"),
    (r"\bwith intention\b", "with intent"),
    (r"\bintending\b", "with intent"),
    # A count of wraps, deals or bags ("x 28 wraps", "12 deals", "3 bags of crack") is itself
    # a supply marker: drugs bagged for sale.
    (r"\b(x\s*)?\d+\s*(x\s*)?(wraps?|deals?|bags?|baggies|bindles?|rocks|stones|packages|parcels)\b", " for supply "),
    (r"\b(wraps|deals|baggies|bindles)\b", " for supply "),
    (r"\bposs\b", "possession"),
    (r"\bpossess(ed|ing)?\b", "possession"),
    (r"\bcl\b|\bcls\b|\bcategory\b", "class"),
    (r"\bclass\s+(a|b|c)\s*drugs?\b", r"class \1 drugs"),
    (r"\b(supplying|supplied|supplies)\b", "supply"),
    (r"\boffering\b", "offer"),
    (r"\bconcerned in (the )?(making of an )?offer\b", "concerned in supply"),
    (r"\bconcerned in the supply\b|\bconcerned in supplying\b|\bconcerned in supply\b", "concerned in supply"),
    (r"\b(knife|knives|machete|machetes|bladed|blade|blades|sword|swords|pointed article)\b", "bladed"),
    (r"\bfirearms?\b|\bhandgun\b|\bshotgun\b|\bpistol\b|\brevolver\b|\bammunition\b|\bgun\b", "firearm"),
)
_SECTIONS: tuple[tuple[str, str], ...] = (
    # Misuse of Drugs Act 1971: 4(2) production, 4(3)(a) supply, 4(3)(b) and (c) concerned
    # in supply / in an offer to supply, 5(2) possession, 5(3) possession with intent, 6 cultivation.
    (r"\b(s|sec|section)\s*4\s*2\b", PRODUCE),
    (r"\b(s|sec|section)\s*4\s*3\s*a\b", SUPPLY),
    (r"\b(s|sec|section)\s*4\s*3\s*[bc]\b", SUPPLY),
    (r"\b(s|sec|section)\s*5\s*3\b", PWITS),
    (r"\b(s|sec|section)\s*5\s*2\b", POSSESS),
    (r"\b(s|sec|section)\s*6\b(?=.*misuse of drugs)", PRODUCE),
)
_VERBS: tuple[tuple[str, str], ...] = (
    (r"\bwith intent (to |2 )?(sell|supply)\b|\bintent to supply\b|\bfor supply\b|\bfor onward supply\b", PWITS),
    (r"\bconcerned in supply\b|\bsupply\b|\boffer to supply\b|\bsell(ing)?\b|\bdealing\b|\bsale\b", SUPPLY),
    (r"\bproduc(e|ing|tion)\b|\bcultivat(e|ing|ion)\b|\bgrow(ing|n)?\b|\bmanufactur(e|ing)\b", PRODUCE),
    (r"\bimport(ation|ing|ed)?\b|\bexport(ation|ing|ed)?\b|\bfraudulent evasion\b|\bsmuggl(e|ing)\b", IMPORT),
    (r"\bpossession\b|\bhave in (his|her|their) possession\b|\bfound in possession\b", POSSESS),
)
_CLASS = re.compile(r"\bclass\s*(a|b|c)\b")
_DRUG_CONTEXT = re.compile(r"\bcontrolled drug|\bdrugs?\b|\bmisuse of drugs\b|\bsubstance\b|\bmda\b|\bclass\s*[abc]\b")
_OTHER: tuple[tuple[str, str], ...] = (
    (
        r"\bbladed\b|\boffensive weapon\b|\bweapon\b|\bs139a?\b|\bsection 139a?\b|\bcorrosive\b",
        "Knife or offensive weapon",
    ),
    (r"\bfirearm\b|\bimitation\b|\bbb gun\b|\bstun gun\b|\btaser\b|\bprohibited weapon\b", "Firearm or ammunition"),
    (
        r"\bmodern slavery\b|\bslavery\b|\bservitude\b|\bforced (or compulsory )?labour\b|\bhuman trafficking\b"
        r"|\btrafficking (of )?(a )?(person|people|child|children|persons)\b|\bfacilitating travel\b"
        r"|\barrang\w* (or facilitat\w* )?travel\b|\bmsa 2015\b|\bslavery and trafficking\b",
        "Modern slavery or trafficking",
    ),
    (
        r"\bcuckoo(ing|ed)?\b|\bchild criminal exploitation\b|\bcriminal exploitation of (a )?child(ren)?\b"
        r"|\bcce\b|\bexploit\w* (a )?child\w*\b|\bcrime and policing act 2026\b|\bhome takeover\b",
        "Cuckooing or child criminal exploitation",
    ),
    (r"\brob(bery|beries|bing|bed)?\b|\bmugging\b|\bintent to rob\b", "Robbery"),
    (
        r"\bmoney launder\w*\b|\blaunder\w*\b|\bcriminal property\b|\bproceeds of crime\b|\bpoca\b"
        r"|\bs\s*32[789]\b|\bsection 32[789]\b|\bcash courier\b|\bcriminal cash\b",
        "Money laundering or criminal cash",
    ),
    (
        r"\btrains?\b|\brailway\b|\brail\b|(?<!police )\bstation\b|\bbtp\b|\bbritish transport police\b|\bbyelaw\w*\b"
        r"|\bfare evasion\b|\btravelling without a (valid )?ticket\b",
        "On a train or at a station",
    ),
)

# The words looked for, against which a word one letter off is corrected.
_VOCABULARY = {
    "possession",
    "possess",
    "intent",
    "supply",
    "supplying",
    "concerned",
    "controlled",
    "offer",
    "production",
    "cultivation",
    "cultivate",
    "importation",
    "bladed",
    "article",
    "offensive",
    "weapon",
    "firearm",
    "imitation",
    "ammunition",
    "slavery",
    "servitude",
    "trafficking",
    "exploitation",
    "criminal",
    "property",
    "laundering",
    "proceeds",
    "robbery",
    "cuckooing",
    "railway",
    "station",
    "misuse",
    "section",
}


def normalise(text: str) -> str:
    """Lower case, punctuation as single spaces; "4(3)(b)" reads "4 3 b"."""
    text = (text or "").lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"(?<=\w)'s\b", "s", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _one_off(word: str, target: str) -> bool:
    """True when `word` is `target` with one letter changed, added, dropped or two swapped."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    short, long = (word, target) if len(word) < len(target) else (target, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def correct_typos(text: str, vocabulary: Iterable[str]) -> str:
    """Each word of five letters or more one letter off a vocabulary word becomes that word."""
    words = set(vocabulary)
    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(word)
    out = []
    for word in text.split():
        if len(word) >= 5 and word not in words and not word.isdigit():
            for length in (len(word), len(word) - 1, len(word) + 1):
                fix = next((w for w in by_length.get(length, ()) if _one_off(word, w)), None)
                if fix:
                    word = fix
                    break
        out.append(word)
    return " ".join(out)


@dataclass
class Knowledge:
    """What the recogniser reads with: drug names -> class, offence codes -> marker."""

    drugs: dict[str, str] = field(default_factory=dict)  # normalised name -> "A" / "B" / "C"
    codes: dict[str, str] = field(default_factory=dict)  # code -> marker (prefix codes end in "*")

    def __post_init__(self) -> None:
        names = sorted(self.drugs, key=len, reverse=True)
        self._drug_pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b") if names else None
        self.vocabulary = _VOCABULARY | {w for n in self.drugs for w in n.split() if len(w) >= 6}

    def classes_in(self, text: str) -> set[str]:
        found = {m.group(1).upper() for m in _CLASS.finditer(text)}
        if self._drug_pattern is not None:
            found |= {self.drugs[m.group(1)] for m in self._drug_pattern.finditer(text)}
        return found

    def code_markers(self, codes_text: str) -> list[str]:
        markers = []
        for code in re.split(r"[\s,;|]+", (codes_text or "").upper()):
            code = code.strip().strip(".")
            if not code:
                continue
            marker = self.codes.get(code)
            if marker is None:
                marker = next(
                    (
                        m
                        for c, m in sorted(self.codes.items(), key=lambda i: -len(i[0]))
                        if c.endswith("*") and code.startswith(c[:-1])
                    ),
                    None,
                )
            if marker and marker not in markers:
                markers.append(marker)
        return markers


def _drug_markers(verbs: set[str], classes: set[str], drug_context: bool) -> list[str]:
    top = min(classes) if classes else None  # "A" < "B" < "C": the most serious class named
    for verb in _VERB_ORDER:
        if verb not in verbs:
            continue
        if verb == POSSESS:
            return ["Possession of Class A"] if top == "A" else []
        if top is None:
            return ["Drug supply (class not stated)"] if drug_context and verb in (PWITS, SUPPLY) else []
        label = f"{_VERB_LABEL[verb]} Class {top}"
        if label in MARKERS:
            return [label]
        return [f"Supplying Class {top}"] if verb != PRODUCE and verb != IMPORT else []
    return []


def recognise_offence(text: str, knowledge: Knowledge) -> list[str]:
    """The markers of one offence's wording."""
    text = correct_typos(normalise(text), knowledge.vocabulary)
    for pattern, replacement in _REWRITES:
        text = re.sub(pattern, replacement, text)
    classes = knowledge.classes_in(text)
    verbs = {verb for pattern, verb in _SECTIONS if re.search(pattern, text)}
    markers: list[str] = []
    # "Drug trafficking" is supply, not human trafficking.
    drug_trafficking = re.search(r"\bdrugs? trafficking\b|\btrafficking (in )?(controlled )?drugs?\b", text)
    if drug_trafficking:
        verbs.add(SUPPLY)
        text = text.replace(drug_trafficking.group(0), " ")
    # "Possession with intent to supply": one verb, used up before "supply" or "possession" alone.
    for pattern, verb in _VERBS:
        if re.search(pattern, text):
            verbs.add(verb)
            if verb == PWITS:
                text = re.sub(pattern, " ", text)
    drug_context = bool(classes or PWITS in verbs or _DRUG_CONTEXT.search(text))
    if classes or drug_context:
        markers += _drug_markers(verbs, classes, drug_context)
    for pattern, label in _OTHER:
        if re.search(pattern, text) and label not in markers:
            markers.append(label)
    return markers


def split_offences(text: str) -> list[str]:
    return [part for part in re.split(r"[;\n|]+|\s\d+\)\s|\s\(\d+\)\s", text or "") if part.strip()]


def recognise(offences: str, knowledge: Knowledge, *, codes: str = "", place: str = "") -> list[str]:
    """The markers of a row: from its offence codes when it has recognised ones (the
    wording may still give a drug's class), else from its wording; plus the place of arrest."""
    markers: list[str] = []
    by_code = knowledge.code_markers(codes)
    if by_code:
        classes = knowledge.classes_in(normalise(offences))
        for marker in by_code:
            if marker == "Drug supply":
                found = _drug_markers({SUPPLY}, classes, True)
            elif marker == "Drug possession":
                found = _drug_markers({POSSESS}, classes, True)
            else:
                found = [marker]
            markers += [m for m in found if m not in markers]
    else:
        for part in split_offences(offences):
            markers += [m for m in recognise_offence(part, knowledge) if m not in markers]
    station = "On a train or at a station"
    if place and station not in markers and station in recognise_offence(place, Knowledge()):
        markers.append(station)
    return markers
