import type { CollectionModule, EmulatorContext, RouteEntry } from "./context";
import { formatTimestamp } from "./encoding";
import { STATUS_CODES } from "./enums";
import { ApiError, failedPrecondition, invalidArgument } from "./errors";
import { getString, type JsonObject } from "./json";
import type { ApiReply, ApiRequest } from "./request";
import type { Router } from "./router";
import { decodeMessage, fieldOf, STATUS_SCHEMA, t, type MessageSchema } from "./schema";
import { StandardCollection, type CreateCall } from "./standard";
import type { Entry } from "./store";

// The job state machine shared by every job kind (reference §3.2, §20.11), on top of the standard methods:
// `JOB_STATE_CREATING → JOB_STATE_RUNNING → JOB_STATE_COMPLETED`, `:cancel` (`→ JOB_STATE_CANCELLING →
// JOB_STATE_CANCELLED`), `:resume` (FAILED/CANCELLED/PAUSED → RUNNING), FAILED with a status through the control
// channel, and a DELETE that refuses an unfinished job. A job kind declares its schema, ID parameter, validation and
// what completion produces (`JobSpec`); there is no update (jobs are immutable, §19).
//
// Timings reuse the three per-collection transitions: createMs = CREATING → RUNNING, updateMs = RUNNING → COMPLETED
// (the run; progress reaches 50% half-way), deleteMs = CANCELLING → CANCELLED.

