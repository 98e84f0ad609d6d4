/**
 * The error type of the command line and where its output goes.
 * @module
 */

/** Raised for a fatal problem the user must fix; printed as one line, exit status 1. */
export class CliError extends Error {
  override name = "CliError";
}

/** Where output goes (the terminal, or a buffer in tests). */
export interface Output {
  line(text: string): void;
  error(text: string): void;
}
