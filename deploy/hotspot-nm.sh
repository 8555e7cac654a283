#!/usr/bin/env bash
# Hocso hotspot, way (a): NetworkManager, as on Raspberry Pi OS Bookworm. See deploy/README.md.
#
#   sudo deploy/hotspot-nm.sh "Hoc so Ea Sol" "matkhau-8-den-63"   the Pi's own Wi-Fi (wlan0)
#   sudo deploy/hotspot-nm.sh --ethernet                           an access point cabled to eth0
#
# The Wi-Fi's name and password may also come from HOCSO_SSID and HOCSO_WIFI_PASSWORD.
# Other settings, from the environment: HOCSO_WIFI_IF (wlan0), HOCSO_WIFI_CHANNEL (6),
# HOCSO_WIFI_COUNTRY (VN), HOCSO_ETH_IF (eth0).
#
# Either way the box is 192.168.4.1/24 on that interface, NetworkManager's dnsmasq hands
# phones 192.168.4.10-254 with the box as gateway and DNS, and with dnsmasq-hocso.conf
# answers every name with the box. Only one of the two connections is used at a time (the
# other one is switched off). Safe to run again: it updates the same connection.
#
# Exit status: 0 the network is up; 1 a problem (said why); 3 saved, but the interface is
# missing, so it starts when the interface appears (a USB Wi-Fi plugged in later).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
snippet_src=$here/dnsmasq-hocso.conf
snippet_dst=/etc/NetworkManager/dnsmasq-shared.d/hocso.conf
address=192.168.4.1/24
wifi_con=hocso-hotspot
eth_con=hocso-ethernet

say() { printf '%s\n' "$*"; }
die() { printf 'hotspot-nm.sh: %s\n' "$*" >&2; exit 1; }
usage() {
    printf 'usage:\n'
    sed -n '4,5s/^# *//p' "${BASH_SOURCE[0]}"
    exit "${1:-1}"
}

# WPA2's rule: 8 to 63 printable ASCII characters.
wpa2_password() {
    local LC_ALL=C
    [[ $1 =~ ^[\ -~]{8,63}$ ]]
}

