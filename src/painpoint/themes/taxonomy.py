"""The packaged theme taxonomy: themes, their plan and NGO wording, and the departments that own them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property

from painpoint.errors import ResourceError
from painpoint.i18n import _
from painpoint.text.resources import read_resource
from painpoint.text.trie import trie_pattern


@dataclass(frozen=True)
class Theme:
    """One pain-point theme, as plans name it."""

    name: str
    """Label as plans write it (社会救助)."""
    category: str
    """First-level category of the 政府购买服务指导性目录 (or 其他 for non-service work)."""
    departments: tuple[str, ...]
    """Departments that usually own it, most responsible first (short forms such as 民政局)."""
    social: float
    """0..1: how typically social organizations deliver this work through purchase of services."""
    terms: tuple[str, ...]
    """Plan wording that signals the theme."""
    ngo_terms: tuple[str, ...]
    """How organizations describe the same work."""
    beneficiaries: tuple[str, ...]
    """Beneficiary groups the theme serves."""
    umbrella: bool = False
    """A department's whole field (民政事业, 卫生健康): organizations serve it through its specific themes."""
    related: tuple[str, ...] = ()
    """Broader themes this theme's work also serves (留守儿童关爱保护 -> 儿童福利)."""
    population: bool = False
    """An umbrella over a group of people (残疾人, 妇女, 青少年): a real need in itself, never demoted."""

    @property
    def field_wide(self) -> bool:
        """An umbrella naming a department's whole field (民政事业, 卫生健康), not a group of people."""
        return self.umbrella and not self.population


