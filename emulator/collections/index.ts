import type { CollectionFactory } from "../core/context";
import { ApiKeys } from "./api-keys";
import { batchInferenceJobs } from "./batch-inference-jobs";
import { Datasets } from "./datasets";
import { DeployedModels } from "./deployed-models";
import { Deployments } from "./deployments";
import { dpoJobs } from "./dpo-jobs";
import { IdentityProviders } from "./identity-providers";
import { Models } from "./models";
import { Quotas } from "./quotas";
import { rftJobs } from "./rft-jobs";
import { Secrets } from "./secrets";
import { Seeds } from "./seeds";
import { sftJobs } from "./sft-jobs";
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
  (ctx) => new Datasets(ctx),
  (ctx) => new Models(ctx),
  (ctx) => new DeployedModels(ctx),
  (ctx) => sftJobs(ctx),
  (ctx) => dpoJobs(ctx),
  (ctx) => rftJobs(ctx),
  (ctx) => batchInferenceJobs(ctx),
  (ctx) => new Seeds(ctx),
];
