# syntax=docker/dockerfile:1
# Two stages: a Go toolchain builds one static binary; the final image holds only that
# binary, runs as an unprivileged user and keeps its data in /data.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/cairn-lms/cairn/app/cli.Version=${VERSION}" \
      -o /out/cairn ./cmd/cairn \
 && mkdir -p /out/data \
 && echo "cairn:x:10001:10001:cairn:/data:/sbin/nologin" > /out/passwd \
 && echo "cairn:x:10001:" > /out/group

FROM scratch
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=build /out/cairn /usr/local/bin/cairn
COPY --from=build --chown=10001:10001 /out/data /data
USER 10001:10001
# Inside a container the server must listen on every interface; publish the port only to
# the reverse proxy (see README, "Production").
ENV CAIRN_ADDR=0.0.0.0:8080 \
    CAIRN_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/cairn"]
CMD ["serve"]
