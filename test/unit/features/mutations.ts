// Random edits that make realistic documents look half-typed: deleted slices (often a closing
// brace or quote), words cut short, keys and junk typed in, slices duplicated or swapped. Seeded,
// so a failure reproduces. (The DSL's own mutation test keeps its generator inside its test file.)

import { prng } from '../../support/prng';

export { prng };


const TYPED = [
  '{', '}', '"', ',', '.', '\n', '\r\n', ' ', '//', '/*', '*/', 're"', '..', '%', '-', '\\', '😀', '\ud800', 'é',
  'experiment ', 'sweep x of ', 'extends ', 'method ', 'mask', 'dsee {', 'task glue.', 'model "', 'select "encoder.',
  'blocks 0..', 'matrices query, ', 'also ', 'train.seed 1, ', 'method.lr ', 'every 60 ', 'epochs', 'steps', 'lr', '1e-3', '10%', 'none', 'true',
];

export function mutate(text: string, random: () => number): string {
  const at = () => Math.floor(random() * (text.length + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const a = at();
    const b = Math.min(text.length, a + 1 + Math.floor(random() * 30));
    switch (Math.floor(random() * 5)) {
      case 0: // delete a slice
        text = text.slice(0, a) + text.slice(b);
        break;
      case 1: // cut the document short, as while typing at its end
        text = text.slice(0, Math.max(a, Math.floor(text.length / 3)));
        break;
      case 2: {
        const c = at();
        text = text.slice(0, c) + text.slice(a, b) + text.slice(c);
        break;
      }
      case 3: {
        const c = Math.min(text.length, b + Math.floor(random() * 30));
        text = text.slice(0, a) + text.slice(b, c) + text.slice(a, b) + text.slice(c);
        break;
      }
      default:
        text = text.slice(0, a) + pick(TYPED) + text.slice(a);
    }
  }
  return text;
}
