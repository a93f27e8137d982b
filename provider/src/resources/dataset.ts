/**
 * Dataset: training or evaluation data (reference §6). The API quirks this spec serves:
 * - the ID travels in the create body, inside a wrapper: `{"datasetId": "...", "dataset": {...}}` (CreateDatasetRequest
 *   has `body: "*"`), not as a query parameter;
 * - local content is not part of the resource: after create, the file goes up through `:getUploadEndpoint`, a PUT to
 *   a signed URL and `:validateUpload` (hooks.afterCreate), and the dataset stays UPLOADING until then;
 * - the content has no field to diff: the SHA-256 of the file (which the engine computes for a FileAsset) drives the
 *   diff, so an edited file replaces the dataset and a touched one changes nothing;
 * - `format` is IMMUTABLE ([PROTO]); an external URL dataset (gs://, s3://) uploads nothing.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { z } from "zod";
import { contentHashOf, fileAssetOf, fileProblem, resolveAssetPath } from "../assets";
import type { Call } from "../calls";
import { fetchCurrent } from "../calls";
import { FireworksError } from "../errors";
import type { CheckFailure, FieldSpec, FieldTable, ResourceSpec } from "../spec";
import { timeoutsOf } from "../timeouts";
import { localFile, uploadFiles, validateUpload } from "../uploads";
import { show } from "../validation";
import { isPlainObject, isUnknown, type Props } from "../values";

export const DATASET_FORMATS = ["CHAT", "COMPLETION", "RL"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** gs://bucket/path or s3://bucket/path: the schemes the docs name for external datasets. */
export const EXTERNAL_URL = /^(gs|s3):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/;

export function datasetSchema() {
  return z.strictObject({
    datasetId: z.string().optional(),
    // A FileAsset as the dynamic-provider host passes it (see assets.ts); its content is checked in crossCheck.
    source: z
      .looseObject({ path: z.string().optional(), hash: z.string().optional() })
      .refine((v) => fileAssetOf(v) !== undefined, { error: "source must be a pulumi.asset.FileAsset (a StringAsset or RemoteAsset cannot be uploaded)" })
      .optional(),
    externalUrl: z
      .string()
      .refine((v) => EXTERNAL_URL.test(v), { error: (iss) => `${show(iss.input)} is not a gs://bucket/path or s3://bucket/path URL` })
      .optional(),
    format: z.enum(DATASET_FORMATS).optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    exampleCount: z.number().int().min(0).optional(),
    sourceJobName: z.string().optional(),
    timeouts: z.strictObject({ create: z.string().optional(), update: z.string().optional(), delete: z.string().optional() }).optional(),
  });
}

/** The inputs as the provider sees them; the SDK's DatasetArgs is checked against this at compile time. */
export type DatasetInputs = z.input<ReturnType<typeof datasetSchema>>;

/** int64 fields are JSON strings on the wire (reference §1.3): compare and send them as strings. */
const int64: FieldSpec = { kind: "update", absent: "server", normalize: (v) => (typeof v === "number" ? String(v) : v) };

export const datasetFields = {
  datasetId: { kind: "provider" },
  // The content, by hash: not an API field (the bytes go to a signed URL), and a new content is a new dataset.
  source: { kind: "replace", send: false, normalize: (v) => (isUnknown(v) ? v : (contentHashOf(v) ?? v)) },
  // Writable in the API, but a different URL is different data: replaced like an edited file, so whatever trains on
  // the dataset is replaced too (the issue's "a changed data file retrains").
  externalUrl: { kind: "replace", absent: "zero", zero: "" },
  format: { kind: "replace", absent: "zero", zero: "FORMAT_UNSPECIFIED" },
  displayName: { kind: "update", absent: "server", zero: "" },
  // Counted by the platform when not declared (the emulator counts uploaded lines).
  exampleCount: int64,
  sourceJobName: { kind: "update", absent: "zero", zero: "" },
  timeouts: { kind: "provider" },
} satisfies FieldTable<DatasetInputs>;

