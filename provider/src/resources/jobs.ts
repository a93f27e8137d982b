/**
 * What the four job kinds share (reference §3.2, §3.8, §14–§17, §19): the JobState machine, the training settings
 * and their documented bounds, the W&B config with its write-only API key, the comparison of the API's sparse echo
 * with a declaration, cancel-before-delete, and the spec skeleton itself. Each kind's file says only what differs.
 *
 * API facts every job kind obeys:
 * - no PATCH (§19): `update: { kind: "none" }`, so any change to what was sent replaces the job, and preview says so;
 * - the ID is client-chosen through a query parameter (`?supervisedFineTuningJobId=`, ...), derived from the resource
 *   name when omitted, with every replace-forcing value in the seed so a replacement gets a fresh ID (and, since
 *   the output model defaults to the job ID, a fresh output model);
 * - the API omits zero values (§1.3): an absent field in a response means 0, "", false or UNSPECIFIED;
 * - DELETE of a running training job is refused (FAILED_PRECONDITION, "cancel it first"): `:cancel` first.
 * Nothing here deletes a model a job produced: destroying a job leaves its output model on the platform.
 */
import { z } from "zod";
import type { Call } from "../calls";
import { fetchCurrent, pacing, request } from "../calls";
import { REGIONS } from "../enums";
import { ApiError } from "../errors";
import { isNotFound } from "../http";
import { waitFor } from "../poller";
import type { CheckFailure, FieldSpec, ResourceSpec, StateMachine } from "../spec";
import { timeoutsOf } from "../timeouts";
import { show } from "../validation";
import { deepEqual, isPlainObject, type Props } from "../values";

// ------------------------------------------------------------------------------------------------------ states

/** Terminal states that mean the job did its work (§3.2). EARLY_STOPPED: the early-stop criterion ended training. */
const SUCCEEDED = ["JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED"] as const;
/** Terminal states that mean it did not: `up` fails with the job's status message. */
const UNSUCCESSFUL = ["JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"] as const;
/**
 * Every documented non-terminal state but RUNNING (§3.2, 4.259.0 list). The poller refuses states it does not know,
 * so the list is complete; CANCELLING belongs here because it ends in CANCELLED, whose message `up` then reports.
 */
const ON_THE_WAY = [
  "JOB_STATE_UNSPECIFIED", "JOB_STATE_CREATING", "JOB_STATE_VALIDATING", "JOB_STATE_PENDING", "JOB_STATE_RE_QUEUEING",
  "JOB_STATE_CREATING_INPUT_DATASET", "JOB_STATE_IDLE", "JOB_STATE_PAUSED", "JOB_STATE_WRITING_RESULTS", "JOB_STATE_CANCELLING",
] as const;
const RUNNING = "JOB_STATE_RUNNING";

/**
 * RUNNING is "ready" so that `waitForCompletion: false` can return there; `jobSettled` keeps the default wait going
 * until a terminal state.
 */
export const JOB_STATES: StateMachine = {
  creating: ON_THE_WAY,
  ready: [RUNNING, ...SUCCEEDED],
  updating: [],
  failed: UNSUCCESSFUL,
  deleting: ["JOB_STATE_DELETING", "JOB_STATE_DELETING_CLEANING_UP"],
  deleted: ["JOB_STATE_DELETED"],
};

const TERMINAL: readonly string[] = [...SUCCEEDED, ...UNSUCCESSFUL, "JOB_STATE_DELETED"];

function stateOf(resource: Props): string {
  return typeof resource.state === "string" ? resource.state : "";
}

/** The default waits for a terminal state; `waitForCompletion: false` accepts a job that is RUNNING. */
export function jobSettled(resource: Props, inputs: Props): boolean {
  return stateOf(resource) !== RUNNING || inputs.waitForCompletion === false;
}

/** `status: {code, message}` (§3.1) as "CODE: message": what `up` shows for a FAILED or CANCELLED job. */
export function jobStatusMessage(resource: Props): string | undefined {
  const status = isPlainObject(resource.status) ? resource.status : undefined;
  if (!status) return undefined;
  const code = typeof status.code === "string" && status.code !== "OK" ? status.code : "";
  const message = typeof status.message === "string" ? status.message : "";
  return [code, message].filter(Boolean).join(": ") || undefined;
}

