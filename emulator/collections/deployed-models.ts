import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { formatTimestamp } from "../core/encoding";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../core/errors";
import { getString, isObject, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { STATUS_SCHEMA, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";
import type { Entry } from "../core/store";

// DeployedModels (reference §7): a LoRA addon loaded onto a deployment with `enableAddons`. Server-generated IDs;
// `DEPLOYING → DEPLOYED` after the create timing; DELETE ("Unload LoRA") goes `UNDEPLOYING →` gone after the delete
// timing. The deployment and the model are found through the registry; the model's `deployedModelRefs` is kept up
// to date through the models collection's actions (§20.10).

const STATES = ["STATE_UNSPECIFIED", "UNDEPLOYING", "DEPLOYING", "DEPLOYED", "UPDATING"] as const;
type State = (typeof STATES)[number];

const ADDON_KINDS: readonly string[] = ["HF_PEFT_ADDON", "HF_TEFT_ADDON"];
/** Deployment states in which it serves, so an addon can be loaded (stricter than loading onto a CREATING one; README). */
const SERVING: readonly string[] = ["READY", "UPDATING"];

export const DEPLOYED_MODEL_SCHEMA: MessageSchema = {
  name: "gateway.DeployedModel",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    description: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    model: { type: t.string },
    deployment: { type: t.string },
    default: { type: t.bool },
    state: { type: t.enumOf(STATES), output: true },
    serverless: { type: t.bool },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    public: { type: t.bool },
  },
};

export class DeployedModels implements CollectionModule {
  private readonly std: StandardCollection;

  constructor(private readonly ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "deployedModels",
      singular: "deployedModel",
      schema: DEPLOYED_MODEL_SCHEMA,
      parent: { kind: "account" },
      idParam: "deployedModelId",
      // "No ID parameter in any version" (§7).
      id: { from: "server" },
      methods: {
        create: { query: ["replaceMergedAddon"] },
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
        update: { query: ["updateMask"] },
      },
      flags: { create: ["replaceMergedAddon"] },
      // model and deployment are create-only (INFERRED, §19): a change is a 400, the provider replaces.
      update: { mode: "mask", updateMask: true, immutable: ["model", "deployment"] },
      list: {
        filter: {
          state: { key: "state", values: STATES },
          model: { key: "model" },
          deployment: { key: "deployment" },
          displayName: { key: "displayName" },
          display_name: { key: "displayName" },
          name: { key: "name" },
        },
        order: {
          name: { key: "name" },
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
          display_name: { key: "displayName" },
          displayName: { key: "displayName" },
        },
        defaultOrder: "name",
      },
      // createMs: DEPLOYING → DEPLOYED; deleteMs: UNDEPLOYING → gone; updateMs unused (metadata updates are immediate).
      timings: { createMs: 50, updateMs: 50, deleteMs: 50 },
      hooks: {
        prepare: (draft) => this.validateCreate(draft),
        created: (entry) => this.startDeploying(entry),
        beforeUpdate: (entry) => {
          if (this.state(entry) === "UNDEPLOYING") throw failedPrecondition(`deployed model "${entry.name}" is being unloaded`);
        },
        validateUpdate: (after) => this.checkServerless(after),
        updated: (entry) => this.syncRef(entry),
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, { delete: { handler: (req) => this.delete(req), query: [] } });
  }

  registerAdmin(): void {
    // No control routes: loads and unloads go through the API, timings through /_emulator/timings.
  }

  reset(): void {
    this.std.reset();
  }

  private validateCreate(draft: JsonObject): void {
    const modelName = getString(draft, "model");
    const deploymentName = getString(draft, "deployment");
    if (modelName === "") throw invalidArgument("validation error: deployed_model.model: value is required");
    if (deploymentName === "") throw invalidArgument("validation error: deployed_model.deployment: value is required");
    this.checkServerless(draft);

    const deployment = this.ctx.registry.find("deployments", deploymentName);
    if (!deployment) throw notFound(`deployment "${deploymentName}" not found`);
    const dep = deployment.resource;
    // The deployment must have PEFT addons enabled (Deployment.enableAddons); the exact error is UNKNOWN (§7).
    if (dep["enableAddons"] !== true) throw failedPrecondition(`deployment "${deploymentName}" does not have addons enabled (enableAddons is false)`);
    const depState = getString(dep, "state");
    if (!SERVING.includes(depState)) throw failedPrecondition(`deployment "${deploymentName}" is ${depState || "not ready"}; addons can be loaded once it is READY`);

    const model = this.ctx.registry.find("models", modelName);
    if (!model) throw notFound(`model "${modelName}" not found`);
    const kind = getString(model.resource, "kind");
    if (!ADDON_KINDS.includes(kind)) throw failedPrecondition(`model "${modelName}" is not an addon (kind ${kind}); only LoRA addons can be loaded onto a deployment`);
    if (getString(model.resource, "state") !== "READY") throw failedPrecondition(`model "${modelName}" is not READY`);
    // A LoRA is trained against one base model; loading it onto another cannot work (stricter; README).
    const peft = model.resource["peftDetails"];
    const base = isObject(peft) ? getString(peft, "baseModel") : "";
    if (base !== "" && base !== getString(dep, "baseModel")) {
      throw failedPrecondition(`model "${modelName}" is an addon of "${base}", but deployment "${deploymentName}" serves "${getString(dep, "baseModel")}"`);
    }
    const refs = model.resource["deployedModelRefs"];
    const loaded = Array.isArray(refs) ? refs.filter(isObject) : [];
    if (loaded.some((r) => getString(r, "deployment") === deploymentName && getString(r, "state") !== "UNDEPLOYING")) {
      throw alreadyExists(`model "${modelName}" is already loaded onto deployment "${deploymentName}"`);
    }
    // "The first deployment a model is deployed to will have this field set to true."
    if (loaded.length === 0) draft["default"] = true;
  }

  private checkServerless(dm: JsonObject): void {
    // "not applicable when deploying a LoRA addon and should be omitted or set to false"
    if (dm["serverless"] === true) throw invalidArgument("deployed_model.serverless: LoRA models require a dedicated deployment; omit serverless or set it to false");
  }

  private startDeploying(entry: Entry): void {
    this.setState(entry, "DEPLOYING");
    this.std.schedule(entry, "create", () => {
      const current = this.std.store.getByName(entry.name);
      if (!current || this.state(current) !== "DEPLOYING") return;
      // There is no FAILED state (§7): a load whose deployment went away stays DEPLOYING with a status.
      if (!this.ctx.registry.find("deployments", getString(current.resource, "deployment"))) {
        current.resource["status"] = { code: "FAILED_PRECONDITION", message: `deployment "${getString(current.resource, "deployment")}" no longer exists` };
        current.resource["updateTime"] = formatTimestamp(this.ctx.now());
        return;
      }
      this.setState(current, "DEPLOYED");
    });
  }

  private delete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    if (this.state(entry) === "UNDEPLOYING") throw failedPrecondition(`deployed model "${entry.name}" is already being unloaded`);
    this.setState(entry, "UNDEPLOYING");
    this.std.schedule(entry, "delete", () => {
      const current = this.std.store.getByName(entry.name);
      if (!current) return;
      this.std.remove(current);
      this.ctx.registry.perform("models", "dropDeployedModelRef", { model: getString(current.resource, "model"), deployedModel: current.name });
    });
    return { body: {} };
  }

  private setState(entry: Entry, state: State): void {
    entry.resource["state"] = state;
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    this.syncRef(entry);
  }

  /** Mirrors this load into the model's deployedModelRefs. */
  private syncRef(entry: Entry): void {
    const dm = entry.resource;
    const model = getString(dm, "model");
    if (!this.ctx.registry.find("models", model)) return;
    const ref: JsonObject = { name: entry.name, deployment: getString(dm, "deployment"), state: getString(dm, "state") };
    if (dm["default"] === true) ref["default"] = true;
    if (dm["public"] === true) ref["public"] = true;
    this.ctx.registry.perform("models", "putDeployedModelRef", { model, ref });
  }

  private state(entry: Entry): State {
    return (getString(entry.resource, "state") || "STATE_UNSPECIFIED") as State;
  }
}
