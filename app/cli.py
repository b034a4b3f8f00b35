"""`flask` commands: worker, seed-demo, create-user."""
import click
import sqlalchemy as sa
from flask import Flask

from app.extensions import db

DEMO_EMAIL = "demo@stellary.local"
DEMO_PASSWORD = "demo-pass-123"


def register_cli(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
    def worker(burst: bool) -> None:
        """Run an RQ worker on every queue (needs REDIS_URL)."""
        from rq import SimpleWorker

        from app.jobs import QUEUES
        from app.redis_client import reachable_redis

        client = reachable_redis()
        if client is None:
            raise click.ClickException("REDIS_URL is not set or Redis does not answer")
        # SimpleWorker runs jobs in this process, inside this app context, with its own pool.
        SimpleWorker(list(QUEUES), connection=client).work(burst=burst)

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo account (once) and print how to log in."""
        from app.models.identity import User
        from app.services import accounts

        if db.session.scalar(sa.select(User).where(User.email == DEMO_EMAIL)) is None:
            user = accounts.register(DEMO_EMAIL, DEMO_PASSWORD, "Demo User")
            db.session.commit()
            click.echo(f"Created the demo account {user.email}.")
        click.echo(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", default=None)
    @click.password_option()
    def create_user(email: str, name: str | None, password: str) -> None:
        """Create an account with its personal organization and workspace."""
        from app.errors import DomainError
        from app.services import accounts

        try:
            user = accounts.register(email, password, name)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Created {user.email}")
