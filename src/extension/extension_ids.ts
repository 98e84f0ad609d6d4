/**
 * Our side of the BEP 10 id negotiation. Each side picks the ids it wants to *receive* each
 * extension under; we advertise these constant ones, so an incoming extended message can be
 * dispatched with a plain `switch` on its id.
 * @module
 */

/** Extended message id 0 is always the extended handshake (BEP 10). */
export const EXTENDED_HANDSHAKE_ID = 0;

/** The extensions we speak, by their BEP 10 name. */
export type ExtensionName = "ut_metadata" | "ut_pex";

/**
 * The ids peers must use to send us each extension's messages: put this in our handshake's `m`.
 * A private torrent (BEP 27) must not do peer exchange: advertise `{ ...LOCAL_EXTENSION_IDS,
 * ut_pex: 0 }` there, or leave `ut_pex` out.
 * @example
 * ```ts
 * encodeExtendedHandshake({ m: LOCAL_EXTENSION_IDS, v: "bittorrent-ts 0.1", reqq: 250 });
 * ```
 */
export const LOCAL_EXTENSION_IDS: { readonly [name in ExtensionName]: number } = {
  ut_metadata: 1,
  ut_pex: 2,
};

/**
 * Which of our extensions an incoming extended message (id > 0) belongs to, or undefined for an
 * id we never advertised (BEP 10: ignore such messages).
 * @example
 * ```ts
 * localExtensionOf(1); // "ut_metadata"
 * localExtensionOf(9); // undefined
 * ```
 */
export function localExtensionOf(id: number): ExtensionName | undefined {
  for (const [name, local] of Object.entries(LOCAL_EXTENSION_IDS)) {
    if (local === id) return name as ExtensionName;
  }
  return undefined;
}
