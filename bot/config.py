"""One validated ``Settings`` object, read from the environment and an optional ``.env`` file.

Every setting has the prefix ``BOT_``; the README's settings table lists them all. Invalid values
raise :class:`SettingsError` with one line naming the setting, which the command line turns into
exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_BASE = "https://api.telegram.org"


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming it."""


def _parse_id_list(value: object) -> object:
    if isinstance(value, str):
        parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
        return [int(p) for p in parts]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    """Everything the bot can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = Field(
        default=None, description="Telegram bot token from @BotFather (never shown or logged)."
    )
    data_dir: Path = Field(default=Path("data"), description="Folder for the default SQLite file.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default sqlite+aiosqlite:///<data_dir>/bot.sqlite3.",
    )
    db_pre_ping: bool = Field(
        default=False,
        description="Test each PostgreSQL connection with a round trip when taken from the pool.",
    )
    api_base_url: str = Field(default=DEFAULT_API_BASE, description="Bot API server root URL.")
    http_client: Literal["aiohttp", "httpx"] = Field(
        default="aiohttp",
        description="HTTP client for Bot API calls: aiohttp (less CPU a call) or PTB's httpx.",
    )
    coordinator_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids who are coordinators without invite."
    )
    staff_chat_id: int | None = Field(
        default=None, description="Telegram chat id of the coordinators' staff group."
    )
    staff_language: str = Field(
        default="en", description="Language of the bot's messages in the staff chat (uk, sl, en)."
    )
    error_chat_id: int | None = Field(
        default=None,
        description="Telegram chat id where failed updates are posted (default: the staff chat).",
    )
    timezone: str = Field(
        default="Europe/Ljubljana",
        description="Time zone until a programme exists (then the programme's governs).",
    )
    webhook_url: str | None = Field(default=None, description="Public HTTPS URL for webhook mode.")
    webhook_secret: SecretStr | None = Field(
        default=None, description="Webhook secret token (never shown or logged)."
    )
    webhook_listen: str = Field(default="127.0.0.1:8443", description="host:port to listen on.")
    health_listen: str | None = Field(
        default=None,
        description="host:port of a small HTTP server with /health (and /metrics), in any mode.",
    )
    metrics: bool = Field(
        default=False, description="Serve Prometheus metrics on /metrics at BOT_HEALTH_LISTEN."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    log_format: str = Field(
        default="text", description="text (one line per event) or json (one JSON object a line)."
    )
    log_levels: str = Field(
        default="", description="Levels per area, e.g. bot.delivery=DEBUG,telegram=WARNING."
    )
    username: str = Field(
        default="mentoring_programme_bot",
        description="The bot's @username (without @), for invite links made on the command line.",
    )
    cache_check_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often a process re-reads the content and access versions (seconds).",
    )
    retention_days: int = Field(
        default=365, ge=1, description="Days after which question texts and survey links go."
    )
    anonymous_batch: int = Field(
        default=5,
        ge=2,
        le=1000,
        description="Anonymous survey answers are published in shuffled batches of at least this "
        "many, and results with fewer responses are not shown.",
    )
    delivery_rate: float | None = Field(
        default=None,
        gt=0,
        description="Messages a second (all processes on PostgreSQL); default 30, 1000 paid.",
    )
    paid_broadcasts: bool = Field(
        default=False, description="Use Telegram's paid broadcasts (Stars): up to 1000 messages/s."
    )
    delivery_chat_interval: float = Field(
        default=1.0, ge=0, description="Seconds between two messages to one chat."
    )
    delivery_group_per_minute: int = Field(
        default=20, ge=1, description="Messages a minute to one group chat."
    )
    delivery_max_attempts: int = Field(
        default=5, ge=1, description="Send attempts before a message that keeps timing out fails."
    )

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        return _parse_id_list(value)

    @field_validator("staff_language")
    @classmethod
    def _staff_language(cls, value: str) -> str:
        if value not in ("uk", "sl", "en"):
            raise ValueError("one of uk, sl, en")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://", "postgresql://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db")
        if value.startswith("postgresql://"):
            value = "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("api_base_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None if value == "" else value
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        return _host_port(value, "0.0.0.0:8443", lowest=1)

    @field_validator("health_listen")
    @classmethod
    def _health_listen(cls, value: str | None) -> str | None:
        # port 0: any free port (tests)
        return _host_port(value, "0.0.0.0:8080", lowest=0) if value else None

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("BOT_WEBHOOK_SECRET is required when BOT_WEBHOOK_URL is set")
        if self.webhook_secret is not None and not _valid_secret(
            self.webhook_secret.get_secret_value()
        ):
            raise ValueError("BOT_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return self

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("text or json")
        return value.lower()

    @field_validator("log_levels")
    @classmethod
    def _log_levels(cls, value: str) -> str:
        from bot.infra.logs import parse_levels

        parse_levels(value)
        return value

    @model_validator(mode="after")
    def _metrics_need_listen(self) -> Settings:
        if self.metrics and not self.health_listen:
            raise ValueError("BOT_METRICS: set BOT_HEALTH_LISTEN (host:port) to serve /metrics")
        return self

    @model_validator(mode="after")
    def _delivery_rate_within_telegram(self) -> Settings:
        ceiling = 1000.0 if self.paid_broadcasts else 30.0
        if self.delivery_rate is not None and self.delivery_rate > ceiling:
            hint = "" if self.paid_broadcasts else " (set BOT_PAID_BROADCASTS=true for up to 1000)"
            raise ValueError(f"BOT_DELIVERY_RATE: at most {ceiling:g} messages a second{hint}")
        return self

    @property
    def effective_delivery_rate(self) -> float:
        if self.delivery_rate is not None:
            return self.delivery_rate
        return 1000.0 if self.paid_broadcasts else 30.0

    @property
    def token_value(self) -> str | None:
        """The token itself, for the one place that needs it (the Bot API client)."""
        return self.token.get_secret_value() if self.token else None

    @property
    def secrets(self) -> list[str]:
        """Every secret's value, for the log filter that redacts them."""
        return [x.get_secret_value() for x in (self.token, self.webhook_secret) if x is not None]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bot.sqlite3').as_posix()}"

    @property
    def listen_host(self) -> str:
        return self.webhook_listen.rpartition(":")[0]

    @property
    def listen_port(self) -> int:
        return int(self.webhook_listen.rpartition(":")[2])


def _host_port(value: str, example: str, *, lowest: int) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not lowest <= int(port) < 65536:
        raise ValueError(f"expected host:port, for example {example}")
    return value


def _valid_secret(secret: str) -> bool:
    return (
        0 < len(secret) <= 256
        and all(c.isalnum() or c in "_-" for c in secret)
        and secret.isascii()
    )


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise :class:`SettingsError` with one line naming a bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err.get("loc") or ()
        name = f"BOT_{str(loc[0]).upper()}" if loc else "settings"
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
