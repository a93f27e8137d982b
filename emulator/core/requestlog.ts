import type { JsonObject } from "./json";

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the connection was dropped without a response. */
  status: number;
  time: string;
}

const MAX_ENTRIES = 10_000;

/** What tests may inspect about API calls: never headers (so never Authorization) and never bodies. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  clear(): void {
    this.entries = [];
  }

  toJson(): JsonObject[] {
    return this.entries.map((e) => ({ method: e.method, path: e.path, query: { ...e.query }, status: e.status, time: e.time }));
  }
}
