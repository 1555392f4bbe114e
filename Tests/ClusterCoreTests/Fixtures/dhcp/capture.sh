#!/usr/bin/env bash
# Captures real DHCP exchanges for the parser fixtures: busybox udhcpd serves on one end of a veth
# pair, isc-dhcp-client's dhclient and busybox udhcpc ask on the other, tcpdump records. Only
# addresses inside the two namespaces made here are used; both are removed on any exit.
# Needs root and: apt-get install isc-dhcp-client busybox tcpdump
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
srv=tcfix-srv-$$ cli=tcfix-cli-$$
cleanup() {
    [[ -f $work/tcpdump.pid ]] && kill "$(cat "$work/tcpdump.pid")" 2>/dev/null || true
    [[ -f $work/udhcpd.pid ]] && kill "$(cat "$work/udhcpd.pid")" 2>/dev/null || true
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
sleep 1
kill "$(cat "$work/tcpdump.pid")"; sleep 1
python3 - "$work/capture.pcap" "$here" <<'PY'
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
    who = {bytes.fromhex('02000ae70763'): 'dhclient', bytes.fromhex('02000ae70764'): 'udhcpc'}.get(payload[28:34], 'other')
    kind = names.get(mtype, str(mtype))
    name = f"{who}-{kind}" if payload[0] == 1 else f"udhcpd-{kind}-to-{who}"
    if name in seen and who == 'dhclient' and kind == 'request' and b'\x36\x04' not in payload[240:]:
        name = 'dhclient-request-init-reboot'  # no server identifier (54): RFC 2131 4.3.2
    if name in seen: continue
    seen[name] = True
    open(f"{sys.argv[2]}/{name}.bin", 'wb').write(payload); print(name, len(payload))
PY
