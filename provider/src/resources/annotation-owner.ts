/**
 * The owner stamp carried in an `annotations` map (reference §4.2 Deployment, §9 ApiKey in 4.259.0): the same
 * annotation key and refusal rule as the deployment's, for kinds whose only free-form field is `annotations`.
 * The stamp is the provider's, not the user's: `withoutOwnerAnnotation` keeps it out of diffs and outputs.
 */
import type { OwnerStamp } from "../spec";
import { isPlainObject, type Props } from "../values";
import { ANNOTATIONS_REFUSED, OWNER_ANNOTATION } from "./deployment";

export { OWNER_ANNOTATION } from "./deployment";

/** The user's annotations: the map without the provider's stamp ({} when absent, so absent ≡ empty). */
export function withoutOwnerAnnotation(value: unknown): Props {
  if (!isPlainObject(value)) return {};
  const rest = { ...value };
  delete rest[OWNER_ANNOTATION];
  return rest;
}

/** The user's annotations as an output: undefined when only the stamp (or nothing) is there. */
export function userAnnotations(resource: Props): Props | undefined {
  const annotations = withoutOwnerAnnotation(resource.annotations);
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** OwnerStamp hooks that keep the stamp under OWNER_ANNOTATION beside the user's own annotations. */
export const annotationOwner: OwnerStamp = {
  read: (resource) => {
    const owner = isPlainObject(resource.annotations) ? resource.annotations[OWNER_ANNOTATION] : undefined;
    return typeof owner === "string" ? owner : undefined;
  },
  write: (body, stamp) => ({ ...body, annotations: { ...withoutOwnerAnnotation(body.annotations), [OWNER_ANNOTATION]: stamp } }),
  rewrite: (body, current, stamp) => {
    const annotations = isPlainObject(body.annotations) ? body.annotations : withoutOwnerAnnotation(current.annotations);
    return { ...body, annotations: { ...annotations, [OWNER_ANNOTATION]: stamp } };
  },
  // A platform that reserves annotations refuses the whole request (400 or 403) and says so about the field itself.
  refused: (status, message) => (status === 400 || status === 403) && ANNOTATIONS_REFUSED.test(message),
};

/** The check failure for a user annotation under the reserved key, if any. */
export function reservedAnnotationFailure(annotations: unknown): { property: string; reason: string } | undefined {
  if (!isPlainObject(annotations) || !(OWNER_ANNOTATION in annotations)) return undefined;
  return { property: `annotations.${OWNER_ANNOTATION}`, reason: `the "${OWNER_ANNOTATION}" annotation is reserved for the provider; remove it` };
}
