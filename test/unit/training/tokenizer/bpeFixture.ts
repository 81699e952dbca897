// A small hand-made RoBERTa-style vocabulary and merge list, shared by the BPE and loader tests.

export const FIXTURE_VOCAB: Record<string, number> = {
  '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3,
  l: 4, o: 5, w: 6, e: 7, r: 8, 'Ġ': 9, s: 10, t: 11,
  lo: 12, low: 13, er: 14, 'Ġlow': 15, 'Ġlower': 16,
  'Ã': 17, '©': 18, 'Ã©': 19, '.': 20, 'Ċ': 21, '<mask>': 22,
};
// Rank = position: "l o" is the best merge, "Ã ©" the worst.
export const FIXTURE_MERGES: Array<[string, string]> = [
  ['l', 'o'], ['lo', 'w'], ['e', 'r'], ['Ġ', 'low'], ['Ġlow', 'er'], ['w', 'e'], ['Ã', '©'],
];
