// Hugging Face side files shared by the example models (tiny-random and the pretrained tiny).

import type { BertShape } from './randomBert';
import { SPECIAL_TOKENS } from './vocabulary';

/** tokenizer_config.json of a lower-casing BertTokenizer with the standard special tokens. */
export function tokenizerConfig(shape: BertShape): Record<string, unknown> {
  const [pad, unk, cls, sep, mask] = SPECIAL_TOKENS;
  return {
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: shape.maxPositionEmbeddings,
    cls_token: cls,
    sep_token: sep,
    pad_token: pad,
    mask_token: mask,
    unk_token: unk,
    tokenizer_class: 'BertTokenizer',
  };
}
