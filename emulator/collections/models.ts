import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { formatTimestamp } from "../core/encoding";
import { PRECISIONS } from "../core/enums";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../core/errors";
import { checkId } from "../core/ids";
import { clone, getNumber, getObject, getString, isObject, type Json, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { decodeMessage, STATUS_SCHEMA, stripOutputOnly, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";
import { checkBaseModel } from "../core/training";
import type { Entry } from "../core/store";

// Models (reference §5): create takes the ID in the body (`{modelId, model, cluster}`), get/list/update/delete are
// the standard methods, `:prepare` adds a precision after the collection's update timing. States are
// `UPLOADING → READY` (§5.3).
//
// UPLOAD SEAM: `:getUploadEndpoint` / `:validateUpload` for models are not served yet (the dataset upload sink in
// core/uploads.ts is being built separately). Until then a model created through the API stays UPLOADING, and
// becomes READY through the control route `POST /_emulator/models/{id}/ready` or the registry action
// `models:markReady` (what a future `:validateUpload` will call). Models produced by fine-tuning jobs are created
// READY through the registry action `models:createProduced` and need no upload.

export const MODEL_KINDS = [
  "KIND_UNSPECIFIED",
  "HF_BASE_MODEL",
  "HF_PEFT_ADDON",
  "HF_TEFT_ADDON",
  "FLUMINA_BASE_MODEL",
  "FLUMINA_ADDON",
  "DRAFT_ADDON",
  "FIRE_AGENT",
  "LIVE_MERGE",
  "CUSTOM_MODEL",
  "EMBEDDING_MODEL",
  "SNAPSHOT_MODEL",
] as const;

const MODEL_STATES = ["STATE_UNSPECIFIED", "UPLOADING", "READY"] as const;
const DEPLOYED_MODEL_STATES = ["STATE_UNSPECIFIED", "UNDEPLOYING", "DEPLOYING", "DEPLOYED", "UPDATING"] as const;
const ADDON_KINDS: readonly string[] = ["HF_PEFT_ADDON", "HF_TEFT_ADDON"];


const BASE_MODEL_DETAILS_SCHEMA: MessageSchema = {
  name: "gateway.BaseModelDetails",
  fields: {
    worldSize: { type: t.int32 },
    checkpointFormat: { type: t.enumOf(["CHECKPOINT_FORMAT_UNSPECIFIED", "NATIVE", "HUGGINGFACE", "UNINITIALIZED"]) },
    huggingfaceFiles: { type: t.repeated(t.string) },
    parameterCount: { type: t.int64 },
    moe: { type: t.bool },
    tunable: { type: t.bool },
    modelType: { type: t.string },
    supportsFireattention: { type: t.bool },
    defaultPrecision: { type: t.enumOf(PRECISIONS), output: true },
    supportsMtp: { type: t.bool },
  },
};

const PEFT_DETAILS_SCHEMA: MessageSchema = {
  name: "gateway.PEFTDetails",
  fields: {
    baseModel: { type: t.string },
    r: { type: t.int32 },
    targetModules: { type: t.repeated(t.string) },
    baseModelType: { type: t.string, output: true },
    mergeAddonModelName: { type: t.string },
  },
};

const CONVERSATION_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.ConversationConfig",
  fields: { style: { type: t.string }, system: { type: t.string }, template: { type: t.string } },
};

const DATE_SCHEMA: MessageSchema = {
  name: "google.type.Date",
  fields: { year: { type: t.int32 }, month: { type: t.int32 }, day: { type: t.int32 } },
};

const DEPLOYED_MODEL_REF_SCHEMA: MessageSchema = {
  name: "gateway.DeployedModelRef",
  fields: {
    name: { type: t.string },
    deployment: { type: t.string },
    state: { type: t.enumOf(DEPLOYED_MODEL_STATES) },
    default: { type: t.bool },
    public: { type: t.bool },
  },
};

export const MODEL_SCHEMA: MessageSchema = {
  name: "gateway.Model",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    description: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    state: { type: t.enumOf(MODEL_STATES), output: true },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    kind: { type: t.enumOf(MODEL_KINDS) },
    githubUrl: { type: t.string },
    huggingFaceUrl: { type: t.string },
    baseModelDetails: { type: t.message(BASE_MODEL_DETAILS_SCHEMA) },
    peftDetails: { type: t.message(PEFT_DETAILS_SCHEMA) },
    teftDetails: { type: t.message({ name: "gateway.TEFTDetails", fields: {} }) },
    public: { type: t.bool },
    conversationConfig: { type: t.message(CONVERSATION_CONFIG_SCHEMA) },
    contextLength: { type: t.int32 },
    trainingContextLength: { type: t.int32 },
    supportsImageInput: { type: t.bool },
    supportsTools: { type: t.bool },
    supportsLora: { type: t.bool },
    useHfApplyChatTemplate: { type: t.bool },
    defaultDraftModel: { type: t.string },
    defaultDraftTokenCount: { type: t.int32 },
    deprecationDate: { type: t.message(DATE_SCHEMA) },
    snapshotType: { type: t.enumOf(["FULL_SNAPSHOT", "INCREMENTAL_SNAPSHOT"]) },
    importedFrom: { type: t.string, output: true },
    fineTuningJob: { type: t.string, output: true },
    cluster: { type: t.string, output: true },
    deployedModelRefs: { type: t.repeated(t.message(DEPLOYED_MODEL_REF_SCHEMA)), output: true },
    calibrated: { type: t.bool, output: true },
    tunable: { type: t.bool, output: true },
    rlTunable: { type: t.bool, output: true },
    supportsServerless: { type: t.bool, output: true },
    supervisedLoraTunable: { type: t.bool, output: true },
    supervisedFullParameterTunable: { type: t.bool, output: true },
    rlLoraTunable: { type: t.bool, output: true },
    rlFullParameterTunable: { type: t.bool, output: true },
    defaultSamplingParams: { type: t.map(t.float), output: true },
    supportedPrecisions: { type: t.repeated(t.enumOf(PRECISIONS)), output: true },
    supportedPrecisionsWithCalibration: { type: t.repeated(t.enumOf(PRECISIONS)), output: true },
  },
};

