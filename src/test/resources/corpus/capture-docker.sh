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
IMG=vwcorp/
unset "${!HOST_PORT_@}"   # the documented host ports, as captured
# the images, the run lines and the items, shared with CorpusRecreateIT
source ./docker-containers.sh
cleanup() {
	docker ps -aq --filter "name=^/${P}" | xargs -r docker rm -f >/dev/null
	docker volume ls -q --filter "name=^${P}" | xargs -r docker volume rm >/dev/null
	docker network ls -q --filter "name=^${P}" | xargs -r docker network rm >/dev/null
	# anonymous volumes of the removed containers
	for v in $(cat /tmp/${P}anon-volumes 2>/dev/null); do docker volume rm "$v" >/dev/null 2>&1 || true; done
	rm -f /tmp/${P}anon-volumes
	rm -rf "${CORPUS_DIRS[@]}"
	docker images --format '{{.Repository}}:{{.Tag}}' | grep "^${IMG}" | xargs -r docker rmi >/dev/null
}
trap cleanup EXIT

corpus_build_images
corpus_run_containers
sleep 4

unprefix() { sed -e "s|$P||g" -e 's#vwcorp/\(postgres\|redis\|mysql\|mongo\|nginx\):#\1:#g'; }
docker info --format '{{json .}}' | unprefix | python3 -m json.tool >/tmp/${P}info.json
docker version --format '{{json .}}' | unprefix | python3 -m json.tool >/tmp/${P}version.json
for entry in "${CORPUS_ITEMS[@]}"; do
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
