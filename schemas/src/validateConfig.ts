import type { ExperimentConfig } from './experimentConfig';
import { experimentConfigSchema } from './experimentSchema';
import { validateAgainstSchema, type SchemaError } from './jsonSchemaValidator';

export type ConfigValidation = { valid: true; config: ExperimentConfig } | { valid: false; errors: SchemaError[] };

/** Checks a parsed JSON document against `experiment.schema.json` (e.g. a config read from a run folder). */
export function validateConfig(json: unknown): ConfigValidation {
  const errors = validateAgainstSchema(json, experimentConfigSchema);
  return errors.length === 0 ? { valid: true, config: json as ExperimentConfig } : { valid: false, errors };
}

/** One line per error, `path: message`, for logs and CLI output. */
export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors.map((e) => `${e.path || '/'}: ${e.message}`).join('\n');
}
