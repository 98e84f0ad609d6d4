/**
 * Where each panel goes for a screen size. Large screens show every panel at once; medium ones
 * stack them; small ones show the focused panel alone; tiny ones get a few summary lines.
 * @module
 */

import type { Rect } from "./cell_buffer.ts";

/** Terminal size in cells. */
export interface Size {
  readonly columns: number;
  readonly rows: number;
}

/**
 * The panels of the torrent view, in Tab order.
 * @example
 * ```ts
 * PANELS.indexOf("files"); // 3
 * ```
 */
export const PANELS = ["peers", "pieces", "rates", "files", "trackers"] as const;
/** One of {@linkcode PANELS}. */
export type PanelId = typeof PANELS[number];

/**
 * Below either of these the screen gets the plain summary.
 * @example
 * ```ts
 * size.columns < MIN_COLUMNS; // true: summary lines only
 * ```
 */
export const MIN_COLUMNS = 40;
/**
 * @example
 * ```ts
 * size.rows < MIN_ROWS; // true: summary lines only
 * ```
 */
export const MIN_ROWS = 10;

/** Every panel placed ("full") or only the focused one ("compact"). */
export type TorrentLayout =
  | { readonly kind: "tiny"; readonly area: Rect }
  | {
    readonly kind: "full";
    readonly header: Rect;
    readonly hints: Rect;
    readonly panels: Readonly<Record<PanelId, Rect>>;
  }
  | {
    readonly kind: "compact";
    readonly header: Rect;
    readonly hints: Rect;
    /** One line naming every panel, the focused one highlighted. */
    readonly tabs: Rect;
    readonly body: Rect;
  };

const HEADER_ROWS = 2;

function isTiny(size: Size): boolean {
  return size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
}

function rect(x: number, y: number, width: number, height: number): Rect {
  return { x, y, width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * The torrent view's layout for a screen size.
 * @example
 * ```ts
 * const layout = torrentLayout({ columns: 160, rows: 50 });
 * if (layout.kind === "full") console.log(layout.panels.peers);
 * ```
 */
export function torrentLayout(size: Size): TorrentLayout {
  const { columns: w, rows: h } = size;
  if (isTiny(size)) return { kind: "tiny", area: rect(0, 0, w, h) };
  const header = rect(0, 0, w, HEADER_ROWS);
  const hints = rect(0, h - 1, w, 1);
  const top = HEADER_ROWS;
  const bodyH = h - HEADER_ROWS - 1;
  if (bodyH < 16 || w < 60) {
    return {
      kind: "compact",
      header,
      hints,
      tabs: rect(0, top, w, 1),
      body: rect(0, top + 1, w, bodyH - 1),
    };
  }
  if (w >= 120 && h >= 30) {
    // Peers and the piece map get the most room; rates sit under the piece map.
    const upperH = Math.round(bodyH * 0.6);
    const leftW = Math.round(w * 0.58);
    const graphRows = Math.min(4, Math.max(2, Math.floor((upperH * 0.4 - 4) / 2)));
    const ratesH = 4 + 2 * graphRows;
    return {
      kind: "full",
      header,
      hints,
      panels: {
        peers: rect(0, top, leftW, upperH),
        pieces: rect(leftW, top, w - leftW, upperH - ratesH),
        rates: rect(leftW, top + upperH - ratesH, w - leftW, ratesH),
        files: rect(0, top + upperH, leftW, bodyH - upperH),
        trackers: rect(leftW, top + upperH, w - leftW, bodyH - upperH),
      },
    };
  }
  // Stacked: piece map and rates on top, peers in the middle, files and trackers below.
  const half = Math.round(w / 2);
  const topH = Math.min(10, Math.max(6, Math.round(bodyH * 0.28)));
  const bottomH = Math.min(12, Math.max(6, Math.round(bodyH * 0.3)));
  const midH = bodyH - topH - bottomH;
  return {
    kind: "full",
    header,
    hints,
    panels: {
      pieces: rect(0, top, half, topH),
      rates: rect(half, top, w - half, topH),
      peers: rect(0, top + topH, w, midH),
      files: rect(0, top + topH + midH, half, bottomH),
      trackers: rect(half, top + topH + midH, w - half, bottomH),
    },
  };
}

/**
 * Where a panel is drawn, or undefined when the layout hides it.
 * @example
 * ```ts
 * panelRect(torrentLayout(size), "files", "peers");
 * ```
 */
export function panelRect(
  layout: TorrentLayout,
  panel: PanelId,
  focus: PanelId,
): Rect | undefined {
  if (layout.kind === "full") return layout.panels[panel];
  if (layout.kind === "compact" && panel === focus) return layout.body;
  return undefined;
}

/** The torrent list's layout (several torrents). */
export type ListLayout =
  | { readonly kind: "tiny"; readonly area: Rect }
  | { readonly kind: "list"; readonly header: Rect; readonly table: Rect; readonly hints: Rect };

/**
 * The torrent list's layout for a screen size.
 * @example
 * ```ts
 * listLayout({ columns: 80, rows: 24 });
 * ```
 */
export function listLayout(size: Size): ListLayout {
  if (isTiny(size)) return { kind: "tiny", area: rect(0, 0, size.columns, size.rows) };
  return {
    kind: "list",
    header: rect(0, 0, size.columns, 1),
    table: rect(0, 1, size.columns, size.rows - 2),
    hints: rect(0, size.rows - 1, size.columns, 1),
  };
}
