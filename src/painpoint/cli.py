"""Command line: thin wrappers mapping options to one core call, one renderer and an exit code.

Exit codes, one meaning each: 0 all good; 1 some inputs could not be read (the rest were processed);
2 usage or configuration error; 3 the quality gate (--fail-under) failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from painpoint import __version__, i18n
from painpoint.errors import ConfigError, PainpointError, UsageError, printable
from painpoint.i18n import _, ngettext
from painpoint.report import EvalFormat, OutputFormat, PitchFormat
from painpoint.text.segmenter import Backend

if TYPE_CHECKING:  # annotations only: the CLI imports the core when a command runs
    from collections.abc import Callable, Iterable

    from rich.console import Console
    from rich.progress import Progress as ProgressBar

    from painpoint.config import Config
    from painpoint.ingest.discover import Skipped
    from painpoint.pipeline import Failure, MatchResult, Progress, ScanResult
    from painpoint.runcache import RunMemo

Result = TypeVar("Result")

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_GATE = 0, 1, 2, 3
"""0 all good; 1 some inputs could not be read; 2 usage or configuration error; 3 quality gate failed."""

STDIO = "-"
"""A path of "-" means standard input (scan) or standard output (--output)."""

_state: dict[str, Any] = {"debug": False, "quiet": False, "verbose": False, "config": None, "setup_error": None,
                          "lang_source": "locale"}


def _lang_in(argv: Sequence[str]) -> str | None:
    """The value of --lang anywhere on the command line (the help texts are built before parsing)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _bootstrap(argv: Sequence[str]) -> None:
    """Settle the language before any help text is built: --lang, PAINPOINT_LANG, painpoint.toml, the locale.

    A broken config file or an unknown language is kept and reported when a command runs (exit 2).
    """
    from painpoint.config import load_config

    try:
        _state["config"] = load_config()
    except ConfigError as exc:
        _state["setup_error"] = exc
    configured = _state["config"].lang if _state["config"] is not None else None
    import os

    explicit = _lang_in(argv)
    _state["lang_source"] = ("--lang" if explicit else "PAINPOINT_LANG" if os.environ.get("PAINPOINT_LANG")
                             else str(_state["config"].file) if configured else "locale")
    try:
        i18n.set_language(i18n.resolve_language(explicit, configured=configured))
    except ValueError as exc:
        i18n.set_language("en")
        _state["setup_error"] = UsageError(str(exc))


_bootstrap(sys.argv[1:])


def _config() -> Config:
    """The settings in force (painpoint.toml or the built-in defaults); a broken file is a usage error."""
    if _state["setup_error"] is not None:
        raise _state["setup_error"]
    from painpoint.config import load_config

    if _state["config"] is None:
        _state["config"] = load_config()
    return _state["config"]  # type: ignore[no-any-return]


def _set_quiet(ctx: Any, param: Any, value: bool) -> None:
    if value:
        _state["quiet"] = True


def _set_verbose(ctx: Any, param: Any, value: bool) -> None:
    if value:
        _state["verbose"] = True


def _set_lang(ctx: Any, param: Any, value: str | None) -> None:
    if value:
        lang = i18n.normalise(value)
        if lang is None:
            raise typer.BadParameter(_("choose zh or en"))
        i18n.set_language(lang)


