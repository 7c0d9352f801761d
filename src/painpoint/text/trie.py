"""One regular expression for many words, shaped as a trie: the longest word at each position, fast."""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, shaped as a trie, that matches the longest word at each position.

    A flat alternation of 2,000 words tries them one by one at every character; the trie tries one branch per
    character. Each node's continuation is greedy-optional when the node ends a word, so 农村留守儿童关爱保护
    wins over 留守儿童 exactly as longest-first alternation would (tested on the whole corpus).
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
