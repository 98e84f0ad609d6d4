#!/usr/bin/python3
"""A swarm of libtorrent (rasterbar) DHT nodes on 127.0.0.1, driven by tests/support/libtorrent_dht.ts.

Runs N libtorrent sessions in this one process, DHT only (no trackers, LSD, UPnP or NAT-PMP),
each bound to 127.0.0.1 on a port of its own (TCP and the DHT's UDP share it). The sessions
are bootstrapped from each other and from any --bootstrap node. Session 0 can seed a torrent
so it announces itself in the DHT.

Reads one JSON command a line on stdin and writes one JSON event a line on stdout. Exits
when stdin closes or on SIGTERM/SIGINT, so a crashed test runner never leaves it behind.

Run with Debian's /usr/bin/python3 (python3-libtorrent 2.0.x), not a pyenv python.

  libtorrent_dht.py --nodes N [--bootstrap HOST:PORT ...]
                    [--seed-torrent T --seed-dir D]

Commands (stdin):
  {"cmd": "add_node", "host": H, "port": P}              every session adds H:P to its table
  {"cmd": "get_peers", "node": I, "infoHash": HEX}       session I starts a get_peers lookup
  {"cmd": "force_seed_announce"}                         session 0 announces its torrent now
(session.dht_announce is not callable from these Python bindings: its flags type is not
exported, so an announce always comes from a seeded torrent.)
Events (stdout):
  {"event": "ready", "ports": [...]}                     once every session listens
  {"event": "status", "nodes": [...], "time": T}         routing table sizes, five times a second
  {"event": "peers", "node": I, "infoHash": HEX, "peers": ["h:p", ...]}   a get_peers reply
  {"event": "error", "message": M}
"""

import argparse
import json
import os
import queue
import signal
import sys
import threading
import time

import libtorrent as lt

STATUS_INTERVAL_S = 0.2
START_TIMEOUT_S = 10.0


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def parse_host_port(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"bad address {text!r}, want host:port")
    return host.strip("[]"), int(port)


def session_settings():
    return {
        "listen_interfaces": "127.0.0.1:0",
        "listen_system_port_fallback": False,
        "enable_dht": True,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        # No public routers: the swarm bootstraps only from its own members.
        "dht_bootstrap_nodes": "",
        # Every node of the swarm shares 127.0.0.1, and by default libtorrent keeps one node per
        # IP in its routing table: each session then knows 1 node instead of N-1. This is the one
        # setting a loopback swarm cannot do without (dht_restrict_search_ips,
        # dht_ignore_dark_internet, dht_prefer_verified_node_ids and dht_enforce_node_id at
        # their defaults were tried and do not get in the way on libtorrent 2.0.8).
        "dht_restrict_routing_ips": False,
        # Its DoS blocker bans an IP sending more than 5 queries a second, and its DHT upload is
        # capped at 8 kB/s; here every node, ours included, is one IP. The four-node tests stay
        # under both today, a busier loopback swarm would not.
        "dht_block_ratelimit": 1_000_000,
        "dht_upload_rate_limit": 1_000_000,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification,
        "user_agent": "bittorrent-ts-test-libtorrent-dht",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=4)
    ap.add_argument("--bootstrap", action="append", default=[])
    ap.add_argument("--seed-torrent")
    ap.add_argument("--seed-dir")
    args = ap.parse_args()
    if args.nodes < 1:
        raise SystemExit("--nodes must be at least 1")
    if bool(args.seed_torrent) != bool(args.seed_dir):
        raise SystemExit("--seed-torrent and --seed-dir go together")
    bootstrap = [parse_host_port(b) for b in args.bootstrap]

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    commands = queue.Queue()

    def read_stdin():
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts
        # interpreter shutdown with "could not acquire lock".
        pending = b""
        try:
            while True:
                chunk = os.read(0, 4096)
                if not chunk:
                    break
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        commands.put(json.loads(line))
        finally:
            stop.set()

    threading.Thread(target=read_stdin, daemon=True).start()

    sessions = [lt.session(session_settings()) for _ in range(args.nodes)]
    deadline = time.monotonic() + START_TIMEOUT_S
    while any(s.listen_port() == 0 for s in sessions):
        if time.monotonic() > deadline:
            emit({"event": "error", "message": "sessions did not start listening"})
            return 2
        time.sleep(0.02)
    ports = [s.listen_port() for s in sessions]
    for i, ses in enumerate(sessions):
        for j, port in enumerate(ports):
            if i != j:
                ses.add_dht_node(("127.0.0.1", port))
        for node in bootstrap:
            ses.add_dht_node(node)

    seed = None
    if args.seed_torrent:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(args.seed_torrent)
        atp.save_path = os.path.abspath(args.seed_dir)
        atp.flags |= lt.torrent_flags.seed_mode
        atp.flags &= ~lt.torrent_flags.auto_managed
        atp.flags &= ~lt.torrent_flags.paused
        atp.flags |= lt.torrent_flags.disable_lsd
        seed = sessions[0].add_torrent(atp)

    emit({"event": "ready", "ports": ports})

    routing = [0] * len(sessions)
    last_status = 0.0
    while not stop.is_set():
        try:
            while True:
                handle_command(commands.get_nowait(), sessions, seed)
        except queue.Empty:
            pass
        except (KeyError, IndexError, ValueError, TypeError) as error:
            emit({"event": "error", "message": f"bad command: {error}"})
        for i, ses in enumerate(sessions):
            for alert in ses.pop_alerts():
                if isinstance(alert, lt.dht_get_peers_reply_alert):
                    emit({
                        "event": "peers",
                        "node": i,
                        "infoHash": str(alert.info_hash),
                        "peers": [f"{h}:{p}" for h, p in alert.peers()],
                    })
                elif isinstance(alert, lt.dht_stats_alert):
                    routing[i] = sum(b["num_nodes"] for b in alert.routing_table)
                elif alert.category() & lt.alert.category_t.error_notification:
                    sys.stderr.write(f"libtorrent[{i}]: {alert.what()}: {alert.message()}\n")
        now = time.monotonic()
        if now - last_status >= STATUS_INTERVAL_S:
            last_status = now
            for ses in sessions:
                ses.post_dht_stats()
            emit({"event": "status", "nodes": routing, "time": time.time()})
        stop.wait(0.02)
    emit({"event": "stopped"})
    return 0


def handle_command(command, sessions, seed):
    kind = command["cmd"]
    if kind == "add_node":
        for ses in sessions:
            ses.add_dht_node((command["host"], int(command["port"])))
    elif kind == "get_peers":
        sessions[command["node"]].dht_get_peers(lt.sha1_hash(bytes.fromhex(command["infoHash"])))
    elif kind == "force_seed_announce":
        if seed is None:
            raise ValueError("no torrent is seeded")
        seed.force_dht_announce()
    else:
        raise ValueError(f"unknown command {kind!r}")


if __name__ == "__main__":
    sys.exit(main())
