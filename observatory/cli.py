"""The command line: the composition root.

The root group turns `--home` / `OBSERVATORY_HOME` / `./var` into one `Home`
that every command receives; each command imports the layers it needs when it
runs, so `observatory --help` stays fast and the layers stay independent.
Exit status: 0 success, 1 some input refused (the rest done), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from observatory.errors import ConfigError, ObservatoryError, UsageError
from observatory.home import Home

EXIT_REFUSED = 1
EXIT_USAGE = 2

pass_home = click.make_pass_decorator(Home)


def fail_usage(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    "home_dir",
    envvar="OBSERVATORY_HOME",
    default=None,
    type=click.Path(file_okay=False),
    help="The observatory's folder (default: ./var).",
)
@click.version_option(package_name="observatory")
@click.pass_context
def cli(ctx: click.Context, home_dir: str | None) -> None:
    """Observatory: a multilingual search engine for the good practices of local governments."""
    ctx.obj = Home(home_dir)


def report_refusals(refusals) -> None:
    for refusal in refusals:
        click.echo(f"refused: {refusal}", err=True)


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--demo", is_flag=True, help="Import the bundled demonstration corpus.")
@click.option(
    "--no-index", is_flag=True, help="Do not bring the search index up to date afterwards."
)
@pass_home
def import_command(home: Home, paths: tuple[Path, ...], demo: bool, no_index: bool) -> None:
    """Import YAML, JSON or CSV files, or folders of them (recursively), or archives
    written by `observatory export` (.tar.gz, .tgz, .zip: restored with users and history)."""
    from tqdm import tqdm

    from corpus.archive import import_archive, is_archive
    from corpus.importers import demo_folder, import_paths
    from corpus.store import CorpusStore

    targets = list(paths)
    if demo:
        targets.append(demo_folder())
    if not targets:
        fail_usage("give files or folders to import, or --demo")
    store = CorpusStore(home.corpus_dir)
    archives = [t for t in targets if is_archive(t) and t.is_file()]
    targets = [t for t in targets if t not in archives]
    with tqdm(desc="importing", unit="file", disable=None, file=sys.stderr) as bar:
        report = import_paths(store, targets, progress=lambda _path: bar.update(1))
        for archive in archives:
            restored = import_archive(home, archive, store)
            for name in ("added", "updated", "unchanged", "refused"):
                getattr(report, name).extend(getattr(restored, name))
            bar.update(1)
    report_refusals(report.refused)
    click.echo(f"Imported: {report.summary()}.")
    index_readable = no_index or _update_index(home, rebuild=False)
    if report.refused or not index_readable:
        sys.exit(EXIT_REFUSED)


def _update_index(home: Home, *, rebuild: bool) -> bool:
    """Index what changed; True when every stored entry could be read."""
    from tqdm import tqdm

    from indexer.build import update_index

    with tqdm(desc="indexing", unit="entry", disable=None, file=sys.stderr) as bar:
        report = update_index(home, rebuild=rebuild, progress=bar.update)
    report_refusals(report.refused)
    click.echo(f"Index: {report.summary()}.")
    return not report.refused


@cli.command("index")
@click.option(
    "--rebuild", is_flag=True, help="Build a new index beside the live one, then swap it in."
)
@pass_home
def index_command(home: Home, rebuild: bool) -> None:
    """Bring the search index up to date with the corpus."""
    if not _update_index(home, rebuild=rebuild):
        sys.exit(EXIT_REFUSED)


class FacetCommand(click.Command):
    """A command with one repeatable option per declared facet (observatory.facets), handed
    to the callback as `filters` (facet name -> values); read when the command runs."""

    _PREFIX = "facet__"

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        from observatory import facets

        params = super().get_params(ctx)
        options = [
            click.Option([f"--{f.name}", self._PREFIX + f.name], multiple=True, help=f.cli_help)
            for f in facets.filters()
        ]
        arguments = [p for p in params if isinstance(p, click.Argument)]
        return arguments + options + [p for p in params if not isinstance(p, click.Argument)]

    def invoke(self, ctx: click.Context):
        ctx.params["filters"] = {
            name[len(self._PREFIX) :]: list(ctx.params.pop(name))
            for name in list(ctx.params)
            if name.startswith(self._PREFIX)
        }
        return super().invoke(ctx)


def filter_args(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """The chosen facet values as query arguments (facets without a value left out)."""
    return {name: values for name, values in filters.items() if values}


@cli.command("search", cls=FacetCommand)
@click.argument("query", nargs=-1)
@click.option("--year-from", type=int, default=None)
@click.option("--year-to", type=int, default=None)
@click.option("--sort", type=click.Choice(["relevance", "newest"]), default=None)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True, help="Results per page (1-100).")
@click.option("--no-expand", is_flag=True, help="Do not expand the query across languages.")
@click.option("--json", "as_json", is_flag=True, help="Print the same object as the HTTP API.")
@pass_home
def search_command(
    home: Home,
    query,
    filters,
    year_from,
    year_to,
    sort,
    page,
    limit,
    no_expand,
    as_json,
) -> None:
    """Search the index."""
    from indexer.search import SearchEngine, SearchQuery

    args: dict[str, list[str]] = {
        "q": [" ".join(query)],
        "page": [str(page)],
        "per_page": [str(limit)],
    }
    args.update(filter_args(filters))
    if year_from is not None:
        args["year_from"] = [str(year_from)]
    if year_to is not None:
        args["year_to"] = [str(year_to)]
    if sort:
        args["sort"] = [sort]
    if no_expand:
        args["expand"] = ["0"]
    try:
        search_query = SearchQuery.from_args(args)
    except UsageError as exc:
        fail_usage(str(exc))
    with SearchEngine(home) as engine:
        result = engine.search(search_query)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_results(result)


def _print_results(result: dict) -> None:
    import html
    import re

    click.echo(
        f"{result['total']} result(s) for {result['query']!r}"
        + (f" (did you mean: {result['suggestion']}?)" if result.get("suggestion") else "")
    )
    first = (result["page"] - 1) * result["per_page"]
    for rank, hit in enumerate(result["results"], start=first + 1):
        where = ", ".join(p for p in (hit.get("city"), hit.get("country")) if p)
        click.echo(f"{rank:3}. {hit['title']}  [{hit['id']}]")
        click.echo(
            f"     {hit['type']} · {hit.get('lang', '')} · {where} · {hit.get('year') or ''} · "
            f"{', '.join(hit.get('themes', []))}"
        )
        snippet = html.unescape(re.sub(r"</?mark>", "", hit.get("highlight") or ""))
        if snippet:
            click.echo(f"     {snippet[:200]}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True, help="0 picks a free port.")
@click.option("--dev", is_flag=True, help="Flask's development server (one process, reloader off).")
@pass_home
def serve_command(home: Home, host: str, port: int, dev: bool) -> None:
    """Serve the web interface and the API; prints 'Serving on http://HOST:PORT'."""
    from indexer.build import ensure_index
    from webui.server import serve

    if ensure_index(home):  # searches never build one: a fresh home gets its (empty) index here
        click.echo(f"Built the search index in {home.index_dir}.", err=True)
    try:
        serve(home, host=host, port=port, dev=dev)
    except OSError as exc:  # the address is taken, or not ours to bind
        click.echo(f"Error: cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_REFUSED)


@cli.command("crawl")
@click.argument("names", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="Crawl this feed (repeatable).")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL", help="Crawl this sitemap.")
@click.option("--site", "sites", multiple=True, metavar="URL", help="Crawl this site from URL.")
@click.option(
    "--no-index", is_flag=True, help="Do not bring the search index up to date afterwards."
)
@pass_home
def crawl_command(home: Home, names, feeds, sitemaps, sites, no_index: bool) -> None:
    """Crawl the sources of HOME/sources.yaml (all, or those NAMES), or the ones given by URL."""
    from tqdm import tqdm

    from corpus.crawl import Crawler
    from corpus.sources import load_sources, source_for_url

    configured = load_sources(home.sources_path)
    by_name = {s.name: s for s in configured}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        fail_usage(f"no source named {', '.join(unknown)} in {home.sources_path}")
    chosen = [by_name[n] for n in names]
    for kind, urls in (("feed", feeds), ("sitemap", sitemaps), ("site", sites)):
        try:
            chosen += [source_for_url(kind, url) for url in urls]
        except ConfigError as exc:
            fail_usage(str(exc))
    if not names and not (feeds or sitemaps or sites):
        chosen = configured
    if not chosen:
        fail_usage(f"no sources: add some to {home.sources_path} or give --feed/--sitemap/--site")
    refused = False
    changed = False
    with Crawler(home) as crawler:
        for source in chosen:
            with tqdm(desc=source.name, unit="url", disable=None, file=sys.stderr) as bar:

                def progress(done: int, pending: int, bar=bar) -> None:
                    bar.total = done + pending
                    bar.update(done - bar.n)

                report = crawler.crawl(source, progress=progress)
            report_refusals(report.refused)
            click.echo(f"{source.name}: {report.summary()}.")
            refused = refused or bool(report.refused)
            changed = changed or bool(report.new or report.updated or report.grouped)
    if changed and not no_index:
        _update_index(home, rebuild=False)
    if refused:
        sys.exit(EXIT_REFUSED)


@cli.command("extract")
@click.argument("target")
@click.option(
    "--json", "as_json", is_flag=True, help="Print title, lang, text, published and more."
)
@pass_home
def extract_command(home: Home, target: str, as_json: bool) -> None:
    """Show what ingestion makes of one page (a file, or an address fetched politely)."""
    from corpus.charset import decode
    from corpus.extract import extract
    from corpus.fetch import PAGE_TYPES, Fetcher
    from corpus.robots import Robots

    path = Path(target)
    if path.is_file():
        html, url = decode(path.read_bytes())[0], path.resolve().as_uri()
    elif target.startswith(("http://", "https://")):
        fetcher = Fetcher(home.settings)
        reason = Robots(fetcher).refusal(target)
        if reason:
            click.echo(f"refused: {target}: {reason}", err=True)
            sys.exit(EXIT_REFUSED)
        response = fetcher.get(target, accept=PAGE_TYPES)
        html, url = response.text, response.url
    else:
        fail_usage(f"{target} is neither a file nor an http(s) address")
    page = extract(html, url)
    if as_json:
        data = page.as_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(page.text)


@cli.command("trends", cls=FacetCommand)
@click.argument("query", nargs=-1)
@click.option(
    "--window",
    default="2:4",
    show_default=True,
    metavar="RECENT[:PREVIOUS]",
    help="Years in the recent window, and in the previous one it is compared with.",
)
@click.option(
    "--until",
    type=int,
    default=None,
    help="Last year of the recent window (default: the latest in the index).",
)
@click.option(
    "--min-count",
    type=int,
    default=3,
    show_default=True,
    help="Recent entries a term needs at least.",
)
@click.option(
    "--limit", type=int, default=10, show_default=True, help="Terms and concepts shown at most."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the same object as the trends page uses."
)
@pass_home
def trends_command(home: Home, query, filters, window, until, min_count, limit, as_json) -> None:
    """What is emerging: terms and concepts whose share of recent entries rose most."""
    from indexer.emerging import Window, emerging
    from indexer.search import SearchEngine, SearchQuery

    args: dict[str, list[str]] = {"q": [" ".join(query)], **filter_args(filters)}
    recent, _, previous = window.partition(":")
    if not recent.isdigit() or not (previous or "4").isdigit():
        fail_usage(f"--window must be RECENT or RECENT:PREVIOUS years, not {window!r}")
    try:
        chosen = Window(
            recent=int(recent),
            previous=int(previous or 4),
            until=until,
            min_count=min_count,
            limit=limit,
        )
        search_query = SearchQuery.from_args(args)
    except UsageError as exc:
        fail_usage(str(exc))
    with SearchEngine(home) as engine:
        found = emerging(engine, search_query, chosen)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Recent {found['recent_years'][0]}-{found['recent_years'][1]} "
        f"({found['recent_total']} entries) against {found['previous_years'][0]}-"
        f"{found['previous_years'][1]} ({found['previous_total']} entries)."
    )
    for kind in ("concepts", "terms"):
        click.echo(
            f"{kind.capitalize()}:" if found[kind] else f"{kind.capitalize()}: none emerging."
        )
        for item in found[kind]:
            click.echo(
                f"  {item['label']:30} {item['previous']:4} -> {item['recent']:<4} "
                f"lift {item['lift']:+.2f}"
            )


@cli.command("digest")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the files (default: HOME/digests/<time>).",
)
@click.option(
    "--send",
    is_flag=True,
    help="Mail each owner one digest in their language through the SMTP server in the "
    "settings (mail.host, mail.port, mail.sender, mail.base_url) instead of writing files.",
)
@pass_home
def digest_command(home: Home, out: Path | None, send: bool) -> None:
    """Each saved search's entries new since the last digest: as text and HTML files, or
    (--send) mailed to their owners; with --send, exit 1 when a message was not accepted."""
    from indexer.search import SearchEngine

    if send:
        from webui import create_app
        from webui.digest_mail import mail_settings, send_digests

        mail_settings(home)  # a missing setting is a usage error before anything is read
        with SearchEngine(home) as engine:
            report = send_digests(create_app(home), home, engine)
        click.echo(f"Digest: {report.summary()}.")
        for name in report.skipped:
            click.echo(
                f"note: {name} has new entries in saved searches but no address: "
                f"observatory user contact {name} --email ADDR",
                err=True,
            )
        for failure in report.failed:
            click.echo(f"error: {failure}", err=True)
        if report.failed:
            sys.exit(EXIT_REFUSED)
        return
    from indexer.digest import run_digest

    with SearchEngine(home) as engine:
        report = run_digest(home, engine, out)
    click.echo(f"Digest: {report.summary()}.")


# --- accounts (editors' workspace) ---------------------------------------------

ROLE_CHOICE = click.Choice(["viewer", "editor", "admin"])
DIGEST_LANGUAGES = ("en", "fr", "es", "pt")  # as corpus.accounts.DIGEST_LANGUAGES


def _accounts(home: Home):
    from corpus.accounts import Accounts

    return Accounts(home.database_path)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail_usage("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@cli.group("user")
def user_group() -> None:
    """Manage editors' accounts (roles: viewer may not edit, editor, admin)."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=ROLE_CHOICE,
    required=True,
    help="editor or admin (viewer: may log in, not edit).",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input's first line."
)
@click.option("--email", default="", help="Address the user's digests are mailed to.")
@click.option(
    "--lang",
    type=click.Choice(DIGEST_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the user's digests.",
)
@pass_home
def user_add(home: Home, name: str, role: str, password_stdin: bool, email: str, lang: str) -> None:
    """Create an account."""
    from corpus.accounts import check_contact

    check_contact(email, lang)  # before the password is asked for
    password = _read_password(password_stdin)
    user = _accounts(home).add_user(name, role, password, email=email, lang=lang)
    click.echo(f"Created {user.role} {user.name}.")


@user_group.command("contact")
@click.argument("name")
@click.option("--email", default=None, help="Address for the digests ('' to mail nothing).")
@click.option("--lang", type=click.Choice(DIGEST_LANGUAGES), default=None, help="Digest language.")
@pass_home
def user_contact(home: Home, name: str, email: str | None, lang: str | None) -> None:
    """Show or change where and in which language a user's digests are mailed."""
    accounts = _accounts(home)
    user = (
        accounts.set_contact(name, email, lang) if email is not None or lang else accounts.get(name)
    )
    click.echo(f"{user.name}\t{user.email or '-'}\t{user.lang}")


@user_group.command("list")
@pass_home
def user_list(home: Home) -> None:
    """List accounts."""
    for user in _accounts(home).users():
        click.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'disabled'}")


