// tfjs-core's CommonJS entry (dist/tf-core.node.js) registers no gradient functions: the
// @tensorflow/tfjs union package normally does it, and we do not depend on that package (it
// drags in layers, converter, data and webgl). This module registers all of them from
// tfjs-core's own `dist/register_all_gradients`.
//
// That file is ES-module source with extensionless imports: it loads under tsx (dev, tests) and
// inside an esbuild bundle, but not from plain `node`, and not when a bundle marks it external
// (`external: ['@tensorflow/*']` does). Bundles must therefore bundle this one path. Forward
// passes need no gradients, so a failure here is remembered rather than thrown, and reported by
// requireGradients() when training starts.

const GRADIENTS_MODULE = '@tensorflow/tfjs-core/dist/register_all_gradients';

let failure: Error | null | undefined;

function tryRegister(): Error | null {
  if (failure !== undefined) return failure;
  try {
    // A static `import` would make this module fail to load at all where the file cannot be
    // loaded; a require lets forward-only commands (masklab encode) run there.
    // A literal path, so bundlers see it.
    require('@tensorflow/tfjs-core/dist/register_all_gradients');
    failure = null;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  return failure;
}

/** Registers tfjs gradients if possible; true when they are available. */
export function registerGradients(): boolean {
  return tryRegister() === null;
}

/** Call before any tf.grad / optimizer step: throws with the cause and the fix when gradients are missing. */
export function requireGradients(): void {
  const error = tryRegister();
  if (error) {
    throw new Error(
      `tfjs gradients are not registered: ${GRADIENTS_MODULE} failed to load (${error.message.split('\n')[0]}). ` +
        `Run from the esbuild bundle (npm run build), which must bundle that path rather than mark it external, or under tsx.`,
    );
  }
}
