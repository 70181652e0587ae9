"""Entry point of the ``oncoboard`` command.

Exit status (``shared/spec/case-format.md``): 0 success, 2 invalid input (the
message names the file, the JSON path or line, and what was expected), 1 for
anything else.  No user mistake ever prints a traceback; unexpected errors
are logged with their traceback and summarised on stderr.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from oncoboard import __version__
from oncoboard.cli.admin import audit, config_group, db
from oncoboard.cli.case import case
from oncoboard.cli.cohort import cohort
from oncoboard.cli.demo import demo
from oncoboard.cli.fhir import fhir
from oncoboard.cli.kb import kb
from oncoboard.cli.match import match
from oncoboard.cli.report import board, report
from oncoboard.cli.support import support
from oncoboard.cli.trials import trials
from oncoboard.core.errors import (
    ConflictError,
    NotFoundError,
    OncoBoardError,
    StorageError,
    UserInputError,
)

log = logging.getLogger("oncoboard.cli")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oncoboard")
def cli() -> None:
    """OncoBoard: offline molecular tumor board assistant.

    Decision support only: every option must be verified by the treating team.
    """
    from oncoboard.cli.context import context
    from oncoboard.core.logging_setup import setup_logging

    setup_logging(context().config["logging.level"])


# Every command module is imported here: one that fails to import is a crash with its
# traceback, never a command silently missing from --help.
for _command in (
    case,
    audit,
    db,
    config_group,
    support,
    kb,
    match,
    report,
    board,
    cohort,
    demo,
    trials,
    fhir,
):
    cli.add_command(_command)


def _fail(message: str, status: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, mapping OncoBoard's error types to messages and exit codes."""
    try:
        return cli.main(args=argv, prog_name="oncoboard", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", 1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(
            2
            if isinstance(exc, click.UsageError | click.BadParameter)
            else exc.exit_code
        )
    except UserInputError as exc:
        _fail(str(exc), 2)
    except (ConflictError, NotFoundError, StorageError) as exc:
        _fail(str(exc), 1)
    except OncoBoardError as exc:
        _fail(str(exc), 1)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
    except (
        Exception
    ) as exc:  # unexpected: log the traceback, keep the terminal readable
        from oncoboard.core import paths
        from oncoboard.core.scrub import scrub, scrubbed_traceback

        # the exception text may quote patient data (a case's JSON): scrubbed for log and stderr
        log.error("unexpected error\n%s", scrubbed_traceback(exc))
        _fail(
            f"unexpected {type(exc).__name__}: {scrub(str(exc))}. This is a bug; details are in "
            f"{paths.log_dir() / 'oncoboard.log'}",
            1,
        )
    return None


if __name__ == "__main__":
    main()