def _common_options() -> list[TyperOption]:
    """-q, -v and --lang, accepted after every command as well as before it."""
    return [
        TyperOption(param_decls=["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_quiet,
                    help=_("No progress bar or summary on stderr.")),
        TyperOption(param_decls=["-v", "--verbose"], is_flag=True, expose_value=False, callback=_set_verbose,
                    help=_("Also list the files left out on purpose (hidden, lock files, non-documents).")),
        TyperOption(param_decls=["--lang"], metavar="zh|en", expose_value=False, callback=_set_lang,
                    is_eager=True, help=_("Language of messages (default: PAINPOINT_LANG, then the locale).")),
    ]


class _Command(TyperCommand):
    """A painpoint command: the common options, help in the language in force."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_common_options())

    def get_help(self, ctx: Any) -> str:
        return _localized_help(self, ctx, super().get_help)


class _Group(TyperGroup):
    """painpoint and its sub-apps: help and usage errors in the language in force."""

    def get_help(self, ctx: Any) -> str:
        return _localized_help(self, ctx, super().get_help)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError

        # each run starts afresh: a library caller or a test runner invokes the app many times in one process
        # with its own arguments; the console script's own run was settled when this module was imported
        _state.update(debug=False, quiet=False, verbose=False, stdin_path=None)
        if args is not None:
            _state.update(config=None, setup_error=None)
            _bootstrap(list(args))
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False,
                                windows_expand_args=windows_expand_args, **extra)
        except NoArgsIsHelpError as exc:
            print(exc.format_message(), file=sys.stderr)
            code = EXIT_USAGE
        except ClickException as exc:
            code = _show_usage_error(exc)
        if not isinstance(code, int):
            code = EXIT_OK
        if standalone_mode:
            sys.exit(code)
        return code


def _localized_help(command: Any, ctx: Any, get_help: Callable[[Any], str]) -> str:
    """The command's help in the language in force, wrapped to fit a terminal in that language."""
    import shutil

    from painpoint.clitext import help_width, localize_help

    if ctx.terminal_width is None:
        ctx.terminal_width = help_width(shutil.get_terminal_size().columns)
    return localize_help(get_help(ctx))


def _show_usage_error(exc: Any) -> int:
    """A click usage error as painpoint's: the usage line, the error in the language in force, where to look."""
    from painpoint.clitext import localize_error

    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        from painpoint.clitext import localize_help

        print(localize_help(ctx.get_usage()), file=sys.stderr)
    print(f"painpoint: {localize_error(exc.format_message())}", file=sys.stderr)
    if ctx is not None:
        print(_("Try '{command} --help' for help and examples.").format(command=ctx.command_path), file=sys.stderr)
    return int(getattr(exc, "exit_code", EXIT_USAGE))


_EXIT_CODES_GATE = _("Exit codes: 0 all good; 1 some inputs could not be read (the rest were processed); 2 usage "
                     "or configuration error; 3 --fail-under not met.")
# code 3 belongs to `report --fail-under` alone: the other commands' help does not mention it
_EXIT_CODES = _("Exit codes: 0 all good; 1 some inputs could not be read (the rest were processed); 2 usage or "
                "configuration error.")

app = typer.Typer(
    name="painpoint",
    cls=_Group,
    help=_("Read Chinese government plans, find each department's pain points, and match social organizations "
           "to them.") + "\n\n\b\n" + _("Start here:") + "\n  painpoint scan data/plans\n"
    "  painpoint orgs import 机构介绍.docx -o orgs\n  painpoint orgs check orgs\n"
    "  painpoint match --orgs orgs --org ORG_ID\n\n" + _EXIT_CODES_GATE,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # plain help: typer's rich help formatter imports rich.markdown and friends, doubling `painpoint --help`
    # (0.14 s against 0.07 s); the help texts use no markup
    rich_markup_mode=None,
)
orgs_app = typer.Typer(cls=_Group, help=_("Organization profiles: check them, draft one from your 机构介绍, start a "
                                          "new one."), no_args_is_help=True, rich_markup_mode=None)
app.add_typer(orgs_app, name="orgs")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painpoint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_("Show the version and exit."))] = False,
    debug: Annotated[bool, typer.Option("--debug", help=_("Show a traceback on unexpected errors."))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("No progress bar or summary on stderr."))] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=_("Also list the files left out on purpose "
                                                                    "(hidden, lock files, non-documents)."))
                       ] = False,
    lang: Annotated[str | None, typer.Option("--lang", metavar="zh|en", callback=_set_lang, is_eager=True,
                                             help=_("Language of messages (default: PAINPOINT_LANG, then "
                                                    "painpoint.toml, then the locale)."))] = None,
    themes: Annotated[list[Path] | None, typer.Option(
        "--themes", envvar="PAINPOINT_THEMES", dir_okay=False, metavar="FILE",
        help=_("YAML file of extra themes (taxonomy schema): adds themes, or replaces one of the same "
               "name. Repeat for several; PAINPOINT_THEMES sets it for every run."))] = None,
) -> None:
    _state["debug"] = debug
    _state["quiet"] = _state["quiet"] or quiet
    _state["verbose"] = _state["verbose"] or verbose
    # a user-extendable taxonomy, for every command of this run; none is left from an earlier run in this process
    # (tests, library callers), without importing the taxonomy for commands that never read it
    loaded = sys.modules.get("painpoint.themes.taxonomy")
    if themes or loaded is not None:
        from painpoint.themes.taxonomy import use_extra_themes

        with _errors_to_exit_codes():
            use_extra_themes([str(p) for p in themes or ()])


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    print(f"painpoint: {printable(message)}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def _errors_to_exit_codes() -> Iterator[None]:
    """One road for errors: a usage or configuration error exits 2, any other painpoint error 1, one line each."""
    try:
        yield
    except UsageError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except PainpointError as exc:
        raise _fail(str(exc)) from None


def _emit(text: str, output: Path | None, *, bom: bool = False) -> None:
    """Data to stdout (no --output, or --output -), or atomically to --output."""
    if output is None or str(output) == STDIO:
        if bom:  # CSV for Excel: the BOM is what makes Excel read the Chinese as UTF-8, on stdout too
            sys.stdout.flush()
            sys.stdout.buffer.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write(output, text, bom=bom)


def _write(target: Path, data: str | bytes | Iterable[str], *, bom: bool = False) -> None:
    """Write an output file atomically and say where on stderr: a user who asked for result.xlsx is told it is
    there, and where, before going to look for it in Excel."""
    from painpoint.report.write import atomic_write

    atomic_write(target, data, bom=bom)
    if not _state["quiet"]:
        print(_("painpoint: wrote {path}").format(path=target), file=sys.stderr)


def _file_output(output: Path | None) -> Path | None:
    """--output as a file to write, or None for standard output ("-")."""
    return None if output is None or str(output) == STDIO else output


def _progress() -> tuple[Progress, ProgressBar | None]:
    """A progress callback drawing a rich bar on stderr, or a no-op when quiet or not a terminal."""
    from painpoint.pipeline import no_progress

    if _state["quiet"] or not sys.stderr.isatty():
        return no_progress, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("[dim]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=Console(stderr=True, highlight=False, soft_wrap=True), transient=True)
    task = bar.add_task(_("reading"), total=None)

    def update(done: int, total: int, item: str) -> None:
        bar.update(task, completed=done, total=total, description=Path(item).name if item else _("done"))

    return update, bar


def _report_errors(errors: Iterable[Failure]) -> None:
    for f in errors:
        print(printable(f"painpoint: {f.path}: {f.message}"), file=sys.stderr)


def _report_skipped(skipped: Sequence[Skipped]) -> None:
    """Files left out on purpose: each with its reason under --verbose, else one count line."""
    if not skipped or _state["quiet"]:
        return
    from painpoint.ingest.discover import SkipReason

    # an organization's own text among the plans, and a plan read twice, are named every time: a user put them
    # there on purpose, and needs to know one was left out
    named = [s for s in skipped if _state["verbose"]
             or s.reason in (SkipReason.ORGANIZATION_TEXT, SkipReason.DUPLICATE)]
    for s in named:
        print(printable(_("painpoint: skipped {path}: {reason}").format(path=s.path, reason=s.label)),
              file=sys.stderr)
    rest = len(skipped) - len(named)
    if rest:
        print(_("painpoint: note: {n} file(s) in the folders left out on purpose (hidden, lock files, "
                "non-documents); --verbose lists them").format(n=rest), file=sys.stderr)


PlansOpt = Annotated[list[str] | None, typer.Option(
    "--plans", "-p", metavar="PATH", help=_("Plan file or folder (repeatable). Default: `plans` in painpoint.toml, "
                                            "else ./data/plans."))]
OrgsOpt = Annotated[list[str] | None, typer.Option(
    "--orgs", metavar="PATH", help=_("Profile folder or file (repeatable). Default: `orgs` in painpoint.toml, "
                                     "else ./data/orgs."))]
FormatOpt = Annotated[OutputFormat | None, typer.Option("--format", "-f", show_default=False,
                                                        help=_("Output format. Default: from the --output file's "
                                                               "extension (.json .csv .md; match also .xlsx), "
                                                               "else table."))]


# files people open in another program: a text table written under such a name would not open there
_OFFICE_SUFFIXES = (".xlsx", ".xls", ".et", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm")


def _format_for(fmt: OutputFormat | None, output: Path | None, command: str, *, workbook: bool = False
                ) -> OutputFormat:
    """--format as given, else what the output file's extension says (a .json file gets JSON, not a table).

    An --output named for another program (.xlsx, .docx, .pdf, .html) without --format is a usage error that
    names the command writing it, except .xlsx when `workbook` (the caller writes an Excel workbook itself).
    """
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower().lstrip(".") if output is not None and str(output) != STDIO else ""
    if f".{suffix}" in _OFFICE_SUFFIXES and not (workbook and suffix == "xlsx"):
        writes = (_("painpoint {command} writes .json, .csv, .md, .xlsx or a text table, not a .{suffix} file")
                  if workbook else _("painpoint {command} writes .json, .csv, .md or a text table, not a .{suffix} "
                                     "file"))
        raise UsageError(writes.format(command=command, suffix=suffix),
                         hint=_("for Excel and a browser: painpoint report --out DIR (matches.xlsx, report.html); "
                                "for Word: painpoint pitch -o FILE.docx; or give --format"))
    return {"json": OutputFormat.json, "csv": OutputFormat.csv, "md": OutputFormat.md,
            "markdown": OutputFormat.md}.get(suffix, OutputFormat.table)
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help=_("Neither read nor write cached results, per "
                                                               "document or of a whole run (kept in "
                                                               "$PAINPOINT_CACHE_DIR or the user cache)."))]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=0, metavar="N",
                                      help=_("Processes reading and segmenting plans (0 = one per CPU when "
                                             "there is enough work)."))]
