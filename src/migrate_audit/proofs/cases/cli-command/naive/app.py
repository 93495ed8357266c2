from typing import Annotated

import typer
from typer.testing import CliRunner

SAMPLE_BOOKS = ["Dune", "Emma", "Ubik"]
SHELF = []

cli = typer.Typer()


@cli.command()
def seed(count: Annotated[int, typer.Option(help="How many sample books to add.")] = 3):
    """Add sample books to the shelf."""
    SHELF.extend(SAMPLE_BOOKS[:count])
    typer.echo(f"Seeded {count} books")


def test_seed():
    runner = CliRunner()
    result = runner.invoke(cli, ["seed", "--count", "2"])
    assert result.exit_code == 0, f"exit code {result.exit_code}"
    assert result.output == "Seeded 2 books\n"
