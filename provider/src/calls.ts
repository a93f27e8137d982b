/**
 * One operation on one resource, and the API calls every kind makes through it: read (by GET or by listing), list
 * pages, PATCH and delete in the kind's style. Secret input values ride along on every request, so the client
 * redacts them from anything the platform echoes back.
 */
import type { ProviderConfig } from "./config";
import type { ApiRequest, HttpClient } from "./http";
import { isNotFound } from "./http";
import type { DeleteStyle, ResourceSpec } from "./spec";
import { compact, isPlainObject, type Props } from "./values";
import { fieldEntries } from "./fields";

/** What one provider process remembers between calls: facts about the platform, never resources by name alone. */
export interface Session {
  /** The platform refused the owner stamp once (e.g. annotations reserved for superusers): create without it. */
  stampRefused?: boolean;
  /**
   * Full resource names adopted by a create without an owner stamp (derived ID): a replacement under the same ID
   * (`up --replace`) must not delete what its create just took over, and without a stamp nothing on the platform
   * can say so. Full names include account and collection, so they are unambiguous.
   */
  adoptedUnstamped?: Set<string>;
}

export interface Context {
  config: ProviderConfig;
  client: HttpClient;
  session?: Session;
  /**
   * Where progress lines go while `up` waits. The runtime writes them to stderr: the dynamic-provider host has no
   * engine connection, but the engine shows what a provider process prints, under the stack, as it happens.
   */
  report?: (line: string) => void;
  /** Poll pacing; tests shorten it. */
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

/** One operation on one resource: everything a step needs, instead of six parameters passed along. */
export interface Call {
  spec: ResourceSpec;
  ctx: Context;
  id: string;
  /** Full resource name, e.g. accounts/{a}/deployments/{id} (or accounts/{a}/users/{u}/apiKeys/{keyId}). */
  name: string;
  inputs: Props;
  /** Values of secret inputs, redacted from any error text the platform echoes back. */
  secrets: string[];
}

/** `id` is "" for a create whose ID the server has not given yet: the call then names the collection. */
export function callFor(spec: ResourceSpec, ctx: Context, id: string, inputs: Props): Call {
  const collection = spec.api.collection(ctx.config, inputs);
  const name = id === "" ? collection : `${collection}/${id}`;
  return { spec, ctx, id, name, inputs, secrets: secretValues(spec, inputs) };
}

export function request<T>(call: Call, req: ApiRequest): Promise<T> {
  return call.ctx.client.request<T>({ ...req, secrets: [...(req.secrets ?? []), ...call.secrets] });
}

/** The resource as the platform has it now, or undefined when it is gone (404, or absent from its list). */
export async function fetchCurrent(call: Call, action: string, deadline?: number): Promise<Props | undefined> {
  const { spec } = call;
  if (spec.api.read.kind === "list") {
    const idOf = spec.identity.kind === "server" ? spec.identity.idOf : (item: Props) => String(item.name ?? "").split("/").pop();
    return (await listAll(call, action, deadline)).find((item) => idOf(item) === call.id);
  }
  try {
    return await request<Props>(call, {
      method: "GET",
      path: `/v1/${call.name}`,
      context: { action, kind: spec.kind, name: call.name },
      ...(deadline === undefined ? {} : { deadline }),
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const PAGE_SIZE = 200;
/** A bound on pages read for one lookup: 50 pages of 200 is more than any account has keys or providers. */
const MAX_PAGES = 50;

/** Every item of the resource's collection, following page tokens. */
export async function listAll(call: Call, action: string, deadline?: number): Promise<Props[]> {
  const { spec, ctx } = call;
  const items: Props[] = [];
  const key = spec.api.read.kind === "list" ? spec.api.read.items : "";
  const collection = spec.api.collection(ctx.config, call.inputs);
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await request<Props | undefined>(call, {
      method: "GET",
      path: `/v1/${collection}`,
      query: compact({ pageSize: PAGE_SIZE, pageToken }),
      context: { action, kind: spec.kind, name: collection },
      ...(deadline === undefined ? {} : { deadline }),
    });
    const found = body?.[key || lastSegment(collection)];
    if (Array.isArray(found)) items.push(...found.filter(isPlainObject));
    pageToken = typeof body?.nextPageToken === "string" && body.nextPageToken !== "" ? body.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return items;
}

/** Sends the kind's delete. True when the resource is already gone (404), so there is nothing to wait for. */
export async function remoteDelete(call: Call, style: Exclude<DeleteStyle, { kind: "none" }>): Promise<boolean> {
  const { spec } = call;
  const context = { action: "delete", kind: spec.kind, name: call.name };
  try {
    if (style.kind === "delete") {
      await request<Props>(call, { method: "DELETE", path: `/v1/${call.name}`, query: style.query?.(call.inputs), context });
    } else {
      // A POST verb on the collection (apiKeys:delete): repeating it is harmless, it names what to delete.
      await request<Props>(call, {
        method: "POST",
        path: `/v1/${spec.api.collection(call.ctx.config, call.inputs)}${style.verb}`,
        body: style.body(call.id, call.inputs),
        idempotent: true,
        context,
      });
    }
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
  return false;
}

export function pacing(ctx: Context): { initialDelayMs?: number; maxDelayMs?: number } {
  return compact({ initialDelayMs: ctx.pollInitialDelayMs, maxDelayMs: ctx.pollMaxDelayMs });
}

/** Every string inside the inputs of fields marked secret or write-only. */
function secretValues(spec: ResourceSpec, inputs: Props): string[] {
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isPlainObject(value)) Object.values(value).forEach(collect);
  };
  for (const [key, field] of fieldEntries(spec)) if (field.secret || field.writeOnly !== undefined) collect(inputs[key]);
  return out;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