SegmenterOpt = Annotated[Backend, typer.Option("--segmenter", help=_("Segmentation engine: rjieba (fast), "
                                                                     "jieba (reference) or auto (rjieba when "
                                                                     "installed)."))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", dir_okay=False,
                                                help=_("Write to FILE (atomically) instead of stdout; - is "
                                                       "stdout."))]
StoreOpt = Annotated[Path | None, typer.Option(
    "--store", metavar="FILE", dir_okay=False,
    help=_("Record the run in a results store (SQLite, e.g. results.db) as it goes: documents, pain points, "
           "departments, matches, errors and a run log. Give FILE where plans are expected to read it back."))]
ResumeOpt = Annotated[bool, typer.Option(
    "--resume", help=_("With --store FILE that already holds results: take unchanged documents from it, analyse "
                       "only new or changed ones, drop removed ones, then rank again."))]


@contextmanager
def _results_store(store: Path | None, resume: bool, command: str, plans: Sequence[str]) -> Iterator[Any]:
    """The RunStore for --store (None without it); prints what the run changed in it on stderr."""
    if store is None:
        if resume:
            raise UsageError(_("--resume continues a results store: give --store FILE too"))
        yield None
        return
    from painpoint.storage.results import is_store_path

    if STDIO in plans:
        raise UsageError(_("--store records plans read from files; standard input (-) cannot be resumed"),
                         hint=_("save the plan to a file first"))
    if any(is_store_path(p) and Path(p).resolve() == store.resolve() for p in plans):
        raise UsageError(_("{path} is both --store and a plan source").format(path=store),
                         hint=_("give another --store file, or add --resume to update this one from the plan "
                                "files"))
    from contextlib import closing

    from painpoint.runstore import RunStore

    with closing(RunStore(store, resume=resume, command=command)) as opened:
        yield opened
        done = opened.summary
        if done is not None and not _state["quiet"]:
            print(_("painpoint: store {path}: {documents} documents ({added} added, {changed} changed, {unchanged} "
                    "unchanged, {removed} removed, {failed} unreadable)").format(
                path=done.path, documents=done.documents, added=done.added, changed=done.changed,
                unchanged=done.unchanged, removed=done.removed, failed=done.failed), file=sys.stderr)


def _plans(given: list[str] | None) -> list[str]:
    return _paths_or_default(given, "plans", "--plans")


def _plans_that_exist(paths: list[str]) -> list[str]:
    """`paths` when at least one of them exists; a usage error naming them when none does.

    A mistyped plans folder would otherwise run on nothing and print an empty result (exit 1), read as "no
    department has needs" by someone who does not read stderr; one missing among several is reported and
    the rest processed, as before. Standard input and broken links (which discover names as such) count as
    existing.
    """
    import os

    if any(p == STDIO or os.path.lexists(p) for p in paths):
        return paths
    raise UsageError(_("no such file or folder: {paths}").format(paths=", ".join(paths)),
                     hint=_("check the path: give plan files or the folder that holds them (`painpoint config` "
                            "shows the default folder)"))


def _orgs(given: list[str] | None) -> list[str]:
    return _paths_or_default(given, "orgs", "--orgs")


def _paths_or_default(given: list[str] | None, key: str, option: str) -> list[str]:
    """The paths given, else those painpoint.toml or the built-in default names; a missing default folder is
    a usage error that says how to set one, never an empty result."""
    if given:
        return _plans_that_exist(given) if key == "plans" else given
    config = _config()
    paths = list(getattr(config, key))
    if not any(Path(p).exists() for p in paths):
        where = config.sources.get(key, "")
        raise UsageError(
            _("no {option} given, and the default {key} folder {path} does not exist ({source})").format(
                option=option, key=key, path=", ".join(paths), source=_(where) if config.is_default(key) else where),
            hint=_("give {option} PATH, or set {key} = \"PATH\" in painpoint.toml (`painpoint config` shows "
                   "the settings in force)").format(option=option, key=key))
    return paths


def _as_text(result: ScanResult | MatchResult, fmt: OutputFormat, *, org_view: bool = False) -> str:
    """The result in a format, as text; a table is plain text 120 columns wide (what --output writes)."""
    import io

    from painpoint.pipeline import ScanResult

    if fmt is OutputFormat.table:
        from rich.console import Console

        console = Console(record=True, width=120, file=io.StringIO(), highlight=False)
        _draw_table(result, console, org_view=org_view)
        return console.export_text()
    if isinstance(result, ScanResult):
        from painpoint.report import scan as scan_render

        renders = {OutputFormat.json: scan_render.to_json, OutputFormat.csv: scan_render.to_csv,
                   OutputFormat.md: scan_render.to_markdown}
        return renders[fmt](result)
    from painpoint.report import match as match_render  # the matcher's modules: not imported by a scan

    if fmt is OutputFormat.md:
        return match_render.to_markdown(result, org_view=org_view)
    return {OutputFormat.json: match_render.to_json, OutputFormat.csv: match_render.to_csv}[fmt](result)


