import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { invalidArgument } from "../core/errors";
import { getString, type JsonObject } from "../core/json";
import type { Router } from "../core/router";
import { encodeMessage, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";

// Secrets (reference §8): created with a full `name` (no ID parameter), `value` INPUT_ONLY, PATCH replaces keyName and
// value (UpdateSecretRequest has no update mask).

export const SECRET_SCHEMA: MessageSchema = {
  name: "gateway.Secret",
  fields: {
    // REQUIRED (not output-only): the create body carries it, and the ID is its last segment.
    name: { type: t.string },
    keyName: { type: t.string },
    value: { type: t.string, inputOnly: true },
  },
};

/**
 * keyName looks like an environment variable ([RK] upper-cases the ID and turns "-" into "_": "This 'keyName' is the
 * specific field with new rules"). The exact rule is UNKNOWN; the stricter reading: an uppercase letter, then
 * uppercase letters, digits and "_", at most 63 characters.
 */
const KEY_NAME = /^[A-Z][A-Z0-9_]{0,62}$/;

function checkSecret(secret: JsonObject): void {
  const problems: string[] = [];
  const keyName = getString(secret, "keyName");
  if (keyName === "") problems.push("secret.key_name: value is required");
  else if (!KEY_NAME.test(keyName)) {
    problems.push(`secret.key_name: "${keyName}" must start with an uppercase letter and contain only A-Z, 0-9 and _ (at most 63 characters)`);
  }
  // An empty secret is useless, and the value cannot be read back to notice it: required on create and update.
  if (getString(secret, "value") === "") problems.push("secret.value: value is required");
  if (problems.length > 0) throw invalidArgument(`validation error: ${problems.join("; ")}`);
}

export class Secrets implements CollectionModule {
  private readonly std: StandardCollection;

  constructor(ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "secrets",
      singular: "secret",
      schema: SECRET_SCHEMA,
      parent: { kind: "account" },
      idParam: "secretId",
      id: { from: "name" },
      methods: {
        create: {},
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
        update: {},
        delete: {},
      },
      update: { mode: "replace" },
      list: { filter: {}, order: { name: { key: "name" } }, defaultOrder: "name", unused: ["filter", "orderBy"] },
      hooks: {
        prepare: (draft) => checkSecret(draft),
        validateUpdate: (after) => checkSecret(after),
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router);
  }

  registerAdmin(router: Router<RouteEntry>): void {
    // What the API never shows: lets a test check which value the last create or update stored.
    router.add("GET", "/_emulator/secrets/{secretId}", {
      handler: (req) => {
        const entry = this.std.findForControl(req.params["secretId"] ?? "");
        return { body: encodeMessage(SECRET_SCHEMA, entry.resource, { inputOnly: true }) };
      },
      query: [],
    });
  }

  reset(): void {
    this.std.reset();
  }
}