class Taxonomy:
    """All themes, with fast longest-match lookup of their wording in text."""

    def __init__(self, themes: tuple[Theme, ...]) -> None:
        self.themes = themes
        self.by_name = {t.name: t for t in themes}

    # each index is one large regex (~30 ms to compile): built on first use, so scan never builds the org one
    @cached_property
    def _plan_index(self) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
        return self._index(lambda t: (t.name, *t.terms))

    @cached_property
    def _org_index(self) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
        return self._index(lambda t: (t.name, *t.terms, *t.ngo_terms))

    def _index(self, words_of: Callable[[Theme], Iterable[str]]) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
        owners: dict[str, list[str]] = {}
        for theme in self.themes:
            for word in words_of(theme):
                names = owners.setdefault(word, [])
                if theme.name not in names:
                    names.append(theme.name)
        return re.compile(trie_pattern(owners) or "(?!)"), {k: tuple(v) for k, v in owners.items()}

    def narrower(self, name: str) -> tuple[str, ...]:
        """Themes that name `name` among their broader (related) themes."""
        return self._narrower.get(name, ())

    @cached_property
    def _narrower(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for theme in self.themes:
            for broader in theme.related:
                out.setdefault(broader, []).append(theme.name)
        return {k: tuple(v) for k, v in out.items()}

    def without_ngo_terms(self, drop: Callable[[str], bool]) -> Taxonomy:
        """The same themes with every NGO term for which `drop` holds removed (the generalization check)."""
        return Taxonomy(tuple(replace(t, ngo_terms=tuple(w for w in t.ngo_terms if not drop(w)))
                              for t in self.themes))

    def family(self, umbrella: Theme) -> tuple[Theme, ...]:
        """Specific themes that the umbrella theme's department owns or shares."""
        if not umbrella.departments:
            return ()
        owner = umbrella.departments[0]
        return tuple(t for t in self.themes if not t.umbrella and owner in t.departments)

    @cached_property
    def all_terms(self) -> tuple[str, ...]:
        """Every plan and NGO term, for the segmenter's dictionary."""
        words = {w for t in self.themes for w in (t.name, *t.terms, *t.ngo_terms)}
        return tuple(sorted(words))

    def find(self, text: str, *, org: bool = False, tokens: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """(theme name, matched term) for each longest, non-overlapping term occurrence in `text`.

        With `tokens` (the text's segmentation, in order), a two-character term must be a whole word:
        助老 is not found in 帮助老师, nor 青年 in 返乡女青年创业 when segmentation says otherwise.
        """
        pattern, owners = self._org_index if org else self._plan_index
        bounds = _token_bounds(text, tokens) if tokens is not None else None
        hits = []
        for m in pattern.finditer(text):
            if bounds is not None and len(m.group(0)) == 2 and not (m.start() in bounds and m.end() in bounds):
                continue
            for theme in owners[m.group(0)]:
                hits.append((theme, m.group(0)))
        return hits


def _token_bounds(text: str, tokens: Sequence[str]) -> set[int]:
    """Offsets in `text` where a token starts or ends (tokens may skip punctuation and spaces)."""
    bounds = {0, len(text)}
    pos = 0
    for token in tokens:
        at = text.find(token, pos)
        if at < 0:
            continue
        bounds.update((at, at + len(token)))
        pos = at + len(token)
    return bounds


def _str_list(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: expected a list of strings", path="taxonomy.yaml")
    return tuple(v.strip() for v in value if v.strip())


def parse_taxonomy(text: str, source: str = "taxonomy.yaml") -> Taxonomy:
    """Validate taxonomy YAML text and build a Taxonomy."""
    themes = parse_themes(text, source)
    _check_related(themes, source)
    return Taxonomy(tuple(themes))


def parse_themes(text: str, source: str = "taxonomy.yaml") -> list[Theme]:
    """Validate taxonomy YAML text into themes (their `related` links are checked by the caller)."""
    import yaml

    try:
        data = _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ResourceError(_("YAML error: {problem}").format(problem=getattr(exc, 'problem', exc)), path=source,
                            line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ResourceError(_("expected a mapping with a 'themes' list"), path=source)
    themes = []
    seen = set()
    for i, raw in enumerate(data["themes"]):
        where = f"themes[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            raise ResourceError(f"{where}: each theme needs a name", path=source)
        name = raw["name"].strip()
        if name in seen:
            raise ResourceError(f"{where}: duplicate theme {name}", path=source)
        seen.add(name)
        try:
            social = float(raw.get("social", 0.5))
        except (TypeError, ValueError) as exc:
            raise ResourceError(f"{where}.social: expected a number", path=source) from exc
        terms = tuple(t for t in _str_list(raw.get("terms"), f"{where}.terms") if len(t) >= 2)
        themes.append(Theme(
            name=name, category=str(raw.get("category") or "其他"),
            departments=_str_list(raw.get("departments"), f"{where}.departments"),
            social=min(1.0, max(0.0, social)), terms=terms,
            ngo_terms=tuple(t for t in _str_list(raw.get("ngo_terms"), f"{where}.ngo_terms") if len(t) >= 2),
            beneficiaries=_str_list(raw.get("beneficiaries"), f"{where}.beneficiaries"),
            umbrella=bool(raw.get("umbrella", False)), population=bool(raw.get("population", False)),
            related=_str_list(raw.get("related"), f"{where}.related")))
    return themes


def _load_yaml(text: str) -> object:
    """yaml.safe_load, through libyaml when PyYAML has it (taxonomy.yaml: ~0.03 s against ~0.11 s).

    Text libyaml refuses is read again by the pure-Python loader, so an error names the same problem and
    line as it always did.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader, in C
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def extend_taxonomy(base: Taxonomy, paths: Sequence[str]) -> Taxonomy:
    """`base` with the themes of user YAML files (same schema) added; a theme of the same name replaces the
    base one, in its place. Later files win over earlier ones."""
    from painpoint.i18n import _

    themes = {t.name: t for t in base.themes}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceError(_("cannot read the themes file: {error}").format(error=exc), path=path,
                                hint=_("give a UTF-8 YAML file with a 'themes' list")) from exc
        for theme in parse_themes(text, path):
            themes[theme.name] = theme
    merged = list(themes.values())
    _check_related(merged, paths[-1] if paths else "taxonomy.yaml")
    return Taxonomy(tuple(merged))


_extended: Taxonomy | None = None


def use_extra_themes(paths: Sequence[str]) -> None:
    """From now on, load_taxonomy() returns the packaged taxonomy extended by these YAML files (none: the
    packaged taxonomy alone)."""
    global _extended
    _extended = extend_taxonomy(packaged_taxonomy(), paths) if paths else None


def extra_themes_in_use() -> bool:
    """Whether user themes extend the packaged taxonomy in this process (caches keyed on it stand aside)."""
    return _extended is not None


def _check_related(themes: Sequence[Theme], source: str) -> None:
    names = {t.name for t in themes}
    for theme in themes:
        unknown = [r for r in theme.related if r not in names]
        if unknown:
            raise ResourceError(f"{theme.name}.related: unknown theme {unknown[0]}", path=source)


def load_taxonomy() -> Taxonomy:
    """The taxonomy in use: the packaged one, extended by `--themes` files when given (use_extra_themes)."""
    return _extended or packaged_taxonomy()


@cache
def packaged_taxonomy() -> Taxonomy:
    """The packaged taxonomy, parsed once and then read back from the cache.

    Parsing taxonomy.yaml with PyYAML's pure-Python safe loader takes ~0.12 s, a fifth of a one-plan scan;
    its validated themes, kept as checked JSON keyed by painpoint's code and data digest, load in ~2 ms.
    A broken or foreign entry fails its checks and is rebuilt from the YAML, never trusted.
    """
    from painpoint.cache import CacheEntryError, decode_value, encode_value, open_store, package_digest, store_key
    from painpoint.text.segmenter import libraries_version

    store = open_store()
    key = store_key("taxonomy/1", package_digest(), libraries_version())
    payload = store.get("dict", key) if store is not None else None
    if store is not None and payload is not None:
        try:
            themes = decode_value(tuple[Theme, ...], payload)
            if len({t.name for t in themes}) != len(themes):
                raise CacheEntryError("duplicate theme names")
            _check_related(themes, "cache")
            return Taxonomy(themes)
        except (CacheEntryError, ResourceError):
            store.discard("dict", key)
    taxonomy = parse_taxonomy(read_resource("taxonomy.yaml"))
    if store is not None:
        store.put("dict", key, encode_value(taxonomy.themes))
    return taxonomy