const CREATE_SCHEMA: MessageSchema = {
  name: "gateway.CreateModelRequest",
  fields: { modelId: { type: t.string }, model: { type: t.message(MODEL_SCHEMA) }, cluster: { type: t.string } },
};

const PREPARE_SCHEMA: MessageSchema = {
  name: "gateway.PrepareModelRequest",
  fields: { precision: { type: t.enumOf(PRECISIONS) }, readMask: { type: t.string } },
};

export class Models implements CollectionModule {
  private readonly std: StandardCollection;
  /** Precisions being prepared, per model name: one `:prepare` at a time. */
  private readonly preparing = new Map<string, string>();

  constructor(private readonly ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "models",
      singular: "model",
      schema: MODEL_SCHEMA,
      parent: { kind: "account" },
      idParam: "modelId",
      // Create is written here (the ID is a body field, §5.1); this rule only serves the generated methods' types.
      id: { from: "server" },
      methods: {
        get: { query: ["readMask"] },
        update: { query: ["updateMask"] },
      },
      update: {
        mode: "mask",
        updateMask: true,
        // [PROTO] IMMUTABLE (§19): a change is a 400, the provider replaces the model instead.
        immutable: ["kind", "baseModelDetails", "peftDetails", "teftDetails", "conversationConfig"],
      },
      list: {
        filter: {
          state: { key: "state", values: MODEL_STATES },
          kind: { key: "kind", values: MODEL_KINDS },
          displayName: { key: "displayName" },
          display_name: { key: "displayName" },
          name: { key: "name" },
        },
        order: {
          name: { key: "name" },
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
          update_time: { key: "updateTime", timestamp: true },
          updateTime: { key: "updateTime", timestamp: true },
          display_name: { key: "displayName" },
          displayName: { key: "displayName" },
        },
        defaultOrder: "name",
      },
      // createMs is unused until uploads exist; updateMs is how long `:prepare` takes; deleteMs is unused (delete is
      // immediate).
      timings: { createMs: 50, updateMs: 50, deleteMs: 50 },
      hooks: {
        validateUpdate: (after) => this.validateMetadata(after),
      },
    });
    ctx.registry.provide("models", "createProduced", (input) => this.createProduced(input));
    ctx.registry.provide("models", "markReady", (input) => this.markReady(this.byName(getString(input, "name"))));
    ctx.registry.provide("models", "putDeployedModelRef", (input) => this.putRef(input));
    ctx.registry.provide("models", "dropDeployedModelRef", (input) => this.dropRef(input));
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, {
      create: { handler: (req) => this.create(req), query: [] },
      list: { handler: (req) => this.list(req), query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
      delete: { handler: (req) => this.delete(req), query: [] },
    });
    router.add("POST", `${this.std.resourcePath}:prepare`, { handler: (req) => this.prepare(req), query: [] });
  }

  registerAdmin(router: Router<RouteEntry>): void {
    router.add("POST", "/_emulator/models/{modelId}/ready", {
      handler: (req) => ({ body: this.markReady(this.std.findForControl(req.params["modelId"] ?? "")) }),
      query: [],
    });
  }

  reset(): void {
    this.std.reset();
    this.preparing.clear();
  }

  // ---- create: `{modelId, model, cluster}` in the body (§5.1) ----

  private create(req: ApiRequest): ApiReply {
    const parent = this.std.parentOf(req);
    const body = decodeMessage(CREATE_SCHEMA, req.json());
    const modelId = getString(body, "modelId");
    if (modelId === "") throw invalidArgument("validation error: model_id: value is required");
    checkId(modelId, "model_id");
    // No BYOC clusters exist here, so naming one cannot succeed (stricter than ignoring it; README).
    const cluster = getString(body, "cluster");
    if (cluster !== "") throw notFound(`cluster "${cluster}" not found`);
    const draft = stripOutputOnly(MODEL_SCHEMA, getObject(body, "model") ?? {});
    this.validateCreate(draft);
    const entry = this.insert(parent, modelId, draft, "UPLOADING");
    this.ctx.faults.resourceCreated(`/v1/${entry.name}`);
    return this.std.reply(entry.resource);
  }

  private insert(parent: string, id: string, draft: JsonObject, state: (typeof MODEL_STATES)[number]): Entry {
    if (this.std.store.has(parent, id)) throw alreadyExists(`model "${this.std.store.name(parent, id)}" already exists`);
    const now = formatTimestamp(this.ctx.now());
    const resource: JsonObject = { ...draft, name: this.std.store.name(parent, id), state, createTime: now, updateTime: now };
    return this.std.store.insert(parent, id, resource);
  }

  /** The rules of §5.3 that tie `kind` to its details, plus the metadata limits. */
  private validateCreate(draft: JsonObject): void {
    // "If not specified, the default is HF_PEFT_ADDON."
    const kind = getString(draft, "kind") || "HF_PEFT_ADDON";
    draft["kind"] = kind;
    const has = (key: string): boolean => isObject(draft[key]);
    if (kind === "HF_BASE_MODEL" && !has("baseModelDetails")) throw invalidArgument("validation error: model.base_model_details: required if kind is HF_BASE_MODEL");
    if (kind !== "HF_BASE_MODEL" && has("baseModelDetails")) throw invalidArgument(`validation error: model.base_model_details: must not be set for kind ${kind}`);
    if (ADDON_KINDS.includes(kind)) {
      if (!has("peftDetails")) throw invalidArgument(`validation error: model.peft_details: required if kind is ${kind}`);
      this.validatePeft(getObject(draft, "peftDetails") ?? {});
    } else if (has("peftDetails")) {
      throw invalidArgument(`validation error: model.peft_details: must not be set for kind ${kind}`);
    }
    if (kind === "HF_TEFT_ADDON" && !has("teftDetails")) throw invalidArgument("validation error: model.teft_details: required if kind is HF_TEFT_ADDON");
    if (kind !== "HF_TEFT_ADDON" && has("teftDetails")) throw invalidArgument(`validation error: model.teft_details: must not be set for kind ${kind}`);
    const conversation = getObject(draft, "conversationConfig");
    if (conversation && getString(conversation, "style") === "") throw invalidArgument("validation error: model.conversation_config.style: value is required");
    this.validateMetadata(draft);
  }

  private validatePeft(peft: JsonObject): void {
    const base = getString(peft, "baseModel");
    if (base === "") throw invalidArgument("validation error: model.peft_details.base_model: value is required");
    // A public model, or a READY base model of this account (stricter; README M3).
    checkBaseModel(this.ctx, base, "model.peft_details.base_model");
    const r = getNumber(peft, "r");
    // "Must be between 4 and 64, inclusive." (0 = absent in proto3, so it is "required" too.)
    if (r === 0) throw invalidArgument("validation error: model.peft_details.r: value is required");
    if (r < 4 || r > 64) throw invalidArgument(`validation error: model.peft_details.r: must be between 4 and 64, inclusive (got ${r})`);
    const modules = peft["targetModules"];
    if (!Array.isArray(modules) || modules.length === 0) throw invalidArgument("validation error: model.peft_details.target_modules: value is required");
  }

  private validateMetadata(model: JsonObject): void {
    // "Must be fewer than 64 characters long." / "Must be fewer than 1000 characters long."
    if ([...getString(model, "displayName")].length >= 64) throw invalidArgument("validation error: model.display_name: must be fewer than 64 characters long");
    if ([...getString(model, "description")].length >= 1000) throw invalidArgument("validation error: model.description: must be fewer than 1000 characters long");
    for (const key of ["contextLength", "trainingContextLength", "defaultDraftTokenCount"]) {
      if (getNumber(model, key) < 0) throw invalidArgument(`validation error: model.${key}: must be greater than or equal to 0`);
    }
    // "Must be specified if default_draft_model is specified."
    if (getString(model, "defaultDraftModel") !== "" && getNumber(model, "defaultDraftTokenCount") === 0) {
      throw invalidArgument("validation error: model.default_draft_token_count: must be specified if default_draft_model is specified");
    }
  }

  // ---- list, delete, :prepare ----

  private list(req: ApiRequest): ApiReply {
    const reply = this.std.list(req);
    // deployedModelRefs: "Populated from GetModel API call only." (§5.1)
    if (isObject(reply.body) && Array.isArray(reply.body["models"])) {
      for (const model of reply.body["models"]) if (isObject(model)) delete model["deployedModelRefs"];
    }
    return reply;
  }

  private delete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    // Deleting a model that is loaded somewhere is UNKNOWN (§22.8): refused, the addon must be unloaded first.
    const refs = entry.resource["deployedModelRefs"];
    if (Array.isArray(refs) && refs.length > 0) {
      throw failedPrecondition(`model "${entry.name}" is deployed (${refs.length} deployed model(s)); unload it first`);
    }
    this.preparing.delete(entry.name);
    this.std.remove(entry);
    return { body: {} };
  }

  private prepare(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    const body = decodeMessage(PREPARE_SCHEMA, req.json());
    const precision = getString(body, "precision");
    if (precision === "" || precision === "PRECISION_UNSPECIFIED") throw invalidArgument("validation error: precision: value is required");
    if (getString(entry.resource, "state") !== "READY") throw failedPrecondition(`model "${entry.name}" is not READY`);
    // Precision preparation converts base-model weights; an addon follows its base (stricter; README).
    if (getString(entry.resource, "kind") !== "HF_BASE_MODEL") throw failedPrecondition(`model "${entry.name}" is not a base model (kind HF_BASE_MODEL); only base models can be prepared`);
    const pending = this.preparing.get(entry.name);
    if (pending !== undefined) throw failedPrecondition(`model "${entry.name}" is already being prepared for ${pending}`);
    const supported = entry.resource["supportedPrecisions"];
    if (Array.isArray(supported) && supported.includes(precision)) return { body: {} };
    this.preparing.set(entry.name, precision);
    this.std.schedule(entry, "update", () => {
      this.preparing.delete(entry.name);
      const current = this.std.store.getByName(entry.name);
      if (!current) return;
      const list: Json[] = Array.isArray(current.resource["supportedPrecisions"]) ? current.resource["supportedPrecisions"] : [];
      current.resource["supportedPrecisions"] = [...list, precision];
      current.resource["calibrated"] = true;
      current.resource["updateTime"] = formatTimestamp(this.ctx.now());
    });
    return { body: {} };
  }

  // ---- for the other collections (registry actions) and the control channel ----

  private byName(name: string): Entry {
    const entry = this.std.store.getByName(name);
    if (!entry) throw this.std.notFound(name);
    return entry;
  }

  /**
   * A job's output model: `{modelId, model}`, created READY (no upload). `model` is trusted (the job built it) but
   * still checked like a create, so a job cannot produce what the API would refuse.
   */
  private createProduced(input: JsonObject): JsonObject {
    const id = getString(input, "modelId");
    checkId(id, "model id");
    const draft = clone(getObject(input, "model") ?? {});
    const fineTuningJob = getString(draft, "fineTuningJob");
    const model = stripOutputOnly(MODEL_SCHEMA, draft);
    this.validateCreate(model);
    if (fineTuningJob !== "") model["fineTuningJob"] = fineTuningJob;
    const entry = this.insert(`accounts/${this.ctx.accountId}`, id, model, "READY");
    return this.std.encode(entry.resource);
  }

  /** UPLOADING → READY: what `:validateUpload` will do once model uploads exist (the upload seam). */
  private markReady(entry: Entry): JsonObject {
    if (getString(entry.resource, "state") !== "READY") {
      entry.resource["state"] = "READY";
      entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    }
    return this.std.encode(entry.resource);
  }

  /** `{model, ref}`: records (or refreshes) a DeployedModel in the model's deployedModelRefs (§20.10). */
  private putRef(input: JsonObject): JsonObject {
    const entry = this.byName(getString(input, "model"));
    const ref = getObject(input, "ref") ?? {};
    const refs = (Array.isArray(entry.resource["deployedModelRefs"]) ? entry.resource["deployedModelRefs"] : []).filter(
      (r) => !isObject(r) || getString(r, "name") !== getString(ref, "name"),
    );
    entry.resource["deployedModelRefs"] = [...refs, clone(ref)];
    return {};
  }

  /** `{model, deployedModel}`: forgets a DeployedModel (unloaded); a model already gone is fine. */
  private dropRef(input: JsonObject): JsonObject {
    const entry = this.std.store.getByName(getString(input, "model"));
    if (!entry) return {};
    const name = getString(input, "deployedModel");
    const refs = Array.isArray(entry.resource["deployedModelRefs"]) ? entry.resource["deployedModelRefs"] : [];
    const kept = refs.filter((r) => !isObject(r) || getString(r, "name") !== name);
    if (kept.length > 0) entry.resource["deployedModelRefs"] = kept;
    else delete entry.resource["deployedModelRefs"];
    return {};
  }
}