def _draw_table(result: ScanResult | MatchResult, console: Console, *, org_view: bool) -> None:
    from painpoint.pipeline import ScanResult
    from painpoint.report import terminal

    if isinstance(result, ScanResult):
        terminal.scan_table(result, console)
    else:
        terminal.match_table(result, console, org_view=org_view)


def _render(result: ScanResult | MatchResult, fmt: OutputFormat, output: Path | None, *,
            org_view: bool = False, keep_text: bool = True) -> str | None:
    """Write the result to the terminal, stdout or --output; returns the text written (None: drawn live, or
    match JSON streamed to a file when `keep_text` is False)."""
    spooled = _state.get("stdin_path")
    if fmt is OutputFormat.table and output is None and not spooled:  # (--output -: text for a pipe, 120 columns)
        from rich.console import Console

        _draw_table(result, Console(highlight=False), org_view=org_view)
        return None
    from painpoint.pipeline import MatchResult

    target = _file_output(output)
    if fmt is OutputFormat.json and isinstance(result, MatchResult) and target is not None and not spooled:
        # written one department at a time, never whole in memory; read back only for the run cache
        from painpoint.report.match import json_parts

        _write(target, json_parts(result))
        return target.read_text(encoding="utf-8") if keep_text and target.is_file() else None
    text = _as_text(result, fmt, org_view=org_view)
    if spooled:  # a plan read from standard input is named as the user gave it, "-", never by its temporary file
        shown = STDIO.ljust(len(spooled)) if fmt is OutputFormat.table else STDIO  # a table keeps its borders
        text = text.replace(json.dumps(spooled)[1:-1], STDIO).replace(spooled, shown)
    _emit(text, output, bom=fmt is OutputFormat.csv)
    return text


def _memo(command: str, fmt: OutputFormat, output: Path | None, no_cache: bool, options: dict[str, object],
          plans: list[str], orgs: list[str] | None = None) -> RunMemo | None:
    """The whole-run cache entry (painpoint.runcache), or None: --no-cache, or a table for the terminal."""
    # user themes (--themes) change results the run cache cannot name; the taxonomy module is only asked when it
    # is loaded, so a replay still imports nothing heavy
    taxonomy = sys.modules.get("painpoint.themes.taxonomy")
    extended = taxonomy is not None and taxonomy.extra_themes_in_use()
    if no_cache or (fmt is OutputFormat.table and output is None) or STDIO in plans or extended:
        return None
    from painpoint.runcache import open_memo

    return open_memo(command, {"format": fmt.value, "lang": i18n.language(), **options}, plans, orgs)


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
    text = _render(result, fmt, output, org_view=org_view, keep_text=memo is not None)
    found = result.plans if isinstance(result, ScanResult) else result.departments
    if memo is not None and text is not None and found and not result.errors:
        memo.remember(text, result)
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
        if output is not None and str(output) != STDIO and output.is_file():
            info = output.stat()
            existing[(info.st_dev, info.st_ino)] = output
    if not existing:
        return
    from painpoint.ingest.discover import discover
    from painpoint.orgs.files import profile_files

    for path in discover([p for p in plans if p != STDIO])[0] + profile_files(list(orgs))[0]:
        try:
            info = os.stat(path)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in existing:
            raise UsageError(_("{output} is also an input ({path}), and painpoint never overwrites what it "
                               "reads").format(output=existing[(info.st_dev, info.st_ino)], path=path),
                             hint=_("write the output to another file"))


def _finish(errors: Sequence[Failure], found_any: bool, skipped: Sequence[Skipped] = ()) -> None:
    _report_errors(errors)
    _report_skipped(skipped)
    if not found_any and not errors:
        raise _fail(_("no plan files found — give .txt/.md/.html/.docx/.doc/.wps/.pdf files or folders"))
    if errors:
        if not _state["quiet"]:
            summary = (_("painpoint: {n} input(s) could not be read; the rest were processed (exit code 1)")
                       if found_any else _("painpoint: {n} input(s) could not be read, nothing else to process "
                                           "(exit code 1)"))
            print(summary.format(n=len(errors)), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)


@contextmanager
def _stdin_plan(paths: list[str]) -> Iterator[list[str]]:
    """`-` among the paths: standard input, spooled to a private temporary file for the length of the run."""
    if STDIO not in paths:
        yield paths
        return
    if paths.count(STDIO) > 1:
        raise UsageError(_("standard input (-) can be read once"), hint=_("give - only once"))
    from painpoint.ingest.stdin import spooled_stdin

    with spooled_stdin(sys.stdin.buffer) as spooled:
        _state["stdin_path"] = spooled
        try:
            yield [spooled if p == STDIO else p for p in paths]
        finally:
            _state["stdin_path"] = None


_SCAN_HELP = _("What does each plan prioritise? Pain points with scores and evidence lines, the department "
               "that owns the plan, its targets. A folder is read whole; files painpoint cannot read (.rtf, "
               "spreadsheets, images, archives) are listed with what to do.")
_EXAMPLES = _("Examples:")


def _help(text: str, examples: Sequence[str]) -> str:
    """Help text with a block of examples click keeps as written (\\b)."""
    return f"{text}\n\n\b\n{_EXAMPLES}\n" + "\n".join(f"  {e}" for e in examples)


@app.command(cls=_Command, short_help=_("What each plan prioritises: pain points with evidence, owner, targets."),
             help=_help(_SCAN_HELP, [
    "painpoint scan data/plans --top 5", "painpoint scan 民政局十四五规划.docx --format json -o scan.json",
    "curl -s URL | painpoint scan - --format md"]),
    epilog=_("Next: painpoint match --plans PATH --orgs PATH (who fits these pain points). ") + _EXIT_CODES)