/** "JOB_STATE_RUNNING, 50% (epoch 2)": the state and `jobProgress` (§3.8; zero fields are omitted by the API). */
export function jobProgress(resource: Props): string {
  const progress = isPlainObject(resource.jobProgress) ? resource.jobProgress : {};
  const parts: string[] = [];
  if (typeof progress.percent === "number") parts.push(`${progress.percent}%`);
  if (typeof progress.epoch === "number") parts.push(`epoch ${progress.epoch}`);
  if (typeof progress.totalInputRequests === "number") {
    parts.push(`${typeof progress.totalProcessedRequests === "number" ? progress.totalProcessedRequests : 0}/${progress.totalInputRequests} requests`);
  }
  const why = jobStatusMessage(resource);
  return `${stateOf(resource) || "(no state)"}${parts.length ? `, ${parts.join(", ")}` : ""}${why ? `: ${why}` : ""}`;
}

// -------------------------------------------------------------------------------------------------- comparison

/** Whether a value is the API's zero value, which the API omits from responses (§1.3). */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === 0 || value === "" || value === false) return true;
  if (typeof value === "string" && value.endsWith("_UNSPECIFIED")) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * A nested message as the API echoes it: zero values dropped at every level, since the API omits them, so a declared
 * `epochs: 0` equals an absent one and an empty sub-message equals none.
 */
export function withoutZeros(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutZeros);
  if (!isPlainObject(value)) return isZero(value) ? undefined : value;
  const out: Props = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = withoutZeros(v);
    if (!isZero(kept)) out[k] = kept;
  }
  return out;
}

/**
 * The output model is "The model ID to be assigned" (a bare ID) but the API echoes the full name it bound
 * (`accounts/{a}/models/{id}`): a bare declaration matches the full name that ends in it.
 */
export function sameModelName(declared: unknown, server: unknown): boolean {
  if (typeof declared !== "string" || typeof server !== "string") return declared === server;
  return declared === server || (!declared.includes("/") && server.endsWith(`/models/${declared}`));
}

/** A field the job was created with: every change replaces the job (no PATCH, §19), and absent means zero. */
export function jobField(zero: unknown): FieldSpec {
  return { kind: "replace", absent: "zero", zero, normalize: (v) => (isZero(v) ? zero : v) };
}

/** A nested message field (compared without the zero values the API omits). */
export const messageField: FieldSpec = { kind: "replace", absent: "zero", zero: {}, normalize: withoutZeros };

/**
 * Filled in by the platform when not declared (the output model or dataset defaults to one named after the job):
 * only a declared value is compared.
 */
export const serverNamed: FieldSpec = { kind: "replace", absent: "server", equal: sameModelName };

/**
 * `trainingConfig` (DPO, RFT): compared without zero values, and with its `outputModel` compared only when declared,
 * since the platform fills it in with the job's ID otherwise (and echoes a bare ID as a full name).
 */
export const trainingConfigField: FieldSpec = {
  kind: "replace",
  absent: "zero",
  zero: {},
  normalize: withoutZeros,
  required: "set it to the training settings, at least { baseModel } or { warmStartFrom }",
  equal: (declared, server) => {
    const want = isPlainObject(declared) ? { ...declared } : {};
    const have = isPlainObject(server) ? { ...server } : {};
    if (want.outputModel === undefined || sameModelName(want.outputModel, have.outputModel)) {
      delete want.outputModel;
      delete have.outputModel;
    }
    return deepEqual(want, have);
  },
};

/**
 * WandbConfig (§3.8): `apiKey` is a credential the API accepts and never returns (INPUT_ONLY), so it compares by the
 * hash recorded when applied; `url` is output-only. The whole field is stored as a secret.
 */
export const wandbField: FieldSpec = {
  kind: "replace",
  absent: "zero",
  zero: {},
  secret: true,
  writeOnly: ["apiKey"],
  normalize: (v) => {
    const rest = withoutZeros(v);
    if (isPlainObject(rest)) delete rest.url;
    return rest;
  },
};

export const providerOnly: FieldSpec = { kind: "provider" };

// --------------------------------------------------------------------------------------------------- schemas

const int = () => z.number().int({ error: "must be a whole number" });
const name = (pattern: RegExp, shape: string) =>
  z.string().refine((v) => pattern.test(v), { error: (iss) => `${show(iss.input)} is not a ${shape} resource name` });

