#!/usr/bin/env bash
# Debian's ffmpeg (with ffprobe), for the emulator's rendered result clips and the tests that probe
# them (test/emulator/render.js). Installs it when missing; prints the ffmpeg path. Idempotent.
set -euo pipefail
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
	if [ "$(id -u)" != "0" ]; then
		echo "ensure-ffmpeg: ffmpeg is missing and installing it needs root (apt-get install ffmpeg)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends ffmpeg fonts-dejavu-core >/dev/null
fi
command -v ffmpeg
