import { GraphError } from "../state/errors";

/**
 * A small, honest OData $filter parser: eq ne gt ge lt le, and / or / not, parentheses,
 * startswith(path,'x'), endswith(path,'x') (only where the collection allows it), `path in ('a','b')`, and any()/all() lambdas over collections
 * (`tags/any(t:t eq 'HideApp')`, `userConsentRequests/any(u:u/status eq 'InProgress')`).
 * Anything else is refused with a Graph-shaped 400 instead of being silently misread.
 */

type Literal = string | number | boolean | null;
export type Operand = { k: "path"; segs: string[] } | { k: "lit"; v: Literal; datetime: boolean };
export type Expr =
  | { k: "cmp"; op: CmpOp; left: Operand; right: Operand }
  | { k: "and" | "or"; a: Expr; b: Expr }
  | { k: "not"; e: Expr }
  | { k: "startswith" | "endswith"; path: string[]; value: string }
  | { k: "in"; path: string[]; values: Literal[] }
  | { k: "lambda"; path: string[]; quantifier: "any" | "all"; v: string; body: Expr };
type CmpOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

type Tok = { t: "punct"; v: string } | { t: "ident"; v: string } | { t: "str"; v: string } | { t: "num"; v: number } | { t: "dt"; v: string };

const invalid = (msg: string) => new GraphError(400, "BadRequest", `Invalid filter clause: ${msg}`);
export const unsupported = (msg: string) => new GraphError(400, "Request_UnsupportedQuery", msg);

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    if (/\s/.test(c)) { i++; continue; }
    if ("(),:/".includes(c)) { out.push({ t: "punct", v: c }); i++; continue; }
    if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw invalid("unterminated string literal");
        const ch = src[i] ?? "";
        if (ch === "'") {
          if (src[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ t: "str", v: s });
      continue;
    }
    const dt = DATETIME.exec(src.slice(i));
    if (dt && dt[0].length >= 10) { out.push({ t: "dt", v: dt[0] }); i += dt[0].length; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: "num", v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_$@][\w.$@-]*/.exec(src.slice(i));
    if (id) { out.push({ t: "ident", v: id[0] }); i += id[0].length; continue; }
    throw invalid(`unexpected character '${c}' at position ${i}`);
  }
  return out;
}

const CMP = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