export const DATASET_NAME = /^accounts\/[^/]+\/datasets\/[^/]+$/;
const MODEL_NAME = /^accounts\/[^/]+\/models\/[^/]+$/;
export const EVALUATOR_NAME = /^accounts\/[^/]+\/evaluators\/[^/]+$/;

export const datasetRef = () => name(DATASET_NAME, 'dataset ("accounts/{account}/datasets/{dataset}", e.g. a Dataset\'s name output)');
export const modelRef = () => name(MODEL_NAME, 'model ("accounts/{account}/models/{model}")');

export const PURPOSES = ["PURPOSE_UNSPECIFIED", "PURPOSE_PILOT"] as const;

/** The training settings SFT takes at top level and DPO/RFT inside `trainingConfig` (§14, §3.8). */
export function trainingSettings() {
  return {
    baseModel: modelRef().optional(),
    warmStartFrom: modelRef().optional(),
    outputModel: z.string().min(1).optional(),
    jinjaTemplate: z.string().optional(),
    epochs: int().optional(),
    learningRate: z.number().optional(),
    learningRateWarmupSteps: int().optional(),
    gradientAccumulationSteps: int().optional(),
    maxContextLength: int().optional(),
    loraRank: int().optional(),
    batchSize: int().optional(),
    batchSizeSamples: int().optional(),
    optimizerWeightDecay: z.number().optional(),
    region: z.enum(REGIONS).optional(),
  };
}

/** TrainingConfig (DPO, RFT; §3.8): the shared settings plus the 4.259.0 additions. */
export function trainingConfigSchema() {
  return z.strictObject({
    ...trainingSettings(),
    trainerShardingScheme: z
      .strictObject({
        tensorParallelism: int().optional(),
        pipelineParallelism: int().optional(),
        contextParallelism: int().optional(),
        expertParallelism: int().optional(),
        sequenceParallelism: int().optional(),
      })
      .optional(),
    loraAlpha: int().optional(),
    loraDropout: z.number().optional(),
    loraTargetModules: z.array(z.string().min(1)).optional(),
  });
}

export function wandbSchema() {
  return z.strictObject({
    enabled: z.boolean().optional(),
    apiKey: z.string().optional(),
    project: z.string().optional(),
    entity: z.string().optional(),
  });
}

export function awsS3Schema() {
  return z.strictObject({ credentialsSecret: z.string().optional(), iamRoleArn: z.string().optional() });
}

export function azureBlobSchema() {
  return z.strictObject({ credentialsSecret: z.string().optional(), managedIdentityClientId: z.string().optional(), tenantId: z.string().optional() });
}

/** What every training job (SFT, DPO, RFT) takes besides its training settings, with the provider's wait settings. */
export function trainingJobCommonSchema() {
  return {
    wandbConfig: wandbSchema().optional(),
    awsS3Config: awsS3Schema().optional(),
    azureBlobStorageConfig: azureBlobSchema().optional(),
    purpose: z.enum(PURPOSES).optional(),
    waitForCompletion: z.boolean().optional(),
    timeouts: jobTimeoutsSchema().optional(),
  };
}

/** The field policies of trainingJobCommonSchema. */
export const trainingJobCommonFields = {
  wandbConfig: wandbField,
  awsS3Config: messageField,
  azureBlobStorageConfig: messageField,
  purpose: jobField(""),
  waitForCompletion: providerOnly,
  timeouts: providerOnly,
} satisfies Record<string, FieldSpec>;

export function jobTimeoutsSchema() {
  return z.strictObject({ create: z.string().optional(), update: z.string().optional(), delete: z.string().optional() });
}

export function lossConfigSchema(methods: readonly [string, ...string[]]) {
  return z.strictObject({
    method: z.enum(methods).optional(),
    klBeta: z.number().optional(),
    dpo: z.strictObject({ beta: z.number().optional(), refCacheConcurrency: int().optional(), refCacheBatchSize: int().optional() }).optional(),
    orpo: z.strictObject({ lambda: z.number().optional() }).optional(),
  });
}

// ------------------------------------------------------------------------------------------------------ checks

