#!/bin/sh
# build-deb.sh - package the built tree as a .deb that takes the place of
# Debian's heartbeat package (same paths, same service name).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${VERSION:-3.0.6+hbgo1}
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
make -C "$root" install DESTDIR="$stage" >/dev/null
rm -rf "$stage/var/run"  # a tmpfs at boot: the init script and unit create it
mkdir -p "$stage/DEBIAN" "$root/dist"
cat > "$stage/DEBIAN/control" <<CTRL
Package: hbgo-heartbeat
Version: $version
Architecture: $arch
Maintainer: hbgo <hbgo@localhost>
Depends: adduser, iproute2, resource-agents
Provides: heartbeat
Conflicts: heartbeat
Replaces: heartbeat
Section: admin
Priority: optional
Description: high-availability cluster daemon, Heartbeat 3.0.6 compatible
 A drop-in replacement for Linux-HA Heartbeat 3.0.6: it reads /etc/ha.d
 unchanged, speaks the 3.0.6 wire protocol so old and new nodes form one
 cluster during a rolling upgrade, and manages the same haresources groups.
CTRL
cat > "$stage/DEBIAN/conffiles" <<CONF
/etc/init.d/heartbeat
CONF
cat > "$stage/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
	getent group haclient >/dev/null || addgroup --system haclient
	getent passwd hacluster >/dev/null || adduser --system --ingroup haclient --home /var/lib/heartbeat --no-create-home hacluster
	chown hacluster:haclient /var/run/heartbeat 2>/dev/null || true
	if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
	update-rc.d heartbeat defaults >/dev/null 2>&1 || true
fi
POST
chmod 755 "$stage/DEBIAN/postinst"
out="$root/dist/hbgo-heartbeat_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage" "$out" >/dev/null
echo "$out"
