"""Evaluation on a labelled corpus, with the same definitions as the reference scorer (score.py).

Metrics: nDCG@3 of organizations per labelled document (match run once per document, an organization's
score being its best over the departments found in it), theme recall@10 and generic share of the top-10
pain points (scan of all documents in one call), and calibration (how often a document with a core-fit
organization has a higher top score than a distractor document). Baselines: whole-document TF-IDF cosine
with plain jieba tokens, and jieba.analyse.extract_tags top-10.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from painpoint.errors import PainpointError
from painpoint.i18n import _

if TYPE_CHECKING:
    from painpoint.text.segmenter import Segmenter
    from painpoint.themes.taxonomy import Taxonomy


def dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked_ids: Sequence[str], grades: Mapping[str, float], k: int = 3) -> float | None:
    """nDCG@k of a ranking against graded relevance; None when nothing is relevant."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return None
    return dcg([grades.get(o, 0) for o in ranked_ids[:k]]) / ideal


def theme_hits(labelled: Sequence[str], pain_points: Sequence[Mapping[str, Any]]) -> int:
    """Labelled themes (alternatives split by '|') found in a pain point's theme or terms."""
    hay = [" ".join([p.get("theme") or "", *(p.get("terms") or [])]) for p in pain_points]
    return sum(1 for alts in labelled if any(a in h for a in alts.split("|") for h in hay))


def generic_rate(pain_points: Sequence[Mapping[str, Any]], generic: set[str]) -> float:
    """Share of pain points whose theme is a generic word (or shorter than two characters)."""
    if not pain_points:
        return 1.0
    bad = sum(1 for p in pain_points if (p.get("theme") or "") in generic or len(p.get("theme") or "") < 2)
    return bad / len(pain_points)


def calibration(strong: Sequence[float], weak: Sequence[float]) -> float:
    """P(a strong document's top score > a distractor's), ties counting half."""
    pairs = [(a, b) for a in strong for b in weak]
    if not pairs:
        return 0.0
    return sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)


def _org_text(d: Any) -> str:
    parts: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, str):
            parts.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk({k: v for k, v in d.items() if k != "id"})
    return " ".join(parts)


