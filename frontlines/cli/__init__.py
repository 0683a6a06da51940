"""The frontlines command line: one module per command, each a thin wrapper over the
library (it parses arguments, calls one function, maps errors to exit codes)."""

from __future__ import annotations

import sys

import click

from frontlines.cli.bench import bench_cli
from frontlines.cli.demo import demo_cli
from frontlines.cli.evaluate import eval_cli
from frontlines.cli.export import export_cli
from frontlines.cli.gazetteer import gazetteer_cli
from frontlines.cli.ingest import ingest_cli
from frontlines.cli.report import report_cli
from frontlines.cli.serve import serve_cli
from frontlines.cli.train import train_cli
from frontlines.errors import FrontlinesError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="frontlines")
def cli() -> None:
    """frontlines: news reports about an armed conflict in, a sourced situation picture out."""


cli.add_command(ingest_cli)
cli.add_command(export_cli)
cli.add_command(demo_cli)
cli.add_command(train_cli)
cli.add_command(eval_cli)
cli.add_command(serve_cli)
cli.add_command(report_cli)
cli.add_command(gazetteer_cli)
cli.add_command(bench_cli)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except FrontlinesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
