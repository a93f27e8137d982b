import { randomBytes } from "node:crypto";
import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { timestampToMs } from "../core/encoding";
import { invalidArgument } from "../core/errors";
import { getString, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { decodeMessage, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";
import type { Entry } from "../core/store";

// API keys (reference §9): children of a user (`accounts/{a}/users/{u}/apiKeys`), keyed by a server-generated
// `keyId`, without a resource name. Create takes `{"apiKey": {...}}` and is the only response carrying the plaintext
// `key`. List, and delete through the POST verb `apiKeys:delete` with `{"keyId"}`. No GET (its real path is UNKNOWN:
// the 4.259.0 spec's is a generator artefact) and no update.

export const API_KEY_SCHEMA: MessageSchema = {
  name: "gateway.ApiKey",
  fields: {
    keyId: { type: t.string, output: true },
    displayName: { type: t.string },
    key: { type: t.string, output: true },
    createTime: { type: t.timestamp, output: true },
    secure: { type: t.bool, output: true },
    email: { type: t.string, output: true },
    prefix: { type: t.string, output: true },
    expireTime: { type: t.timestamp },
    annotations: { type: t.map(t.string) },
    lastUsed: { type: t.timestamp, output: true },
  },
};

const DELETE_SCHEMA: MessageSchema = { name: "gateway.DeleteApiKeyRequest", fields: { keyId: { type: t.string } } };

/** The visible start of a key, shown in listings so a user can tell keys apart. */
const PREFIX_LENGTH = 8;

export class ApiKeys implements CollectionModule {
  private readonly std: StandardCollection;
  /** Plaintexts of keys just created, handed to their create response and then forgotten ("not stored thereafter"). */
  private readonly issued = new Map<string, string>();

  constructor(private readonly ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "apiKeys",
      singular: "apiKey",
      schema: API_KEY_SCHEMA,
      parent: { kind: "resource", collection: "users", param: "userId", singular: "user" },
      idParam: "keyId",
      id: { from: "server" },
      nameField: null,
      idField: "keyId",
      createWrapper: "apiKey",
      methods: {
        create: {},
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
      },
      list: {
        filter: { keyId: { key: "keyId" }, displayName: { key: "displayName" }, display_name: { key: "displayName" } },
        order: {
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
          display_name: { key: "displayName" },
          displayName: { key: "displayName" },
        },
        defaultOrder: "create_time",
      },
      hooks: {
        prepare: (draft) => {
          // "defaults to \"default\" if not specified"
          if (getString(draft, "displayName") === "") draft["displayName"] = "default";
          if ([...getString(draft, "displayName")].length > 63) throw invalidArgument("validation error: api_key.display_name: value length must be at most 63 characters");
          // A key born expired is a mistake the server has every reason to refuse (stricter; README).
          const expire = getString(draft, "expireTime");
          if (expire !== "" && timestampToMs(expire) <= ctx.now()) throw invalidArgument("validation error: api_key.expire_time: must be in the future");
        },
        created: (entry) => this.issue(entry),
        createReply: (entry, encoded) => {
          const key = this.issued.get(entry.name) ?? "";
          this.issued.delete(entry.name);
          return { ...encoded, key };
        },
      },
    });
  }

  private issue(entry: Entry): void {
    const key = `fw_${randomBytes(18).toString("base64url")}`;
    const user = this.ctx.registry.find("users", entry.parent);
    const email = user ? getString(user.resource, "email") : "";
    const userId = entry.parent.split("/").pop() ?? "";
    entry.resource["prefix"] = key.slice(0, PREFIX_LENGTH);
    // Service accounts appear as <id>@<account>.sa.fireworks.ai (reference §9).
    entry.resource["email"] = email !== "" ? email : `${userId}@${this.ctx.accountId}.sa.fireworks.ai`;
    this.issued.set(entry.name, key);
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router);
    router.add("POST", `${this.std.collectionPath}:delete`, { handler: (req) => this.delete(req), query: [] });
  }

  private delete(req: ApiRequest): ApiReply {
    const parent = this.std.parentOf(req);
    const body: JsonObject = decodeMessage(DELETE_SCHEMA, req.json());
    const keyId = getString(body, "keyId");
    if (keyId === "") throw invalidArgument("validation error: key_id: value is required");
    this.std.remove(this.std.findIn(parent, keyId));
    return { body: {} };
  }

  registerAdmin(): void {
    // No control routes: keys are created and deleted through the API.
  }

  reset(): void {
    this.std.reset();
    this.issued.clear();
  }
}
