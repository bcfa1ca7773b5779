# syntax=docker/dockerfile:1
# The bot as a container image: docker build -t mentoring-bot .   (see the README's "Deployment")
# Stage 1 builds the project's wheel and installs it with its dependencies into a virtual
# environment; stage 2 copies only that environment onto a fresh slim Python and runs as a user
# without privileges. Translation catalogs ship inside the wheel (bot/locales) and are compiled in
# memory when the bot starts; the build checks here that all three compile.

ARG PYTHON_VERSION=3.12

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY locales ./locales
RUN python -m pip wheel --no-deps --wheel-dir /dist . \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install /dist/mentoring_bot-*.whl \
    && /opt/venv/bin/python -c "from bot.i18n import LANGUAGES, translations; [translations(x) for x in LANGUAGES]"

FROM python:${PYTHON_VERSION}-slim-bookworm
LABEL org.opencontainers.image.title="mentoring-bot" \
      org.opencontainers.image.description="Trilingual Telegram bot for municipal mentoring programmes"
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /var/lib/bot --create-home --shell /usr/sbin/nologin bot
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BOT_DATA_DIR=/var/lib/bot/data \
    BOT_HEALTH_LISTEN=0.0.0.0:8080
USER bot
WORKDIR /var/lib/bot
# 8080: /health (and /metrics with BOT_METRICS=true); 8443: the webhook, when BOT_WEBHOOK_URL is set
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
