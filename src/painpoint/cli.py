"""Command line: thin wrappers mapping options to one core call, one renderer and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from painpoint import __version__
from painpoint.errors import PainpointError, UsageError
from painpoint.report import EvalFormat, OutputFormat, PitchFormat
from painpoint.text.segmenter import Backend

if TYPE_CHECKING:  # annotations only: the CLI imports the core when a command runs
    from collections.abc import Callable, Iterable

    from rich.console import Console
    from rich.progress import Progress as ProgressBar

    from painpoint.pipeline import Failure, MatchResult, Progress, ScanResult
    from painpoint.runcache import RunMemo

Result = TypeVar("Result")

app = typer.Typer(
    name="painpoint",
    help="读政府规划，找部门痛点，为社会组织匹配合作部门。Read Chinese government plans, find each "
         "department's pain points, and match social organizations to them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # plain help: typer's rich help formatter imports rich.markdown and friends, doubling `painpoint --help`
    # (0.14 s against 0.07 s); the help texts use no markup
    rich_markup_mode=None,
)
orgs_app = typer.Typer(help="Organization profiles: validate them.", no_args_is_help=True,
                       rich_markup_mode=None)
app.add_typer(orgs_app, name="orgs")

_state = {"debug": False, "quiet": False}


def _err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painpoint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")] = False,
) -> None:
    """painpoint: plans → departments → pain points → organizations."""
    _state["debug"] = debug
    _state["quiet"] = quiet


def _fail(message: str, code: int = 1) -> typer.Exit:
    print(f"painpoint: {message}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def _errors_to_exit_codes() -> Iterator[None]:
    """One road for errors: a usage error exits 2, any other painpoint error 1, each as one line."""
    try:
        yield
    except UsageError as exc:
        raise _fail(str(exc), 2) from None
    except PainpointError as exc:
        raise _fail(str(exc)) from None


def _emit(text: str, output: Path | None, *, bom: bool = False) -> None:
    """Data to stdout, or atomically to --output."""
    if output is None:
        if bom:  # CSV for Excel: the BOM is what makes Excel read the Chinese as UTF-8, on stdout too
            sys.stdout.flush()
            sys.stdout.buffer.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from painpoint.report.write import atomic_write

        atomic_write(output, text, bom=bom)


def _progress() -> tuple[Progress, ProgressBar | None]:
    """A progress callback drawing a rich bar on stderr, or a no-op when quiet or not a terminal."""
    from painpoint.pipeline import no_progress

    if _state["quiet"] or not sys.stderr.isatty():
        return no_progress, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("[dim]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=_err_console(), transient=True)
    task = bar.add_task("reading", total=None)

    def update(done: int, total: int, item: str) -> None:
        bar.update(task, completed=done, total=total, description=Path(item).name if item else "done")

    return update, bar


def _report_errors(errors: Iterable[Failure]) -> None:
    for f in errors:
        print(f"painpoint: {f.path}: {f.message}", file=sys.stderr)


PlansOpt = Annotated[list[str] | None, typer.Option("--plans", "-p", help="Plan files or folders (repeatable). "
                                                  "Default: data/plans.")]
OrgsOpt = Annotated[list[str] | None, typer.Option("--orgs", help="Profile folder or files (repeatable). "
                                                 "Default: data/orgs.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write cached results, per "
                                          "document or of a whole run (kept in $PAINPOINT_CACHE_DIR or the "
                                          "user cache).")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=0, help="Processes reading and segmenting plans "
                                      "(0 = one per CPU when there is enough work).")]
SegmenterOpt = Annotated[Backend, typer.Option("--segmenter", help="Segmentation engine: rjieba (fast), "
                                               "jieba (reference) or auto (rjieba when installed).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically) "
                                                 "instead of stdout.", dir_okay=False)]


def _as_text(result: ScanResult | MatchResult, fmt: OutputFormat, *, org_view: bool = False) -> str:
    """The result in a format, as text; a table is plain text 120 columns wide (what --output writes)."""
    import io

    from painpoint.pipeline import ScanResult
    from painpoint.report import match as match_render
    from painpoint.report import scan as scan_render

    if fmt is OutputFormat.table:
        from rich.console import Console

        console = Console(record=True, width=120, file=io.StringIO(), highlight=False)
        _draw_table(result, console, org_view=org_view)
        return console.export_text()
    if isinstance(result, ScanResult):
        renders = {OutputFormat.json: scan_render.to_json, OutputFormat.csv: scan_render.to_csv,
                   OutputFormat.md: scan_render.to_markdown}
        return renders[fmt](result)
    return {OutputFormat.json: match_render.to_json, OutputFormat.csv: match_render.to_csv,
            OutputFormat.md: match_render.to_markdown}[fmt](result)


def _draw_table(result: ScanResult | MatchResult, console: Console, *, org_view: bool) -> None:
    from painpoint.pipeline import ScanResult
    from painpoint.report import terminal

    if isinstance(result, ScanResult):
        terminal.scan_table(result, console)
    else:
        terminal.match_table(result, console, org_view=org_view)


def _render(result: ScanResult | MatchResult, fmt: OutputFormat, output: Path | None, *,
            org_view: bool = False) -> str | None:
    """Write the result to the terminal, stdout or --output; returns the text written (None: drawn live)."""
    if fmt is OutputFormat.table and output is None:
        from rich.console import Console

        _draw_table(result, Console(highlight=False), org_view=org_view)
        return None
    text = _as_text(result, fmt, org_view=org_view)
    _emit(text, output, bom=fmt is OutputFormat.csv)
    return text


def _memo(command: str, fmt: OutputFormat, output: Path | None, no_cache: bool, options: dict[str, object],
          plans: list[str], orgs: list[str] | None = None) -> RunMemo | None:
    """The whole-run cache entry (painpoint.runcache), or None: --no-cache, or a table for the terminal."""
    if no_cache or (fmt is OutputFormat.table and output is None):
        return None
    from painpoint.runcache import open_memo

    return open_memo(command, {"format": fmt.value, **options}, plans, orgs)


def _replay_or_run(memo: RunMemo | None, job: Callable[[Progress], Result], fmt: OutputFormat,
                   output: Path | None, *, org_view: bool = False) -> Result | None:
    """Print a stored run's output and return None; else run `job` (scan or match), render its result, store
    the text of a clean run (something found, nothing failed) and return the result."""
    text = memo.recall() if memo is not None else None
    if text is not None:
        _emit(text, output, bom=fmt is OutputFormat.csv)
        return None
    from painpoint.pipeline import MatchResult, ScanResult  # after the replay, which needs no core module

    result = _run(job)
    assert isinstance(result, ScanResult | MatchResult), "a scan or match job"
    text = _render(result, fmt, output, org_view=org_view)
    found = result.plans if isinstance(result, ScanResult) else result.departments
    if memo is not None and text is not None and found and not result.errors:
        memo.remember(text)
    return result


def _run(job: Callable[[Progress], Result]) -> Result:
    """Run a core job with a progress bar on stderr when it is a terminal."""
    progress, bar = _progress()
    if bar is None:
        return job(progress)
    with bar:
        return job(progress)


def _keep_inputs(outputs: Iterable[Path | None], plans: Iterable[str] = (), orgs: Iterable[str] = ()) -> None:
    """Refuse (usage error) an output file that is one of the inputs: painpoint never modifies what it reads."""
    import os

    existing = {}
    for output in outputs:
        if output is not None and output.is_file():
            info = output.stat()
            existing[(info.st_dev, info.st_ino)] = output
    if not existing:
        return
    from painpoint.ingest.discover import discover
    from painpoint.orgs.files import profile_files

    for path in discover(list(plans))[0] + profile_files(list(orgs))[0]:
        try:
            info = os.stat(path)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in existing:
            raise UsageError(f"{existing[(info.st_dev, info.st_ino)]} is also an input ({path}), and painpoint "
                             "never overwrites what it reads", hint="write the output to another file")


def _finish(errors: Iterable[Failure], found_any: bool) -> None:
    _report_errors(errors)
    if not found_any and not errors:
        raise _fail("no plan files found — give .txt/.md/.html/.docx/.pdf files or folders")
    if errors:
        raise typer.Exit(1)


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Plan files or folders (.txt .md .html .docx .pdf).",
                                               metavar="PATH...")],
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="Pain points per document (0 = all).")] = 10,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
    write_manifest: Annotated[Path | None, typer.Option(
        "--write-manifest", metavar="FILE", help="Also write the inferred manifest (department, place, year … "
        "with confidence and evidence) to FILE (.yaml or .csv) for a person to correct; saved as plans.yaml "
        "beside the plans, it wins over inference.")] = None,
) -> None:
    """What does each plan prioritise? Pain points with scores and evidence lines.

    Example: painpoint scan data/plans --top 5 --format md
    """
    def job(progress: Progress) -> ScanResult:
        from painpoint.pipeline import scan as run_scan

        return run_scan(paths, top=top, progress=progress, cache=not no_cache, jobs=jobs, backend=segmenter)

    with _errors_to_exit_codes():
        _keep_inputs([output, write_manifest], paths)
        memo = _memo("scan", fmt, output, no_cache or write_manifest is not None,
                     {"top": top, "segmenter": segmenter.value}, paths)
        result = _replay_or_run(memo, job, fmt, output)
        if result is not None and write_manifest is not None:
            from painpoint.plans.manifest import write_manifest as manifest_text

            _emit(manifest_text([sp.plan for sp in result.plans], str(write_manifest)), write_manifest)
    if result is not None:
        _finish(result.errors, bool(result.plans))


@app.command()
def match(
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    org: Annotated[str | None, typer.Option("--org", help="NGO view: this organization's best departments.")] = None,
    department: Annotated[str | None, typer.Option("--department", "-d", help="Only departments whose name "
                                                   "contains NAME.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="Organizations per department "
                                     "(with --org: departments) to show; 0 = all.")] = 5,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
) -> None:
    """Which organizations fit which department's pain points, why, and in whose words.

    Example: painpoint match --org sl-tongxin-shegong --top 3
    """
    plans, orgs = plans or ["data/plans"], orgs or ["data/orgs"]

    def job(progress: Progress) -> MatchResult:
        from painpoint.pipeline import match as run_match

        return run_match(plans, orgs, org_id=org, department=department, top=top, progress=progress,
                         cache=not no_cache, jobs=jobs, backend=segmenter)

    with _errors_to_exit_codes():
        _keep_inputs([output], plans, orgs)
        memo = _memo("match", fmt, output, no_cache, {"org": org, "department": department, "top": top,
                                                      "segmenter": segmenter.value}, plans, orgs)
        result = _replay_or_run(memo, job, fmt, output, org_view=org is not None)
    if result is not None:
        _finish(result.errors, bool(result.departments))


@app.command()
def report(
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", file_okay=False,
                                      help="Folder for report.html, matches.xlsx, matches.json and "
                                      "matches.csv (created if needed).")] = Path("out/report"),
    fail_under: Annotated[float | None, typer.Option("--fail-under", min=0.0, max=1.0, metavar="SCORE",
                                                     help="CI: exit 1 unless some department has a match "
                                                     "scoring at least SCORE (with --org: for that "
                                                     "organization).")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only this organization's matches.")] = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
) -> None:
    """Files people open: an HTML report with charts, an Excel workbook, the JSON contract and CSV.

    Example: painpoint report --out out/report --fail-under 0.5
    """
    from painpoint.pipeline import match as run_match
    from painpoint.report.bundle import REPORT_FILES, write_report

    with _errors_to_exit_codes():
        _keep_inputs([out / name for name in REPORT_FILES], plans or ["data/plans"], orgs or ["data/orgs"])
        result = _run(lambda progress: run_match(plans or ["data/plans"], orgs or ["data/orgs"], org_id=org,
                                                 top=0, progress=progress, cache=not no_cache, jobs=jobs,
                                                 backend=segmenter))
        paths = write_report(result, out)
    best = max(result.matches, key=lambda m: (m.score, m.department, m.org_id), default=None)
    passed = fail_under is None or (best is not None and best.score >= fail_under)
    if not _state["quiet"]:
        n_depts, n_orgs = len(result.departments), len({m.org_id for m in result.matches})
        line = (f"report: {paths[0]} (+ {', '.join(p.name for p in paths[1:])}): "
                f"{n_depts} department{'s' * (n_depts != 1)} × {n_orgs} organization{'s' * (n_orgs != 1)}")
        if best is not None:
            line += f"; best {best.score:.2f} {best.department} × {best.org_name}"
        if fail_under is not None:
            line += f"; --fail-under {fail_under:.2f}: {'pass' if passed else 'FAIL'}"
        print(line, file=sys.stderr)
    _finish(result.errors, bool(result.departments))
    if not passed:
        who = f"for {org} " if org else ""
        raise _fail(f"no department has a match {who}at or above {fail_under:.2f}"
                    + (f" (best {best.score:.2f})" if best is not None else ""))


@app.command()
def pitch(
    org: Annotated[str, typer.Option("--org", help="The organization's id (its profile's `id`).")],
    department: Annotated[str, typer.Option("--department", "-d", help="The department: its name or a "
                                            "part of it that names only one.")],
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    fmt: Annotated[PitchFormat, typer.Option("--format", "-f", help="md, or docx (needs --output).")
                   ] = PitchFormat.md,
    output: OutputOpt = None,
) -> None:
    """A one-page brief to take into a meeting: the department's pain points in its own words, your
    matching work restated in its vocabulary, and what you will report.

    Example: painpoint pitch --org sl-anyang-zhaohu --department 民政局 --output brief.md
    """
    from painpoint.match.pitch import pitch as build
    from painpoint.report import pitch as pitch_render

    if fmt is PitchFormat.docx and output is None:
        raise _fail("--format docx writes a Word file: give --output FILE.docx", 2)
    with _errors_to_exit_codes():
        _keep_inputs([output], plans or ["data/plans"], orgs or ["data/orgs"])
        brief, result = _run(lambda progress: build(plans or ["data/plans"], orgs or ["data/orgs"],
                                                    org_id=org, department=department, progress=progress))
        if fmt is PitchFormat.docx and output is not None:  # (docx without --output was refused above)
            from painpoint.report.write import atomic_write

            atomic_write(output, pitch_render.to_docx(brief))
        else:
            _emit(pitch_render.to_markdown(brief), output)
    if not _state["quiet"] and not any(p.served for p in brief.points):
        print(f"painpoint: note: {org}'s profile shows no work on {brief.department}'s pain points — "
              f"`painpoint match --org {org}` lists departments that fit better", file=sys.stderr)
    _report_errors(result.errors)
    if result.errors:
        raise typer.Exit(1)


class AnalysisFormat(StrEnum):
    """Output formats of links and diff: their results nest (departments in links), so no CSV."""

    table = "table"
    json = "json"
    md = "md"


AnalysisFormatOpt = Annotated[AnalysisFormat, typer.Option("--format", "-f", help="Output format.")]


def _render_analysis(result: Any, fmt: AnalysisFormat, output: Path | None, render: Any,
                     table: Callable[[Any, Console], None]) -> None:
    """`render` is the report module (to_json, to_markdown); `table(result, console)` draws the table.

    Typed loosely on purpose: links and diff each pass their own result type with its own renderers.
    """
    if fmt is AnalysisFormat.table:
        import io

        from rich.console import Console

        if output is None:
            table(result, Console(highlight=False))
        else:
            console = Console(record=True, width=120, file=io.StringIO(), highlight=False)
            table(result, console)
            _emit(console.export_text(), output)
    elif fmt is AnalysisFormat.json:
        _emit(render.to_json(result), output)
    else:
        _emit(render.to_markdown(result), output)


@app.command()
def links(
    plans: PlansOpt = None,
    orgs: Annotated[list[str] | None, typer.Option("--orgs", help="Profile folder or files (repeatable) "
                                                   "for organizations that could serve every department "
                                                   "of a link. Default: data/orgs when it exists.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="Links to show (0 = all).")] = 10,
    fmt: AnalysisFormatOpt = AnalysisFormat.table,
    output: OutputOpt = None,
) -> None:
    """Work that needs several departments: pain points their plans share, beneficiary groups they all name
    (留守儿童, 失能老人), and tasks whose 牵头/配合单位 name several of them.

    Example: painpoint links --plans data/plans --orgs data/orgs --top 5
    """
    from painpoint.analysis.links import find_links
    from painpoint.report import links as links_render
    from painpoint.report import terminal

    org_paths = orgs if orgs is not None else (["data/orgs"] if Path("data/orgs").is_dir() else [])
    with _errors_to_exit_codes():
        _keep_inputs([output], plans or ["data/plans"], org_paths)
        result = _run(lambda progress: find_links(plans or ["data/plans"], org_paths, top=top,
                                                  progress=progress))
        _render_analysis(result, fmt, output, links_render, terminal.links_table)
    _finish(result.errors, bool(result.departments))


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier plan: a file, or a folder of plans.")],
    new: Annotated[str, typer.Argument(help="The later plan: a file, or a folder (plans are paired by "
                                       "department).")],
    fmt: AnalysisFormatOpt = AnalysisFormat.table,
    output: OutputOpt = None,
) -> None:
    """What a department newly prioritises: themes new, rising, falling or dropped (with evidence from both
    plans), changed targets, and how its openness to buying services moved.

    Example: painpoint diff plans/2024 plans/2025 --format md
    """
    from painpoint.analysis.diff import diff_plans
    from painpoint.report import diff as diff_render
    from painpoint.report import terminal

    with _errors_to_exit_codes():
        _keep_inputs([output], [old, new])
        result = _run(lambda progress: diff_plans([old], [new], progress=progress))
        _render_analysis(result, fmt, output, diff_render, terminal.diff_table)
    if not result.departments and (result.only_old or result.only_new) and not _state["quiet"]:
        print("painpoint: note: no department has plans on both sides — name each plan's department in its "
              "title or header", file=sys.stderr)
    _finish(result.errors, bool(result.departments or result.only_old or result.only_new))


@orgs_app.command("check")
def orgs_check(
    paths: Annotated[list[str], typer.Argument(help="Profile folders or .yaml files.")],
) -> None:
    """Validate organization profiles (schema v1); every problem is one `file: field: message` line.

    Example: painpoint orgs check data/orgs
    """
    from painpoint.orgs import load_profiles

    profiles, problems = load_profiles(list(paths))
    for line in problems:
        print(line, file=sys.stderr)
    if not _state["quiet"]:
        print(f"{len(profiles)} profile(s) valid, {len(problems)} problem(s)", file=sys.stderr)
    if problems:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder with plans/, orgs/ and gold.yaml.",
                                         exists=True, file_okay=False)],
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    baselines: Annotated[bool, typer.Option(help="Also score the plain baselines.")] = True,
) -> None:
    """Score painpoint on a labelled corpus (nDCG@3, theme recall@10, generic share, calibration).

    Example: painpoint eval --corpus ../shared/corpus
    """
    import json

    from painpoint.evaluate import evaluate as run_eval

    with _errors_to_exit_codes():
        scores = run_eval(corpus, with_baselines=baselines)
    if fmt is EvalFormat.json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"painpoint eval: {corpus}")
    table.add_column("metric")
    table.add_column("painpoint", justify="right")
    table.add_column("baseline", justify="right")
    rows = [("nDCG@3 (match)", "match_ndcg3", "baseline_tfidf_ndcg3"),
            ("theme recall@10 (scan)", "theme_recall10", "baseline_jieba_recall10"),
            ("generic share of top-10", "generic_rate10", "baseline_jieba_generic_rate10"),
            ("calibration AUC", "calibration_auc", None)]
    for label, ours, base in rows:
        table.add_row(label, f"{scores[ours]:.3f}", f"{scores[base]:.3f}" if base and base in scores else "—")
    Console().print(table)


def main() -> None:
    """Console-script entry: run the app; no traceback reaches the user unless --debug."""
    try:
        app()
    except PainpointError as exc:
        print(f"painpoint: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("painpoint: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # last resort: one line unless --debug
        if _state["debug"] or "--debug" in sys.argv:
            raise
        print(f"painpoint: internal error: {type(exc).__name__}: {exc} — rerun with --debug and report it",
              file=sys.stderr)
        sys.exit(1)
