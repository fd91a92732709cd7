"""Names that look alike: letters of other scripts drawn like Latin ones (Cyrillic `а`, Greek
`Ο`) and characters drawn as nothing at all (a zero-width space). The registry refuses an
athlete whose name only they tell apart from another's, and a name made of nothing visible."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

# The Cyrillic and Greek letters that Unicode's confusables.txt (UTS #39) gives a Latin letter
# as prototype, upper and lower case apart (`Н` looks like H, `н` does not look like h). Other
# look-alikes (fullwidth and mathematical letters, ligatures) are compatibility forms: the
# registry's fold (NFKD) already makes them Latin.
_LATIN_LOOK = str.maketrans(
    {
        # Cyrillic: А В Е Ѕ І Ј К М Н О Р С Т У Х Ү Ӏ Ԛ Ԝ, then а е і ј о р с у х ѕ һ ԁ ԛ ԝ ӏ ү
        **dict(
            zip(
                "\u0410\u0412\u0415\u0405\u0406\u0408\u041a\u041c\u041d\u041e\u0420"
                "\u0421\u0422\u0423\u0425\u04ae\u04c0\u051a\u051c",
                "ABESIJKMHOPCTYXYIQW",
                strict=True,
            )
        ),
        **dict(
            zip(
                "\u0430\u0435\u0456\u0458\u043e\u0440\u0441\u0443\u0445\u0455\u04bb"
                "\u0501\u051b\u051d\u04cf\u04af",
                "aeijopcyxshdqwly",
                strict=True,
            )
        ),
        # Greek: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ, then α ι ο ν ρ υ γ χ; and the dotless ı
        **dict(
            zip(
                "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1"
                "\u03a4\u03a5\u03a7",
                "ABEZHIKMNOPTYX",
                strict=True,
            )
        ),
        **dict(
            zip("\u03b1\u03b9\u03bf\u03bd\u03c1\u03c5\u03b3\u03c7\u0131", "aiovpuyxi", strict=True)
        ),
    }
)


@cache
def _ignorable() -> regex.Pattern[str]:
    """Unicode's Default_Ignorable_Code_Point: what a renderer draws as nothing (the combining
    grapheme joiner, the Hangul filler, variation selectors …), from the `regex` library's
    Unicode tables rather than a list typed here."""
    import regex  # only when a name is not ASCII

    return regex.compile(r"\p{Default_Ignorable_Code_Point}")


def _drawn_as_nothing(char: str) -> bool:
    """A default-ignorable character (zero-width space and joiners, soft hyphen, BOM,
    direction marks, the combining grapheme joiner, the Hangul filler) or a control other than
    white space: shown as nothing, or not at all."""
    if unicodedata.category(char)[0] == "C" and not char.isspace():
        return True
    return not char.isascii() and _ignorable().match(char) is not None


def invisible(name: str) -> bool:
    """Whether a name shows no letter: nothing but spaces, controls, format characters and
    combining marks (`\\u200b\\u200d`)."""
    return all(
        char.isspace() or _drawn_as_nothing(char) or unicodedata.combining(char)
        for char in unicodedata.normalize("NFD", name)
    )


def latin_look(name: str) -> str:
    """The name as it looks: look-alike letters replaced by the Latin letter they look like,
    characters drawn as nothing removed. An ASCII name is its own look (the common case costs
    one scan)."""
    if name.isascii():
        return name
    # Decomposed first, so that `ё` is `е` and a diaeresis, as `ë` is `e` and one.
    looked = unicodedata.normalize("NFD", name).translate(_LATIN_LOOK)
    return "".join(char for char in looked if not _drawn_as_nothing(char))


def lookalike_letters(name: str) -> list[str]:
    """The characters of a name that `latin_look` replaces or removes, as `U+0456 CYRILLIC
    SMALL LETTER BYELORUSSIAN-UKRAINIAN I`, each once, in order."""
    found = dict.fromkeys(
        char for char in name if ord(char) in _LATIN_LOOK or _drawn_as_nothing(char)
    )
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}" for char in found]