def scan(
    paths: Annotated[list[str] | None, typer.Argument(help=_("Plan files or folders (.txt .md .html .docx .doc .wps "
                                                             ".pdf); "
                                                             "- reads one plan from standard input. Default: "
                                                             "`plans` in painpoint.toml."),
                                                      metavar="[PATH...]", show_default=False)] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, metavar="N",
                                     help=_("Pain points per document (0 = all)."))] = 10,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
    write_manifest: Annotated[Path | None, typer.Option(
        "--write-manifest", metavar="FILE", help=_("Also write the inferred manifest (department, place, year … "
                                                   "with confidence and evidence) to FILE (.yaml or .csv) for a "
                                                   "person to correct; saved as plans.yaml beside the plans, it wins "
                                                   "over inference."))] = None,
    store: StoreOpt = None,
    resume: ResumeOpt = False,
) -> None:
    with _errors_to_exit_codes():
        fmt = _format_for(fmt, output, "scan")
        _config()  # a broken painpoint.toml or language is reported even when PATH is given
        paths = _paths_or_default(paths, "plans", "PATH")
        _keep_inputs([output, write_manifest], paths)
        with _stdin_plan(list(paths)) as readable, _results_store(store, resume, "scan", paths) as results:
            def job(progress: Progress) -> ScanResult:
                from painpoint.pipeline import scan as run_scan

                return run_scan(readable, top=top, progress=progress, cache=not no_cache and STDIO not in paths,
                                jobs=jobs, backend=segmenter, store=results)

            memo = _memo("scan", fmt, output, no_cache or write_manifest is not None or results is not None,
                         {"top": top, "segmenter": segmenter.value}, list(paths))
            result = _replay_or_run(memo, job, fmt, output)
        if result is not None and write_manifest is not None:
            from painpoint.plans.manifest import write_manifest as manifest_text

            _emit(manifest_text([sp.plan for sp in result.plans], str(write_manifest)), write_manifest)
    if result is not None:
        _finish(result.errors, bool(result.plans), result.skipped)


@app.command(cls=_Command, help=_help(_("Which organizations fit which department's pain points, why, and in whose "
                                        "words. With --org: the departments your organization should pitch."), [
    "painpoint match --org sl-tongxin-shegong --top 3",
    "painpoint match --plans 县民政局规划.pdf --orgs 我们的机构.yaml",
    "painpoint match --department 民政 --format csv -o 民政.csv"]),
    epilog=_("Next: painpoint pitch --org ORG_ID --department NAME (a brief for the meeting). ") + _EXIT_CODES)
def match(
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    org: Annotated[str | None, typer.Option("--org", metavar="ORG_ID",
                                            help=_("NGO view: this organization's best departments."))] = None,
    department: Annotated[str | None, typer.Option("--department", "-d", metavar="NAME",
                                                   help=_("Only departments whose name contains NAME."))] = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=0, metavar="N",
                                            help=_("Organizations per department (with --org: departments) to "
                                                   "show; 0 = all. Default: `top` in painpoint.toml, else 5."))
                   ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
    store: StoreOpt = None,
    resume: ResumeOpt = False,
) -> None:
    workbook = fmt is None and output is not None and output.suffix.lower() == ".xlsx"
    with _errors_to_exit_codes():
        fmt = _format_for(fmt, output, "match", workbook=True)
        plans, orgs = _plans(plans), _orgs(orgs)
        shown = top if top is not None else _config().top
        _keep_inputs([output], plans, orgs)
        with _results_store(store, resume, "match", plans) as results:
            def job(progress: Progress) -> MatchResult:
                from painpoint.pipeline import match as run_match

                # the renderers of match quote departments and matches only: no plan is kept (flat memory)
                return run_match(plans, orgs, org_id=org, department=department, top=shown, progress=progress,
                                 cache=not no_cache, jobs=jobs, backend=segmenter, store=results, keep_plans=False)

            result: MatchResult | None
            if workbook and output is not None:  # -o FILE.xlsx: the Excel workbook `report` writes, of this match
                from painpoint.report.xlsx import to_xlsx

                result = _run(job)
                _write(output, to_xlsx(result))
            else:
                memo = _memo("match", fmt, output, no_cache or results is not None,
                             {"org": org, "department": department, "top": shown, "segmenter": segmenter.value},
                             plans, orgs)
                result = _replay_or_run(memo, job, fmt, output, org_view=org is not None)
    if result is not None:
        _finish(result.errors, bool(result.departments), result.skipped)


@app.command(cls=_Command, help=_help(_("Files people open: an HTML report with charts, an Excel workbook, the JSON "
                                        "contract and CSV, written together into one folder."), [
    "painpoint report --out out/report", "painpoint report --org sl-anyang-zhaohu --out 我们的报告",
    "painpoint report --fail-under 0.5   # " + _("CI: exit 3 when no match reaches 0.5")]),
    epilog=_("Next: open report.html in a browser, or matches.xlsx in Excel. ") + _EXIT_CODES_GATE)
def report(
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR", file_okay=False,
                                             help=_("Folder for report.html, matches.xlsx, matches.json and "
                                                    "matches.csv (created if needed). Default: `output` in "
                                                    "painpoint.toml, else out/report."))] = None,
    fail_under: Annotated[float | None, typer.Option("--fail-under", min=0.0, max=1.0, metavar="SCORE",
                                                     help=_("CI: exit 3 unless some department has a match "
                                                            "scoring at least SCORE (with --org: for that "
                                                            "organization)."))] = None,
    org: Annotated[str | None, typer.Option("--org", metavar="ORG_ID",
                                            help=_("Only this organization's matches."))] = None,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help=_("Write the report even when no department "
                                                                      "was found (it is refused otherwise)."))
                           ] = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    segmenter: SegmenterOpt = Backend.AUTO,
    previous: Annotated[list[str] | None, typer.Option("--previous", metavar="PLANS",
                                                       help=_("Last year's plans (repeatable): the HTML report "
                                                              "adds what is new (painpoint diff) and who fits "
                                                              "it."))] = None,
    store: StoreOpt = None,
    resume: ResumeOpt = False,
) -> None:
    from painpoint.report.bundle import REPORT_FILES

    with _errors_to_exit_codes():
        plans, orgs = _plans(plans), _orgs(orgs)
        folder = out if out is not None else Path(_config().output)
        _keep_inputs([folder / name for name in REPORT_FILES], [*plans, *(previous or [])], orgs)
        with _results_store(store, resume, "report", plans) as results:
            result = _run(lambda progress: _match_all(plans, orgs, org, no_cache, jobs, segmenter, progress,
                                                      results))
        if not result.departments and not allow_empty:
            _report_errors(result.errors)
            raise UsageError(_("no department found in {plans}: the report would be empty, so none was "
                               "written").format(plans=", ".join(plans)),
                             hint=_("check --plans, or pass --allow-empty to write it anyway"))
        from painpoint.report.bundle import write_report

        paths = write_report(result, folder, previous=previous or [], current=plans, org_paths=orgs)
    best = max(result.matches, key=lambda m: (m.score, m.department, m.org_id), default=None)
    passed = fail_under is None or (best is not None and best.score >= fail_under)
    if not _state["quiet"]:
        _summarise_report(paths, result, best, fail_under, passed)
    _report_errors(result.errors)
    _report_skipped(result.skipped)
    if not passed:
        who = _("for {org} ").format(org=org) if org else ""
        best_text = _(" (best {score:.2f})").format(score=best.score) if best is not None else ""
        raise _fail(_("no department has a match {who}at or above {score:.2f}{best}").format(
            who=who, score=fail_under, best=best_text), EXIT_GATE)
    if result.errors:
        raise typer.Exit(EXIT_INPUT)


