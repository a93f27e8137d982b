// Enum value names accepted on the wire. The first value of each list is its zero value (omitted in responses).
// Where versions of the API disagree, the emulator accepts the union (reference §3.5: "accept the union").

/** §3.3 (4.259.0 list, which adds NVIDIA_B300_288GB to the SDK/docs list). */
export const ACCELERATOR_TYPES = [
  "ACCELERATOR_TYPE_UNSPECIFIED",
  "NVIDIA_A100_80GB",
  "NVIDIA_H100_80GB",
  "AMD_MI300X_192GB",
  "NVIDIA_A10G_24GB",
  "NVIDIA_A100_40GB",
  "NVIDIA_L4_24GB",
  "NVIDIA_H200_141GB",
  "NVIDIA_B200_180GB",
  "AMD_MI325X_256GB",
  "AMD_MI350X_288GB",
  "NVIDIA_B300_288GB",
] as const;

/** §3.4. */
export const PRECISIONS = [
  "PRECISION_UNSPECIFIED",
  "FP16",
  "FP8",
  "FP8_MM",
  "FP8_AR",
  "FP8_MM_KV_ATTN",
  "FP8_KV",
  "FP8_MM_V2",
  "FP8_V2",
  "FP8_MM_KV_ATTN_V2",
  "NF4",
  "FP4",
  "BF16",
  "FP4_BLOCKSCALED_MM",
  "FP4_MX_MOE",
] as const;

/** §3.5: the 4.259.0 list plus the values the 4.21.6 docs/SDK still list. */
export const REGIONS = [
  "REGION_UNSPECIFIED",
  "US_IOWA_1",
  "US_VIRGINIA_1",
  "US_VIRGINIA_2",
  "US_ILLINOIS_1",
  "AP_TOKYO_1",
  "US_ARIZONA_1",
  "US_TEXAS_1",
  "US_ILLINOIS_2",
  "EU_FRANKFURT_1",
  "US_TEXAS_2",
  "EU_ICELAND_1",
  "EU_ICELAND_2",
  "US_WASHINGTON_1",
  "US_WASHINGTON_2",
  "US_WASHINGTON_3",
  "AP_TOKYO_2",
  "US_CALIFORNIA_1",
  "US_UTAH_1",
  "US_GEORGIA_1",
  "US_GEORGIA_2",
  "US_WASHINGTON_4",
  "US_GEORGIA_3",
  "NA_BRITISHCOLUMBIA_1",
  "US_GEORGIA_4",
  "US_OHIO_1",
  "US_NEWYORK_1",
  "EU_NETHERLANDS_1",
  "US_WASHINGTON_5",
  "US_MINNESOTA_1",
  "US_CALIFORNIA_2",
  "AP_MALAYSIA_1",
  "US_OHIO_2",
  "EU_LONDON_1",
  "EU_PARIS_1",
  "EU_HELSINKI_1",
  "US_NEVADA_1",
  "EU_ICELAND_DEV_1",
  "US_ARIZONA_2",
  "US_MISSOURI_1",
  "US_TEXAS_3",
  "US_ARIZONA_3",
  "EU_ICELAND_3",
] as const;

/** §3.6. */
export const MULTI_REGIONS = ["MULTI_REGION_UNSPECIFIED", "GLOBAL", "US", "EUROPE", "APAC"] as const;

/** §3.7. */
export const DIRECT_ROUTE_TYPES = ["DIRECT_ROUTE_TYPE_UNSPECIFIED", "INTERNET", "GCP_PRIVATE_SERVICE_CONNECT", "AWS_PRIVATELINK"] as const;

/** §4.2 hotLoadBucketType. */
export const HOT_LOAD_BUCKET_TYPES = ["BUCKET_TYPE_UNSPECIFIED", "MINIO", "S3", "NEBIUS", "FW_HOSTED"] as const;

/** §4.2 Deployment.state. */
export const DEPLOYMENT_STATES = ["STATE_UNSPECIFIED", "CREATING", "READY", "DELETING", "FAILED", "UPDATING", "DELETED"] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** §3.1 gateway Code, as names (the resource-level `status.code` is an enum name, unlike the error body). */
export const STATUS_CODES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "UNAUTHENTICATED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
] as const;

/** §10/§11: User, IdentityProvider (and Account) `state`. */
export const RESOURCE_STATES = ["STATE_UNSPECIFIED", "CREATING", "READY", "UPDATING", "DELETING"] as const;

/** §10 User.role (4.259.0: "admin, user, contributor, inference-user, or custom"); IdP jitDefaultRole takes the same. */
export const USER_ROLES = ["admin", "user", "contributor", "inference-user", "custom"] as const;
