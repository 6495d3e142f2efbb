import { describe, expect, it } from 'vitest';
import { isValidRe2 } from '../primitives/regex-samples.ts';
import { regexLiteral } from '../primitives/regex-literal.ts';
import { translatePathRegex } from './path-match.ts';

// osm-semantics §2.2.2: "pathRegex is a full-match (^…$) RE2 regex over the path without the query string.
// `pathRegex: /users` matches `/users` and `/users?x=1`, but not `/users/42` and not `/users/`."
describe('translatePathRegex', () => {
  const t = (r: string | undefined) => translatePathRegex(r, isValidRe2);

  it.each([
    ['/users', { type: 'Exact', value: '/users' }],
    ['/books-bought', { type: 'Exact', value: '/books-bought' }],
    ['^/users$', { type: 'Exact', value: '/users' }],
    ['/v1\\.2/x', { type: 'Exact', value: '/v1.2/x' }],
  ])('a literal %s becomes Exact, never the PathPrefix the Linkerd blog used', (regex, match) => {
    expect(t(regex)).toEqual({ kind: 'match', match });
  });

  it('L(/.*)? is exactly a segment prefix', () => {
    expect(t('/catalog(/.*)?')).toEqual({ kind: 'match', match: { type: 'PathPrefix', value: '/catalog' } });
    expect(t('/catalog(?:/.*)?')).toEqual({ kind: 'match', match: { type: 'PathPrefix', value: '/catalog' } });
  });

  it.each(['/api/.*', '/api.*', '.*a-book.*new', '/URLCaller/depth/.+', '/(foo|bar)'])(
    '%s is not a segment prefix: anchored RegularExpression',
    (regex) => {
      expect(t(regex)).toEqual({ kind: 'match', match: { type: 'RegularExpression', value: `^(?:${regex})$` } });
    },
  );

  it('wildcards need no path match', () => {
    for (const r of [undefined, '', '.*', '/.*', '^.*$']) expect(t(r)).toEqual({ kind: 'any' });
  });

  it('a literal without a leading slash matches no path', () => {
    expect(t('users')).toEqual({ kind: 'never' });
  });

  it('invalid RE2 and RE2-only syntax are reported, not emitted', () => {
    expect(t('/users/(')).toEqual({ kind: 'invalid' });
    expect(t('/a\\Q.b\\E')).toMatchObject({ kind: 'inexpressible' });
  });
});

describe('regexLiteral', () => {
  it('unescapes punctuation and refuses classes', () => {
    expect(regexLiteral('/a\\.b')).toBe('/a.b');
    expect(regexLiteral('/a\\d')).toBeUndefined();
    expect(regexLiteral('/a+')).toBeUndefined();
  });
});
