// Path templates in the style of google.api.http rules: literal segments, `{var}` segments, and an AIP-136 custom
// verb on the last segment (`/deployments/{deploymentId}:undelete`). Verbs are split off the last segment before
// matching, as grpc-gateway does, so `{deploymentId}` never swallows ":scale".

interface Template {
  segments: string[];
  verb: string | undefined;
}

function splitVerb(last: string): [string, string | undefined] {
  const colon = last.indexOf(":");
  return colon < 0 ? [last, undefined] : [last.slice(0, colon), last.slice(colon + 1)];
}

function parseTemplate(template: string): Template {
  const segments = template.split("/").filter((s) => s !== "");
  const [last, verb] = splitVerb(segments.pop() ?? "");
  segments.push(last);
  return { segments, verb };
}

export interface Route<H> {
  method: string;
  template: string;
  handler: H;
}

export type Match<H> =
  | { kind: "found"; route: Route<H>; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

export class Router<H> {
  private readonly routes: { route: Route<H>; parsed: Template }[] = [];

  add(method: string, template: string, handler: H): this {
    this.routes.push({ route: { method, template, handler }, parsed: parseTemplate(template) });
    return this;
  }

  match(method: string, path: string): Match<H> {
    const segments = path.split("/").filter((s) => s !== "");
    const [last, verb] = splitVerb(segments.pop() ?? "");
    segments.push(last);
    const allowed: string[] = [];
    for (const { route, parsed } of this.routes) {
      const params = matchSegments(parsed, segments, verb);
      if (!params) continue;
      if (route.method === method) return { kind: "found", route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}

function matchSegments(t: Template, segments: string[], verb: string | undefined): Record<string, string> | undefined {
  if (t.verb !== verb || t.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const pattern = t.segments[i] ?? "";
    let actual: string;
    try {
      actual = decodeURIComponent(segments[i] ?? "");
    } catch {
      return undefined;
    }
    if (pattern.startsWith("{") && pattern.endsWith("}")) {
      if (actual === "") return undefined;
      params[pattern.slice(1, -1)] = actual;
    } else if (pattern !== actual) {
      return undefined;
    }
  }
  return params;
}
