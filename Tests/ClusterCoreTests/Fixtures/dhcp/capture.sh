#!/usr/bin/env bash
# Captures real DHCP exchanges for the parser fixtures: busybox udhcpd serves on one end of a veth
# pair, isc-dhcp-client's dhclient, busybox udhcpc, dhcpcd and iPXE firmware in QEMU (on a tap
# bridged to the veth) ask on the other, tcpdump records. Only addresses inside the two namespaces
# made here are used; both, and every process started, are removed on any exit.
# Needs root and: apt-get install isc-dhcp-client busybox tcpdump dhcpcd-base qemu-system-x86 ipxe-qemu
# Usage: capture.sh [output directory, default this one]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
work=$(mktemp -d)
srv=tcfix-srv-$$ cli=tcfix-cli-$$
cleanup() {
    [[ -f $work/tcpdump.pid ]] && kill "$(cat "$work/tcpdump.pid")" 2>/dev/null || true
    [[ -f $work/udhcpd.pid ]] && kill "$(cat "$work/udhcpd.pid")" 2>/dev/null || true
    [[ -f $work/qemu.pid ]] && kill "$(cat "$work/qemu.pid")" 2>/dev/null || true
    ip netns del "$srv" 2>/dev/null || true
    ip netns del "$cli" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$srv"; ip netns add "$cli"
ip link add vsrv netns "$srv" type veth peer name vcli netns "$cli"
ip -n "$srv" addr add 10.231.7.1/24 dev vsrv
ip -n "$srv" link set vsrv up; ip -n "$cli" link set vcli up
ip -n "$cli" link set vcli address 02:00:0a:e7:07:63
cat > "$work/udhcpd.conf" <<CONF
start 10.231.7.100
end 10.231.7.150
interface vsrv
lease_file $work/udhcpd.leases
pidfile $work/udhcpd.pid
opt subnet 255.255.255.0
opt router 10.231.7.1
opt lease 3600
opt tftp 10.231.7.1
opt bootfile pxelinux.0
opt rootpath 10.231.7.1:/srv/nfsroot
siaddr 10.231.7.1
CONF
touch "$work/udhcpd.leases"
ip netns exec "$srv" tcpdump -i vsrv -U -n -w "$work/capture.pcap" 'udp port 67 or udp port 68' 2>/dev/null &
echo $! > "$work/tcpdump.pid"
sleep 1
ip netns exec "$srv" busybox udhcpd -f "$work/udhcpd.conf" &
echo $! > "$work/udhcpd.pid.shell"
sleep 1
# -sf /bin/true and -s /bin/true: the clients configure nothing, not even inside the namespace.
cat > "$work/dhclient.conf" <<CONF
send host-name "tc-fixture-host";
send dhcp-client-identifier 1:02:00:0a:e7:07:63;
request subnet-mask, routers, domain-name-servers, host-name, domain-name, root-path, tftp-server-name, bootfile-name;
CONF
# The first run goes DISCOVER/REQUEST; the second finds the lease file and goes INIT-REBOOT.
for run in 1 2; do
    timeout 8 ip netns exec "$cli" dhclient -4 -d -1 -sf /bin/true -cf "$work/dhclient.conf" -lf "$work/dhclient.leases" \
        -pf "$work/dhclient.pid" vcli >> "$work/dhclient.log" 2>&1 || true
done
cat "$work/dhclient.log" >&2
ip -n "$cli" link set vcli address 02:00:0a:e7:07:64
timeout 15 ip netns exec "$cli" busybox udhcpc -f -q -n -t 3 -T 2 -i vcli -s /bin/true -x hostname:tc-udhcpc \
    -V tc-udhcpc-vendor -O rootpath -O tftp -O bootfile > "$work/udhcpc.log" 2>&1 || true
# dhcpcd with Debian's /etc/dhcpcd.conf defaults, less IPv6, but the DUID pinned to LL: by default
# it would come from the machine's SMBIOS UUID or the clock. /run and /var/lib/dhcpcd (pid file,
# DUID, leases) are tmpfs in the mount namespace ip netns exec makes, so the host's stay untouched.
ip -n "$cli" link set vcli address 02:00:0a:e7:07:65
cat > "$work/dhcpcd.conf" <<CONF
duid ll
persistent
vendorclassid
option domain_name_servers, domain_name, domain_search
option classless_static_routes
option interface_mtu
option host_name
option rapid_commit
require dhcp_server_identifier
CONF
timeout 20 ip netns exec "$cli" sh -c 'mount -t tmpfs tcfix /run && mount -t tmpfs tcfix /var/lib/dhcpcd && exec "$@"' sh \
    dhcpcd -4 -1 -B -d -t 10 --nodev --noconfigure -f "$work/dhcpcd.conf" -c /bin/true vcli > "$work/dhcpcd.log" 2>&1 || true
# iPXE as the option ROM of QEMU's e1000, booted by SeaBIOS from the network (it never ran the
# virtio-net ROM, efi-virtio.rom or pxe-virtio.rom, here): its tap is bridged to vcli. Only its
# first DISCOVER is kept; QEMU is stopped once it is seen, 30 s at most.
ip -n "$cli" link add tcbr type bridge
ip -n "$cli" link set vcli master tcbr
ip netns exec "$cli" ip tuntap add dev tctap mode tap
ip -n "$cli" link set tctap master tcbr
ip -n "$cli" link set tctap up; ip -n "$cli" link set tcbr up
ip netns exec "$cli" qemu-system-x86_64 -nographic -nodefaults -no-user-config -m 64 -accel tcg -boot n \
    -netdev tap,id=net0,ifname=tctap,script=no,downscript=no \
    -device e1000,netdev=net0,mac=02:00:0a:e7:07:66,romfile=/usr/lib/ipxe/qemu/pxe-e1000.rom \
    < /dev/null > "$work/qemu.log" 2>&1 &
echo $! > "$work/qemu.pid"
for _ in $(seq 30); do
    sleep 1
    tcpdump -r "$work/capture.pcap" -n ether src 02:00:0a:e7:07:66 2>/dev/null | grep -q . && break
done
kill "$(cat "$work/qemu.pid")" 2>/dev/null || cat "$work/qemu.log" >&2  # gone already: say why
rm "$work/qemu.pid"
sleep 1
kill "$(cat "$work/tcpdump.pid")"; sleep 1
python3 - "$work/capture.pcap" "$out" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
names = {1: 'discover', 2: 'offer', 3: 'request', 5: 'ack', 6: 'nak', 7: 'release', 8: 'inform'}
off, n = 24, 0
seen = {}
while off + 16 <= len(data):
    _, _, incl, _ = struct.unpack('<IIII', data[off:off+16]); pkt = data[off+16:off+16+incl]; off += 16 + incl
    if struct.unpack('!H', pkt[12:14])[0] != 0x0800: continue
    ihl = (pkt[14] & 15) * 4
    udp = pkt[14+ihl:]; payload = udp[8:struct.unpack('!H', udp[4:6])[0]]
    opts = payload[240:]; i = 0; mtype = 0
    while i < len(opts) and opts[i] != 255:
        if opts[i] == 0: i += 1; continue
        if opts[i] == 53: mtype = opts[i+2]
        i += 2 + opts[i+1]
    # Each client ran with its own MAC; replies are named after the client they went to.
    who = {bytes.fromhex('02000ae70763'): 'dhclient', bytes.fromhex('02000ae70764'): 'udhcpc',
           bytes.fromhex('02000ae70765'): 'dhcpcd', bytes.fromhex('02000ae70766'): 'ipxe'}.get(payload[28:34], 'other')
    kind = names.get(mtype, str(mtype))
    if who in ('dhcpcd', 'ipxe') and (payload[0] != 1 or kind != 'discover'): continue  # only their DISCOVERs
    name = f"{who}-{kind}" if payload[0] == 1 else f"udhcpd-{kind}-to-{who}"
    if name in seen and who == 'dhclient' and kind == 'request' and b'\x36\x04' not in payload[240:]:
        name = 'dhclient-request-init-reboot'  # no server identifier (54): RFC 2131 4.3.2
    if name in seen: continue
    seen[name] = True
    open(f"{sys.argv[2]}/{name}.bin", 'wb').write(payload); print(name, len(payload))
PY
