import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectionModule, EmulatorContext, RouteEntry } from "../../emulator/core/context";
import { getString } from "../../emulator/core/json";
import type { Router } from "../../emulator/core/router";
import { t, type MessageSchema } from "../../emulator/core/schema";
import { EmulatorServer } from "../../emulator/core/server";
import { StandardCollection } from "../../emulator/core/standard";
import { Client, type ErrorBody } from "./helpers";

// The standard methods through two made-up collections, so the core is tested apart from any real kind: an
// account-scoped "widgets" collection with soft delete and timings, and "gadgets" under a widget.

const WIDGET: MessageSchema = {
  name: "test.Widget",
  fields: {
    name: { type: t.string, output: true },
    colour: { type: t.string },
    state: { type: t.string, output: true },
    deleteTime: { type: t.timestamp, output: true },
    purgeTime: { type: t.timestamp, output: true },
    createTime: { type: t.timestamp, output: true },
  },
};

const GADGET: MessageSchema = {
  name: "test.Gadget",
  fields: { name: { type: t.string, output: true }, widgetColour: { type: t.string, output: true }, size: { type: t.int32 } },
};

class Widgets implements CollectionModule {
  readonly std: StandardCollection;
  constructor(ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "widgets",
      singular: "widget",
      schema: WIDGET,
      parent: { kind: "account" },
      idParam: "widgetId",
      id: { from: "query", param: "widgetId" },
      methods: { create: { query: ["widgetId"] }, list: { query: ["showDeleted", "pageSize", "pageToken"] }, get: {}, delete: {} },
      list: { filter: {}, order: { name: { key: "name" } }, defaultOrder: "name", showDeleted: true },
      softDelete: { stateField: "state", deletedState: "DELETED", deleteTimeField: "deleteTime", purgeTimeField: "purgeTime", retentionMs: 60_000 },
      timings: { createMs: 11, updateMs: 22, deleteMs: 33 },
      hooks: { created: (entry) => void (entry.resource["state"] = "ACTIVE") },
    });
  }
  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router);
  }
  registerAdmin(): void {}
  reset(): void {
    this.std.reset();
  }
}

class Gadgets implements CollectionModule {
  readonly std: StandardCollection;
  constructor(ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "gadgets",
      singular: "gadget",
      schema: GADGET,
      parent: { kind: "resource", collection: "widgets", param: "widgetId", singular: "widget" },
      idParam: "gadgetId",
      id: { from: "server" },
      methods: { create: {}, list: {}, get: {} },
      hooks: {
        // A cross-collection lookup goes through the registry.
        prepare: (draft, call) => {
          const widget = ctx.registry.find("widgets", call.parent);
          draft["widgetColour"] = widget ? getString(widget.resource, "colour") : "";
        },
      },
    });
  }
  registerApi(router: Router<RouteEntry>): void {
    // An explicit handler beats the generated one.
    this.std.register(router, { list: { handler: () => ({ body: { explicit: true } }), query: [] } });
  }
  registerAdmin(): void {}
  reset(): void {
    this.std.reset();
  }
}

let server: EmulatorServer;
let client: Client;
const widgets = "/v1/accounts/acme/widgets";

beforeAll(async () => {
  server = new EmulatorServer({ host: "127.0.0.1", port: 0, apiKey: "k", accountId: "acme", collections: [(ctx) => new Widgets(ctx), (ctx) => new Gadgets(ctx)] });
  const address = await server.listen();
  client = new Client({ url: `http://127.0.0.1:${address.port}`, apiKey: "k", accountId: "acme", close: () => server.close() });
});

afterAll(() => server.close());

describe("StandardCollection", () => {
  it("creates with a query ID or a generated one, and answers 409 for a taken ID", async () => {
    const res = await client.call<{ name: string; state: string }>("POST", `${widgets}?widgetId=w1`, { colour: "red" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: "accounts/acme/widgets/w1", state: "ACTIVE", colour: "red" });
    expect((await client.call("POST", `${widgets}?widgetId=w1`, {})).status).toBe(409);
    const generated = await client.call<{ name: string }>("POST", widgets, {});
    expect(generated.body.name).toMatch(/^accounts\/acme\/widgets\/[a-z][a-z0-9]{7}$/);
    expect((await client.call("PATCH", `${widgets}/w1`, {})).status).toBe(501);
  });

  it("soft-deletes where declared: hidden from lists unless showDeleted, ID still taken, a second delete refused", async () => {
    await client.call("POST", `${widgets}?widgetId=soft`, {});
    expect((await client.call("DELETE", `${widgets}/soft`)).status).toBe(200);
    const got = await client.call<{ state: string; deleteTime: string; purgeTime: string }>("GET", `${widgets}/soft`);
    expect(got.body.state).toBe("DELETED");
    expect(Date.parse(got.body.purgeTime) - Date.parse(got.body.deleteTime)).toBe(60_000);
    const live = await client.call<{ widgets: { name: string }[] }>("GET", widgets);
    expect(live.body.widgets.map((w) => w.name)).not.toContain("accounts/acme/widgets/soft");
    const all = await client.call<{ widgets: { name: string }[] }>("GET", `${widgets}?showDeleted=true`);
    expect(all.body.widgets.map((w) => w.name)).toContain("accounts/acme/widgets/soft");
    expect((await client.call("POST", `${widgets}?widgetId=soft`, {})).status).toBe(409);
    expect((await client.call<ErrorBody>("DELETE", `${widgets}/soft`)).status).toBe(400);
  });

  it("scopes a child collection to an existing parent and looks the parent up through the registry", async () => {
    await client.call("POST", `${widgets}?widgetId=blue`, { colour: "blue" });
    const missing = await client.call<ErrorBody>("POST", `${widgets}/nowhere/gadgets`, { size: 1 });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('widget "accounts/acme/widgets/nowhere" not found');
    const gadget = await client.call<{ name: string; widgetColour: string }>("POST", `${widgets}/blue/gadgets`, { size: 2 });
    expect(gadget.status, gadget.text).toBe(200);
    expect(gadget.body.name).toMatch(/^accounts\/acme\/widgets\/blue\/gadgets\/[a-z][a-z0-9]{7}$/);
    expect(gadget.body.widgetColour).toBe("blue");
    const id = gadget.body.name.split("/").pop() ?? "";
    expect((await client.call("GET", `${widgets}/blue/gadgets/${id}`)).status).toBe(200);
    await client.call("POST", `${widgets}?widgetId=green`, {});
    expect((await client.call("GET", `${widgets}/green/gadgets/${id}`)).status).toBe(404);
    // A soft-deleted parent is gone as far as its children are concerned.
    await client.call("DELETE", `${widgets}/green`);
    expect((await client.call("POST", `${widgets}/green/gadgets`, {})).status).toBe(404);
  });

  it("lets an explicit handler replace a generated method", async () => {
    await client.call("POST", `${widgets}?widgetId=x`, {});
    expect((await client.call("GET", `${widgets}/x/gadgets`)).body).toEqual({ explicit: true });
  });

  it("declares the collection's timings, with a flat alias from its singular name", async () => {
    expect((await client.admin("GET", "/timings/widgets")).body).toEqual({ createMs: 11, updateMs: 22, deleteMs: 33 });
    expect((await client.admin("GET", "/timings")).body).toEqual({ widgetCreateMs: 11, widgetUpdateMs: 22, widgetDeleteMs: 33 });
    expect((await client.admin("GET", "/timings/gadgets")).status).toBe(404);
  });
});