class Parser {
  #i = 0;
  constructor(private readonly toks: Tok[]) {}
  parse(): Expr {
    const e = this.or();
    if (this.#i < this.toks.length) throw invalid(`unexpected '${this.peekText()}'`);
    return e;
  }
  private peek(): Tok | undefined { return this.toks[this.#i]; }
  private peekText(): string { const t = this.peek(); return t === undefined ? "end" : String(t.v); }
  private isIdent(v: string): boolean { const t = this.peek(); return t?.t === "ident" && t.v.toLowerCase() === v; }
  private isPunct(v: string): boolean { const t = this.peek(); return t?.t === "punct" && t.v === v; }
  private expectPunct(v: string): void {
    if (!this.isPunct(v)) throw invalid(`expected '${v}' but found '${this.peekText()}'`);
    this.#i++;
  }
  private or(): Expr {
    let e = this.and();
    while (this.isIdent("or")) { this.#i++; e = { k: "or", a: e, b: this.and() }; }
    return e;
  }
  private and(): Expr {
    let e = this.unary();
    while (this.isIdent("and")) { this.#i++; e = { k: "and", a: e, b: this.unary() }; }
    return e;
  }
  private unary(): Expr {
    if (this.isIdent("not")) { this.#i++; return { k: "not", e: this.unary() }; }
    if (this.isPunct("(")) { this.#i++; const e = this.or(); this.expectPunct(")"); return e; }
    const t = this.peek();
    if (t?.t === "ident" && this.toks[this.#i + 1]?.t === "punct" && this.toks[this.#i + 1]?.v === "(") return this.func(t.v);
    const left = this.operand();
    if (left.k === "path" && this.isPunct("/")) return this.lambda(left.segs);
    if (left.k === "path" && this.isIdent("in")) {
      this.#i++;
      this.expectPunct("(");
      const values: Literal[] = [];
      for (;;) {
        const v = this.operand();
        if (v.k !== "lit") throw invalid("'in' takes a list of literals");
        values.push(v.v);
        if (this.isPunct(",")) { this.#i++; continue; }
        break;
      }
      this.expectPunct(")");
      return { k: "in", path: left.segs, values };
    }
    const op = this.peek();
    if (op?.t !== "ident" || !CMP.has(op.v.toLowerCase())) throw invalid(`expected a comparison operator after '${left.k === "path" ? left.segs.join("/") : String(left.v)}'`);
    this.#i++;
    return { k: "cmp", op: op.v.toLowerCase() as CmpOp, left, right: this.operand() };
  }
  private func(name: string): Expr {
    const fn = name.toLowerCase();
    if (fn !== "startswith" && fn !== "endswith") throw unsupported(`Unsupported query function '${name}'.`);
    this.#i += 2;
    const p = this.operand();
    this.expectPunct(",");
    const v = this.operand();
    this.expectPunct(")");
    if (p.k !== "path" || v.k !== "lit" || typeof v.v !== "string") throw invalid(`${fn}(property, 'text') expected`);
    return { k: fn, path: p.segs, value: v.v };
  }
  private lambda(segs: string[]): Expr {
    this.expectPunct("/");
    const q = this.peek();
    if (q?.t !== "ident" || (q.v !== "any" && q.v !== "all")) throw invalid(`expected any() or all() after '${segs.join("/")}/'`);
    this.#i++;
    this.expectPunct("(");
    const v = this.peek();
    if (v?.t !== "ident") throw invalid("expected a lambda variable");
    this.#i++;
    this.expectPunct(":");
    const body = this.or();
    this.expectPunct(")");
    return { k: "lambda", path: segs, quantifier: q.v, v: v.v, body };
  }
  private operand(): Operand {
    const t = this.peek();
    if (t === undefined) throw invalid("unexpected end of filter");
    this.#i++;
    if (t.t === "str") return { k: "lit", v: t.v, datetime: false };
    if (t.t === "num") return { k: "lit", v: t.v, datetime: false };
    if (t.t === "dt") return { k: "lit", v: t.v, datetime: true };
    if (t.t === "ident") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true", datetime: false };
      if (t.v === "null") return { k: "lit", v: null, datetime: false };
      const segs = [t.v];
      // a/b paths; a '/' followed by any/all belongs to a lambda, not the path
      while (this.isPunct("/") && this.toks[this.#i + 1]?.t === "ident" && !["any", "all"].includes(String(this.toks[this.#i + 1]?.v))) {
        this.#i++;
        segs.push(String(this.peek()?.v));
        this.#i++;
      }
      return { k: "path", segs };
    }
    throw invalid(`unexpected '${t.v}'`);
  }
}

/**
 * Parse and check that every property the filter touches is one the collection supports. `endsWith` names
 * the properties endswith() may test (directly, or as the variable of a lambda over one of them); without
 * it the function is not supported at all.
 */
export function parseFilter(src: string, filterable: ReadonlySet<string>, resource: string, endsWith?: ReadonlySet<string>): Expr {
  const expr = new Parser(tokenize(src)).parse();
  // lambda variable → the collection property it ranges over
  const check = (e: Expr, vars: ReadonlyMap<string, string>): void => {
    const path = (segs: string[]) => {
      const root = segs[0] ?? "";
      if (!vars.has(root) && !filterable.has(root)) {
        throw unsupported(`Unsupported or invalid query filter clause specified for property '${root}' of resource '${resource}'.`);
      }
    };
    switch (e.k) {
      case "and": case "or": check(e.a, vars); check(e.b, vars); return;
      case "not": check(e.e, vars); return;
      case "startswith": case "in": path(e.path); return;
      case "endswith": {
        if (endsWith === undefined) throw unsupported("Unsupported query function 'endswith'.");
        path(e.path);
        const root = e.path[0] ?? "";
        if (!endsWith.has(vars.get(root) ?? root)) {
          throw unsupported(`Unsupported or invalid query filter clause specified for property '${vars.get(root) ?? root}' of resource '${resource}'.`);
        }
        return;
      }
      case "cmp":
        if (e.left.k === "path") path(e.left.segs);
        if (e.right.k === "path") path(e.right.segs);
        if (e.left.k !== "path" && e.right.k !== "path") throw invalid("a comparison needs a property");
        return;
      case "lambda": path(e.path); check(e.body, new Map([...vars, [e.v, e.path[0] ?? ""]])); return;
    }
  };
  check(expr, new Map());
  return expr;
}

type Env = ReadonlyMap<string, unknown>;

function resolve(obj: unknown, segs: string[], env: Env): unknown {
  const [first, ...rest] = segs;
  let cur: unknown = first !== undefined && env.has(first) ? env.get(first) : (obj as Record<string, unknown> | null)?.[first ?? ""];
  for (const s of rest) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}

const value = (o: Operand, obj: unknown, env: Env): unknown => (o.k === "lit" ? o.v : resolve(obj, o.segs, env));

function compare(op: CmpOp, a: unknown, b: unknown, datetime: boolean): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (op === "eq" || op === "ne") {
    const eq = typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
    return op === "eq" ? eq : !eq;
  }
  if (a === null || b === null) return false;
  let x: number | string;
  let y: number | string;
  if (datetime || (typeof a === "string" && typeof b === "string" && DATETIME.test(a) && DATETIME.test(b))) {
    x = Date.parse(String(a)); y = Date.parse(String(b));
  } else if (typeof a === "number" && typeof b === "number") { x = a; y = b; }
  else { x = String(a).toLowerCase(); y = String(b).toLowerCase(); }
  switch (op) {
    case "gt": return x > y;
    case "ge": return x >= y;
    case "lt": return x < y;
    case "le": return x <= y;
  }
}

export function evaluate(e: Expr, obj: unknown, env: Env = new Map()): boolean {
  switch (e.k) {
    case "and": return evaluate(e.a, obj, env) && evaluate(e.b, obj, env);
    case "or": return evaluate(e.a, obj, env) || evaluate(e.b, obj, env);
    case "not": return !evaluate(e.e, obj, env);
    case "startswith": {
      const v = resolve(obj, e.path, env);
      return typeof v === "string" && v.toLowerCase().startsWith(e.value.toLowerCase());
    }
    case "endswith": {
      const v = resolve(obj, e.path, env);
      return typeof v === "string" && v.toLowerCase().endsWith(e.value.toLowerCase());
    }
    case "in": {
      const v = resolve(obj, e.path, env);
      return e.values.some((x) => compare("eq", v, x, false));
    }
    case "cmp": {
      const datetime = (e.left.k === "lit" && e.left.datetime) || (e.right.k === "lit" && e.right.datetime);
      return compare(e.op, value(e.left, obj, env), value(e.right, obj, env), datetime);
    }
    case "lambda": {
      const coll = resolve(obj, e.path, env);
      if (!Array.isArray(coll)) return e.quantifier === "all";
      const test = (item: unknown) => evaluate(e.body, obj, new Map([...env, [e.v, item]]));
      return e.quantifier === "any" ? coll.some(test) : coll.every(test);
    }
  }
}

/** Equality constraints on top-level properties (`appId eq 'x' and …`), for index lookups. */
export function equalityConstraints(e: Expr): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (x: Expr) => {
    if (x.k === "and") { walk(x.a); walk(x.b); return; }
    if (x.k === "cmp" && x.op === "eq" && x.left.k === "path" && x.left.segs.length === 1 && x.right.k === "lit" && typeof x.right.v === "string") {
      out.set(x.left.segs[0] ?? "", x.right.v);
    }
  };
  walk(e);
  return out;
}

/**
 * The operators of `e` that directory objects answer only in advanced queries (Microsoft Learn, "Advanced
 * query capabilities on Microsoft Entra ID objects": `ne`, `not` and `endsWith`), in first-use order.
 */
export function advancedOperators(e: Expr): string[] {
  const found = new Set<string>();
  const walk = (x: Expr): void => {
    switch (x.k) {
      case "and": case "or": walk(x.a); walk(x.b); return;
      case "not": found.add("not"); walk(x.e); return;
      case "cmp": if (x.op === "ne") found.add("ne"); return;
      case "endswith": found.add("endsWith"); return;
      case "lambda": walk(x.body); return;
      default: return;
    }
  };
  walk(e);
  return [...found];
}
