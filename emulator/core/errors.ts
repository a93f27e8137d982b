import type { JsonObject } from "./json";

// gRPC status codes (reference §3.1: gateway/status.proto uses the google.rpc numbering).
export const CODES = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type CodeName = keyof typeof CODES;

export const CODE_NAMES = Object.keys(CODES) as CodeName[];

export function isCodeName(value: string): value is CodeName {
  return Object.prototype.hasOwnProperty.call(CODES, value);
}

// The HTTP mapping the API documents for each code (reference §1.8, gatewayCode description).
const HTTP_STATUS: Record<CodeName, number> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
};

export function httpStatusFor(code: CodeName): number {
  return HTTP_STATUS[code];
}

/** The gRPC code an injected HTTP status stands for (grpc-gateway's reverse mapping; 502 counts as UNAVAILABLE). */
export function codeForHttpStatus(status: number): CodeName {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 408:
    case 504:
      return "DEADLINE_EXCEEDED";
    case 409:
      return "ABORTED";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 499:
      return "CANCELLED";
    case 501:
      return "UNIMPLEMENTED";
    case 502:
    case 503:
      return "UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL" : "UNKNOWN";
  }
}

export class ApiError extends Error {
  readonly httpStatus: number;
  constructor(
    readonly code: CodeName,
    message: string,
    readonly headers: Record<string, string> = {},
    httpStatus?: number,
  ) {
    super(message);
    this.name = "ApiError";
    this.httpStatus = httpStatus ?? httpStatusFor(code);
  }

  /** grpc-gateway's default error body: google.rpc.Status with a numeric code (reference §1.8, §20.13). */
  body(): JsonObject {
    return { code: CODES[this.code], message: this.message, details: [] };
  }
}

export const invalidArgument = (message: string): ApiError => new ApiError("INVALID_ARGUMENT", message);
export const failedPrecondition = (message: string): ApiError => new ApiError("FAILED_PRECONDITION", message);
export const notFound = (message: string): ApiError => new ApiError("NOT_FOUND", message);
export const alreadyExists = (message: string): ApiError => new ApiError("ALREADY_EXISTS", message);