/** [PROTO] 0.19.20 limits (§14, §3.8). */
const MAX_EPOCHS = 100;
const MAX_LEARNING_RATE = 0.1;
const MAX_LORA_RANK = 32;
/** A produced LoRA must be a loadable addon (adapter `r` in 4..64): the platform refuses ranks 1-3. */
const MIN_LORA_RANK = 4;

/**
 * The documented rules of the training settings in `values` (SFT: the inputs; DPO/RFT: `trainingConfig`), each
 * failure naming the property (under `prefix`), the value and the fix. `raw` keeps preview-unknown values, so
 * "exactly one of" counts a reference that is not known yet.
 */
export function trainingFailures(values: Props, raw: Props, prefix: string): CheckFailure[] {
  const at = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  const failures: CheckFailure[] = [];
  const set = ["baseModel", "warmStartFrom"].filter((k) => raw[k] !== undefined);
  if (set.length !== 1) {
    failures.push({
      property: at(set.length === 0 ? "baseModel" : "warmStartFrom"),
      reason:
        set.length === 0
          ? `set exactly one of ${at("baseModel")} (a base model, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct") or ${at("warmStartFrom")} (a LoRA addon to continue training)`
          : `set exactly one of ${at("baseModel")} or ${at("warmStartFrom")}, not both: warmStartFrom already implies its base model; remove one`,
    });
  }
  const { epochs, learningRate, loraRank, batchSize, maxContextLength } = values;
  if (typeof epochs === "number" && (epochs < 0 || epochs > MAX_EPOCHS)) {
    failures.push({ property: at("epochs"), reason: `${show(epochs)} is out of range: epochs must be between 0 (the platform's default) and ${MAX_EPOCHS}` });
  }
  if (typeof learningRate === "number" && (learningRate < 0 || learningRate > MAX_LEARNING_RATE)) {
    failures.push({
      property: at("learningRate"),
      reason: `${show(learningRate)} is out of range: learningRate must be between 0 (the platform's default) and ${MAX_LEARNING_RATE}; typical LoRA rates are 1e-4 to 1e-3`,
    });
  }
  if (typeof loraRank === "number" && loraRank !== 0 && (loraRank < MIN_LORA_RANK || loraRank > MAX_LORA_RANK)) {
    failures.push({
      property: at("loraRank"),
      reason: `${show(loraRank)} is out of range: loraRank must be 0 (the platform's default, 8) or between ${MIN_LORA_RANK} and ${MAX_LORA_RANK}`,
    });
  }
  for (const key of ["learningRateWarmupSteps", "gradientAccumulationSteps", "maxContextLength", "batchSize", "batchSizeSamples", "optimizerWeightDecay", "loraAlpha"]) {
    const v = values[key];
    if (typeof v === "number" && v < 0) failures.push({ property: at(key), reason: `${show(v)} is negative: ${key} must be 0 (the platform's default) or more` });
  }
  const dropout = values.loraDropout;
  if (typeof dropout === "number" && (dropout < 0 || dropout >= 1)) {
    failures.push({ property: at("loraDropout"), reason: `${show(dropout)} is out of range: loraDropout is a probability in [0, 1)` });
  }
  // [PROTO] CEL: "batch_size must be greater than or equal to max_context_length" (tokens per packed batch), when
  // batchSize is set (0 lets the platform choose).
  if (typeof batchSize === "number" && batchSize > 0 && typeof maxContextLength === "number" && batchSize < maxContextLength) {
    failures.push({
      property: at("batchSize"),
      reason: `${show(batchSize)} is smaller than ${at("maxContextLength")} (${maxContextLength}): batchSize counts tokens per batch and must be at least maxContextLength; raise it or omit it`,
    });
  }
  return failures;
}

/** A required resource reference with its fix, for kinds where the rule depends on other inputs. */
export function requiredRef(raw: Props, key: string, fix: string): CheckFailure[] {
  return raw[key] === undefined ? [{ property: key, reason: `${key} is required: ${fix}` }] : [];
}

/** `extraBody` is "a JSON string" of an object, e.g. "{\"stop\": [\"\\n\"]}" (§16, §17). */
export function extraBodyFailures(params: unknown, prefix: string): CheckFailure[] {
  if (!isPlainObject(params) || typeof params.extraBody !== "string" || params.extraBody === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(params.extraBody);
  } catch {
    parsed = undefined;
  }
  return isPlainObject(parsed) ? [] : [{ property: `${prefix}.extraBody`, reason: `${show(params.extraBody)} is not a JSON object in a string; write it like '{"stop": ["\\n"]}'` }];
}

