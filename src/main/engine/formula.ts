/**
 * A safe parser for the `formula` data set's y = f(x).
 *
 * Hand-written on purpose: expr-eval has a known code-execution vulnerability, and mathjs accepts
 * far more than we allow (assignments, objects, units, matrices). Nothing here calls eval or
 * Function; the source compiles to plain closures over Math functions looked up in Maps, so a name
 * such as `constructor` or `__proto__` can never reach an object prototype.
 *
 * Grammar (positions in error messages are 1-based character columns):
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?          right-associative; -x^2 = -(x^2); 2^-1 = 0.5
 *   primary := number | 'x' | constant | name '(' expr (',' expr)* ')' | '(' expr ')'
 * There is no implicit multiplication: `2x` is an error, write `2*x`.
 */

export class FormulaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormulaError';
  }
}

type Fn = (x: number) => number;

const CONSTANTS = new Map<string, number>([
  ['pi', Math.PI],
  ['e', Math.E],
]);

/** Functions with their allowed argument counts. */
interface FnSpec {
  min: number;
  max: number;
  impl: (...args: number[]) => number;
}
const FUNCTIONS = new Map<string, FnSpec>([
  ['sin', { min: 1, max: 1, impl: Math.sin }],
  ['cos', { min: 1, max: 1, impl: Math.cos }],
  ['tan', { min: 1, max: 1, impl: Math.tan }],
  ['exp', { min: 1, max: 1, impl: Math.exp }],
  ['log', { min: 1, max: 1, impl: Math.log }],
  ['sqrt', { min: 1, max: 1, impl: Math.sqrt }],
  ['abs', { min: 1, max: 1, impl: Math.abs }],
  ['min', { min: 2, max: Infinity, impl: Math.min }],
  ['max', { min: 2, max: Infinity, impl: Math.max }],
]);

/** Bounds recursion so a pathological input fails with a FormulaError, not a stack overflow. */
const MAX_DEPTH = 200;

type Token =
  | { kind: 'num'; value: number; pos: number; text: string }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'op'; op: string; pos: number }
  | { kind: 'end'; pos: number };

const NUMBER_RE = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPS = '+-*/^(),';

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER_RE.exec(rest);
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]), pos: i + 1, text: num[0] });
      i += num[0].length;
      continue;
    }
    const name = NAME_RE.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', name: name[0], pos: i + 1 });
      i += name[0].length;
      continue;
    }
    if (OPS.includes(ch)) {
      tokens.push({ kind: 'op', op: ch, pos: i + 1 });
      i++;
      continue;
    }
    throw new FormulaError(`formula: unexpected ${JSON.stringify(ch)} at position ${i + 1}`);
  }
  tokens.push({ kind: 'end', pos: src.length + 1 });
  return tokens;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'num':
      return `number ${JSON.stringify(t.text)}`;
    case 'name':
      return `name ${JSON.stringify(t.name)}`;
    case 'op':
      return JSON.stringify(t.op);
    case 'end':
      return 'end of formula';
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Fn {
    const f = this.expr();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t);
    return f;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }

  private fail(t: Token): never {
    throw new FormulaError(`formula: unexpected ${describe(t)} at position ${t.pos}`);
  }

  private expect(op: string): void {
    if (!this.isOp(op)) {
      const t = this.peek();
      throw new FormulaError(`formula: expected "${op}" but found ${describe(t)} at position ${t.pos}`);
    }
    this.i++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new FormulaError(`formula: nested too deeply at position ${this.peek().pos}`);
    }
  }

  private expr(): Fn {
    this.enter();
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.i++] as { op: string }).op;
      const l = left;
      const r = this.term();
      left = op === '+' ? (x) => l(x) + r(x) : (x) => l(x) - r(x);
    }
    this.depth--;
    return left;
  }

  private term(): Fn {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.tokens[this.i++] as { op: string }).op;
      const l = left;
      const r = this.unary();
      left = op === '*' ? (x) => l(x) * r(x) : (x) => l(x) / r(x);
    }
    return left;
  }

  private unary(): Fn {
    if (this.isOp('-') || this.isOp('+')) {
      const neg = this.isOp('-');
      this.i++;
      this.enter();
      const inner = this.unary();
      this.depth--;
      return neg ? (x) => -inner(x) : inner;
    }
    return this.power();
  }

  private power(): Fn {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.i++;
    this.enter();
    // The exponent is a unary, so `2^-1` works and `2^3^2` nests to the right: 2^(3^2).
    const exponent = this.unary();
    this.depth--;
    return (x) => Math.pow(base(x), exponent(x));
  }

  private primary(): Fn {
    const t = this.peek();
    if (t.kind === 'num') {
      this.i++;
      const v = t.value;
      return () => v;
    }
    if (t.kind === 'op' && t.op === '(') {
      this.i++;
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'name') {
      this.i++;
      const fn = FUNCTIONS.get(t.name);
      if (fn) return this.call(t.name, t.pos, fn);
      if (this.isOp('(')) {
        throw new FormulaError(`formula: ${JSON.stringify(t.name)} is not a function at position ${t.pos}`);
      }
      if (t.name === 'x') return (x) => x;
      const c = CONSTANTS.get(t.name);
      if (c !== undefined) return () => c;
      throw new FormulaError(`formula: unknown name ${JSON.stringify(t.name)} at position ${t.pos}`);
    }
    this.fail(t);
  }

  private call(name: string, pos: number, fn: FnSpec): Fn {
    if (!this.isOp('(')) {
      throw new FormulaError(`formula: function ${JSON.stringify(name)} needs arguments in parentheses at position ${pos}`);
    }
    this.i++;
    const args: Fn[] = [this.expr()];
    while (this.isOp(',')) {
      this.i++;
      args.push(this.expr());
    }
    this.expect(')');
    if (args.length < fn.min || args.length > fn.max) {
      const want = fn.max === Infinity ? `at least ${fn.min}` : `${fn.min}`;
      throw new FormulaError(
        `formula: function ${JSON.stringify(name)} takes ${want} argument(s), got ${args.length} at position ${pos}`,
      );
    }
    const impl = fn.impl;
    if (args.length === 1) {
      const a = args[0]!;
      return (x) => impl(a(x));
    }
    return (x) => impl(...args.map((a) => a(x)));
  }
}

/** Compiles y = f(x). Throws FormulaError naming the position and the problem. */
export function compileFormula(src: string): (x: number) => number {
  if (typeof src !== 'string' || src.trim() === '') throw new FormulaError('formula: empty formula');
  return new Parser(tokenize(src)).parse();
}