def _match_all(plans: list[str], orgs: list[str], org: str | None, no_cache: bool, jobs: int,
               segmenter: Backend, progress: Progress, store: Any = None) -> MatchResult:
    from painpoint.pipeline import match as run_match

    return run_match(plans, orgs, org_id=org, top=0, progress=progress, cache=not no_cache, jobs=jobs,
                     backend=segmenter, store=store)


def _summarise_report(paths: Sequence[Path], result: MatchResult, best: Any, fail_under: float | None,
                      passed: bool) -> None:
    """One line on stderr: where the report is, its size, the best match, unreadable inputs, the gate."""
    n_depts, n_orgs = len(result.departments), len({m.org_id for m in result.matches})
    line = _("report: {path} (+ {others}): {departments} × {orgs}").format(
        path=paths[0], others=", ".join(p.name for p in paths[1:]),
        departments=ngettext("{n} department", "{n} departments", n_depts).format(n=n_depts),
        orgs=ngettext("{n} organization", "{n} organizations", n_orgs).format(n=n_orgs))
    if best is not None:
        line += _("; best {score:.2f} {department} × {org}").format(score=best.score, department=best.department,
                                                                   org=best.org_name)
    line += (_("; {n} input(s) could not be read").format(n=len(result.errors)) if result.errors
             else _("; every input read"))
    if fail_under is not None:
        line += _("; --fail-under {score:.2f}: {verdict}").format(score=fail_under,
                                                                 verdict=_("pass") if passed else _("FAIL"))
    print(line, file=sys.stderr)


@app.command(cls=_Command, help=_help(_("A one-page brief to take into a meeting: the department's pain points in "
                                        "its own words, your matching work restated in its vocabulary, and what "
                                        "you will report."), [
    "painpoint pitch --org sl-anyang-zhaohu --department 民政局",
    "painpoint pitch --org sl-anyang-zhaohu -d 民政局 --format docx -o 民政局简报.docx"]),
    epilog=_("Before the meeting: painpoint match --org ORG_ID shows which departments fit best. ") + _EXIT_CODES)
def pitch(
    org: Annotated[str, typer.Option("--org", metavar="ORG_ID", help=_("The organization's id (its profile's "
                                                                       "`id`)."))],
    department: Annotated[str, typer.Option("--department", "-d", metavar="NAME",
                                            help=_("The department: its name or a part of it that names only "
                                                   "one."))],
    plans: PlansOpt = None,
    orgs: OrgsOpt = None,
    fmt: Annotated[PitchFormat | None, typer.Option("--format", "-f", show_default=False,
                                                    help=_("md, or docx (needs --output). Default: docx for an "
                                                           "--output ending in .docx, else md."))] = None,
    output: OutputOpt = None,
) -> None:
    if fmt is None:  # the file's extension decides: a .docx file must be a Word file, not Markdown
        fmt = PitchFormat.docx if output is not None and output.suffix.lower() == ".docx" else PitchFormat.md
    if fmt is PitchFormat.docx and output is None:
        raise _fail(_("--format docx writes a Word file: give --output FILE.docx (or - for stdout)"), EXIT_USAGE)
    with _errors_to_exit_codes():
        plans, orgs = _plans(plans), _orgs(orgs)
        from painpoint.pipeline import pitch as build
        from painpoint.report import pitch as pitch_render

        _keep_inputs([output], plans, orgs)
        brief, result = _run(lambda progress: build(plans, orgs, org_id=org, department=department,
                                                    progress=progress))
        if fmt is PitchFormat.docx:
            data = pitch_render.to_docx(brief)
            target = _file_output(output)
            if target is None:
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                _write(target, data)
        else:
            _emit(pitch_render.to_markdown(brief), output)
    if not _state["quiet"] and brief.weak:  # a weak fit is said plainly, in the terminal too
        print(_("painpoint: weak fit: {why}").format(why="；".join(brief.weak)), file=sys.stderr)
    if not _state["quiet"] and not any(p.served for p in brief.points):
        print(_("painpoint: note: {org}'s profile shows no work on {department}'s pain points — `painpoint match "
                "--org {org}` lists departments that fit better").format(org=org, department=brief.department),
              file=sys.stderr)
    _report_errors(result.errors)
    _report_skipped(result.skipped)
    if result.errors:
        raise typer.Exit(EXIT_INPUT)


class AnalysisFormat(StrEnum):
    """Output formats of links and diff: their results nest (departments in links), so no CSV."""

    table = "table"
    json = "json"
    md = "md"


AnalysisFormatOpt = Annotated[AnalysisFormat, typer.Option("--format", "-f", help=_("Output format."))]


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


@app.command(cls=_Command, help=_help(_("Work that needs several departments: pain points their plans share, "
                                        "beneficiary groups they all name (留守儿童, 失能老人), and tasks whose "
                                        "牵头/配合单位 name several of them."), [
    "painpoint links --plans data/plans --orgs data/orgs --top 5", "painpoint links --format md -o 协同.md"]),
    epilog=_("Next: painpoint pitch to each department of a link. ") + _EXIT_CODES)
def links(
    plans: PlansOpt = None,
    orgs: Annotated[list[str] | None, typer.Option("--orgs", metavar="PATH",
                                                   help=_("Profile folder or file (repeatable) for organizations "
                                                          "that could serve every department of a link. Default: "
                                                          "`orgs` in painpoint.toml or ./data/orgs, when it "
                                                          "exists."))] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, metavar="N", help=_("Links to show (0 = all)."))] = 10,
    fmt: AnalysisFormatOpt = AnalysisFormat.table,
    output: OutputOpt = None,
) -> None:
    with _errors_to_exit_codes():
        plans = _plans(plans)
        from painpoint.analysis.links import find_links
        from painpoint.report import links as links_render
        from painpoint.report import terminal

        org_paths = orgs if orgs is not None else [p for p in _config().orgs if Path(p).exists()]
        _keep_inputs([output], plans, org_paths)
        result = _run(lambda progress: find_links(plans, org_paths, top=top, progress=progress))
        # no plan read at all: the errors on stderr are the answer, not a table saying no link was found
        if result.departments or not result.errors or fmt is not AnalysisFormat.table:
            _render_analysis(result, fmt, output, links_render, terminal.links_table)
    _finish(result.errors, bool(result.departments), result.skipped)