// ------------------------------------------------------------------------------------------------ JSONL checking

/** How many bad lines a preview reports: enough to see a pattern, few enough to read. */
export const MAX_REPORTED_LINES = 5;
/** A line longer than this is reported rather than buffered: memory stays bounded whatever the file holds. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHAT_ROLES = ["system", "user", "assistant", "tool"];

/** Why one parsed JSONL example does not fit `format`, or undefined. */
export function exampleProblem(format: DatasetFormat, example: unknown): string | undefined {
  if (!isPlainObject(example)) return "not a JSON object";
  if (format === "COMPLETION") {
    if (typeof example.prompt !== "string") return 'missing "prompt" (a string)';
    if (typeof example.completion !== "string") return 'missing "completion" (a string)';
    return undefined;
  }
  const messages = example.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'missing "messages" (a non-empty array)';
  for (const [i, m] of messages.entries()) {
    if (!isPlainObject(m)) return `messages[${i}] is not an object`;
    if (typeof m.role !== "string" || !CHAT_ROLES.includes(m.role)) return `messages[${i}].role must be one of ${CHAT_ROLES.join(", ")} (got ${show(m.role)})`;
    const toolCalls = Array.isArray(m.tool_calls) && m.tool_calls.length > 0;
    if (!(typeof m.content === "string" || Array.isArray(m.content) || (toolCalls && (m.content === undefined || m.content === null)))) {
      return `messages[${i}].content must be a string or an array of content parts`;
    }
  }
  // RL examples carry whatever the evaluator reads (ground truth, ...) beside the prompt messages.
  if (format === "CHAT" && !messages.some((m) => isPlainObject(m) && m.role === "assistant")) return "no assistant message to learn from";
  return undefined;
}

/**
 * Reads a JSONL file in 1 MiB chunks (synchronously: check is synchronous) and reports the first bad lines by number.
 * Stops at MAX_REPORTED_LINES; an empty file is a problem too.
 */
export function jsonlProblems(path: string, format: DatasetFormat): string[] {
  const problems: string[] = [];
  const fd = openSync(resolveAssetPath(path), "r");
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let tooLong = false;
    let line = 0;
    let examples = 0;
    const finish = (bytes: Buffer | undefined, last: boolean): void => {
      line += 1;
      if (tooLong) {
        problems.push(`line ${line}: longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB`);
        return;
      }
      const text = (bytes ?? Buffer.alloc(0)).toString("utf8").replace(/\r$/, "");
      if (text.trim() === "") {
        if (!last) problems.push(`line ${line}: empty line`);
        return;
      }
      examples += 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        problems.push(`line ${line}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
        return;
      }
      const problem = exampleProblem(format, parsed);
      if (problem) problems.push(`line ${line}: ${problem}`);
    };
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0 && problems.length < MAX_REPORTED_LINES; n = readSync(fd, buf, 0, buf.length, null)) {
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1 && nl < n; nl = buf.indexOf(10, start)) {
        pending.push(buf.subarray(start, nl));
        finish(Buffer.concat(pending), false);
        pending = [];
        pendingBytes = 0;
        tooLong = false;
        start = nl + 1;
        if (problems.length >= MAX_REPORTED_LINES) break;
      }
      if (start < n && !tooLong) {
        pendingBytes += n - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          tooLong = true;
          pending = [];
        } else pending.push(Buffer.from(buf.subarray(start, n)));
      }
    }
    if (problems.length < MAX_REPORTED_LINES && (pendingBytes > 0 || tooLong)) finish(Buffer.concat(pending), true);
    if (problems.length === 0 && examples === 0) problems.push("the file holds no examples");
  } finally {
    closeSync(fd);
  }
  return problems.slice(0, MAX_REPORTED_LINES);
}

function crossCheck(inputs: Props, raw: Props, olds: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  // Which of the two is set counts even when its value is not known yet (preview).
  const set = ["source", "externalUrl"].filter((k) => raw[k] !== undefined);
  if (set.length !== 1) {
    failures.push({
      property: set.length === 0 ? "source" : "externalUrl",
      reason: `set exactly one of source (a pulumi.asset.FileAsset of a local JSONL file) or externalUrl (gs:// or s3://)${set.length ? `, not both` : ""}`,
    });
  }
  const asset = fileAssetOf(inputs.source);
  if (!asset) return failures;
  const problem = fileProblem(asset.path);
  if (problem) return [...failures, { property: "source", reason: problem }];
  const format = inputs.format as DatasetFormat | undefined;
  if (format === undefined) return failures;
  // Validated when the content or the format is new: an unchanged file was checked by the preview that created it,
  // and re-reading a large file on every preview would make unrelated changes slow.
  if (olds.format === format && contentHashOf(olds.source) !== undefined && contentHashOf(olds.source) === contentHashOf(inputs.source)) return failures;
  const bad = jsonlProblems(asset.path, format);
  if (bad.length > 0) {
    failures.push({
      property: "source",
      reason: `${asset.path} is not valid ${format} JSONL: ${bad.join("; ")}${bad.length >= MAX_REPORTED_LINES ? `; (showing the first ${MAX_REPORTED_LINES} problems)` : ""}`,
    });
  }
  return failures;
}

