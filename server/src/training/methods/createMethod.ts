// The method a resolved config asks for.

import { DseeMethod } from './dseeMethod';
import { FinetuneMethod } from './finetuneMethod';
import { MaskMethod } from './maskMethod';
import { SparseTopkMethod } from './sparseTopkMethod';
import type { MethodContext, TrainingMethod } from './trainingMethod';

export function createMethod(context: MethodContext): TrainingMethod {
  const method = context.config.method;
  switch (method.kind) {
    case 'finetune':
      return new FinetuneMethod(context, method);
    case 'mask':
      return new MaskMethod(context, method);
    case 'sparse_finetune':
      return method.mode === 'layers' ? new FinetuneMethod(context, method) : new SparseTopkMethod(context, method);
    case 'dsee':
      return new DseeMethod(context, method);
  }
}