class DiffFormat(StrEnum):
    """Output formats of diff: the analysis formats plus an HTML page."""

    table = "table"
    json = "json"
    md = "md"
    html = "html"


@app.command(cls=_Command, help=_help(_("What is new in a plan: new terms, raised or lowered targets, sections and "
                                        "sentences added, removed or reworded, theme shifts, openness to buying "
                                        "services, and (with --orgs) which organizations fit."), [
    "painpoint diff 民政局2024工作要点.docx 民政局2025工作要点.docx",
    "painpoint diff plans/2024 plans/2025 --orgs data/orgs --format md"]),
    epilog=_("Next: painpoint pitch to a department about what is new. ") + _EXIT_CODES)
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help=_("The earlier plan: a file, or a folder of plans."))],
    new: Annotated[str, typer.Argument(metavar="NEW", help=_("The later plan: a file, or a folder (plans are "
                                                             "paired by department)."))],
    orgs: Annotated[list[str] | None, typer.Option("--orgs", metavar="PATH",
                                                   help=_("Profile folder or file (repeatable): which "
                                                          "organizations fit what is new or raised."))] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help=_("Output format."))] = DiffFormat.table,
    output: OutputOpt = None,
) -> None:
    from painpoint.analysis.diff import diff_plans
    from painpoint.i18n import _
    from painpoint.report import diff as diff_render
    from painpoint.report import terminal

    with _errors_to_exit_codes():
        _config()
        _keep_inputs([output], [old, new], orgs or [])
        for side in (old, new):  # each side alone: a mistyped OLD is no diff against nothing
            _plans_that_exist([side])
        result = _run(lambda progress: diff_plans([old], [new], org_paths=orgs or [], progress=progress))
        if fmt is DiffFormat.html:
            _emit(diff_render.to_html(result), output)
        else:
            _render_analysis(result, AnalysisFormat(fmt.value), output, diff_render, terminal.diff_table)
    if not result.departments and (result.only_old or result.only_new) and not _state["quiet"]:
        print(_("painpoint: note: no department has plans on both sides — name each plan's department in its "
                "title or header"), file=sys.stderr)
    if not _state["quiet"]:
        for d in result.departments:
            if d.old_department:
                print(_("painpoint: note: OLD is {old}'s plan and NEW is {new}'s: the diff shows two departments, "
                        "not one plan's changes").format(old=d.old_department, new=d.name), file=sys.stderr)
    _finish(result.errors, bool(result.departments or result.only_old or result.only_new), result.skipped)


class CheckFormat(StrEnum):
    """Output formats of `painpoint orgs check`."""

    text = "text"
    json = "json"


@orgs_app.command("check", cls=_Command, help=_help(_("Check organization profiles (schema v1); every problem is "
                                                      "one `file:line: field: message` line."), [
    "painpoint orgs check data/orgs", "painpoint orgs check 我们的机构.yaml"]),
    epilog=_("Next: painpoint match --org ORG_ID. ") + _EXIT_CODES)
def orgs_check(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help=_("Profile folders or .yaml files."))],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help=_("text (problem lines on stderr) or json (one "
                                                                      "document on stdout)."))] = CheckFormat.text,
) -> None:
    from painpoint.orgs import load_profiles

    with _errors_to_exit_codes():
        _config()
    profiles, problems = load_profiles(list(paths))
    if fmt is CheckFormat.json:
        from painpoint.orgs.importer import check_json

        sys.stdout.write(check_json(profiles, problems) + "\n")
        if problems:
            raise typer.Exit(1)
        return
    for line in problems:
        print(printable(line), file=sys.stderr)
    from painpoint.orgs.importer import unfilled

    for profile in profiles:  # valid, but a brief would print the placeholder as the organization's name
        for field in unfilled(profile):
            print(printable(_("{path}: {field}: still the placeholder `orgs import` wrote — write the real value "
                              "before matching or pitching").format(path=profile.path, field=field)), file=sys.stderr)
    if not _state["quiet"]:
        print(_("{valid} profile(s) valid, {problems} problem(s)").format(valid=len(profiles),
                                                                          problems=len(problems)), file=sys.stderr)
    if problems:
        raise typer.Exit(EXIT_INPUT)


# ---- orgs import / new / template ------------------------------------------------------------------------------

@orgs_app.command("import", cls=_Command, help=_help(_("Draft one profile per organization from its own prose "
                                                       "(机构介绍, 年报, 项目书; files about the same organization are "
                                                       "merged), with the source line of every value and a "
                                                       "placeholder for what the text does not say."), [
    "painpoint orgs import 机构介绍.docx --output orgs", "painpoint orgs import 年报2024.pdf 项目书.docx -o orgs"]),
    epilog=_("Next: open the draft in an editor, fill the placeholders, then painpoint orgs check orgs. ")
    + _EXIT_CODES)
def orgs_import(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help=_("机构介绍, 年报 or 项目书: .txt .md .html "
                                                                         ".docx .doc .wps .pdf"))],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help=_("Folder for the drafts (created "
                                                                                 "if needed)."),
                                         file_okay=False)] = Path("."),
    force: Annotated[bool, typer.Option("--force", help=_("Replace a draft that already exists, and draft from a "
                                                          "file that reads like a government document."))] = False,
) -> None:
    from painpoint.orgs.importer import import_profiles

    with _errors_to_exit_codes():
        _config()
        results = import_profiles(list(files), str(output), force=force)
    if not _state["quiet"]:
        from rich.console import Console

        from painpoint.report.draft import import_table

        import_table(results, Console(stderr=True, highlight=False, soft_wrap=True))
    failed = [r for r in results if r.problem]
    for r in failed:
        print(printable(f"painpoint: {r.problem}"), file=sys.stderr)
    if failed:  # a plan given as an organization's text is a usage error, whatever else failed
        raise typer.Exit(EXIT_USAGE if any(r.wrong_input for r in failed) else EXIT_INPUT)


