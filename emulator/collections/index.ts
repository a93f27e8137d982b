import type { CollectionFactory } from "../core/context";
import { ApiKeys } from "./api-keys";
import { Deployments } from "./deployments";
import { IdentityProviders } from "./identity-providers";
import { Quotas } from "./quotas";
import { Secrets } from "./secrets";
import { Users } from "./users";

/**
 * Every collection the emulator serves. Adding one means adding it here (and its module next to this file); the
 * server takes this list and knows no collection by name. Collections find each other at request time through the
 * registry, so the order of this list does not matter.
 */
export const COLLECTIONS: readonly CollectionFactory[] = [
  (ctx) => new Deployments(ctx),
  (ctx) => new Secrets(ctx),
  (ctx) => new Users(ctx),
  (ctx) => new ApiKeys(ctx),
  (ctx) => new IdentityProviders(ctx),
  (ctx) => new Quotas(ctx),
];
