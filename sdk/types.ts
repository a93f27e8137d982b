/**
 * Enum types of the Fireworks API as string unions, derived from the provider's own lists so the SDK and the
 * provider's validation cannot drift apart.
 */
import type { ACCELERATOR_TYPES, DIRECT_ROUTE_TYPES, HOT_LOAD_BUCKET_TYPES, MULTI_REGIONS, PRECISIONS, REGIONS } from "../provider/src/enums";

export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];
export type Precision = (typeof PRECISIONS)[number];
export type Region = (typeof REGIONS)[number];
export type MultiRegion = (typeof MULTI_REGIONS)[number];
export type DirectRouteType = (typeof DIRECT_ROUTE_TYPES)[number];
export type HotLoadBucketType = (typeof HOT_LOAD_BUCKET_TYPES)[number];