@user_group.command("disable")
@click.argument("name")
@pass_home
def user_disable(home: Home, name: str) -> None:
    """Disable an account: it can no longer log in nor use its tokens (its history stays)."""
    _accounts(home).set_active(name, False)
    click.echo(f"Disabled {name}.")


@user_group.command("enable")
@click.argument("name")
@pass_home
def user_enable(home: Home, name: str) -> None:
    """Enable a disabled account again."""
    _accounts(home).set_active(name, True)
    click.echo(f"Enabled {name}.")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@pass_home
def user_role(home: Home, name: str, role: str) -> None:
    """Change an account's role."""
    _accounts(home).set_role(name, role)
    click.echo(f"{name} is now {role}.")


@user_group.command("password")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input's first line."
)
@pass_home
def user_password(home: Home, name: str, password_stdin: bool) -> None:
    """Set an account's password."""
    _accounts(home).set_password(name, _read_password(password_stdin))
    click.echo(f"Password of {name} changed.")


@cli.group("token")
def token_group() -> None:
    """Manage API tokens (for PATCH /api/entries/<id>)."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown by 'token list').")
@pass_home
def token_create(home: Home, name: str, label: str) -> None:
    """Print a new API token for that user (shown once; only its hash is stored)."""
    token_id, token = _accounts(home).create_token(name, label)
    click.echo(f"token {token_id} for {name} (keep it secret, it is not shown again):", err=True)
    click.echo(token)


@token_group.command("list")
@click.argument("name", required=False)
@pass_home
def token_list(home: Home, name: str | None) -> None:
    """List tokens (id, user, label, state), of one user or of all."""
    import datetime as dt

    for info in _accounts(home).tokens(name):
        created = dt.datetime.fromtimestamp(info.created, dt.UTC).strftime("%Y-%m-%d")
        click.echo(
            f"{info.id}\t{info.user}\t{info.label}\t{created}\t"
            f"{'revoked' if info.revoked else 'active'}"
        )


@token_group.command("revoke")
@click.argument("token_id", type=int, required=False)
@click.option("--user", "user_name", default=None, help="Revoke every token of this user instead.")
@pass_home
def token_revoke(home: Home, token_id: int | None, user_name: str | None) -> None:
    """Revoke one token (by the id 'token list' shows), or all of a user's with --user."""
    accounts = _accounts(home)
    if user_name:
        click.echo(f"Revoked {accounts.revoke_tokens_of(user_name)} token(s) of {user_name}.")
    elif token_id is not None:
        accounts.revoke_token(token_id)
        click.echo(f"Revoked token {token_id}.")
    else:
        fail_usage("give a token id, or --user NAME")