// ------------------------------------------------------------------------------------------------------ delete

/**
 * Before the delete: DELETE of a training job that has not ended is refused ("cancel it first", §14–§16), so a running
 * job is cancelled with `:cancel` and the delete waits until it has stopped. A cancel refused because the job ended
 * (or was already cancelling) in the meantime is fine: the wait below sees where it is.
 */
export async function cancelUnfinished(call: Call, current: Props): Promise<void> {
  const state = stateOf(current);
  if (TERMINAL.includes(state) || JOB_STATES.deleting.includes(state)) return;
  if (state !== "JOB_STATE_CANCELLING") {
    try {
      await request<Props>(call, {
        method: "POST",
        path: `/v1/${call.name}:cancel`,
        body: {},
        // A repeated cancel is harmless: at worst the platform says the job is already cancelling (400).
        idempotent: true,
        context: { action: "cancel", kind: call.spec.kind, name: call.name },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!(err instanceof ApiError && err.status === 400)) throw err;
    }
  }
  await waitFor<Props>({
    what: `${call.spec.kind} "${call.name}" to stop after :cancel`,
    timeoutHint: 'raise timeouts.delete (e.g. "30m")',
    fetch: (deadline) => fetchCurrent(call, "wait for cancellation of", deadline),
    state: stateOf,
    pending: [...ON_THE_WAY, RUNNING],
    target: [...TERMINAL, ...JOB_STATES.deleting],
    notFound: "target",
    timeoutMs: timeoutsOf(call.spec, call.inputs).delete * 1000,
    ...pacing(call.ctx),
  });
}

// -------------------------------------------------------------------------------------------------------- spec

const HOUR = 3600;

export interface JobKind {
  kind: string;
  /** The collection under `accounts/{a}/`, e.g. "supervisedFineTuningJobs". */
  collection: string;
  /** The ID input, named like the create query parameter that carries it ("supervisedFineTuningJobId"). */
  idInput: string;
  fields: ResourceSpec["fields"];
  schema: () => z.ZodType;
  crossCheck: (inputs: Props, raw: Props) => CheckFailure[];
  /** Whether the API has `:cancel` (training jobs); without it, DELETE itself stops a running job (batch, §17). */
  cancel: boolean;
  /** Default create timeout, in seconds. */
  createTimeout: number;
  derivedOutputs: ResourceSpec["derivedOutputs"];
}

/** The seed of a derived ID: every value sent to the API, so any replacement gets a fresh job ID. */
function seedOf(spec: Pick<ResourceSpec, "fields">, inputs: Props): unknown[] {
  return Object.entries(spec.fields)
    .filter(([, field]) => field.kind !== "provider")
    .map(([key]) => inputs[key] ?? null);
}

export function jobSpec(kind: JobKind): ResourceSpec {
  const spec: ResourceSpec = {
    kind: kind.kind,
    identity: { kind: "client", input: kind.idInput, derive: true, query: kind.idInput },
    fields: kind.fields,
    schema: kind.schema,
    crossCheck: (inputs, raw) => kind.crossCheck(inputs, raw),
    autoNameSeed: (inputs) => seedOf(spec, inputs),
    // Training runs for hours; the delete includes cancelling a running job.
    defaultTimeouts: { create: kind.createTimeout, update: 10 * 60, delete: HOUR },
    states: JOB_STATES,
    api: {
      collection: (config) => `accounts/${config.accountId}/${kind.collection}`,
      read: { kind: "get" },
      update: { kind: "none" },
      delete: { kind: "delete" },
    },
    statusMessage: jobStatusMessage,
    settled: jobSettled,
    progress: jobProgress,
    derivedOutputs: kind.derivedOutputs,
    ...(kind.cancel ? { hooks: { beforeDelete: cancelUnfinished } } : {}),
  };
  return spec;
}

export const DAY = 24 * HOUR;

/** The output model's full name from where the kind keeps it, for a uniform top-level `outputModel` output. */
export function outputModelOf(holder: unknown): Props {
  const model = isPlainObject(holder) && typeof holder.outputModel === "string" && holder.outputModel !== "" ? holder.outputModel : undefined;
  return { outputModel: model };
}
