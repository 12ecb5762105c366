"""A backup restores into a fresh database whose published revisions still verify."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from reports.demo.loader import load_demo

ROOT = Path(__file__).resolve().parents[1]


def verify(database_url: str) -> subprocess.CompletedProcess:
    """`manage.py verify_published` against another database, as an operator would run it."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true"}
    env.pop("DATABASE_MIGRATE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "verify_published"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup")
def test_a_sqlite_backup_is_a_database_that_verifies(reopen_filings_before_flush, tmp_path):
    load_demo()  # publishes the 2018 filing
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", output=str(backup))

    done = verify(f"sqlite:///{backup}")
    assert done.returncode == 0, done.stderr
    assert "1个版本的内容指纹和链接均一致" in done.stdout

    with sqlite3.connect(backup) as db:  # a change made behind the portal's back
        db.execute("UPDATE reports_publishedrevision SET correction_note = '改过'")
    done = verify(f"sqlite:///{backup}")
    assert done.returncode == 1
    assert "2018年度报告第1版：内容与其指纹不符" in done.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backup")
def test_a_pg_dump_restores_into_a_fresh_database_that_verifies(
    reopen_filings_before_flush, tmp_path
):
    load_demo()
    backup = tmp_path / "backup.dump"
    call_command("backup", output=str(backup))

    settings = connection.settings_dict
    restored = f"{settings['NAME']}_restored"
    server = dict(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"],
    )
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{restored}"
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(backup)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        done = verify(url)
        assert done.returncode == 0, done.stderr
        assert "1个版本的内容指纹和链接均一致" in done.stdout
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