// ------------------------------------------------------------------------------------------------------ upload

/**
 * After the create POST (or the adoption of an interrupted create): upload the file and have the platform validate
 * it, without which the dataset stays UPLOADING. A READY dataset (an adopted one whose upload finished) and an
 * external-URL one have nothing to upload.
 */
async function afterCreate(call: Call, created: Props): Promise<Props> {
  const asset = fileAssetOf(call.inputs.source);
  if (!asset || created.state === "READY") return created;
  const deadline = Date.now() + timeoutsOf(call.spec, call.inputs).create * 1000;
  await uploadFiles(call, [localFile(asset.path, asset.hash)], deadline);
  await validateUpload(call, "POST", deadline);
  const current = await fetchCurrent(call, "read after upload", deadline);
  if (!current) throw new FireworksError(`Dataset "${call.name}" disappeared right after its upload`);
  return current;
}

export const datasetSpec: ResourceSpec = {
  kind: "Dataset",
  identity: {
    kind: "client",
    input: "datasetId",
    derive: true,
    // `{datasetId, dataset}` ([SDK] DatasetCreateParams: both required). An uploaded dataset names its data source
    // (`userUploaded`, a oneof member); an external one is identified by its URL.
    body: (body, id) => ({ datasetId: id, dataset: typeof body.externalUrl === "string" && body.externalUrl !== "" ? body : { ...body, userUploaded: {} } }),
  },
  fields: datasetFields,
  schema: datasetSchema,
  crossCheck,
  // A new content or URL gets a fresh derived ID, so the replacement can exist before the old dataset goes.
  autoNameSeed: (inputs) => [contentHashOf(inputs.source) ?? inputs.source ?? null, inputs.externalUrl ?? null, inputs.format ?? null],
  // Uploads of large files take a while; validation is quick.
  defaultTimeouts: { create: 30 * 60, update: 5 * 60, delete: 5 * 60 },
  // Dataset.State: STATE_UNSPECIFIED, UPLOADING, READY (reference §6.2); no failed or deleted states are documented.
  states: { creating: ["UPLOADING", "STATE_UNSPECIFIED"], ready: ["READY"], updating: [], failed: [], deleting: [], deleted: [] },
  api: {
    collection: (config) => `accounts/${config.accountId}/datasets`,
    read: { kind: "get" },
    update: { kind: "sparse" },
    delete: { kind: "delete" },
  },
  statusMessage: (resource) => {
    const status = isPlainObject(resource.status) ? resource.status : undefined;
    const message = status && typeof status.message === "string" ? status.message : "";
    return message || undefined;
  },
  hooks: { afterCreate },
};
