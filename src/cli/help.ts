/**
 * The `--help` text: every command and option, in one place.
 * @module
 */

/** Shown by `--help` and after a usage error. */
export const HELP = `bittorrent-ts: a BitTorrent client for the terminal

Usage:
  mod.ts <file.torrent|magnet:...>... [options]   download (and seed) torrents; a magnet link's
                                                  metadata comes from its peers (x.pe, trackers,
                                                  DHT, peer exchange) and is kept as
                                                  .<info-hash>.torrent in the download folder
  mod.ts info <file.torrent|magnet:...> [--peer HOST:PORT]... [--no-dht] [--give-up SECONDS] [--encryption MODE]
                                                  show a torrent's name, info-hash, files (with the
                                                  indexes --select takes), trackers; a magnet
                                                  link's metadata is fetched from its peers first
  mod.ts magnet <file.torrent>                    print the torrent's magnet link, with all trackers
  mod.ts create <path> -o <out.torrent> [--tracker URL]... [--piece-length N] [--comment TEXT] [--private]
                                                  make a torrent of a file or folder
  mod.ts seed <file.torrent> --dir DIR [--port N] [--no-tui] [--no-dht] [--verbose] [--encryption MODE]
                                                  hash-check the data in DIR and seed it

Download options:
  --out DIR, -o DIR     folder to download into (default: the current folder)
  --no-tui              plain progress lines instead of the full-screen view (also without a TTY)
  --peer HOST:PORT      connect to this peer directly; repeatable; works without any tracker
  --port N              TCP port to listen on for peers (default 6881; 0 = any free port)
  --seed / --no-seed    keep seeding after the download or exit (default: seed in the TUI,
                        exit with --no-tui)
  --select LIST         download only these files, e.g. 0,2-4 (the [n] indexes "info" lists);
                        the others are skipped (bytes of them that share a piece with a selected
                        file are kept in a hidden parts file, not in the skipped file)
  --stream[=PORT]       serve the files over HTTP with Range support (default port 8888; 0 = any):
                        a player can play and seek while the download goes on
  --stream-host HOST    listen for stream requests on HOST instead of 127.0.0.1 (this exposes
                        the files to the network)
  --mpv, --vlc          start mpv or VLC on the largest media file's stream (implies --stream)
  --sequential          fetch pieces in order instead of rarest-first
  --give-up SECONDS     fail when no peer could be reached for this long (default 120)
  --no-dht              no DHT: peers only from trackers, --peer and peer exchange
  --dht-bootstrap HOST:PORT
                        join the DHT through this node (repeatable) instead of the public
                        routers
  --dht-state FILE      where the DHT routing table is kept between runs (default
                        ~/.cache/bittorrent-ts/dht.json)
  --encryption MODE     peer encryption (MSE/PE), also for seed: "tolerate" (default) talks
                        plaintext first and encrypts for peers that ask; "prefer" dials
                        encrypted first (RC4) and falls back to plaintext; "require" talks RC4
                        only and refuses plaintext peers
  --json                plain mode with one JSON object a line: progress (with the stream's seek
                        latency), messages, the summary and totals
  --verbose, -v         with --no-tui, also print events: peers joining and leaving, trackers
  --recheck             hash-check data on disk even when the resume file vouches for it
                        (a resume file, .<info-hash>.resume, sits beside the data)

Other:
  --help, -h            this text
  --version, -V         the version

Exit status: 0 once every wanted piece is verified on disk (or after a clean quit); 1 on a fatal
error, with a one-line reason on stderr; 2 on a wrong command line.
`;