def baselines(corpus: Path, docs: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, list[dict[str, Any]]]]:
    """Plain baselines: TF-IDF org ranking and jieba.analyse keywords, as the reference scorer runs them."""
    import logging

    import jieba
    import jieba.analyse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    jieba.setLogLevel(logging.ERROR)
    plain = jieba.Tokenizer()  # a tokenizer of our own, identical to jieba's default dictionary
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = plain
    extractor.postokenizer = jieba.posseg.POSTokenizer(plain)
    orgs = {}
    for f in sorted((corpus / "orgs").glob("*.yaml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        orgs[d["id"]] = _org_text(d)
    texts = {name: (corpus / "plans" / name).read_text(encoding="utf-8") for name in docs}
    vec = TfidfVectorizer(tokenizer=plain.lcut, token_pattern=None, lowercase=False)
    vec.fit(list(texts.values()) + list(orgs.values()))
    ids = list(orgs)
    matrix = vec.transform([orgs[i] for i in ids])
    rank, tags = {}, {}
    for name, text in texts.items():
        sims = cosine_similarity(vec.transform([text]), matrix)[0]
        rank[name] = [ids[i] for i in sorted(range(len(ids)), key=lambda i: -sims[i])]
        tags[name] = [{"theme": w, "terms": []} for w in extractor.extract_tags(text, topK=10)]
    return rank, tags


def profile_texts(corpus: Path) -> list[str]:
    """The corpus profiles' raw text (Simplified), where the generalization check looks for NGO terms."""
    from painpoint.text.traditional import to_simplified

    return [to_simplified(f.read_text(encoding="utf-8")) for f in sorted((corpus / "orgs").glob("*.yaml"))]


def held_out_taxonomy(taxonomy: Taxonomy, texts: Sequence[str]) -> tuple[Taxonomy, int]:
    """The taxonomy without every NGO term that occurs in one of `texts`, and how many terms that removed.

    Matching with it shows what the mechanisms carry for organizations whose wording no list was fitted to.
    """
    blob = "\n".join(texts)
    reduced = taxonomy.without_ngo_terms(lambda w: w in blob)
    removed = sum(len(a.ngo_terms) - len(b.ngo_terms) for a, b in zip(taxonomy.themes, reduced.themes, strict=True))
    return reduced, removed


def evaluate(corpus: Path, *, with_baselines: bool = True, generalization: bool = True) -> dict[str, Any]:
    """Score painpoint on `corpus` (plans/, orgs/, gold.yaml); returns the reference scorer's fields.

    `generalization`: also score with a taxonomy that lacks every NGO term found in the corpus profiles
    (under "generalization", with the nDCG@3 gap).
    """
    gold_path = corpus / "gold.yaml"
    try:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PainpointError(_("cannot read labels: {reason}").format(reason=exc), path=str(gold_path)) from exc
    res = _scores(corpus, gold, with_baselines=with_baselines)
    if generalization:
        from painpoint.pipeline import default_segmenter
        from painpoint.text.segmenter import Segmenter
        from painpoint.themes.taxonomy import load_taxonomy

        reduced, removed = held_out_taxonomy(load_taxonomy(), profile_texts(corpus))
        segmenter = Segmenter(extra_terms=reduced.all_terms, backend=default_segmenter().backend)
        held = _scores(corpus, gold, with_baselines=False, taxonomy=reduced, segmenter=segmenter)
        held["ngo_terms_removed"] = removed
        held["ndcg3_gap"] = round(res["match_ndcg3"] - held["match_ndcg3"], 3)
        res["generalization"] = held
    return res


def _scores(corpus: Path, gold: Mapping[str, Any], *, with_baselines: bool, taxonomy: Taxonomy | None = None,
            segmenter: Segmenter | None = None) -> dict[str, Any]:
    from painpoint.pipeline import match, scan
    from painpoint.report.match import match_json
    from painpoint.report.scan import plan_json

    generic = set(gold.get("generic_terms") or [])
    docs: dict[str, Any] = gold["documents"]
    plans_dir = corpus / "plans"
    orgs_dir = str(corpus / "orgs")
    scanned = scan([str(plans_dir / n) for n in docs], top=10, taxonomy=taxonomy, segmenter=segmenter)
    by_name = {Path(sp.plan.path).name: plan_json(sp) for sp in scanned.plans}

    ranked: dict[str, list[str]] = {}
    top1: dict[str, float] = {}
    for name, lab in docs.items():
        if not (lab.get("relevant") or name in gold.get("distractors", [])):
            continue
        result = match([str(plans_dir / name)], [orgs_dir], top=0, taxonomy=taxonomy, segmenter=segmenter)
        best: dict[str, float] = {}
        for m in (match_json(x) for x in result.matches):
            best[m["org_id"]] = max(best.get(m["org_id"], 0.0), float(m["score"]))
        ranked[name] = sorted(best, key=lambda o: (-best[o], o))
        top1[name] = max(best.values(), default=0.0)
    b_rank, b_tags = baselines(corpus, docs) if with_baselines else ({}, {})

    nd: list[float] = []
    bnd: list[float] = []
    gen: list[float] = []
    bgen: list[float] = []
    rec = brec = nthemes = 0
    per_doc: dict[str, dict[str, Any]] = {}
    for name, lab in docs.items():
        grades = lab.get("relevant") or {}
        row: dict[str, Any] = {}
        if grades:
            v = ndcg_at(ranked.get(name, []), grades)
            if v is not None:
                nd.append(v)
                row["ndcg3"] = round(v, 3)
                if b_rank:
                    bnd.append(ndcg_at(b_rank[name], grades) or 0.0)
        themes = lab.get("themes") or []
        if themes:
            pps = (by_name.get(name) or {}).get("pain_points", [])[:10]
            nthemes += len(themes)
            hits = theme_hits(themes, pps)
            rec += hits
            gen.append(generic_rate(pps, generic))
            row["themes_found"] = f"{hits}/{len(themes)}"
            if b_tags:
                brec += theme_hits(themes, b_tags[name])
                bgen.append(generic_rate(b_tags[name], generic))
        if name in top1:
            row["top_score"] = round(top1[name], 3)
        per_doc[name] = row
    strong = [top1.get(n, 0.0) for n, lab in docs.items() if 3 in (lab.get("relevant") or {}).values()]
    weak = [top1.get(n, 0.0) for n in gold.get("distractors", [])]

    def mean(xs: Sequence[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    res: dict[str, Any] = {
        "match_ndcg3": round(mean(nd), 3), "match_docs": len(nd),
        "theme_recall10": round(rec / nthemes, 3) if nthemes else 0.0,
        "generic_rate10": round(mean(gen), 3),
        "calibration_auc": round(calibration(strong, weak), 3),
        "scan_errors": len(scanned.errors),
    }
    if with_baselines:
        res.update({
            "baseline_tfidf_ndcg3": round(mean(bnd), 3),
            "baseline_jieba_recall10": round(brec / nthemes, 3) if nthemes else 0.0,
            "baseline_jieba_generic_rate10": round(mean(bgen), 3),
        })
    res["per_document"] = per_doc
    return res


def document_scores(plan_paths: Sequence[str], profile: str, org_id: str) -> dict[str, float]:
    """An organization's best score over each plan's departments, by plan file name."""
    from painpoint.pipeline import match

    result = match(list(plan_paths), [profile], org_id=org_id, top=0)
    docs = {d.name: d.documents for d in result.departments}
    best: dict[str, float] = {}
    for m in result.matches:
        for doc in docs.get(m.department, ()):
            name = Path(doc).name
            best[name] = max(best.get(name, 0.0), m.score)
    return best


def _top(scores: Mapping[str, float], k: int) -> list[str]:
    return sorted(scores, key=lambda d: (-scores[d], d))[:k]


def _distance(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    names = set(a) | set(b)
    return sum(abs(a.get(n, 0.0) - b.get(n, 0.0)) for n in names) / len(names) if names else 0.0


def import_overlap(corpus: Path, intro_paths: Sequence[str] | None = None, k: int = 5) -> dict[str, Any]:
    """How closely profiles drafted by `orgs import` rank the corpus plans like the hand-written ones.

    For each intro in `corpus/intros` (or `intro_paths`: same file stem as a profile in `corpus/orgs`), the
    draft and the hand-written profile each pick their `k` best plans; the overlap is the shared share.
    Also scores the plain baseline: the whole intro pasted into `mission` under the right name.
    """
    import tempfile

    from painpoint.orgs.importer import import_profiles

    plans = sorted(str(p) for p in (corpus / "plans").iterdir() if p.suffix == ".txt")
    intros = list(intro_paths) if intro_paths else sorted(str(p) for p in (corpus / "intros").iterdir())
    rows: dict[str, Any] = {}
    for intro in intros:
        stem = Path(intro).stem
        hand_file = corpus / "orgs" / f"{stem}.yaml"
        truth = yaml.safe_load(hand_file.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            imported = import_profiles([intro], tmp)[0]
            if not imported.output:
                raise PainpointError(imported.problem, path=intro)
            draft = document_scores(plans, imported.output, imported.profile_id)
            pasted = Path(tmp) / "pasted.yaml"
            text = " ".join(line.strip() for line in Path(intro).read_text(encoding="utf-8").splitlines()
                            if line.strip()) if intro.endswith((".txt", ".md")) else ""
            import json as _json

            pasted.write_text(f"id: pasted\nname: {_json.dumps(truth['name'], ensure_ascii=False)}\n"
                              f"mission: {_json.dumps(text or truth['name'], ensure_ascii=False)}\n",
                              encoding="utf-8")
            pasted_scores = document_scores(plans, str(pasted), "pasted")
        hand = document_scores(plans, str(hand_file), truth["id"])
        rows[stem] = {"overlap": len(set(_top(draft, k)) & set(_top(hand, k))) / k,
                      "pasted_overlap": len(set(_top(pasted_scores, k)) & set(_top(hand, k))) / k,
                      "score_distance": round(_distance(draft, hand), 4),
                      "pasted_score_distance": round(_distance(pasted_scores, hand), 4),
                      "hand": _top(hand, k), "draft": _top(draft, k)}

    def mean(key: str) -> float:
        return round(sum(r[key] for r in rows.values()) / len(rows), 3) if rows else 0.0

    return {"mean_overlap": mean("overlap"), "pasted_mean_overlap": mean("pasted_overlap"),
            "mean_score_distance": mean("score_distance"),
            "pasted_mean_score_distance": mean("pasted_score_distance"), "k": k, "organizations": rows}
