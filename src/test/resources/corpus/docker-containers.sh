# The containers the corpus's Docker items were captured from: one definition, sourced by bash from this
# directory by capture-docker.sh (which saves what a user would save of them) and by CorpusRecreateIT (which
# makes replicas of them on the lab and re-creates them as the advice prints). Images carry the official
# images' shaping instructions (docker-images/, FROM the offline probe image); the run lines are each image's
# documented ones plus common variations.
#
# Set before sourcing:
#   P    prefix of every container, volume, network and host directory name (vwcorp- when capturing)
#   IMG  repository prefix of the images built here (vwcorp/ when capturing)
# A documented host port N is published as $(hp N): N itself, unless HOST_PORT_N says otherwise (a test
# that must not collide with the host's own ports maps them to free ones; nothing else changes).

: "${P:?P, the name prefix, is not set}" "${IMG:?IMG, the image repository prefix, is not set}"
hp() { local v="HOST_PORT_$1"; echo "${!v:-$1}"; }

CORPUS_IMAGES=(postgres:16 redis:7.2 mysql:8.0 mongo:7.0 nginx:1.27)
CORPUS_DIRS=(/srv/${P}mysql /srv/${P}site /srv/${P}reports)

# item | containers (names without the prefix)
CORPUS_ITEMS=(
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

corpus_build_images() {
	local img
	for img in "${CORPUS_IMAGES[@]}"; do
		docker build -q -t "$IMG$img" -f "docker-images/${img%%:*}/Dockerfile" docker-images >/dev/null 2>&1
	done
}

corpus_run_containers() {
	mkdir -p "${CORPUS_DIRS[@]}"
	echo '<h1>corpus</h1>' >/srv/${P}site/index.html
	local PW=fake-password-for-corpus
	run() { docker run "$@" >/dev/null; }
	# docker-library/docs postgres: "docker run --name some-postgres -e POSTGRES_PASSWORD=mysecretpassword -d postgres", port published
	run --name ${P}some-postgres -e POSTGRES_PASSWORD=$PW -p $(hp 5432):5432 -d ${IMG}postgres:16
	# the same with a named volume, a restart policy and bounded json-file logs
	docker volume create ${P}pgdata >/dev/null
	run --name ${P}pg-prod -e POSTGRES_PASSWORD=$PW -e POSTGRES_DB=app -v ${P}pgdata:/var/lib/postgresql/data -p 127.0.0.1:$(hp 5433):5432 --restart unless-stopped --log-opt max-size=10m --log-opt max-file=3 -d ${IMG}postgres:16
	# redis docs: "docker run --name some-redis -d redis"
	run --name ${P}some-redis -d ${IMG}redis:7.2
	# redis docs: persistence on a user network, "redis-server --save 60 1 --loglevel warning"; an app on it and on a second network
	docker network create ${P}some-network >/dev/null
	docker network create ${P}frontend >/dev/null
	run --network ${P}some-network --name ${P}cache -d ${IMG}redis:7.2 redis-server --save 60 1 --loglevel warning
	run --network ${P}frontend --name ${P}api -p $(hp 8000):8000 -e REDIS_URL=redis://cache:6379/0 -d virtwise/probe:latest sleep infinity
	docker network connect ${P}some-network ${P}api
	# mysql docs: a host directory as data directory, options after the image
	run --name ${P}some-mysql -v /srv/${P}mysql:/var/lib/mysql -e MYSQL_ROOT_PASSWORD=$PW -p $(hp 3306):3306 -d ${IMG}mysql:8.0 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
	# a datadir moved out of the image's VOLUME: the data lands in the writable layer
	run --name ${P}legacy-mysql -e MYSQL_ROOT_PASSWORD=$PW -e DATA_MB=96 -d ${IMG}mysql:8.0 --datadir=/srv/mysql-data
	# mongo docs: "docker run --name some-mongo -d mongo"
	run --name ${P}some-mongo -d ${IMG}mongo:7.0
	# nginx docs: static content from a read-only bind mount, "-p 8080:80"
	run --name ${P}some-nginx -v /srv/${P}site:/usr/share/nginx/html:ro -d -p $(hp 8080):80 ${IMG}nginx:1.27
	# nginx docs, read-only root: tmpfs for the cache and run directories
	run --name ${P}ro-nginx --read-only --tmpfs /var/cache/nginx --tmpfs /var/run -p 127.0.0.1:$(hp 8081):80 -d ${IMG}nginx:1.27
	# host networking
	run --network host --name ${P}edge-nginx -d ${IMG}nginx:1.27
	# a sidecar sharing the web container's network namespace
	run --name ${P}web -p $(hp 8082):80 -d ${IMG}nginx:1.27
	run --name ${P}web-exporter --network container:${P}web -d virtwise/probe:latest sleep infinity
	# a latency-sensitive service under a CFS quota, and a worker on a cpuset
	run --name ${P}quota-api --cpus 1.5 --memory 512m -p $(hp 8083):80 -d ${IMG}nginx:1.27
	run --name ${P}pinned-worker --cpuset-cpus 1 --restart unless-stopped -v ${P}worker-cache:/var/cache/worker -d virtwise/probe:latest sleep infinity
	# a one-off job with --rm writing to a host directory
	run --rm --name ${P}nightly-report -v /srv/${P}reports:/out -d virtwise/probe:latest sh -c 'sleep 3600'
}
