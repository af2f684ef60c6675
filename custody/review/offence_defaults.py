"""The default offences that indicate county lines: what migration 0003 loads, and what
screening restores if the table is ever found empty (a flushed test database: admins
cannot delete offences, only switch them off)."""

DEFAULTS = [
    (
        "PWITS Class A",
        40,
        [
            "possession with intent to supply class a",
            "possess with intent to supply class a",
            "possession with intent to supply a controlled drug of class a",
            "possess a controlled drug of class a with intent to supply",
            "pwits class a",
            "pwits cocaine",
            "pwits crack",
            "pwits heroin",
            "intent to supply cocaine",
            "intent to supply crack cocaine",
            "intent to supply heroin",
            "intent to supply diamorphine",
        ],
    ),
    (
        "Supplying Class A",
        40,
        [
            "supply class a",
            "supplying class a",
            "supply a controlled drug of class a",
            "supplying a controlled drug of class a",
            "concerned in the supply of class a",
            "concerned in the supply of a controlled drug of class a",
            "offer to supply class a",
            "offering to supply a controlled drug of class a",
        ],
    ),
    (
        "PWITS Class B",
        25,
        [
            "possession with intent to supply class b",
            "possess with intent to supply class b",
            "possession with intent to supply a controlled drug of class b",
            "pwits class b",
            "pwits cannabis",
            "intent to supply cannabis",
        ],
    ),
    (
        "Knife or offensive weapon",
        25,
        [
            "bladed article",
            "possession of a knife",
            "possess a knife",
            "offensive weapon",
            "zombie knife",
            "flick knife",
        ],
    ),
    ("Firearm or ammunition", 30, ["firearm", "ammunition", "imitation firearm"]),
    ("Modern slavery or trafficking", 40, ["modern slavery", "human trafficking", "arranging or facilitating travel"]),
    (
        "Money laundering or criminal cash",
        15,
        ["money laundering", "acquire criminal property", "possess criminal property", "proceeds of crime"],
    ),
    ("Possession of Class A", 15, ["possession of class a", "possess class a"]),
]
