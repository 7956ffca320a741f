# A stand-in for docker-compose.yml's `redis:7` where no registry can be reached: Debian 12's redis-server (7.0)
# on the local debootstrap base. Built by deploy/compose-smoke.sh; context: this folder.
ARG BASE_IMAGE=tinynet-base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/
WORKDIR /data
USER redis
EXPOSE 6379
# Like the official image: protected mode off (other containers are the clients), and `redis-server ...` as the command.
ENTRYPOINT ["/usr/local/bin/redis-entrypoint.sh"]
CMD ["redis-server"]
