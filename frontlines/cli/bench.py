"""`frontlines bench`: pipeline throughput against a bare spaCy pass; streaming memory."""

from __future__ import annotations

import json

import click

from frontlines.bench import DEFAULT_WORKERS, bench, streaming


@click.command("bench")
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(min=1),
              help="Runs of each side; the best is reported.")  # fmt: skip
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True,
              type=click.IntRange(min=1), help="Processes for the parse stages.")  # fmt: skip
@click.option("--streaming", "stream", is_flag=True,
              help="Instead: peak memory of ingests of growing generated corpora.")  # fmt: skip
@click.option("--counts", default="1000,10000", show_default=True,
              help="With --streaming: corpus sizes, comma-separated.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bench_cli(
    path: str | None, repeat: int, workers: int, stream: bool, counts: str, as_json: bool
) -> None:
    """Documents/s and tokens/s of a full ingest of PATH (default: the bundled sample) and
    of a bare spaCy `nlp.pipe` over the same texts, their ratio, peak memory and the time
    of each stage."""
    if stream:
        try:
            sizes = [int(c) for c in counts.split(",") if c.strip()]
        except ValueError as exc:
            raise click.BadParameter(
                "expected numbers such as 1000,10000", param_hint="--counts"
            ) from exc
        runs = streaming(sizes, workers)
        if as_json:
            click.echo(json.dumps({"streaming": runs}))
            return
        for run in runs:
            click.echo(
                f"{run['documents']:>7} generated docs: {run['docs_per_s']} docs/s, "
                f"peak RSS {run['peak_rss_mb']} MB (largest worker {run['worker_peak_rss_mb']} MB)"
            )
        return
    figures = bench(path, repeat=repeat, workers=workers).figures()
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{figures['documents']} documents, {figures['tokens']} tokens, "
               f"{figures['workers']} worker(s), best of {figures['repeat']}")  # fmt: skip
    for side in ("bare_spacy", "bare_spacy_same_kernels", "pipeline"):
        click.echo(
            f"  {side:23s} {figures[f'{side}_seconds']:8.2f} s  "
            f"{figures[f'{side}_docs_per_s']:8} docs/s  "
            f"{figures[f'{side}_tokens_per_s']:9} tokens/s"
        )
    click.echo(f"  ratio (pipeline / bare spaCy throughput): {figures['ratio']}")
    click.echo("  ratio against a bare pass with the pipeline's matrix kernels: "
               f"{figures['ratio_same_kernels']}")  # fmt: skip
    click.echo(f"  CPU seconds: bare spaCy {figures['bare_spacy_cpu_seconds']}, "
               f"pipeline {figures['pipeline_cpu_seconds']} (all workers)")  # fmt: skip
    click.echo(f"  peak RSS {figures['peak_rss_mb']} MB; largest worker "
               f"{figures['worker_peak_rss_mb']} MB")  # fmt: skip
    click.echo("  stage seconds (sequential run): " + ", ".join(
        f"{k} {v}" for k, v in figures["stage_seconds"].items()))  # fmt: skip
