import type { Client, Reply } from "./helpers";

// Shared by the models, deployed-models and jobs tests: bounded polling (no fixed sleeps beyond the emulator's own
// timings) and the resource shapes they read.

export interface Resource {
  name?: string;
  state?: string;
  status?: { code?: string; message?: string };
  [key: string]: unknown;
}

/** Polls GET `path` until `done` holds (or the deadline passes, which fails the test with the last reply). */
export async function waitFor(client: Client, path: string, done: (r: Reply<Resource>) => boolean, timeoutMs = 5000): Promise<Reply<Resource>> {
  const deadline = Date.now() + timeoutMs;
  let last: Reply<Resource> | undefined;
  while (Date.now() < deadline) {
    last = await client.call<Resource>("GET", path);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${path}: condition not met within ${timeoutMs} ms; last: ${last?.text ?? "none"}`);
}

export function waitForState(client: Client, path: string, state: string): Promise<Reply<Resource>> {
  return waitFor(client, path, (r) => r.status === 200 && r.body.state === state);
}

export function waitForGone(client: Client, path: string): Promise<Reply<Resource>> {
  return waitFor(client, path, (r) => r.status === 404);
}

/** The last segment of a resource name. */
export function idOf(name: string | undefined): string {
  return (name ?? "").split("/").pop() ?? "";
}
