# syntax=docker/dockerfile:1
#
# One image for every role: `serve` (the API and dashboard), `worker` (queued jobs) and `migrate`.
#
#   docker build -t leadgen .
#   docker run --rm -p 8080:8080 -v leadgen-data:/var/lib/leadgen leadgen            # SQLite, one container
#   docker run --rm -e DATABASE_URL=postgres://… leadgen worker                       # a worker on PostgreSQL
#
# The build stage compiles a release binary with the Swift standard library and Foundation linked in
# statically; the runtime stage is a slim Ubuntu with the system's CA certificates (TLS to the vendors) and
# time-zone data (sequences send in each lead's time zone), and nothing else.

# --- build ---------------------------------------------------------------------------------------
FROM swift:6.3.1-noble AS build
WORKDIR /src
# Dependencies first: this layer is reused while only the sources change.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product leadgen --static-swift-stdlib \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/leadgen" /staging/leadgen \
    && cp -R "$bin/leadgen_WebApp.resources" /staging/ \
    && strip /staging/leadgen

# --- runtime -------------------------------------------------------------------------------------
FROM ubuntu:24.04
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Leadgen" \
      org.opencontainers.image.description="Self-hosted lead generation: source, clean, enrich, sync and reach out to leads" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

# Versions follow the base image's security updates, which the release workflow rebuilds for.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 leadgen \
    && useradd --system --uid 10001 --gid leadgen --home-dir /var/lib/leadgen --shell /usr/sbin/nologin leadgen \
    && install -d -o leadgen -g leadgen -m 0750 /var/lib/leadgen

# The binary and its resource bundle (templates, styles) side by side, owned by root: read-only to the app.
WORKDIR /app
COPY --from=build --chown=root:root --chmod=0755 /staging/ /app/

ENV DATABASE_URL=sqlite:/var/lib/leadgen/leadgen.sqlite \
    LEADGEN_HOST=0.0.0.0 \
    LEADGEN_PORT=8080 \
    LEADGEN_LOG_FORMAT=json
VOLUME ["/var/lib/leadgen"]
EXPOSE 8080
USER 10001:10001
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/leadgen", "health"]
ENTRYPOINT ["/app/leadgen"]
CMD ["serve"]
