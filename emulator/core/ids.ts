import { randomInt } from "node:crypto";
import { invalidArgument } from "./errors";

// Resource ID syntax (reference §1.2): 1-63 chars of [a-z0-9-], not beginning or ending with "-", not beginning
// with a digit. Messages follow the one firectl surfaces for an empty ID ("invalid id: id must be at least 1
// character long").
export function idProblem(id: string): string | undefined {
  if (id.length < 1) return "id must be at least 1 character long";
  if (id.length > 63) return "id must be at most 63 characters long";
  if (!/^[a-z0-9-]+$/.test(id)) return "id must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)";
  if (id.startsWith("-") || id.endsWith("-")) return "id must not begin or end with a hyphen";
  if (/^[0-9]/.test(id)) return "id must not begin with a digit";
  return undefined;
}

export function checkId(id: string, what: string): void {
  const problem = idProblem(id);
  if (problem) throw invalidArgument(`invalid ${what} "${id}": invalid id: ${problem}`);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const ALPHANUM = LETTERS + "0123456789";

/**
 * A server-chosen ID: 8 lowercase alphanumerics (the shape seen in real generated job names, reference §20.5),
 * starting with a letter so it satisfies §1.2 (docs' example "12345678" would not).
 */
export function randomId(taken: (id: string) => boolean): string {
  for (;;) {
    let id = LETTERS.charAt(randomInt(LETTERS.length));
    for (let i = 1; i < 8; i++) id += ALPHANUM.charAt(randomInt(ALPHANUM.length));
    if (!taken(id)) return id;
  }
}
