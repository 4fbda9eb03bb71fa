# Multi-stage: a static binary on a distroless base, run as non-root.
# Build with `make docker`, which passes the same VERSION `make build` links in,
# so `docker run sandbank:X --version` and `bin/sandbank --version` agree.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Empty: the binary falls back to the module's build information ("dev" here).
ARG VERSION=
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/sandbank-dev/sandbank/mock/app.Version=${VERSION}" \
      -o /out/sandbank ./cmd/sandbank

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=
LABEL org.opencontainers.image.title="sandbank" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /out/sandbank /sandbank
USER nonroot:nonroot
ENV SANDBANK_ADDR=0.0.0.0:8080
EXPOSE 8080
# The image has no shell or curl: the binary checks itself (GET /_sandbox/health
# on SANDBANK_ADDR, reached on loopback).
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/sandbank", "healthcheck"]
ENTRYPOINT ["/sandbank"]
CMD ["serve"]
