import click
from flask.cli import with_appcontext

from tracker.core.cache import clear_all
from tracker.core.time import utcnow
from tracker.demo.district import (
    DEFAULT_NAME,
    DEFAULT_PASSWORD,
    DistrictExists,
    DistrictOptions,
    Summary,
    generate_district,
)
from tracker.demo.district_batch import SHANGHAI
from tracker.demo.production import refuse_on_production
from tracker.demo.story import DEMO_PASSWORD, load_story


@click.group(help="Demo data from the seed story (江汉区北湖街).")
def demo():
    pass


@demo.command("load")
@with_appcontext
def load_command():
    """Load the demo; running it again changes nothing."""
    refuse_on_production()
    created, logins = load_story()
    if created:
        clear_all()  # answers shared from the data there was before
    click.echo("demo data loaded" if created else "demo data already present; nothing changed")
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, name, role in logins:
        click.echo(f"  {username:<14} {name:<6} {role}")


@demo.command("district")
@click.option("--name", default=DEFAULT_NAME, show_default=True, help="Name of the new district.")
@click.option("--streets", default=3, show_default=True, type=click.IntRange(1, 50))
@click.option("--communities", default=3, show_default=True, type=click.IntRange(1, 30),
              help="Communities per street.")
@click.option("--compounds", default=3, show_default=True, type=click.IntRange(1, 20),
              help="Compounds per community.")
@click.option("--cases", default=20, show_default=True, type=click.IntRange(0, 500),
              help="Cases per compound.")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 60),
              help="Months of history, ending now (or at --until).")
@click.option("--seed", default=1, show_default=True, type=int,
              help="Same seed (and --until), same data.")
@click.option("--password", default=DEFAULT_PASSWORD, show_default=True,
              help="Password of every generated login.")
@click.option("--pdfs/--no-pdfs", default=False, show_default=True,
              help="Sign past meetings and issue their minutes PDFs (about 0.25 s each); "
                   "without, past meetings stay held and unsigned.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]),
              help="End of the history, Asia/Shanghai time (default: now); for repeatable data.")
@with_appcontext
def district_command(name, streets, communities, compounds, cases, months, seed, password,
                     pdfs, until):
    """Generate a whole district with months of history, to try the oversight dashboard."""
    refuse_on_production()
    options = DistrictOptions(name=name, streets=streets, communities=communities,
                              compounds=compounds, cases=cases, months=months, seed=seed,
                              password=password, pdfs=pdfs,
                              until=until.replace(tzinfo=SHANGHAI) if until else None)
    if options.until and options.until > utcnow():
        raise click.ClickException("--until must not be in the future.")
    try:
        with click.progressbar(length=streets * communities,
                               label=f"Generating {name}: communities") as bar:
            summary = generate_district(options, advance=bar.update)
    except DistrictExists:
        raise click.ClickException(f"A district named {name!r} already exists; "
                                   "choose another --name.") from None
    _report(name, options, summary)


def _report(name: str, options: DistrictOptions, summary: Summary) -> None:
    def states(counter, order):
        return ", ".join(f"{state} {counter[state]}" for state in order)

    places, follow_up = summary.places, summary.follow_up
    click.echo(f"\nGenerated {name} (seed {options.seed}), history "
               f"{summary.start.astimezone(SHANGHAI):%Y-%m-%d} – "
               f"{summary.end.astimezone(SHANGHAI):%Y-%m-%d %H:%M}:")
    click.echo(f"  {places['streets']} streets, {places['communities']} communities, "
               f"{places['compounds']} compounds, {places['people']} people with logins")
    click.echo(f"  {summary.cases.total()} cases: " + states(
        summary.cases, ["raised", "meeting", "resolution", "follow_up", "closed", "withdrawn"]))
    click.echo(f"  {summary.meetings.total()} meetings: " + states(
        summary.meetings, ["planned", "held", "signed", "cancelled"]))
    click.echo(f"  {follow_up['votes']} votes, {follow_up['tasks']} follow-up tasks "
               f"({follow_up['open']} open, {follow_up['overdue']} overdue), "
               f"{follow_up['visits']} return visits, "
               f"{summary.meetings['signed']} minutes PDFs")
    click.echo(f"\nSample logins (phone number; password {options.password}):")
    for role, phone, person, area in summary.logins:
        click.echo(f"  {role:<18} {phone}  {person}  {area}")
    click.echo(f"\nElapsed: {summary.seconds:.1f} s")
