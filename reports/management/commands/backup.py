import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "备份整个数据库到一个文件：PostgreSQL 用 pg_dump（自定义格式，用 pg_restore 恢复），"
        "SQLite 用其在线备份接口（得到可直接使用的数据库文件）。恢复步骤见 README。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="备份文件路径（默认 backups/portal-<时间>.dump 或 .sqlite3）"
        )
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, output=None, database="default", **options):
        connection = connections[database]
        vendor = connection.vendor
        suffix = {"postgresql": "dump", "sqlite": "sqlite3"}.get(vendor)
        if suffix is None:
            raise CommandError(f"不支持备份 {vendor} 数据库。")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or f"backups/portal-{stamp}.{suffix}")
        if path.exists():
            raise CommandError(f"{path} 已存在，未覆盖：请换一个文件名。")
        path.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "postgresql":
            self._pg_dump(connection.settings_dict, path)
        else:
            self._sqlite_backup(connection, path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size} 字节，SHA-256 {digest}）")

    def _pg_dump(self, settings, path: Path) -> None:
        if shutil.which("pg_dump") is None:
            raise CommandError("找不到 pg_dump：请安装 postgresql-client。")
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}"]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command.append(f"{option}={settings[key]}")
        command.append(settings["NAME"])
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            path.unlink(missing_ok=True)
            raise CommandError(f"pg_dump 失败：{done.stderr.strip()}")

    def _sqlite_backup(self, connection, path: Path) -> None:
        # The online backup API copies a consistent database while others may write to it.
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
