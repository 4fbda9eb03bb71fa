# Multi-stage: a static binary on a distroless base, run as non-root.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/sandbank-dev/sandbank/mock/app.Version=${VERSION}" \
      -o /out/sandbank ./cmd/sandbank

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sandbank /sandbank
USER nonroot:nonroot
ENV SANDBANK_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/sandbank"]
CMD ["serve"]
