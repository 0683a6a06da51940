"""The command line: every command has help and a README section; exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.paths import data_file

README = Path(__file__).resolve().parents[1] / "README.md"


def commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        out.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            out.extend(commands(cmd, f"{prefix}{name} "))
    return out


def test_cli_every_command_has_help_and_a_readme_section() -> None:
    readme = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for name in commands(cli):
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert len(result.output) > 80, name
        assert f"frontlines {name}" in readme, f"README lacks a section for `frontlines {name}`"


def test_cli_ingest_then_export_events(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "t.db")
    files = [str(p) for p in sorted(data_file("sample").glob("hajin-*.txt"))]
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = runner.invoke(cli, ["ingest", *files, str(bad), "--db", db, "--no-progress"])
    assert result.exit_code == 3, result.output  # some inputs rejected
    assert "1 rejected" in result.output
    out = tmp_path / "events.csv"
    result = runner.invoke(cli, ["export", "events", "--db", db, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {"event_date", "event_type", "actor1", "latitude", "notes"} <= set(rows[0])
    result = runner.invoke(cli, ["export", "rejects", "--db", db])
    assert json.loads(result.output.splitlines()[0])["reason"] == "empty file"