@orgs_app.command("template", cls=_Command, help=_help(_("Print an annotated example profile (every field, with "
                                                         "what to write)."), [
    "painpoint orgs template > 我们的机构.yaml"]),
    epilog=_("Next: fill it in, then painpoint orgs check FILE. ") + _EXIT_CODES)
def orgs_template() -> None:
    from painpoint.orgs.template import TEMPLATE

    sys.stdout.write(TEMPLATE)


@orgs_app.command("new", cls=_Command, help=_help(_("Ask for the few fields that matter (name, region, what you "
                                                    "do, for whom, two past projects) and write a valid profile."), [
    "painpoint orgs new --output orgs"]),
    epilog=_("Next: painpoint match --orgs DIR --org ORG_ID. ") + _EXIT_CODES)
def orgs_new(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help=_("Folder for the profile (created "
                                                                                 "if needed)."),
                                         file_okay=False)] = Path("."),
    force: Annotated[bool, typer.Option("--force", help=_("Replace a profile that already exists."))] = False,
) -> None:
    from painpoint.orgs.template import QUESTIONS

    if not sys.stdin.isatty():
        raise _fail(_("orgs new asks questions and needs a terminal — run it in a terminal, or start from "
                      "`painpoint orgs template > org.yaml` or `painpoint orgs import 机构介绍.docx`"), EXIT_USAGE)
    answers: dict[str, str] = {}
    for q in QUESTIONS:
        if q.key.endswith((".partners", ".results")) and not answers.get(q.key.split(".")[0] + ".name"):
            continue
        while True:
            answer = str(typer.prompt(_(q.prompt), default="", show_default=False)).strip()
            if answer or not q.required:
                break
            print(_("this one is required"), file=sys.stderr)
        answers[q.key] = answer
    with _errors_to_exit_codes():
        from painpoint.orgs.importer import write_new_profile

        target = write_new_profile(answers, str(output), force=force)
    print(_("wrote {path} — check it with: painpoint orgs check {path}").format(path=target), file=sys.stderr)


class ConfigFormat(StrEnum):
    """Output formats of `painpoint config`."""

    table = "table"
    json = "json"


@app.command("config", cls=_Command, help=_help(_("The settings in force (plan and profile folders, language, "
                                                  "report folder, top-N) and where each came from: painpoint.toml "
                                                  "in this folder or a parent, else the user config folder."), [
    "painpoint config", "painpoint config --format json"]),
    epilog=_("A painpoint.toml holds lines such as:  plans = \"规划\"   orgs = \"机构\"   lang = \"zh\"   top = 5"))
def config(
    fmt: Annotated[ConfigFormat, typer.Option("--format", "-f", help=_("Output format."))] = ConfigFormat.table,
) -> None:
    from painpoint.report.config import config_json, config_table

    with _errors_to_exit_codes():
        settings = _config()
    if fmt is ConfigFormat.json:
        sys.stdout.write(config_json(settings, i18n.language(), _state["lang_source"]))
        return
    from rich.console import Console

    config_table(settings, i18n.language(), _state["lang_source"], Console(highlight=False))


@app.command("eval", cls=_Command, help=_help(_("Score painpoint on a labelled corpus (nDCG@3, theme recall@10, "
                                                "generic share, calibration) beside plain baselines."), [
    "painpoint eval --corpus ../shared/corpus", "painpoint eval --corpus ../shared/corpus --format json"]))
def evaluate(
    corpus: Annotated[Path, typer.Option("--corpus", metavar="DIR", help=_("Folder with plans/, orgs/ and "
                                                                           "gold.yaml."),
                                         exists=True, file_okay=False)],
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help=_("Output format."))] = EvalFormat.table,
    baselines: Annotated[bool, typer.Option(help=_("Also score the plain baselines."))] = True,
    generalization: Annotated[bool, typer.Option(
        help=_("Also score without the taxonomy's NGO terms that occur in the corpus profiles."))] = True,
) -> None:
    import json

    from painpoint.evaluate import evaluate as run_eval

    with _errors_to_exit_codes():
        scores = run_eval(corpus, with_baselines=baselines, generalization=generalization)
    if fmt is EvalFormat.json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from painpoint.report.terminal import eval_table

    Console().print(eval_table(scores, str(corpus)))


# ---- the taxonomy in use (packaged themes plus --themes files) ------------------------------------------------
themes_app = typer.Typer(cls=_Group, help=_("The theme taxonomy: list it, show one theme."), no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(themes_app, name="themes")


@themes_app.command("list", cls=_Command, help=_help(_("Every theme: kind, owning departments, how many plan and "
                                                       "NGO terms."), [
    "painpoint themes list", "painpoint --themes 我们的主题.yaml themes list"]),
                    epilog=_("Next: painpoint themes show NAME. ") + _EXIT_CODES)
def themes_list() -> None:
    from painpoint.report.themes import themes_list_text
    from painpoint.themes.taxonomy import load_taxonomy

    with _errors_to_exit_codes():
        sys.stdout.write(themes_list_text(load_taxonomy()))


@themes_app.command("show", cls=_Command, help=_help(_("One theme: its terms, NGO terms, departments, beneficiaries "
                                                       "and links."), ["painpoint themes show 养老服务"]),
                    epilog=_EXIT_CODES)
def themes_show(name: Annotated[str, typer.Argument(metavar="NAME", help=_("Theme name, e.g. 养老服务."))]) -> None:
    from painpoint.report.themes import theme_show_text
    from painpoint.themes.taxonomy import load_taxonomy

    with _errors_to_exit_codes():
        sys.stdout.write(theme_show_text(load_taxonomy(), name))


def main() -> None:
    """Console-script entry: run the app; no traceback reaches the user unless --debug."""
    try:
        app()
    except PainpointError as exc:
        print(f"painpoint: {exc}", file=sys.stderr)
        sys.exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_INPUT)
    except KeyboardInterrupt:
        print(_("painpoint: interrupted"), file=sys.stderr)
        sys.exit(130)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns Ctrl-C into a silent exit 130: say why the run stopped
            print(_("painpoint: interrupted"), file=sys.stderr)
        raise
    except Exception as exc:  # last resort: one line unless --debug
        if _state["debug"] or "--debug" in sys.argv:
            raise
        print(_("painpoint: internal error: {kind}: {reason} — rerun with --debug and report it").format(
            kind=type(exc).__name__, reason=exc), file=sys.stderr)
        sys.exit(1)
