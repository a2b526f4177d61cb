#!/bin/sh
# Stand-in for an official image's entrypoint: writes what the server would write at its first start
# into its data directory (DATA_DIR, or --datadir=DIR among the arguments), then waits for its stop signal.
set -e
for arg in "$@"; do
	case "$arg" in
		--datadir=*) DATA_DIR="${arg#--datadir=}" ;;
	esac
done
if [ -n "$DATA_DIR" ]; then
	mkdir -p "$DATA_DIR"
	dd if=/dev/urandom of="$DATA_DIR/stand-in.dat" bs=1M count="${DATA_MB:-4}" status=none
fi
trap 'exit 0' INT TERM QUIT
while :; do sleep 1; done
