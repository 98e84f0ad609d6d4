/**
 * The two assertions the tracker tests need beyond node:assert (JSR's @std/assert is not
 * reachable here).
 * @module
 */

import assert from "node:assert/strict";

/**
 * Deep, strict equality.
 * @example
 * ```ts
 * assertEquals({ a: 1 }, { a: 1 });
 * ```
 */
export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/**
 * Asserts `fn` rejects with an instance of `type` whose message includes `includes`.
 * @example
 * ```ts
 * await assertRejects(() => Promise.reject(new Error("boom")), Error, "boom");
 * ```
 */
export async function assertRejects(
  fn: () => Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  includes = "",
): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert(error instanceof type, `expected ${type.name}, got ${error}`);
    assert(error.message.includes(includes), `"${error.message}" lacks "${includes}"`);
    return true;
  });
}

/**
 * Asserts `fn` throws an instance of `type` whose message includes `includes`.
 * @example
 * ```ts
 * assertThrows(() => JSON.parse("{"), SyntaxError);
 * ```
 */
export function assertThrows(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error,
  includes = "",
): void {
  assert.throws(fn, (error: unknown) => {
    assert(error instanceof type, `expected ${type.name}, got ${error}`);
    assert(error.message.includes(includes), `"${error.message}" lacks "${includes}"`);
    return true;
  });
}

export { assert };