# --- maintenance: check, repair, backup --------------------------------------------


@cli.command("check")
@click.option("--repair", is_flag=True, help="Repair what can be repaired without a person.")
@pass_home
def check_command(home: Home, repair: bool) -> None:
    """Check that the corpus, the index and the database agree; say (or do) how to repair."""
    from indexer.check import check_home, repair_home

    if repair:
        for action in repair_home(home):
            click.echo(f"repaired: {action}")
    problems = check_home(home)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if not problems:
        click.echo("Check: the corpus, the index and the database agree.")
        return
    fixable = sum(p.automatic for p in problems)
    hint = " Run `observatory check --repair`." if fixable and not repair else ""
    click.echo(f"Check: {len(problems)} problem(s), {fixable} repairable automatically.{hint}")
    sys.exit(EXIT_REFUSED)


@cli.command("export")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@pass_home
def export_command(home: Home, archive: Path) -> None:
    """Write the whole corpus, users, history and saved searches to ARCHIVE (.tar.gz or .zip)."""
    from corpus.archive import SUFFIXES, export_home, is_archive

    if not is_archive(archive):
        fail_usage(f"the archive's name must end in {', '.join(SUFFIXES)}")
    manifest = export_home(home, archive)
    click.echo(
        f"Exported {manifest['entries']} entries"
        f"{' and the database' if 'observatory.db' in manifest['files'] else ''} to {archive}."
    )


def main() -> None:
    try:
        cli.main(standalone_mode=False, prog_name="observatory")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_REFUSED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except (ConfigError, UsageError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except ObservatoryError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
