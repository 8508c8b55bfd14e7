import { describe, expect, it } from 'vitest';
import { compileFormula, FormulaError } from '../src/main/engine/formula.js';

const at = (src: string, x = 0) => compileFormula(src)(x);

function errorOf(src: string): FormulaError {
  try {
    compileFormula(src);
  } catch (e) {
    expect(e).toBeInstanceOf(FormulaError);
    return e as FormulaError;
  }
  throw new Error(`expected ${JSON.stringify(src)} to be rejected`);
}

describe('compileFormula: values', () => {
  it('evaluates the tutorial curve exactly', () => {
    const f = compileFormula('10 + x^2');
    for (const x of [-50, -3.5, 0, 1, 49.99]) expect(f(x)).toBe(10 + x * x);
  });

  it('reads numbers, including decimals and exponent notation', () => {
    expect(at('42')).toBe(42);
    expect(at('3.25')).toBe(3.25);
    expect(at('.5')).toBe(0.5);
    expect(at('5.')).toBe(5);
    expect(at('1e-3')).toBe(0.001);
    expect(at('2.5E+2')).toBe(250);
    expect(at('1e3 * x', 2)).toBe(2000);
  });

  it('gives * and / precedence over + and -, left to right', () => {
    expect(at('1 + 2 * 3')).toBe(7);
    expect(at('(1 + 2) * 3')).toBe(9);
    expect(at('10 - 4 - 3')).toBe(3);
    expect(at('64 / 4 / 2')).toBe(8);
    expect(at('2 * 3 / 4')).toBe(1.5);
  });

  it('makes ^ right-associative and tighter than unary minus', () => {
    expect(at('2^3^2')).toBe(512); // 2^(3^2), not (2^3)^2 = 64
    expect(at('(2^3)^2')).toBe(64);
    expect(at('-x^2', 3)).toBe(-9);
    expect(at('(-x)^2', 3)).toBe(9);
    expect(at('2^-1')).toBe(0.5);
    expect(at('-2^2')).toBe(-4);
    expect(at('2 * 3^2')).toBe(18);
  });

  it('handles unary minus and plus, repeated', () => {
    expect(at('--x', 4)).toBe(4);
    expect(at('-+-x', 4)).toBe(4);
    expect(at('3 - -x', 4)).toBe(7);
    expect(at('+x', 4)).toBe(4);
  });

  it('evaluates the functions and constants', () => {
    expect(at('sin(x)', 0.3)).toBe(Math.sin(0.3));
    expect(at('cos(x)', 0.3)).toBe(Math.cos(0.3));
    expect(at('tan(x)', 0.3)).toBe(Math.tan(0.3));
    expect(at('exp(x)', 0.3)).toBe(Math.exp(0.3));
    expect(at('log(x)', 0.3)).toBe(Math.log(0.3));
    expect(at('sqrt(x)', 16)).toBe(4);
    expect(at('abs(x)', -2.5)).toBe(2.5);
    expect(at('min(x, 3)', 5)).toBe(3);
    expect(at('max(x, 3, 7, -1)', 5)).toBe(7);
    expect(at('pi')).toBe(Math.PI);
    expect(at('e')).toBe(Math.E);
    expect(at('log(e^2)')).toBeCloseTo(2, 15);
    expect(at('sin(pi/2) + cos(0)')).toBe(2);
  });

  it('accepts nested calls and whitespace anywhere', () => {
    expect(at(' max ( abs( x ) ,\tsqrt(9) ) ', -5)).toBe(5);
    expect(at('sqrt(abs(min(x, -4)))', 0)).toBe(2);
  });
});

describe('compileFormula: errors', () => {
  it('names the unexpected token and its 1-based position', () => {
    expect(errorOf('x + * 2').message).toBe('formula: unexpected "*" at position 5');
    expect(errorOf('x + ').message).toBe('formula: unexpected end of formula at position 5');
    expect(errorOf('(x + 1').message).toBe('formula: expected ")" but found end of formula at position 7');
    expect(errorOf('x + 1)').message).toBe('formula: unexpected ")" at position 6');
    expect(errorOf('2 x').message).toBe('formula: unexpected name "x" at position 3');
    expect(errorOf('x ** 2').message).toBe('formula: unexpected "*" at position 4');
  });

  it('rejects unknown names', () => {
    expect(errorOf('foo').message).toBe('formula: unknown name "foo" at position 1');
    expect(errorOf('1 + y').message).toBe('formula: unknown name "y" at position 5');
    expect(errorOf('foo(x)').message).toMatch(/"foo" is not a function at position 1/);
  });

  it('rejects anything that looks like JavaScript', () => {
    for (const src of [
      'constructor',
      'constructor(x)',
      '__proto__',
      'toString(x)',
      'process',
      'process.exit(1)',
      'x.y',
      'x; 1',
      'x = 1',
      '"a"',
      'x[0]',
      'Math.sin(x)',
      'this',
      '`x`',
      '() => x',
      'x ? 1 : 2',
    ]) {
      expect(() => compileFormula(src), src).toThrow(FormulaError);
    }
    expect(errorOf('x.y').message).toBe('formula: unexpected "." at position 2');
    expect(errorOf('x; 1').message).toBe('formula: unexpected ";" at position 2');
    expect(errorOf('process').message).toBe('formula: unknown name "process" at position 1');
  });

  it('checks function arity and call syntax', () => {
    expect(errorOf('sin(x, 1)').message).toMatch(/"sin" takes 1 argument\(s\), got 2/);
    expect(errorOf('min(x)').message).toMatch(/"min" takes at least 2 argument\(s\), got 1/);
    expect(errorOf('sin x').message).toMatch(/"sin" needs arguments/);
    expect(errorOf('sin()').message).toMatch(/unexpected "\)" at position 5/);
    expect(errorOf('pi(2)').message).toMatch(/"pi" is not a function/);
    expect(errorOf('x(2)').message).toMatch(/"x" is not a function/);
  });

  it('rejects empty input and bounds nesting depth', () => {
    expect(errorOf('').message).toBe('formula: empty formula');
    expect(errorOf('   ').message).toBe('formula: empty formula');
    expect(errorOf('('.repeat(1000) + 'x' + ')'.repeat(1000)).message).toMatch(/nested too deeply/);
    expect(errorOf('-'.repeat(1000) + 'x').message).toMatch(/nested too deeply/);
    expect(at('('.repeat(50) + 'x' + ')'.repeat(50), 3)).toBe(3);
  });
});
