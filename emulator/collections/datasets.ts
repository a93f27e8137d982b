import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { failedPrecondition, invalidArgument, notFound } from "../core/errors";
import { getString, isObject, type JsonObject } from "../core/json";
import { Query, type ApiReply, type ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { STATUS_SCHEMA, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";
import type { Entry } from "../core/store";
import { uploadSinkFor, type UploadSink } from "../core/uploads";

// Datasets (reference §6): created with a body wrapper `{datasetId, dataset, sourceDatasetId, filter}` (the ID in the
// body, not a query parameter); a user-uploaded dataset starts UPLOADING and becomes READY once `:validateUpload`
// finds every file declared by `:getUploadEndpoint` in the upload sink (core/uploads.ts) with its declared size
// (§20.9). An `externalUrl` dataset (gs://, s3://) has nothing to upload and becomes READY after the create timing.
// `format` and the data source are IMMUTABLE ([PROTO]); a PATCH that changes them is a 400 (stricter; README).

export const DATASET_STATES = ["STATE_UNSPECIFIED", "UPLOADING", "READY"] as const;
export const DATASET_FORMATS = ["FORMAT_UNSPECIFIED", "CHAT", "COMPLETION", "RL"] as const;

const EMPTY: MessageSchema = { name: "gateway.UserUploaded", fields: {} };

export const DATASET_SCHEMA: MessageSchema = {
  name: "gateway.Dataset",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    state: { type: t.enumOf(DATASET_STATES), output: true },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    exampleCount: { type: t.int64 },
    estimatedTokenCount: { type: t.int64, output: true },
    averageTurnCount: { type: t.float, output: true },
    format: { type: t.enumOf(DATASET_FORMATS) },
    externalUrl: { type: t.string },
    userUploaded: { type: t.message(EMPTY) },
    evaluationResult: { type: t.message({ name: "gateway.EvaluationResult", fields: { evaluationJobId: { type: t.string } } }) },
    transformed: {
      type: t.message({
        name: "gateway.Transformed",
        fields: { sourceDatasetId: { type: t.string }, filter: { type: t.string }, originalFormat: { type: t.enumOf(DATASET_FORMATS) } },
      }),
    },
    splitted: { type: t.message({ name: "gateway.Splitted", fields: { sourceDatasetId: { type: t.string } } }) },
    // "object, opaque" in every source: no shape to check, so it is refused rather than stored unchecked (README).
    evalProtocol: { type: t.string, rejectReason: "evalProtocol is not supported: its shape is not documented" },
    sourceJobName: { type: t.string },
    createdBy: { type: t.string, output: true },
  },
};

/** The data-source oneof ([PROTO] `data_source`); at most one may be set. */
const DATA_SOURCES = ["userUploaded", "evaluationResult", "transformed", "splitted"] as const;
/** gs:// and s3:// are what the docs name (issue, reference §6); anything else is refused (stricter; README). */
const EXTERNAL_URL = /^(gs|s3):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/;

export class Datasets implements CollectionModule {
  private readonly std: StandardCollection;
  private readonly sink: UploadSink;

  constructor(private readonly ctx: EmulatorContext) {
    this.sink = uploadSinkFor(ctx);
    this.std = new StandardCollection(ctx, {
      collectionId: "datasets",
      singular: "dataset",
      schema: DATASET_SCHEMA,
      parent: { kind: "account" },
      idParam: "datasetId",
      // The ID travels in the body wrapper; the create route below unwraps it and hands it on as a query value.
      id: { from: "query", param: "datasetId" },
      methods: {
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
        update: {},
      },
      update: { mode: "mask", immutable: ["format", ...DATA_SOURCES] },
      list: {
        filter: { name: { key: "name" }, state: { key: "state" }, displayName: { key: "displayName" }, format: { key: "format" } },
        order: { name: { key: "name" }, create_time: { key: "createTime" }, createTime: { key: "createTime" } },
        defaultOrder: "name",
      },
      // createMs: an externalUrl or derived dataset becoming READY (nothing to upload).
      timings: { createMs: 20, updateMs: 0, deleteMs: 0 },
      hooks: {
        validateUpdate: (after) => checkExternalUrl(after),
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, {
      create: { handler: (req) => this.create(req), query: [] },
      delete: { handler: (req) => this.delete(req), query: [] },
    });
    const res = this.std.resourcePath;
    router
      .add("POST", `${res}:getUploadEndpoint`, { handler: (req) => this.getUploadEndpoint(req), query: [] })
      .add("POST", `${res}:validateUpload`, { handler: (req) => this.validateUpload(req), query: [] });
  }

  registerAdmin(router: Router<RouteEntry>): void {
    // Every PUT the sink saw for one dataset (refused ones too): lets a test prove a client never sent its API key.
    router.add("GET", "/_emulator/datasets/{datasetId}/uploads", {
      handler: (req) => {
        const entry = this.std.findForControl(req.params["datasetId"] ?? "");
        const received: JsonObject = {};
        for (const [file, r] of this.sink.received(entry.name)) received[file] = { bytes: r.bytes, sha256: r.sha256, lines: r.lines };
        return { body: { attempts: this.sink.attemptsFor(entry.name).map((a) => ({ ...a })), received } };
      },
      query: [],
    });
  }

  reset(): void {
    this.std.reset();
    this.sink.forgetUnder(`accounts/${this.ctx.accountId}/datasets/`);
  }

  /**
   * Create: body `{datasetId (required), dataset (required), sourceDatasetId, filter}`; CreateDatasetRequest has
   * `body: "*"`, so the ID is a body field here, unlike most collections' `?xId=` query parameter.
   */
  private create(req: ApiRequest): ApiReply {
    const raw = req.json();
    for (const key of Object.keys(raw)) {
      if (!["datasetId", "dataset", "sourceDatasetId", "filter"].includes(key)) throw invalidArgument(`invalid JSON body: unknown field "${key}"`);
    }
    const datasetId = raw["datasetId"];
    if (datasetId === undefined || datasetId === null || datasetId === "") throw invalidArgument("validation error: dataset_id: value is required");
    if (typeof datasetId !== "string") throw invalidArgument("invalid JSON body: datasetId: expected a string");
    const dataset = raw["dataset"];
    if (dataset === undefined || dataset === null) throw invalidArgument("validation error: dataset: value is required");
    if (!isObject(dataset)) throw invalidArgument("invalid JSON body: dataset: expected an object");
    const sourceDatasetId = typeof raw["sourceDatasetId"] === "string" ? raw["sourceDatasetId"] : "";
    const filter = typeof raw["filter"] === "string" ? raw["filter"] : "";
    const body: JsonObject = { ...dataset };
    const setSources = DATA_SOURCES.filter((k) => body[k] !== undefined && body[k] !== null);
    if (setSources.length > 1) throw invalidArgument(`dataset: only one data source may be set (got ${setSources.join(" and ")})`);
    const external = getString(body, "externalUrl") !== "";
    if (sourceDatasetId !== "") {
      if (setSources.length > 0 || external) throw invalidArgument("sourceDatasetId derives a dataset: do not set another data source or externalUrl");
      const sourceName = sourceDatasetId.includes("/") ? sourceDatasetId : `accounts/${this.ctx.accountId}/datasets/${sourceDatasetId}`;
      const source = this.ctx.registry.find("datasets", sourceName);
      if (!source) throw notFound(`dataset "${sourceName}" not found`);
      if (source.resource["state"] !== "READY") throw failedPrecondition(`dataset "${sourceName}" is not READY`);
      body["transformed"] = { sourceDatasetId: sourceName, ...(filter !== "" && { filter }), ...(typeof source.resource["format"] === "string" && { originalFormat: source.resource["format"] }) };
      if (body["format"] === undefined && source.resource["format"] !== undefined) body["format"] = source.resource["format"];
    } else if (filter !== "") {
      throw invalidArgument("filter applies only with sourceDatasetId");
    } else if (external && setSources.length > 0) {
      // externalUrl is not in the oneof, but a dataset that is both uploaded and external is ambiguous (stricter).
      throw invalidArgument(`dataset: externalUrl and ${setSources.join(", ")} cannot both be set`);
    } else if (!external && setSources.length === 0) {
      // [FWPY] creates datasets with only format and exampleCount: the data source defaults to an upload.
      body["userUploaded"] = {};
    }
    if (external) checkExternalUrl(body);
    // The standard create applies the ID syntax rule and the 409; it reads the ID as a query value.
    const rewritten: ApiRequest = { ...req, query: new Query(new URLSearchParams({ datasetId }), ["datasetId"]), json: () => body };
    const reply = this.std.create(rewritten);
    const entry = this.std.findIn(`accounts/${this.ctx.accountId}`, datasetId);
    if (external || sourceDatasetId !== "") {
      entry.resource["state"] = "UPLOADING";
      this.std.schedule(entry, "create", () => {
        entry.resource["state"] = "READY";
      });
    } else {
      entry.resource["state"] = "UPLOADING";
    }
    return { ...reply, body: this.std.encode(entry.resource) };
  }

  private delete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    // No soft delete is documented for datasets: gone at once, and its upload URLs with it.
    this.sink.forget(entry.name);
    this.std.remove(entry);
    return { body: {} };
  }

  /** `{filenameToSize (required), readMask}` -> `{filenameToSignedUrls}`: URLs into the emulator's own sink. */
  private getUploadEndpoint(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    const body = req.json();
    for (const key of Object.keys(body)) {
      if (!["filenameToSize", "readMask"].includes(key)) throw invalidArgument(`invalid JSON body: unknown field "${key}"`);
    }
    this.checkUploadable(entry);
    return { body: { filenameToSignedUrls: this.sink.declare(entry.name, body["filenameToSize"]) } };
  }

  /**
   * `{}` -> `{}`. FAILED_PRECONDITION until every declared file arrived with its declared size (the models' documented
   * "returns FAILED_PRECONDITION while files are still landing", applied to datasets, §20.9). Then READY, with the
   * example count taken from the uploaded lines when the client did not declare one.
   */
  private validateUpload(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    const body = req.json();
    if (Object.keys(body).length > 0) throw invalidArgument(`invalid JSON body: unknown field "${Object.keys(body)[0] ?? ""}"`);
    if (entry.resource["state"] === "READY") return { body: {} };
    this.checkUploadable(entry);
    if (!this.sink.declared(entry.name)) throw failedPrecondition(`dataset "${entry.name}": no upload was started; call getUploadEndpoint and upload the files first`);
    const missing = this.sink.missing(entry.name);
    if (missing.length > 0) throw failedPrecondition(`dataset "${entry.name}": files are still landing: ${missing.join(", ")}`);
    let lines = 0;
    for (const r of this.sink.received(entry.name).values()) lines += r.lines;
    entry.resource["state"] = "READY";
    if (entry.resource["exampleCount"] === undefined) entry.resource["exampleCount"] = String(lines);
    return { body: {} };
  }

  private checkUploadable(entry: Entry): void {
    if (!isObject(entry.resource["userUploaded"] ?? null)) {
      throw failedPrecondition(`dataset "${entry.name}" is not a user-uploaded dataset (its data comes from ${getString(entry.resource, "externalUrl") || "another dataset"})`);
    }
    if (entry.resource["state"] === "READY") throw failedPrecondition(`dataset "${entry.name}" is READY; its files cannot be uploaded again`);
  }
}

function checkExternalUrl(dataset: JsonObject): void {
  const url = getString(dataset, "externalUrl");
  if (url !== "" && !EXTERNAL_URL.test(url)) throw invalidArgument(`dataset.external_url: "${url}" must be a gs://bucket/path or s3://bucket/path URL`);
}
