// Property test: thousands of random edits of realistic documents through parse and format.
// Whatever the edit, nothing throws, every span is sound, formatting is idempotent, and when
// the edit left the document valid, formatting keeps its meaning and its comments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../../server/src/dsl/parser';
import { format, printDocument } from '../../../server/src/dsl/printer';
import { sameTree } from '../../../server/src/dsl/sameTree';
import { checkSpans } from './invariants';
import { prng } from '../../support/prng';

const fixtureDir = path.join(__dirname, 'fixtures');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.masklab'))
  .map((f) => readFileSync(path.join(fixtureDir, f), 'utf8'));


const JUNK = ['{', '}', '"', '/', '*', '%', '.', ',', '..', '\n', '\r\n', '\r', ' ', '\t', '-', '\\', 're"', '//', '/*', '*/', '#', '\u0000', '😀', '\ud800', '\udc00', '中', 'é', 'epochs', 'steps', '1', '2e', 'experiment', 'sweep', 'x', '\u{10FFFF}'];
const LAYOUT = [' ', '  ', '\n', '\n\n', '\r\n', '\t', ' /* c */ ', '/* a\nb */', ' // note\n', '\n// own line\n', '\n\n\n'];

function mutate(text: string, random: () => number): string {
  const at = () => Math.floor(random() * (text.length + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const a = at();
    const b = Math.min(text.length, a + Math.floor(random() * 40));
    switch (Math.floor(random() * 6)) {
      case 0: // delete a slice
        text = text.slice(0, a) + text.slice(b);
        break;
      case 1: // insert a junk character or word
        text = text.slice(0, a) + pick(JUNK) + text.slice(a);
        break;
      case 2: {
        // duplicate a slice somewhere else
        const c = at();
        text = text.slice(0, c) + text.slice(a, b) + text.slice(c);
        break;
      }
      case 3: {
        // swap two slices
        const c = Math.min(text.length, b + Math.floor(random() * 40));
        text = text.slice(0, a) + text.slice(b, c) + text.slice(a, b) + text.slice(c);
        break;
      }
      default: {
        // layout only, between tokens: usually keeps the document valid, which exercises the printer
        const spots = [...text.matchAll(/[ \n]/g)].map((m) => m.index ?? 0);
        const spot = spots.length ? pick(spots) : a;
        text = text.slice(0, spot) + pick(LAYOUT) + text.slice(spot);
      }
    }
  }
  return text;
}

test('random edits: parse and format never throw, spans stay sound, format is idempotent', () => {
  const random = prng(20240611);
  let valid = 0;
  const iterations = 3000;
  for (let i = 0; i < iterations; i++) {
    const text = mutate(fixtures[i % fixtures.length], random);
    const context = () => `iteration ${i}, input ${JSON.stringify(text)}`;
    const doc = parse(text);
    try {
      checkSpans(doc, text);
    } catch (e) {
      assert.fail(`${(e as Error).message}; ${context()}`);
    }
    const once = format(text);
    assert.equal(format(once), once, `format is not idempotent; ${context()}`);
    if (doc.errors.length > 0) {
      assert.equal(once, text, `a document with syntax errors must come back unchanged; ${context()}`);
      continue;
    }
    valid++;
    // The unguarded printer must itself be right: format's safety net must never be what saves us.
    const printed = printDocument(doc, text);
    const reparsed = parse(printed);
    assert.deepEqual(reparsed.errors, [], `printing introduced syntax errors; ${context()}\noutput ${JSON.stringify(printed)}`);
    assert.ok(sameTree(doc, reparsed), `printing changed the tree; ${context()}\noutput ${JSON.stringify(printed)}`);
    assert.deepEqual(reparsed.comments.map((c) => c.text), doc.comments.map((c) => c.text), `printing lost or changed a comment; ${context()}`);
    assert.equal(printDocument(reparsed, printed), printed, `printing is not idempotent; ${context()}`);
    assert.equal(once, printed);
  }
  // Guard the generator itself: if no mutated input stays valid, the printer checks above prove nothing.
  assert.ok(valid > iterations / 10, `only ${valid} of ${iterations} mutated inputs were valid`);
});

test('random junk strings never throw and keep spans sound', () => {
  const random = prng(7);
  for (let i = 0; i < 1000; i++) {
    const length = Math.floor(random() * 200);
    let text = '';
    for (let j = 0; j < length; j++) {
      text += random() < 0.5 ? JUNK[Math.floor(random() * JUNK.length)] : String.fromCharCode(Math.floor(random() * 0x10000));
    }
    const doc = parse(text);
    checkSpans(doc, text);
    const once = format(text);
    assert.equal(format(once), once);
  }
});
