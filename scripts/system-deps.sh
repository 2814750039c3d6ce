#!/usr/bin/env bash
# Debian packages the tests and the product use: chromium (Playwright e2e), ffmpeg (camera
# decode), socat (PTY pairs for serial tests), udev (udevadm for SerialPort.list), libusb
# (node-hid), fonts-noto-cjk (CJK receipt previews). `npm run setup` (and .ci/run) installs what
# is missing when run as root with apt-get; otherwise, and always with --check (what `npm test`
# runs), it only names what to install. Quiet when everything is present.
set -u  # no pipefail: `grep -q` closing the pipe early must not count as a failure
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v socat >/dev/null || missing+=(socat)
command -v udevadm >/dev/null || missing+=(udev)
ldconfig -p 2>/dev/null | grep -q 'libusb-1.0.so.0' || missing+=(libusb-1.0-0)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" != --check ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[system-deps] installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  exit $?
fi
echo "[system-deps] missing Debian packages: ${missing[*]}" >&2
echo "[system-deps] install them with: npm run setup (as root), or sudo apt-get install ${missing[*]}" >&2
exit 1
