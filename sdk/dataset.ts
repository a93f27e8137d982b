import * as pulumi from "@pulumi/pulumi";
import type { DatasetInputs } from "../provider/src/resources/dataset";
import { DATASET } from "./kinds";
import { FireworksResource } from "./resource";

/** The JSONL layout of a dataset's examples. */
export type DatasetFormat = "CHAT" | "COMPLETION" | "RL";

/** How long the provider waits (Go-style durations such as "30m" or "1h"). */
export interface DatasetTimeouts {
  /** Create, upload and validation together. Default "30m". */
  create?: string;
  /** Default "5m". */
  update?: string;
  /** Default "5m". */
  delete?: string;
}

/** Arguments of a {@link Dataset}. Set exactly one of `source` or `externalUrl`. Names follow the Fireworks API. */
export interface DatasetArgs {
  /**
   * The dataset ID (the last segment of `accounts/{account}/datasets/{id}`): 1-63 characters of a-z, 0-9 and "-",
   * starting with a letter. Omit it to have one derived from the resource name and the content, so a replacement
   * gets a new ID and can exist before the old dataset is deleted. A change replaces the dataset.
   */
  datasetId?: pulumi.Input<string>;
  /**
   * The local JSONL file to upload, e.g. `new pulumi.asset.FileAsset("data/train.jsonl")` (a path relative to the
   * program's directory). It is streamed to a signed upload URL after create, then validated by the platform. Its
   * SHA-256 (computed by the Pulumi engine) drives the diff: editing the content replaces the dataset, and whatever
   * is built from it; touching the file or moving it without changing the bytes changes nothing.
   */
  source?: pulumi.Input<pulumi.asset.FileAsset>;
  /** Data kept in your own bucket: `gs://bucket/path` or `s3://bucket/path`. A change replaces the dataset. */
  externalUrl?: pulumi.Input<string>;
  /**
   * The example layout: "CHAT" (`{"messages": [{"role", "content"}, ...]}` with at least one assistant message),
   * "COMPLETION" (`{"prompt", "completion"}`) or "RL" (`{"messages": [...]}` plus what the evaluator reads). With a
   * `source`, every line is checked at preview, and the first bad lines are reported by number. Immutable: a change
   * replaces the dataset.
   */
  format?: pulumi.Input<DatasetFormat>;
  /** Human-readable name, fewer than 64 characters. Changed in place. */
  displayName?: pulumi.Input<string>;
  /** Number of examples. Omit it to let the platform count them. Changed in place. */
  exampleCount?: pulumi.Input<number>;
  /** Resource name of the job that produced this dataset (e.g. a batch inference job). Changed in place. */
  sourceJobName?: pulumi.Input<string>;
  /** How long create (upload included), update and delete may take. */
  timeouts?: pulumi.Input<DatasetTimeouts>;
}

/**
 * A Fireworks dataset: a JSONL file uploaded from the program's directory, or data in your own bucket, ready for
 * fine-tuning and batch inference.
 *
 * ```ts
 * const train = new fireworks.Dataset("train", {
 *   source: new pulumi.asset.FileAsset("data/train.jsonl"),
 *   format: "CHAT",
 *   displayName: "support chats, v3",
 * });
 * // train.name: "accounts/<account>/datasets/<id>", for a fine-tuning job's `dataset`.
 * ```
 */
export class Dataset extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:Dataset";

  /** Full resource name, `accounts/{account}/datasets/{id}`: what jobs take as their dataset. */
  declare readonly name: pulumi.Output<string>;
  /** The dataset ID (given or derived). */
  declare readonly datasetId: pulumi.Output<string>;
  /** READY once uploaded and validated (UPLOADING before). */
  declare readonly state: pulumi.Output<string>;
  declare readonly format: pulumi.Output<DatasetFormat | undefined>;
  declare readonly displayName: pulumi.Output<string | undefined>;
  /** As the platform reports it (an int64 string), counted by the platform unless declared. */
  declare readonly exampleCount: pulumi.Output<string | undefined>;
  declare readonly externalUrl: pulumi.Output<string | undefined>;
  declare readonly estimatedTokenCount: pulumi.Output<string | undefined>;
  declare readonly averageTurnCount: pulumi.Output<number | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string>;

  constructor(name: string, args: DatasetArgs, opts?: pulumi.CustomResourceOptions) {
    super(DATASET, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<DatasetArgs, DatasetInputs> = true;
void argsMatchSchema;