mode=wifi
case "${1:-}" in
-h | --help) usage 0 ;;
--ethernet)
    mode=ethernet
    ifname=${2:-${HOCSO_ETH_IF:-eth0}}
    [[ $# -le 2 ]] || usage
    ;;
-*) usage ;;
*)
    [[ $# -le 2 ]] || usage
    ssid=${1:-${HOCSO_SSID:-}}
    password=${2:-${HOCSO_WIFI_PASSWORD:-}}
    ifname=${HOCSO_WIFI_IF:-wlan0}
    channel=${HOCSO_WIFI_CHANNEL:-6}
    country=${HOCSO_WIFI_COUNTRY:-VN}
    [[ -n $ssid ]] || usage
    # Bytes, not letters: a Vietnamese letter takes 2 or 3.
    ssid_bytes=$(printf '%s' "$ssid" | wc -c)
    ((ssid_bytes <= 32)) || die "the Wi-Fi name is $ssid_bytes bytes long; 32 at most (a Vietnamese letter takes 2 or 3)"
    wpa2_password "$password" ||
        die "the Wi-Fi password must be 8 to 63 letters, digits or signs, without accents (got ${#password})"
    [[ $channel =~ ^([1-9]|1[0-3])$ ]] || die "the Wi-Fi channel must be 1 to 13 (1, 6 or 11 are best)"
    [[ $country =~ ^[A-Z]{2}$ ]] || die "the Wi-Fi country must be two capital letters, e.g. VN"
    ;;
esac
[[ $ifname =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "not an interface name: $ifname"

((EUID == 0)) || die "run it as root: sudo $0 ..."
command -v nmcli >/dev/null || die "nmcli not found: this is for systems run by NetworkManager (else see way (b) in deploy/README.md)"
[[ $(nmcli -t -f RUNNING general) == running ]] || die "NetworkManager is not running (sudo systemctl start NetworkManager)"
command -v dnsmasq >/dev/null || [[ -x /usr/sbin/dnsmasq ]] ||
    die "NetworkManager's hotspot needs dnsmasq: sudo apt install dnsmasq-base"
[[ -r $snippet_src ]] || die "$snippet_src is missing: run this script from the deploy/ folder it came in"

# What the hotspot's DNS and DHCP say; NetworkManager reads it each time the network starts.
install -D -m 0644 "$snippet_src" "$snippet_dst"
say "Installed $snippet_dst (every name is the box; the box is gateway and DNS)."

exists() { nmcli -g connection.id connection show "$1" >/dev/null 2>&1; }

if [[ $mode == wifi ]]; then
    con=$wifi_con other=$eth_con type=wifi
    if command -v raspi-config >/dev/null; then
        # Raspberry Pi OS keeps Wi-Fi off until a country is set; it also sets the radio rules.
        if raspi-config nonint do_wifi_country "$country"; then
            say "Wi-Fi country: $country."
        else
            say "Could not set the Wi-Fi country to $country: do it in sudo raspi-config,"
            say "  Localisation Options, WLAN Country."
        fi
    fi
    nmcli radio wifi on
    exists "$con" || nmcli connection add type wifi ifname "$ifname" con-name "$con" ssid "$ssid" >/dev/null
    # WPA2 (RSN, CCMP) as "nmcli device wifi hotspot" sets it; no PMF, which old phones and
    # some built-in chips in AP mode get wrong; no Wi-Fi power saving; phones cannot reach
    # each other (ap-isolation), only the box, so none can pretend to be it.
    nmcli connection modify "$con" \
        connection.interface-name "$ifname" \
        connection.autoconnect yes \
        connection.autoconnect-priority 100 \
        802-11-wireless.ssid "$ssid" \
        802-11-wireless.mode ap \
        802-11-wireless.band bg \
        802-11-wireless.channel "$channel" \
        802-11-wireless.powersave 2 \
        802-11-wireless.ap-isolation yes \
        802-11-wireless-security.key-mgmt wpa-psk \
        802-11-wireless-security.proto rsn \
        802-11-wireless-security.pairwise ccmp \
        802-11-wireless-security.group ccmp \
        802-11-wireless-security.pmf disable \
        802-11-wireless-security.psk "$password" \
        ipv4.method shared \
        ipv4.addresses "$address" \
        ipv6.method disabled
    say "Saved connection $con: Wi-Fi \"$ssid\" on $ifname, channel $channel, WPA2 password \"$password\"."
else
    con=$eth_con other=$wifi_con type=ethernet
    exists "$con" || nmcli connection add type ethernet ifname "$ifname" con-name "$con" >/dev/null
    nmcli connection modify "$con" \
        connection.interface-name "$ifname" \
        connection.autoconnect yes \
        connection.autoconnect-priority 100 \
        ipv4.method shared \
        ipv4.addresses "$address" \
        ipv6.method disabled
    say "Saved connection $con: the access point's network on $ifname."
fi
say "  The box is ${address%/*}; phones get 192.168.4.10-254, with the box as gateway and DNS."

# Two networks with the same address would fight: the other way is switched off.
if exists "$other"; then
    nmcli connection modify "$other" connection.autoconnect no
    if nmcli -g NAME connection show --active | grep -Fxq "$other"; then
        nmcli connection down "$other" >/dev/null
    fi
    say "Switched off connection $other (it no longer starts at boot)."
fi

if [[ $(nmcli -g GENERAL.TYPE device show "$ifname" 2>/dev/null) != "$type" ]]; then
    say "No $type interface $ifname here now: $con starts by itself when it appears."
    say "  Interfaces: $(nmcli -g DEVICE,TYPE device | tr '\n' ' ')"
    exit 3
fi

state() { nmcli -g GENERAL.STATE device show "$ifname"; }
if [[ $(state) == *unmanaged* ]]; then
    # Left to another tool (way (b), or a file in /etc/NetworkManager/conf.d): take it back.
    nmcli device set "$ifname" managed yes
    for _ in $(seq 20); do
        [[ $(state) == *unmanaged* ]] || break
        sleep 0.5
    done
    say "NetworkManager now manages $ifname (it did not). If it forgets at the next boot, look"
    say "  for unmanaged-devices in /etc/NetworkManager/ and remove $ifname there."
fi
if [[ $mode == ethernet && $(state) == *unavailable* ]]; then
    say "Nothing is plugged into $ifname: $con starts by itself when the access point's cable is."
    exit 3
fi

was=$(nmcli -g GENERAL.CONNECTION device show "$ifname" 2>/dev/null || true)
if [[ -n $was && $was != "$con" ]]; then
    say "$ifname leaves \"$was\" now. If you reached this box through it, that session ends:"
    if [[ $mode == wifi ]]; then
        say "  join \"$ssid\" and connect to ${address%/*} (ssh pi@${address%/*})."
    else
        say "  join the access point's Wi-Fi and connect to ${address%/*}."
    fi
fi

if ! nmcli --wait 45 connection up "$con" >/dev/null; then
    [[ $mode == wifi ]] || die "could not start $con: see journalctl -u NetworkManager"
    # Some Wi-Fi chips or drivers refuse AP isolation; a hotspot without it beats none.
    say "Could not start with phones kept apart (ap-isolation); trying without."
    nmcli connection modify "$con" 802-11-wireless.ap-isolation no
    nmcli --wait 45 connection up "$con" >/dev/null ||
        die "could not start $con: see journalctl -u NetworkManager"
fi
say "Started $con on $ifname."
if [[ $mode == wifi ]]; then
    say "On a phone: join \"$ssid\"; \"Sign in to network\" opens Hocso's welcome page."
    say "Phones on it now: iw dev $ifname station dump | grep -c ^Station"
else
    say "Cable the access point's LAN port (not WAN/Internet) to $ifname; its DHCP must be off."
fi
say "In a browser: http://hocso.lan or http://${address%/*} (hocso must be running: systemctl status hocso)."
