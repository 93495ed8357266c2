import click
from flask import Flask, current_app

app = Flask(__name__)
app.config["SAMPLE_BOOKS"] = ["Dune", "Emma", "Ubik"]
SHELF = []


@app.cli.command("seed")
@click.option("--count", default=3, help="How many sample books to add.")
def seed(count):
    """Add sample books to the shelf."""
    SHELF.extend(current_app.config["SAMPLE_BOOKS"][:count])
    click.echo(f"Seeded {count} books")


def test_seed():
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "--count", "2"])
    assert result.exit_code == 0, f"exit code {result.exit_code}"
    assert result.output == "Seeded 2 books\n"