/** §3.2, the 4.259.0 list. Unknown values are non-terminal for clients. */
export const JOB_STATES = [
  "JOB_STATE_UNSPECIFIED",
  "JOB_STATE_CREATING",
  "JOB_STATE_RUNNING",
  "JOB_STATE_COMPLETED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_DELETING",
  "JOB_STATE_WRITING_RESULTS",
  "JOB_STATE_VALIDATING",
  "JOB_STATE_DELETING_CLEANING_UP",
  "JOB_STATE_PENDING",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_RE_QUEUEING",
  "JOB_STATE_CREATING_INPUT_DATASET",
  "JOB_STATE_IDLE",
  "JOB_STATE_CANCELLING",
  "JOB_STATE_EARLY_STOPPED",
  "JOB_STATE_PAUSED",
  "JOB_STATE_DELETED",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Terminal per §3.2 (INFERRED from the names). */
const TERMINAL: readonly JobState[] = ["JOB_STATE_COMPLETED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED", "JOB_STATE_EARLY_STOPPED", "JOB_STATE_DELETED"];
/** `:resume` "on failed/cancelled/paused" (§20.11). */
const RESUMABLE: readonly JobState[] = ["JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_PAUSED"];

/** §3.8 JobProgress (all int32, output-only). */
export const JOB_PROGRESS_SCHEMA: MessageSchema = {
  name: "gateway.JobProgress",
  fields: Object.fromEntries(
    ["percent", "epoch", "totalInputRequests", "totalProcessedRequests", "successfullyProcessedRequests", "failedRequests", "outputRows", "inputTokens", "outputTokens", "cachedInputTokenCount"].map((k) => [
      k,
      { type: t.int32, output: true },
    ]),
  ),
};

/** The output-only fields every job message carries (state, status), for the kinds' schemas. */
export const JOB_STATE_FIELDS: MessageSchema["fields"] = {
  state: { type: t.enumOf(JOB_STATES), output: true },
  status: { type: t.message(STATUS_SCHEMA), output: true },
};

export const DEFAULT_JOB_FAILURE = { code: "INTERNAL", message: "the job failed (injected through the emulator control channel)" } as const;

const FAILURE_SCHEMA: MessageSchema = { name: "emulator.Failure", fields: STATUS_SCHEMA.fields };
const EMPTY_SCHEMA: MessageSchema = { name: "google.protobuf.Empty", fields: {} };

interface Failure {
  code: string;
  message: string;
}

export interface JobSpec {
  collectionId: string;
  singular: string;
  schema: MessageSchema;
  /** The path variable of the job ID. */
  idParam: string;
  /** The create query parameter choosing the ID ("supervisedFineTuningJobId"); random when absent. */
  idQuery: string;
  /** Documented default order: `name` (training jobs) or `created_time` (batch inference, §1.5). */
  defaultOrder: "name" | "created_time";
  cancel: boolean;
  resume: boolean;
  /**
   * DELETE of an unfinished job: `refuse` (FAILED_PRECONDITION; the client cancels first) for kinds with `:cancel`,
   * `stop` for a kind whose only way to stop a job is deleting it.
   */
  deleteUnfinished: "refuse" | "stop";
  /** Validation and server defaults of a create body (decoded, output-only fields dropped). */
  prepare(draft: JsonObject, call: CreateCall): void;
  /** Right after the job is stored (its final ID is known): defaults that depend on it. */
  created?(entry: Entry): void;
  /** RUNNING → COMPLETED: what the job produces. An ApiError fails the job with that code and message instead. */
  complete(entry: Entry): void;
}

export class JobCollection implements CollectionModule {
  readonly std: StandardCollection;
  /** Failures queued by `/_emulator/{collection}/fail-next`, consumed by the next creates, applied when the run ends. */
  private pendingFailures: Failure[] = [];
  private readonly planned = new Map<string, Failure>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly spec: JobSpec,
  ) {
    const createTime = { key: "createTime", timestamp: true } as const;
    this.std = new StandardCollection(ctx, {
      collectionId: spec.collectionId,
      singular: spec.singular,
      schema: spec.schema,
      parent: { kind: "account" },
      idParam: spec.idParam,
      id: { from: "query", param: spec.idQuery },
      methods: {
        create: { query: [spec.idQuery] },
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
      },
      list: {
        filter: {
          state: { key: "state", values: JOB_STATES },
          displayName: { key: "displayName" },
          display_name: { key: "displayName" },
          name: { key: "name" },
        },
        order: { name: { key: "name" }, create_time: createTime, createTime, created_time: createTime, display_name: { key: "displayName" }, displayName: { key: "displayName" } },
        defaultOrder: spec.defaultOrder,
      },
      timings: { createMs: 50, updateMs: 50, deleteMs: 50 },
      hooks: {
        prepare: (draft, call) => spec.prepare(draft, call),
        created: (entry) => {
          spec.created?.(entry);
          const failure = this.pendingFailures.shift();
          if (failure) this.planned.set(entry.name, failure);
          this.setState(entry, "JOB_STATE_CREATING");
          this.std.schedule(entry, "create", () => this.startRunning(entry.name));
        },
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, { delete: { handler: (req) => this.delete(req), query: [] } });
    if (this.spec.cancel) router.add("POST", `${this.std.resourcePath}:cancel`, { handler: (req) => this.cancel(req), query: [] });
    if (this.spec.resume) router.add("POST", `${this.std.resourcePath}:resume`, { handler: (req) => this.resume(req), query: [] });
  }

  registerAdmin(router: Router<RouteEntry>): void {
    const base = `/_emulator/${this.spec.collectionId}`;
    router
      .add("POST", `${base}/{id}/fail`, { handler: (req) => this.adminFail(req), query: [] })
      .add("POST", `${base}/fail-next`, {
        handler: (req) => {
          this.pendingFailures.push(this.readFailure(req.json()));
          return { body: { queued: this.pendingFailures.length } };
        },
        query: [],
      });
  }

  reset(): void {
    this.std.reset();
    this.pendingFailures = [];
    this.planned.clear();
  }

  // ---- state machine ----

  private startRunning(name: string): void {
    const entry = this.std.store.getByName(name);
    if (!entry || this.state(entry) !== "JOB_STATE_CREATING") return;
    this.run(entry);
  }

  private run(entry: Entry): void {
    this.setState(entry, "JOB_STATE_RUNNING");
    this.setProgress(entry, 0);
    const runMs = this.ctx.timings.ms(this.spec.collectionId, "update");
    this.ctx.scheduler.schedule(this.progressKey(entry), runMs / 2, () => {
      const current = this.std.store.getByName(entry.name);
      if (current && this.state(current) === "JOB_STATE_RUNNING") this.setProgress(current, 50);
    });
    this.std.schedule(entry, "update", () => this.finish(entry.name));
  }

  private finish(name: string): void {
    const entry = this.std.store.getByName(name);
    if (!entry || this.state(entry) !== "JOB_STATE_RUNNING") return;
    const planned = this.planned.get(name);
    if (planned) {
      this.planned.delete(name);
      this.fail(entry, planned);
      return;
    }
    try {
      this.spec.complete(entry);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.fail(entry, { code: err.code, message: err.message });
      return;
    }
    this.setProgress(entry, 100);
    this.end(entry, "JOB_STATE_COMPLETED");
  }

  private fail(entry: Entry, failure: Failure): void {
    entry.resource["status"] = { code: failure.code, message: failure.message };
    this.end(entry, "JOB_STATE_FAILED");
  }

  private end(entry: Entry, state: JobState): void {
    this.stopTimers(entry);
    if (fieldOf(this.spec.schema, "completedTime")) entry.resource["completedTime"] = formatTimestamp(this.ctx.now());
    this.setState(entry, state);
  }

  private setState(entry: Entry, state: JobState): void {
    entry.resource["state"] = state;
    if (fieldOf(this.spec.schema, "updateTime")) entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
  }

  private setProgress(entry: Entry, percent: number): void {
    if (!fieldOf(this.spec.schema, "jobProgress")) return;
    entry.resource["jobProgress"] = { percent };
  }

  private state(entry: Entry): JobState {
    return (getString(entry.resource, "state") || "JOB_STATE_UNSPECIFIED") as JobState;
  }

  private isTerminal(entry: Entry): boolean {
    return TERMINAL.includes(this.state(entry));
  }

  private stopTimers(entry: Entry): void {
    this.std.cancelTimer(entry);
    this.ctx.scheduler.cancel(this.progressKey(entry));
  }

  private progressKey(entry: Entry): string {
    return `${this.spec.collectionId}:${entry.name}:progress`;
  }

  // ---- custom methods ----

  private cancel(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    decodeMessage(EMPTY_SCHEMA, req.json());
    const state = this.state(entry);
    if (this.isTerminal(entry) || state === "JOB_STATE_CANCELLING") {
      throw failedPrecondition(`${this.spec.singular} "${entry.name}" is ${state} and cannot be cancelled`);
    }
    this.stopTimers(entry);
    this.planned.delete(entry.name);
    this.setState(entry, "JOB_STATE_CANCELLING");
    this.std.schedule(entry, "delete", () => {
      const current = this.std.store.getByName(entry.name);
      if (!current || this.state(current) !== "JOB_STATE_CANCELLING") return;
      current.resource["status"] = { code: "CANCELLED", message: "the job was cancelled" };
      this.end(current, "JOB_STATE_CANCELLED");
    });
    return { body: {} };
  }

  private resume(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    decodeMessage(EMPTY_SCHEMA, req.json());
    const state = this.state(entry);
    if (!RESUMABLE.includes(state)) throw failedPrecondition(`${this.spec.singular} "${entry.name}" is ${state}; only failed, cancelled or paused jobs can be resumed`);
    delete entry.resource["status"];
    delete entry.resource["completedTime"];
    this.run(entry);
    return this.std.reply(entry.resource);
  }

  private delete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    if (!this.isTerminal(entry) && this.spec.deleteUnfinished === "refuse") {
      throw failedPrecondition(`${this.spec.singular} "${entry.name}" is ${this.state(entry)}; cancel it (:cancel) and delete it once it has stopped`);
    }
    this.stopTimers(entry);
    this.planned.delete(entry.name);
    this.std.remove(entry);
    return { body: {} };
  }

  // ---- control ----

  private adminFail(req: ApiRequest): ApiReply {
    const entry = this.std.findForControl(req.params["id"] ?? "");
    const failure = this.readFailure(req.json());
    if (this.isTerminal(entry)) throw failedPrecondition(`${this.spec.singular} "${entry.name}" is already ${this.state(entry)}`);
    this.planned.delete(entry.name);
    this.fail(entry, failure);
    return this.std.reply(entry.resource);
  }

  private readFailure(body: JsonObject): Failure {
    const decoded = decodeMessage(FAILURE_SCHEMA, body);
    const code = getString(decoded, "code") || DEFAULT_JOB_FAILURE.code;
    if (!(STATUS_CODES as readonly string[]).includes(code)) throw invalidArgument(`unknown status code "${code}"`);
    return { code, message: getString(decoded, "message") || DEFAULT_JOB_FAILURE.message };
  }
}
