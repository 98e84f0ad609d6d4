#!/usr/bin/python3
"""A libtorrent (rasterbar) peer driven by tests/support/libtorrent.ts.

Seeds or leeches one torrent on 127.0.0.1 over TCP only, and prints one JSON status line
on stdout about five times a second. Exits when stdin closes or on SIGTERM/SIGINT, so a
crashed test runner never leaves it behind.

Run with Debian's /usr/bin/python3 (python3-libtorrent 2.0.x), not a pyenv python.

  libtorrent_peer.py (--torrent T | --magnet URI) --dir D --mode seed|leech [--port P]
                     [--upload-limit BYTES_PER_S] [--download-limit BYTES_PER_S]
                     [--peer HOST:PORT ...] [--disable-pex]
                     [--in-enc-policy 0|1|2] [--out-enc-policy 0|1|2] [--enc-level 1|2|3]

--magnet (leech only) starts from a magnet link: the metadata comes from peers over ut_metadata
(state "metadata" until then). ut_metadata and ut_pex are on (the session's default plugins). --disable-pex sets the torrent's
disable_pex flag: libtorrent then ignores the ut_pex messages it receives and sends none, though
its extended handshake still lists ut_pex.

Encryption (MSE/PE): policies are 0 = forced (encrypted handshake only), 1 = enabled (the
default here), 2 = disabled; --enc-level is allowed_enc_level, 1 = plaintext stream, 2 = RC4,
3 = either (the default).
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

import libtorrent as lt

STATUS_INTERVAL_S = 0.2
# connect_peer() is forgotten when a connection drops, so direct peers are re-dialled.
RECONNECT_INTERVAL_S = 1.0

STATE_NAMES = {
    lt.torrent_status.checking_files: "checking",
    lt.torrent_status.downloading_metadata: "metadata",
    lt.torrent_status.downloading: "downloading",
    lt.torrent_status.finished: "finished",
    lt.torrent_status.seeding: "seeding",
    lt.torrent_status.checking_resume_data: "checking_resume",
}


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def parse_peer(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"bad --peer {text!r}, want host:port")
    return host.strip("[]"), int(port)


def session_settings(port, in_enc_policy=1, out_enc_policy=1, enc_level=3):
    return {
        # Loopback only, TCP only: uTP would be tried first and muddle what a test observes.
        "listen_interfaces": f"127.0.0.1:{port}",
        "listen_system_port_fallback": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_tcp": True,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        # Several test peers share 127.0.0.1.
        "allow_multiple_connections_per_ip": True,
        # 1 = pe_enabled: plaintext and encrypted both accepted; 0 = pe_forced: encrypted only.
        "in_enc_policy": in_enc_policy,
        "out_enc_policy": out_enc_policy,
        "allowed_enc_level": enc_level,
        "prefer_rc4": False,
        # Trackers on 127.0.0.1 with any path; SSRF mitigation would reject some.
        "ssrf_mitigation": False,
        "announce_to_all_tiers": True,
        "announce_to_all_trackers": True,
        "min_announce_interval": 1,
        "stop_tracker_timeout": 1,
        # Without this, rate limits do not apply to loopback peers at all.
        "ignore_limits_on_local_network": False,
        # Fast ramp-up for tests: no queueing, dial at once, unchoke everybody.
        "connections_limit": 500,
        "listen_queue_size": 200,
        "connection_speed": 200,
        "torrent_connect_boost": 50,
        "min_reconnect_time": 1,
        "peer_connect_timeout": 5,
        "active_downloads": -1,
        "active_seeds": -1,
        "active_limit": -1,
        "unchoke_slots_limit": -1,
        "smooth_connects": False,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.tracker_notification,
        "user_agent": "bittorrent-ts-test-libtorrent",
    }


def main():
    ap = argparse.ArgumentParser()
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--torrent")
    source.add_argument("--magnet")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--mode", choices=["seed", "leech"], required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--upload-limit", type=int, default=0)
    ap.add_argument("--download-limit", type=int, default=0)
    ap.add_argument("--peer", action="append", default=[])
    ap.add_argument("--disable-pex", action="store_true")
    ap.add_argument("--in-enc-policy", type=int, choices=[0, 1, 2], default=1)
    ap.add_argument("--out-enc-policy", type=int, choices=[0, 1, 2], default=1)
    ap.add_argument("--enc-level", type=int, choices=[1, 2, 3], default=3)
    args = ap.parse_args()
    if args.magnet and args.mode != "leech":
        raise SystemExit("--magnet goes with --mode leech")
    peers = [parse_peer(p) for p in args.peer]

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts
        # interpreter shutdown with "could not acquire lock".
        try:
            while os.read(0, 4096):
                pass
        finally:
            stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()

    ses = lt.session(
        session_settings(args.port, args.in_enc_policy, args.out_enc_policy, args.enc_level)
    )
    if args.magnet:
        atp = lt.parse_magnet_uri(args.magnet)
    else:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(args.torrent)
    atp.save_path = os.path.abspath(args.dir)
    # Not seed_mode: seed_mode trusts the files and only finds bad data when a peer asks
    # for it. A full check at add time means "seeding" really says the data is complete.
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd
    if args.disable_pex:
        atp.flags |= lt.torrent_flags.disable_pex
    handle = ses.add_torrent(atp)
    if args.upload_limit > 0:
        handle.set_upload_limit(args.upload_limit)
    if args.download_limit > 0:
        handle.set_download_limit(args.download_limit)

    last_dial = 0.0
    checked = False
    while not stop.is_set():
        for alert in ses.pop_alerts():
            if alert.category() & lt.alert.category_t.error_notification:
                sys.stderr.write(f"libtorrent: {alert.what()}: {alert.message()}\n")
        st = handle.status()
        state = STATE_NAMES.get(st.state, str(st.state))
        if st.errc.value() != 0:
            emit({"event": "error", "message": st.errc.message()})
            return 2
        checking = st.state in (
            lt.torrent_status.checking_files,
            lt.torrent_status.checking_resume_data,
        )
        if not checking and not checked:
            checked = True
            if args.mode == "seed" and not st.is_seeding:
                emit({
                    "event": "error",
                    "message": f"seed data incomplete: {st.progress * 100:.1f}% verified",
                })
                return 3
        now = time.monotonic()
        if checked and peers and now - last_dial >= RECONNECT_INTERVAL_S:
            last_dial = now
            connected = {(p.ip[0], p.ip[1]) for p in handle.get_peer_info()}
            for peer in peers:
                if peer not in connected:
                    handle.connect_peer(peer)
        emit({
            "event": "status",
            "state": state,
            "checked": checked,
            "progress": st.progress,
            "done": checked and st.is_seeding,
            "uploaded": st.total_payload_upload,
            "downloaded": st.total_payload_download,
            "redundant": st.total_redundant_bytes,
            "uploadRate": st.upload_payload_rate,
            "downloadRate": st.download_payload_rate,
            "peers": st.num_peers,
            "port": ses.listen_port(),
            "time": time.time(),
        })
        stop.wait(STATUS_INTERVAL_S)
    emit({"event": "stopped"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
