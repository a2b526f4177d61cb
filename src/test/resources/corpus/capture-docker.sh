#!/bin/bash
# Captures the corpus's Docker items on the lab's engine: images that carry the official images'
# shaping instructions (docker-images/, built FROM the offline probe image), containers run the way
# each image's documentation says plus common variations, then `docker inspect --size`,
# `docker image inspect`, `docker info` and `docker version` as a user would save them. Everything is
# created under vwcorp- names and removed afterwards; the saved files use the documented names
# (the vwcorp- prefix taken out). Secrets are obviously fake values.
# Usage: capture-docker.sh
set -euo pipefail
cd "$(dirname "$0")"
P=vwcorp-
made_dirs=(/srv/${P}mysql /srv/${P}site /srv/${P}reports)
cleanup() {
	docker ps -aq --filter "name=^/${P}" | xargs -r docker rm -f >/dev/null
	docker volume ls -q --filter "name=^${P}" | xargs -r docker volume rm >/dev/null
	docker network ls -q --filter "name=^${P}" | xargs -r docker network rm >/dev/null
	# anonymous volumes of the removed containers
	for v in $(cat /tmp/${P}anon-volumes 2>/dev/null); do docker volume rm "$v" >/dev/null 2>&1 || true; done
	rm -f /tmp/${P}anon-volumes
	rm -rf "${made_dirs[@]}"
	docker images --format '{{.Repository}}:{{.Tag}}' | grep '^vwcorp/' | xargs -r docker rmi >/dev/null
}
trap cleanup EXIT

for img in postgres:16 redis:7.2 mysql:8.0 mongo:7.0 nginx:1.27; do
	name=${img%%:*}
	docker build -q -t "vwcorp/$img" -f "docker-images/$name/Dockerfile" docker-images >/dev/null 2>&1
done
mkdir -p "${made_dirs[@]}"
echo '<h1>corpus</h1>' >/srv/${P}site/index.html
PW=fake-password-for-corpus

run() { docker run "$@" >/dev/null; }
# docker-library/docs postgres: "docker run --name some-postgres -e POSTGRES_PASSWORD=mysecretpassword -d postgres", port published
run --name ${P}some-postgres -e POSTGRES_PASSWORD=$PW -p 5432:5432 -d vwcorp/postgres:16
# the same with a named volume, a restart policy and bounded json-file logs
docker volume create ${P}pgdata >/dev/null
run --name ${P}pg-prod -e POSTGRES_PASSWORD=$PW -e POSTGRES_DB=app -v ${P}pgdata:/var/lib/postgresql/data -p 127.0.0.1:5433:5432 --restart unless-stopped --log-opt max-size=10m --log-opt max-file=3 -d vwcorp/postgres:16
# redis docs: "docker run --name some-redis -d redis"
run --name ${P}some-redis -d vwcorp/redis:7.2
# redis docs: persistence on a user network, "redis-server --save 60 1 --loglevel warning"; an app on it and on a second network
docker network create ${P}some-network >/dev/null
docker network create ${P}frontend >/dev/null
run --network ${P}some-network --name ${P}cache -d vwcorp/redis:7.2 redis-server --save 60 1 --loglevel warning
run --network ${P}frontend --name ${P}api -p 8000:8000 -e REDIS_URL=redis://cache:6379/0 -d virtwise/probe:latest sleep infinity
docker network connect ${P}some-network ${P}api
# mysql docs: a host directory as data directory, options after the image
run --name ${P}some-mysql -v /srv/${P}mysql:/var/lib/mysql -e MYSQL_ROOT_PASSWORD=$PW -p 3306:3306 -d vwcorp/mysql:8.0 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
# a datadir moved out of the image's VOLUME: the data lands in the writable layer
run --name ${P}legacy-mysql -e MYSQL_ROOT_PASSWORD=$PW -e DATA_MB=96 -d vwcorp/mysql:8.0 --datadir=/srv/mysql-data
# mongo docs: "docker run --name some-mongo -d mongo"
run --name ${P}some-mongo -d vwcorp/mongo:7.0
# nginx docs: static content from a read-only bind mount, "-p 8080:80"
run --name ${P}some-nginx -v /srv/${P}site:/usr/share/nginx/html:ro -d -p 8080:80 vwcorp/nginx:1.27
# nginx docs, read-only root: tmpfs for the cache and run directories
run --name ${P}ro-nginx --read-only --tmpfs /var/cache/nginx --tmpfs /var/run -p 127.0.0.1:8081:80 -d vwcorp/nginx:1.27
# host networking
run --network host --name ${P}edge-nginx -d vwcorp/nginx:1.27
# a sidecar sharing the web container's network namespace
run --name ${P}web -p 8082:80 -d vwcorp/nginx:1.27
run --name ${P}web-exporter --network container:${P}web -d virtwise/probe:latest sleep infinity
# a latency-sensitive service under a CFS quota, and a worker on a cpuset
run --name ${P}quota-api --cpus 1.5 --memory 512m -p 8083:80 -d vwcorp/nginx:1.27
run --name ${P}pinned-worker --cpuset-cpus 1 --restart unless-stopped -v ${P}worker-cache:/var/cache/worker -d virtwise/probe:latest sleep infinity
# a one-off job with --rm writing to a host directory
run --rm --name ${P}nightly-report -v /srv/${P}reports:/out -d virtwise/probe:latest sh -c 'sleep 3600'
sleep 4

# item | containers
ITEMS=(
"docker-postgres-doc|some-postgres"
"docker-postgres-named-volume|pg-prod"
"docker-redis-doc|some-redis"
"docker-redis-two-networks|cache api"
"docker-mysql-bind|some-mysql"
"docker-mysql-datadir-in-layer|legacy-mysql"
"docker-mongo-doc|some-mongo"
"docker-nginx-ro-bind|some-nginx"
"docker-nginx-read-only-tmpfs|ro-nginx"
"docker-nginx-host-network|edge-nginx"
"docker-sidecar-netns|web web-exporter"
"docker-cpus-quota|quota-api"
"docker-cpuset-worker|pinned-worker"
"docker-rm-job|nightly-report"
)
unprefix() { sed -e "s|$P||g" -e 's#vwcorp/\(postgres\|redis\|mysql\|mongo\|nginx\):#\1:#g'; }
docker info --format '{{json .}}' | unprefix | python3 -m json.tool >/tmp/${P}info.json
docker version --format '{{json .}}' | unprefix | python3 -m json.tool >/tmp/${P}version.json
for entry in "${ITEMS[@]}"; do
	IFS='|' read -r item names <<<"$entry"
	mkdir -p "$item"
	full=()
	for n in $names; do full+=("$P$n"); done
	docker inspect --size "${full[@]}" | unprefix >"$item/containers.json"
	images=$(docker inspect --format '{{.Image}}' "${full[@]}" | sort -u)
	# shellcheck disable=SC2086
	docker image inspect $images | unprefix >"$item/images.json"
	cp /tmp/${P}info.json "$item/info.json"
	cp /tmp/${P}version.json "$item/version.json"
	docker inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "${full[@]}" >>/tmp/${P}anon-volumes
	echo "$item: ${names}"
done
rm -f /tmp/${P}info.json /tmp/${P}version.json
